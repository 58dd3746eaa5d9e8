import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import widestLine from '../../source/terminal/widest-line-cached.js';

describe('cached widest-line', () => {
	test('measures like widest-line: the widest line, colour codes not counted, wide characters twice', () => {
		assert.equal(widestLine('ab\nabcd\nc'), 4);
		assert.equal(widestLine('\u001B[32mrunning\u001B[39m'), 7);
		assert.equal(widestLine('界a'), 3);
		assert.equal(widestLine('界a'), 3, 'the same answer from the cache');
		assert.equal(widestLine(''), 0);
	});
});
