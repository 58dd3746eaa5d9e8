import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {footerText} from '../../source/ui/components/footer.js';
import {helpLines} from '../../source/ui/components/help-view.js';
import {keymap} from '../../source/ui/keys/keymap.js';
import {matchCommand, noKey, splitKeys} from '../../source/ui/keys/match-key.js';

const none = noKey;

describe('keymap', () => {
	test('the keys of issue 2 and 3 are bound where they belong', () => {
		const list = ['global', 'list', 'containers'] as const;
		assert.equal(matchCommand('j', none, list), 'moveDown');
		assert.equal(matchCommand('', {...none, downArrow: true}, list), 'moveDown');
		assert.equal(matchCommand('', {...none, pageDown: true}, list), 'pageDown');
		assert.equal(matchCommand('', {...none, home: true}, list), 'home');
		assert.equal(matchCommand('', {...none, tab: true}, list), 'focusNext');
		assert.equal(matchCommand('', {...none, tab: true, shift: true}, list), 'focusPrevious');
		assert.equal(matchCommand('2', none, list), 'focusContainers');
		assert.equal(matchCommand('/', none, list), 'filter');
		assert.equal(matchCommand('c', none, list), 'connect');
		assert.equal(matchCommand('D', {...none, shift: true}, list), 'forceDisconnect');
		assert.equal(matchCommand('c', {...none, ctrl: true}, list), 'quit');
		assert.equal(matchCommand('n', none, list), undefined, 'n creates networks only in the networks pane');
		assert.equal(matchCommand('n', none, ['global', 'list', 'networks']), 'createNetwork');
	});

	test('no key is bound twice in one scope', () => {
		const seen = new Map<string, string>();
		for (const binding of keymap) {
			for (const scope of binding.scopes) {
				for (const chord of binding.keys) {
					const id = `${scope}:${chord.special ?? chord.input}:${chord.ctrl ?? false}:${chord.shift ?? false}`;
					assert.ok(!seen.has(id), `${id} bound to ${seen.get(id)} and ${binding.command}`);
					seen.set(id, binding.command);
				}
			}
		}
	});

	test('keys typed faster than a render are split into single presses', () => {
		assert.deepEqual(splitKeys('jjk', none).map(press => press.input), ['j', 'j', 'k']);
		assert.equal(splitKeys('D', {...none, shift: true}).length, 1);
		const enters = splitKeys('\r\r', none);
		assert.deepEqual(enters.map(press => press.key.return), [true, true]);
		const typed = splitKeys('we\u007F\r', none);
		assert.deepEqual(typed.map(press => [press.input, press.key.delete, press.key.return]), [['w', false, false], ['e', false, false], ['', true, false], ['', false, true]]);
		assert.deepEqual(splitKeys('\u0003q', none)[0], {input: 'c', key: {...none, ctrl: true}});
		assert.equal(splitKeys('\u001B[A', {...none, upArrow: true}).length, 1, 'escape sequences stay whole');
	});

	test('Esc and a key in one read (Meta+key to Ink) are Esc, then the key', () => {
		const presses = splitKeys('1', {...none, meta: true});
		assert.deepEqual(presses.map(press => [press.key.escape, press.input]), [[true, ''], [false, '1']]);
		assert.deepEqual(splitKeys('jk', {...none, meta: true}).map(press => press.input), ['', 'j', 'k']);
		assert.equal(splitKeys('', {...none, meta: true, escape: true}).length, 1, 'a lone Esc stays one key');
		assert.equal(splitKeys('', {...none, meta: true, upArrow: true}).length, 1, 'Meta+arrow stays one key');
	});

	test('help lists every binding, and read-only marks the changing ones', () => {
		const text = helpLines(true).map(line => line.text).join('\n');
		for (const binding of keymap) assert.ok(text.includes(binding.description), binding.command);
		assert.match(text, /Connect the selected container[^\n]*off in read-only mode/);
	});

	test('on a narrow terminal help wraps descriptions instead of cutting them', () => {
		const width = 60;
		const lines = helpLines(false, width);
		for (const line of lines) assert.ok(line.text.length <= width, `${line.text.length} columns: ${line.text}`);
		const words = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
		const wide = words(helpLines(false).map(line => line.text).join(' '));
		assert.equal(words(lines.map(line => line.text).join(' ')), wide, 'the same words, only wrapped');
		assert.ok(lines.length > helpLines(false).length, 'some descriptions need a second line at 60 columns');
		const continued = lines.find((line, index) => index > 0 && line.text.startsWith(' '.repeat(19)) && !line.heading);
		assert.ok(continued, 'a continuation starts under the description column');
	});

	test('the footer always ends with help and quit, and hides changing keys in read-only mode', () => {
		const text = footerText(['global', 'list', 'networks'], false, 60);
		assert.match(text, /\? help {2}q quit$/);
		assert.ok(text.length <= 60);
		assert.doesNotMatch(footerText(['global', 'list', 'networks'], true, 200), /connect|remove/);
	});
});
