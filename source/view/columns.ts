import {safeText} from '../text/safe-text.js';
import stringWidth from 'string-width';

// Turns rows of cells into fixed-width text. Knows nothing about Docker.

export type Tone = 'good' | 'warn' | 'bad' | 'muted' | 'accent' | 'new';

export interface Cell {
	text: string;
	tone?: Tone;
	/**
	 * The cell is a list (a container's networks, a network's subnets): where it does not fit,
	 * whole items are shown and the rest counted (`+2`), never an item cut in the middle.
	 * `text` is the items joined, for search and plain output.
	 */
	items?: readonly string[];
	/** What joins the items in `text`; a comma and a space unless said. */
	separator?: string;
	/** What the items are ("ports"): where not even one fits, the cell says how many. */
	noun?: string;
}

export const itemSeparator = ', ';

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
	/** Claims its content's width, up to this many columns, before other columns are kept (names). */
	fitContent?: number;
	/** Left out while every row says the same (SCOPE `local` on every network). */
	hideWhenSame?: boolean;
	/** Left out while no row has a value (PROJECT on a host without Compose). */
	hideWhenEmpty?: boolean;
}

/** What the rows hold per column: how wide the widest cell is, and whether all cells are equal. */
export interface ColumnContent {
	widths: readonly number[];
	same: readonly boolean[];
	/** No sampled row has a value in this column (every cell empty or `–`). */
	empty?: readonly boolean[];
}

export interface FittedColumn extends Column {
	index: number;
	width: number;
}

const gap = 1;

/**
 * Chooses which columns fit into `width` and how wide each one is. With the rows' content
 * known, no column is made wider than its widest cell while another is short of room, a
 * column every row fills alike is left out, and a name claims its whole width first.
 */
export function fitColumns(columns: readonly Column[], width: number, content?: ColumnContent): FittedColumn[] {
	// A title's note ("FLAGS (all attachable)") may be cut; its first word is what it needs.
	const natural = (index: number, column: Column): number => Math.max(displayWidth(column.title.split(' ')[0] ?? ''), content?.widths[index] ?? Number.POSITIVE_INFINITY);
	let kept = columns
		.map((column, index) => {
			const claim = column.fitContent === undefined || content === undefined ? column.minWidth : Math.max(column.minWidth, Math.min(column.fitContent, natural(index, column)));
			return {...column, index, minWidth: Math.min(claim, natural(index, column)), width: 0};
		})
		.filter(column => !column.hidden && !(columns.length > 1 && ((column.hideWhenSame && content?.same[column.index] === true) || (column.hideWhenEmpty && content?.empty?.[column.index] === true))));
	const needed = (list: typeof kept): number =>
		list.reduce((sum, column) => sum + column.minWidth, 0) + gap * Math.max(0, list.length - 1);
	while (kept.length > 1 && needed(kept) > width) {
		const dropping = kept.reduce((worst, column) => (column.dropOrder > worst.dropOrder ? column : worst));
		kept = kept.filter(column => column !== dropping);
	}

	for (const column of kept) column.width = column.minWidth;
	let spare = width - needed(kept);
	if (spare < 0 && kept[0]) {
		kept[0].width = Math.max(1, kept[0].width + spare);
		return kept;
	}

	// With the content known, spare room goes to the columns short of it, the most important
	// (lowest dropOrder) first: a network's second subnet before an image's full name.
	if (content !== undefined) {
		for (const column of [...kept].sort((a, b) => a.dropOrder - b.dropOrder)) {
			const extra = Math.min(spare, Math.max(0, natural(column.index, column) - column.width));
			column.width += extra;
			spare -= extra;
		}
	}

	// Without content, or with every cell shown whole: by share of growth, the rounding to the last.
	const growing = kept.filter(column => column.grow > 0);
	const totalGrow = growing.reduce((sum, column) => sum + column.grow, 0);
	if (content === undefined && spare > 0 && totalGrow > 0) {
		const room = spare;
		for (const column of growing) {
			const extra = Math.floor((room * column.grow) / totalGrow);
			column.width += extra;
			spare -= extra;
		}
	}

	const last = growing.at(-1);
	if (last && spare > 0) last.width += spare;
	return kept;
}

