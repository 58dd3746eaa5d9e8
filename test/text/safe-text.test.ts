import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import stringWidth from 'string-width';
import {MAX_SHOWN_LENGTH, safeDeep, safeText} from '../../source/text/safe-text.js';
import {displayWidth, fitText} from '../../source/view/columns.js';
import {wrapText} from '../../source/ui/presentation/wrap-text.js';
import {controlBytes, hostileStrings} from '../helpers/hostile-strings.js';

// Characters that act on a terminal or a layout: controls, format characters (bidi, zero
// width), separators, lone surrogates.
const unsafeCharacter = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('safeText', () => {
	test('printable ASCII comes back as the same string', () => {
		const text = 'bridge 172.17.0.0/16 ctn1 web-1_a.b';
		assert.equal(safeText(text), text);
	});

	test('control characters are shown as pictures or escapes, never passed on', () => {
		assert.equal(safeText('n\u001b]0;pwned\u0007'), 'n␛]0;pwned␇');
		assert.equal(safeText('a\rb\tc\nd'), 'a␍b␉c␊d');
		assert.equal(safeText('x\u007fy'), 'x␡y');
		assert.equal(safeText('c1\u009b31m'), 'c1\\x9b31m');
		assert.equal(safeText('abc\u202edef'), 'abc\\u202edef');
		assert.equal(safeText('a\u200bb'), 'a\\u200bb');
		assert.equal(safeText('\ud800x'), '\ufffdx');
	});

	test('a leading combining mark is drawn on a dotted circle, not on what comes before', () => {
		assert.equal(safeText('\u0301a'), '\u25cc\u0301a');
		assert.equal(safeText('e\u0301'), 'e\u0301');
	});

	test('wide and combining characters stay as they are', () => {
		for (const text of ['网络名', 'e\u0301te\u0301', 'box📦']) assert.equal(safeText(text), text);
	});

	test('every hostile string comes out with no unsafe character, and twice changes nothing', () => {
		for (const {label, value} of hostileStrings) {
			const shown = safeText(value);
			assert.doesNotMatch(shown, unsafeCharacter, label);
			assert.doesNotMatch(shown, controlBytes, label);
			assert.equal(safeText(shown), shown, `${label}: not idempotent`);
		}
	});

	test('a very long value is cut with an ellipsis, never inside a surrogate pair', () => {
		const shown = safeText('L'.repeat(10_000));
		assert.equal(shown.length, MAX_SHOWN_LENGTH + 1);
		assert.ok(shown.endsWith('…'));
		const emoji = safeText(`${'a'.repeat(MAX_SHOWN_LENGTH - 1)}📦📦`);
		assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/u);
		assert.equal(safeText(emoji), emoji);
	});
});

describe('measuring and fitting after sanitizing', () => {
	test('fitText gives exactly the width asked for, whatever the text', () => {
		for (const {label, value} of hostileStrings) {
			for (const width of [1, 5, 12, 40]) {
				const fitted = fitText(value, width);
				assert.equal(stringWidth(fitted), width, `${label} at ${width}`);
				assert.doesNotMatch(fitted, controlBytes, label);
			}
		}
	});

	test('displayWidth measures what is drawn', () => {
		assert.equal(displayWidth('a\rb'), 3);
		assert.equal(displayWidth('n\u001b[31mred'), stringWidth('n␛[31mred'));
	});

	test('wrapText shows line breaks from data instead of breaking on them', () => {
		assert.deepEqual(wrapText('Error: a\nb\rc', 40, 3), ['Error: a␊b␍c']);
	});
});

describe('safeDeep', () => {
	test('returns the same objects when nothing needs a change', () => {
		const value = {name: 'web', labels: {a: 'b'}, list: ['x', 'y'], map: new Map([['k', 'v']])};
		assert.equal(safeDeep(value), value);
	});

	test('copies what holds unsafe text, keeps the rest, and remembers the copy', () => {
		const clean = {name: 'clean'};
		const dirty = {name: 'n\u001b[31m', labels: {'k\r': 'v\n'}};
		const list = [clean, dirty];
		const shown = safeDeep(list);
		assert.notEqual(shown, list);
		assert.equal(shown[0], clean);
		assert.deepEqual(shown[1], {name: 'n␛[31m', labels: {'k␍': 'v␊'}});
		assert.equal(safeDeep(list), shown, 'the same input gives the same copy');
		const map = safeDeep(new Map([['eth0\t', 1]]));
		assert.deepEqual([...map.keys()], ['eth0␉']);
	});
});
