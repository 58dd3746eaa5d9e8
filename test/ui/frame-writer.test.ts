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
	test('the first frame clears and draws; later frames rewrite only changed lines, at absolute rows', () => {
		const terminal = new FakeTerminal();
		const writer = new FrameWriter(terminal, {synchronized: false});
		const first = writer.diff('header\nrow one\nrow two\nfooter');
		assert.ok(first.startsWith('\u001B[H\u001B[2J'));
		const second = writer.diff('header\nrow one\nrow 2\nfooter');
		assert.equal(second, '\u001B[3;1Hrow 2\u001B[K');
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