const contentCache = new WeakMap<ReadonlyArray<{cells: readonly Cell[]}>, ColumnContent>();
/** Rows read to size the columns: enough for any screen, bounded for a list of 200,000. */
const CONTENT_SAMPLE = 2000;

/** The widest cell and whether all are equal, per column, over the first rows of the list. */
export function columnContent(rows: ReadonlyArray<{cells: readonly Cell[]}>, count: number): ColumnContent {
	const cached = contentCache.get(rows);
	if (cached && cached.widths.length === count) return cached;
	const widths = Array.from({length: count}, () => 0);
	const first: Array<string | undefined> = Array.from({length: count}, () => undefined);
	const same = Array.from({length: count}, () => true);
	const empty = Array.from({length: count}, () => true);
	const sampled = Math.min(rows.length, CONTENT_SAMPLE);
	for (let index = 0; index < sampled; index++) {
		const cells = rows[index]?.cells ?? [];
		for (let column = 0; column < count; column++) {
			const text = cells[column]?.text ?? '';
			widths[column] = Math.max(widths[column] ?? 0, displayWidth(text));
			if (text !== '' && text !== '–') empty[column] = false;
			if (index === 0) first[column] = text;
			else if (first[column] !== text) same[column] = false;
		}
	}

	// One row says nothing about what rows share.
	const content = {widths, same: sampled > 1 ? same : same.map(() => false), empty};
	contentCache.set(rows, content);
	return content;
}

/**
 * A list cell cut to `width`: the items that fit whole, then `+n` for the rest. An item too
 * wide for the cell on its own is cut as text is.
 */
export function fitItems(items: readonly string[], width: number, separator = itemSeparator, noun?: string): string {
	const whole = items.join(separator);
	if (displayWidth(whole) <= width || items.length <= 1) return whole;
	let shown = '';
	for (let count = 1; count < items.length; count++) {
		const candidate = items.slice(0, count).join(separator);
		const rest = ` +${items.length - count}`;
		if (displayWidth(candidate) + rest.length > width) break;
		shown = candidate + rest;
	}

	if (shown !== '') return shown;
	const count = noun === undefined ? '' : `${items.length} ${noun}`;
	if (count !== '' && count.length <= width) return count;
	return `${fitText(items[0] ?? '', Math.max(1, width - 3))} +${items.length - 1}`;
}

const isPlainAscii = (text: string): boolean => /^[\u0020-\u007e]*$/.test(text);

/**
 * Measured widths of text that is not plain ASCII (a `·`, `│` or `●` is enough to need the
 * full Unicode measure): the same cells, header and footer come back on every render.
 */
const measuredWidths = new Map<string, number>();
const MEASURED_KEPT = 4096;

/** Columns the text takes once made safe to draw (control characters shown visibly). */
export function displayWidth(text: string): number {
	const shown = safeText(text);
	if (isPlainAscii(shown)) return shown.length;
	const known = measuredWidths.get(shown);
	if (known !== undefined) return known;
	const width = stringWidth(shown);
	if (measuredWidths.size >= MEASURED_KEPT) measuredWidths.clear();
	measuredWidths.set(shown, width);
	return width;
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
		const text = fitText(cell.items === undefined ? cell.text : fitItems(cell.items, column.width, cell.separator, cell.noun), column.width, column.align);
		segments.push({text, tone: cell.tone});
		used += column.width;
	});
	if (used < width) segments.push({text: ' '.repeat(width - used)});
	return segments;
}

export function headerLine(columns: readonly FittedColumn[], width: number): string {
	return fitText(columns.map(column => fitText(column.title, column.width, column.align)).join(' '), width);
}
