import {type Cell, sgr, toCells} from './styled-cells.js';

// docknet's stand-in for Ink's Output class (ink/build/output.js), put in its place by the
// bundle (scripts/build.mjs). Ink paints every frame onto a fresh grid of styled-character
// objects, one per cell (7,200 at 160x45), tokenizing every text again, and turns the grid
// back into strings: during a storm of container starts that was a quarter of docknet's CPU
// and most of its garbage. Here each screen row is keyed by what was written to it; a row
// whose writes are the same as in the last frame reuses that frame's string, and only the
// rows that changed are painted. Same interface and output as Ink's, except that colours are
// spelled as full SGR states (ESC[0;32m) — FrameWriter, the only reader, parses either.

/** A rectangle that writes are clipped to (an overflow: hidden box); missing sides do not clip. */
export interface OutputClip {
	x1: number | undefined;
	x2: number | undefined;
	y1: number | undefined;
	y2: number | undefined;
}

type OutputTransformer = (line: string, index: number) => string;

type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: readonly OutputTransformer[]}
	| {type: 'clip'; clip: OutputClip}
	| {type: 'unclip'};

/** Cells of one written piece of text, with unknown escape sequences dropped. */
function cellsOf(text: string): Cell[] {
	// eslint-disable-next-line no-control-regex
	return toCells(text) ?? toCells(text.replace(/\u001B(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g, '')) ?? [];
}

/**
 * Texts seen in this frame and the last one, with their cells: a frame after a keypress
 * writes mostly the same texts again. Two generations keep it bounded by what is on screen.
 */
class TextCells {
	private current = new Map<string, Cell[]>();
	private previous = new Map<string, Cell[]>();

	get(text: string): Cell[] {
		let cells = this.current.get(text);
		if (cells === undefined) {
			cells = this.previous.get(text) ?? cellsOf(text);
			this.current.set(text, cells);
		}

		return cells;
	}

	nextFrame(): void {
		this.previous = this.current;
		this.current = new Map();
	}
}

/** Rows keyed by their writes, for the current frame and the last one. */
class RowStrings {
	private current = new Map<string, string>();
	private previous = new Map<string, string>();

	get(key: string): string | undefined {
		const known = this.current.get(key) ?? this.previous.get(key);
		if (known !== undefined) this.current.set(key, known);
		return known;
	}

	set(key: string, row: string): void {
		this.current.set(key, row);
	}

	nextFrame(): void {
		this.previous = this.current;
		this.current = new Map();
	}
}

const textCells = new TextCells();
const rowStrings = new RowStrings();
const blank: Cell = {text: ' ', style: ''};

interface Piece {
	x: number;
	cells: readonly Cell[];
	text: string;
}

/** The cells as text with SGR states, ending in the default style. */
function cellsToText(cells: readonly Cell[]): string {
	let text = '';
	let style = '';
	for (const cell of cells) {
		if (cell.style !== style) {
			text += sgr(cell.style);
			style = cell.style;
		}

		text += cell.text;
	}

	return style === '' ? text : text + sgr('');
}

function paintRow(pieces: readonly Piece[]): string {
	const row: Cell[] = [];
	for (const {x, cells} of pieces) {
		for (let at = row.length; at < x; at++) row[at] = blank;
		for (const [offset, cell] of cells.entries()) row[x + offset] = cell;
	}

	// Ink trims the end of each line: trailing unstyled spaces are never written.
	let end = row.length;
	while (end > 0 && row[end - 1]?.text === ' ' && row[end - 1]?.style === '') end--;
	return cellsToText(row.slice(0, end));
}

export default class RowCachingOutput {
	readonly width: number;
	readonly height: number;
	private readonly operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		this.width = options.width;
		this.height = options.height;
	}

	write(x: number, y: number, text: string, options: {transformers: readonly OutputTransformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers: options.transformers});
	}

	clip(clip: OutputClip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		const rows: Piece[][] = Array.from({length: this.height}, () => []);
		const clips: OutputClip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			else if (operation.type === 'unclip') clips.pop();
			else this.place(operation, clips.at(-1), rows);
		}

		const lines = rows.map(pieces => {
			if (pieces.length === 0) return '';
			const key = pieces.map(piece => `${piece.x}\u0000${piece.text}`).join('\u0001');
			let line = rowStrings.get(key);
			if (line === undefined) {
				line = paintRow(pieces);
				rowStrings.set(key, line);
			}

			return line;
		});
		textCells.nextFrame();
		rowStrings.nextFrame();
		return {output: lines.join('\n'), height: lines.length};
	}

	/** Splits one write into per-row pieces, clipped, then transformed, as Ink does. */
	private place(write: Extract<Operation, {type: 'write'}>, clip: OutputClip | undefined, rows: Piece[][]): void {
		const lines = write.text.split('\n');
		const clipX = clip?.x1 !== undefined && clip.x2 !== undefined ? {from: clip.x1, to: clip.x2} : undefined;
		const clipY = clip?.y1 !== undefined && clip.y2 !== undefined ? {from: clip.y1, to: clip.y2} : undefined;
		// Transformers number the lines that survived vertical clipping.
		const firstShown = clipY ? Math.max(0, clipY.from - write.y) : 0;
		for (const [index, line] of lines.entries()) {
			const y = write.y + index;
			if (clipY && (y < clipY.from || y >= clipY.to)) continue;
			// Ink stops at the first line outside the frame, even above it; so does this.
			if (y < 0 || y >= rows.length) return;
			let text = line;
			let x = write.x;
			if (clipX) {
				const cells = textCells.get(text);
				const from = Math.max(0, clipX.from - x);
				const to = Math.min(cells.length, clipX.to - x);
				if (to <= from) continue;
				if (from > 0 || to < cells.length) text = cellsToText(cells.slice(from, to));
				x += from;
			}

			for (const transform of write.transformers) text = transform(text, index - firstShown);
			rows[y]?.push({x, cells: textCells.get(text), text});
		}
	}
}
