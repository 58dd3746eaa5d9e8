import {safeText} from '../../text/safe-text.js';
import stringWidth from 'string-width';

// Turns rows of cells into fixed-width text. Knows nothing about Docker.

export type Tone = 'good' | 'warn' | 'bad' | 'muted' | 'accent' | 'new';

export interface Cell {
	text: string;
	tone?: Tone;
}

export interface Column {
	title: string;
	/** Width the column needs to be useful. */
	minWidth: number;
	/** Share of the spare width it takes; 0 keeps it at minWidth. */
	grow: number;
	/** Columns with a higher number are dropped first when the pane is narrow. */
	dropOrder: number;
	align?: 'left' | 'right';
	/** Left out by choice (the config file's columns); its cells stay where they are. */
	hidden?: boolean;
}

export interface FittedColumn extends Column {
	index: number;
	width: number;
}

const gap = 1;

/** Chooses which columns fit into `width` and how wide each one is. */
export function fitColumns(columns: readonly Column[], width: number): FittedColumn[] {
	let kept = columns.map((column, index) => ({...column, index, width: column.minWidth})).filter(column => !column.hidden);
	const needed = (list: typeof kept): number =>
		list.reduce((sum, column) => sum + column.minWidth, 0) + gap * Math.max(0, list.length - 1);
	while (kept.length > 1 && needed(kept) > width) {
		const dropping = kept.reduce((worst, column) => (column.dropOrder > worst.dropOrder ? column : worst));
		kept = kept.filter(column => column !== dropping);
	}

	let spare = width - needed(kept);
	const totalGrow = kept.reduce((sum, column) => sum + column.grow, 0);
	if (spare > 0 && totalGrow > 0) {
		const growing = kept.filter(column => column.grow > 0);
		for (const column of growing) {
			const extra = Math.floor(((width - needed(kept)) * column.grow) / totalGrow);
			column.width += extra;
			spare -= extra;
		}

		// Rounding leftovers go to the last growing column.
		const last = growing.at(-1);
		if (last) last.width += spare;
	} else if (spare < 0 && kept[0]) {
		kept[0].width = Math.max(1, kept[0].width + spare);
	}

	return kept;
}

const isPlainAscii = (text: string): boolean => /^[\u0020-\u007e]*$/.test(text);

/** Columns the text takes once made safe to draw (control characters shown visibly). */
export function displayWidth(text: string): number {
	const shown = safeText(text);
	return isPlainAscii(shown) ? shown.length : stringWidth(shown);
}

/**
 * Pads or cuts `text` to exactly `width` columns, marking a cut with an ellipsis. The text
 * passes safeText first: whatever reaches a cell is measured and drawn as it is shown.
 */
export function fitText(rawText: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) return '';
	const text = safeText(rawText);
	const textWidth = displayWidth(text);
	if (textWidth <= width) {
		const padding = ' '.repeat(width - textWidth);
		return align === 'right' ? padding + text : text + padding;
	}

	if (width === 1) return '…';
	if (isPlainAscii(text)) return `${text.slice(0, width - 1)}…`;
	let cut = '';
	let used = 0;
	for (const character of text) {
		const characterWidth = stringWidth(character);
		if (used + characterWidth > width - 1) break;
		cut += character;
		used += characterWidth;
	}

	return cut + ' '.repeat(width - 1 - used) + '…';
}

export interface Segment {
	text: string;
	tone?: Tone;
}

/** One row as segments of exact total width `width`; cells separated by one space. */
export function layoutRow(cells: readonly Cell[], columns: readonly FittedColumn[], width: number): Segment[] {
	const segments: Segment[] = [];
	let used = 0;
	columns.forEach((column, position) => {
		if (position > 0) {
			segments.push({text: ' '});
			used += gap;
		}

		const cell = cells[column.index] ?? {text: ''};
		const text = fitText(cell.text, column.width, column.align);
		segments.push({text, tone: cell.tone});
		used += column.width;
	});
	if (used < width) segments.push({text: ' '.repeat(width - used)});
	return segments;
}

export function headerLine(columns: readonly FittedColumn[], width: number): string {
	return fitText(columns.map(column => fitText(column.title, column.width, column.align)).join(' '), width);
}
