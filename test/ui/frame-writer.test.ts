import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {describe, test} from 'node:test';
import {FrameWriter} from '../../source/terminal/frame-writer.js';

class FakeTerminal extends EventEmitter {
	columns = 20;
	rows = 6;
	written: string[] = [];
	write(data: string): boolean {
		this.written.push(data);
		return true;
	}
}

describe('FrameWriter', () => {
	test('the first frame clears and draws; later frames rewrite only changed cells, at absolute positions', () => {
		const terminal = new FakeTerminal();
		const writer = new FrameWriter(terminal, {synchronized: false});
		const first = writer.diff('header\nrow one\nrow two\nfooter');
		assert.ok(first.startsWith('\u001B[H\u001B[2J'));
		const second = writer.diff('header\nrow one\nrow 2\nfooter');
		// "row t|wo" becomes "row 2": one cell written at column 5, the rest erased.
		assert.equal(second, '\u001B[3;5H2\u001B[K');
		assert.equal(writer.diff('header\nrow one\nrow 2\nfooter'), '', 'nothing changed, nothing written');
	});

	test('a shorter frame erases the lines it no longer has', () => {
		const writer = new FrameWriter(new FakeTerminal(), {synchronized: false});
		writer.diff('a\nb\nc');
		assert.equal(writer.diff('a\nb'), '\u001B[3;1H\u001B[2K');
	});

	test('a full-width line is not followed by an erase that would eat its last cell', () => {
		const writer = new FrameWriter(new FakeTerminal(), {synchronized: false});
		writer.diff('x');
		assert.equal(writer.diff('y'.repeat(20)), `\u001B[1;1H${'y'.repeat(20)}`);
		assert.equal(writer.diff(`${'y'.repeat(19)}z`), '\u001B[1;20Hz', 'a change in the last column is written alone');
	});

	test('styled cells: a colour change alone is rewritten with its style, then reset', () => {
		const writer = new FrameWriter(new FakeTerminal(), {synchronized: false});
		writer.diff('name \u001B[32mrunning\u001B[39m image');
		const update = writer.diff('name \u001B[33mpaused \u001B[39m image');
		assert.equal(update, '\u001B[1;6H\u001B[0;33mpaused \u001B[0m');
	});

	test('distant changes are separate runs; close ones are merged', () => {
		const writer = new FrameWriter(new FakeTerminal(), {synchronized: false});
		writer.diff('a123456789012345b');
		assert.equal(writer.diff('X123456789012345Y'), '\u001B[1;1HX\u001B[1;17HY');
		writer.diff('abcdef');
		assert.equal(writer.diff('XbcdeY'), '\u001B[1;1HXbcdeY');
	});

	test('wide characters stay whole', () => {
		const writer = new FrameWriter(new FakeTerminal(), {synchronized: false});
		writer.diff('ab界cd');
		assert.equal(writer.diff('ab世cd'), '\u001B[1;3H世');
	});

	test('a frame taller than the terminal is cut to fit, and the next one is drawn afresh', () => {
		const writer = new FrameWriter(new FakeTerminal(), {synchronized: false});
		writer.diff('a');
		const tall = writer.diff('1\n2\n3\n4\n5\n6\n7\n8');
		assert.ok(!tall.includes('\u001B[7;1H'), 'nothing is written below the last row');
		assert.ok(writer.diff('1\n2').startsWith('\u001B[H\u001B[2J'));
	});

	test('a resize repaints everything and is passed on to Ink', () => {
		const terminal = new FakeTerminal();
		const writer = new FrameWriter(terminal, {synchronized: false});
		let resized = 0;
		writer.on('resize', () => resized++);
		writer.diff('a\nb');
		terminal.emit('resize');
		assert.equal(resized, 1);
		assert.ok(writer.diff('a\nb').startsWith('\u001B[H\u001B[2J'));
	});

	test('frames written in one tick cost one update; control-only writes are not frames', async () => {
		const terminal = new FakeTerminal();
		const writer = new FrameWriter(terminal);
		writer.write('one');
		writer.write('two');
		writer.write('\u001B[?25h');
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(terminal.written.length, 1);
		assert.match(terminal.written[0] ?? '', /two/);
		assert.doesNotMatch(terminal.written[0] ?? '', /one/);
		assert.equal(writer.bytesWritten, Buffer.byteLength(terminal.written[0] ?? ''));
	});
});
