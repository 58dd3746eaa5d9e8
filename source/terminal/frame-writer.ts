import {EventEmitter} from 'node:events';
import stringWidth from 'string-width';
import {keyTrace} from './key-trace.js';
import {sgr, toCells} from './styled-cells.js';

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
// Equal cells between two changed runs below this count are rewritten rather than skipped:
// a cursor move costs about as much.
const mergeGap = 8;
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
		keyTrace.frameWritten();
	}

	/** The escape sequences that turn the screen showing `previous` into `frame`. */
	diff(frame: string): string {
		let lines = frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n');
		const repaint = this.repaintNext;
		this.repaintNext = false;
		// Right after a resize Ink may render once more for the old height. Lines past the
		// last row would all land on it, and the screen would no longer match what was
		// written: draw only what fits and repaint the next frame from scratch.
		if (lines.length > this.rows) {
			lines = lines.slice(0, this.rows);
			this.repaintNext = true;
		}

		let update = repaint ? `${escape}H${escape}2J` : '';
		const count = Math.max(lines.length, this.previous.length);
		for (let index = 0; index < count; index++) {
			const line = lines[index];
			const before = this.previous[index];
			if (!repaint && line === before) continue;
			if (line === undefined) {
				update += `${escape}${index + 1};1H${escape}2K`;
				continue;
			}

			if (repaint && line === '') continue;
			update += (!repaint && before !== undefined && this.changedCells(index, before, line)) || this.wholeLine(index, line);
		}

		this.previous = lines;
		return update;
	}

	private wholeLine(index: number, line: string): string {
		// Erase what is left of the old line, but never on a full-width line: there the
		// cursor waits past the last column and the erase would eat that cell.
		return `${escape}${index + 1};1H${line}${stringWidth(line) < this.columns ? `${escape}K` : ''}`;
	}

	/**
	 * Rewrites only the runs of cells that differ, the way curses does: a new container
	 * row shifts the rows below it, but most of their cells (states, images, padding) stay.
	 * Undefined when a line cannot be parsed into cells.
	 */
	private changedCells(index: number, before: string, line: string): string | undefined {
		const oldCells = toCells(before);
		const newCells = toCells(line);
		if (!oldCells || !newCells) return undefined;
		const same = (at: number): boolean =>
			oldCells[at]?.text === newCells[at]?.text && oldCells[at]?.style === newCells[at]?.style;
		let update = '';
		// Every write ends with the default style (Ink's lines close their colours, and
		// this method resets at its end), so a run starts from plain.
		let style = '';
		let cursor = -1;
		let at = 0;
		while (at < newCells.length) {
			if (same(at)) {
				at++;
				continue;
			}

			// A run of changed cells, merged with the next run when the gap is shorter
			// than the cursor move it would save.
			let start = at;
			if (newCells[start]?.text === '' && start > 0) start--;
			let end = at;
			let gap = 0;
			for (let next = at + 1; next < newCells.length && gap < mergeGap; next++) {
				if (same(next)) gap++;
				else {
					end = next;
					gap = 0;
				}
			}

			update += `${escape}${index + 1};${start + 1}H`;
			for (let cell = start; cell <= end; cell++) {
				const {text, style: cellStyle} = newCells[cell] as {text: string; style: string};
				if (cellStyle !== style) {
					update += sgr(cellStyle);
					style = cellStyle;
				}

				update += text;
			}

			at = end + 1;
			cursor = at;
		}

		if (style) update += sgr('');
		if (newCells.length < oldCells.length && newCells.length < this.columns) {
			update += `${cursor === newCells.length ? '' : `${escape}${index + 1};${newCells.length + 1}H`}${escape}K`;
		}

		return update;
	}

	private readonly onResize = (): void => {
		this.repaintNext = true;
		this.emit('resize');
	};
}
