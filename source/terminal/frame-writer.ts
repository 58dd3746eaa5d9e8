import {EventEmitter} from 'node:events';
import stringWidth from 'string-width';

// Ink hands docknet whole frames (render option `debug: true`) and this writer puts them
// on the alternate screen, rewriting only the lines that changed, each at an absolute
// position. Why not Ink's own incrementalRendering: in Ink 6.8 it moves the cursor up one
// line too few after a frame that ends in a newline (every frame shorter than the
// terminal), so each update lands one row lower than the last. Absolute positioning
// cannot drift, and a line diff is what keeps updates small over SSH.

export interface TerminalStream {
	write(data: string): boolean;
	columns?: number;
	rows?: number;
	on(event: 'resize', listener: () => void): unknown;
	off(event: 'resize', listener: () => void): unknown;
}

const escape = '\u001B[';
const beginSynchronized = `${escape}?2026h`;
const endSynchronized = `${escape}?2026l`;
// A write made only of control sequences (Ink showing the cursor on exit) is not a frame.
const onlyControlSequences = new RegExp(`^(?:${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z])+$`);

export interface FrameWriterOptions {
	/** Wrap each update in synchronized-output markers so terminals never show half a frame. */
	synchronized?: boolean;
}

export class FrameWriter extends EventEmitter {
	/** Ink checks this before using terminal-only features. */
	readonly isTTY = true;
	/** Bytes written to the terminal so far (the benchmark reads it). */
	bytesWritten = 0;

	private previous: string[] = [];
	private pending: string | undefined;
	private flushScheduled = false;
	private repaintNext = true;
	private readonly synchronized: boolean;

	constructor(
		private readonly terminal: TerminalStream,
		options: FrameWriterOptions = {},
	) {
		super();
		this.synchronized = options.synchronized ?? true;
		terminal.on('resize', this.onResize);
	}

	get columns(): number {
		return this.terminal.columns ?? 80;
	}

	get rows(): number {
		return this.terminal.rows ?? 24;
	}

	/** Called by Ink with a whole frame. Frames arriving in one tick cost one update. */
	write(chunk: string | Uint8Array): boolean {
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		if (onlyControlSequences.test(text)) return true;
		this.pending = text;
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			setImmediate(() => this.flush());
		}

		return true;
	}

	/** Draws everything again on the next frame (after a resize, or a suspended terminal). */
	invalidate(): void {
		this.repaintNext = true;
	}

	dispose(): void {
		this.terminal.off('resize', this.onResize);
	}

	flush(): void {
		this.flushScheduled = false;
		const frame = this.pending;
		this.pending = undefined;
		if (frame === undefined) return;
		const update = this.diff(frame);
		if (update === '') return;
		const output = this.synchronized ? beginSynchronized + update + endSynchronized : update;
		this.bytesWritten += Buffer.byteLength(output);
		this.terminal.write(output);
	}

	/** The escape sequences that turn the screen showing `previous` into `frame`. */
	diff(frame: string): string {
		const lines = frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n');
		const repaint = this.repaintNext;
		this.repaintNext = false;
		let update = repaint ? `${escape}H${escape}2J` : '';
		const count = Math.max(lines.length, this.previous.length);
		for (let index = 0; index < count; index++) {
			const line = lines[index];
			if (!repaint && line === this.previous[index]) continue;
			if (line === undefined) {
				update += `${escape}${index + 1};1H${escape}2K`;
				continue;
			}

			if (repaint && line === '') continue;
			update += `${escape}${index + 1};1H${line}`;
			// Erase what is left of the old line, but never on a full-width line: there
			// the cursor waits past the last column and the erase would eat that cell.
			if (stringWidth(line) < this.columns) update += `${escape}K`;
		}

		this.previous = lines;
		return update;
	}

	private readonly onResize = (): void => {
		this.repaintNext = true;
		this.emit('resize');
	};
}
