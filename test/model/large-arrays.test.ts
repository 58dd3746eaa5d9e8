import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {appendAll, maxOf, minOf} from '../../source/model/large-arrays.js';

// Engine-sized lists: what a spread argument cannot take.

const million = Array.from({length: 1_000_000}, (_, index) => (index * 7919) % 1_000_003);

describe('large arrays', () => {
	test('a spread of a million items overflows the stack; maxOf, minOf and appendAll do not', () => {
		assert.throws(() => Math.max(...million), RangeError);
		assert.equal(maxOf(million), million.reduce((a, b) => (a > b ? a : b)));
		assert.equal(minOf(million), 0);
		const target = [-1];
		assert.equal(appendAll(target, million), target);
		assert.equal(target.length, million.length + 1);
		assert.equal(target[1], million[0]);
		assert.equal(target.at(-1), million.at(-1));
	});

	test('as Math.max and Math.min: the floor or ceiling for an empty list, NaN wins', () => {
		assert.equal(maxOf([]), Number.NEGATIVE_INFINITY);
		assert.equal(minOf([]), Number.POSITIVE_INFINITY);
		assert.equal(maxOf([], 16), 16);
		assert.equal(maxOf([3, 40, 5], 16), 40);
		assert.equal(maxOf([3, 4], 16), 16);
		assert.equal(minOf([3, 4], 2), 2);
		assert.ok(Number.isNaN(maxOf([1, Number.NaN, 3])));
		assert.ok(Number.isNaN(minOf([1, Number.NaN, 3])));
	});
});
