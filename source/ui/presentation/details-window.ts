import type {Details} from './details.js';
import {rowsPosition} from './rows-position.js';

// The details screen scrolls as one list: its summary lines, then its table's rows. A host
// with 60 published ports has 60 summary lines; none of them may fall off the screen.

/** Lines the bordered table takes besides its rows: top and bottom borders, the heading. */
const tableChrome = 3;
/** Each table row is drawn under a separator line. */
const linesPerTableRow = 2;

export interface DetailsWindow {
	/** Summary lines shown: [summaryFrom, summaryTo). */
	summaryFrom: number;
	summaryTo: number;
	/** Whether the table's title (and its border or empty text) is on screen. */
	tableShown: boolean;
	/** Table rows shown: [rowFrom, rowTo). */
	rowFrom: number;
	rowTo: number;
	/** Summary lines and table rows together, what "rows a–b of n" counts. */
	total: number;
	/** The largest scrollTop: from there the last row is on screen. */
	maxTop: number;
	/** "rows a–b of n", when not everything fits; it takes the screen's last line. */
	position?: string;
}

function tableCost(details: Details, rowsShown: number): number {
	if (details.table.rows.length === 0) return 2;
	return 1 + tableChrome + linesPerTableRow * rowsShown;
}

/** Screen lines needed to show everything from item `top` to the end. */
function tailCost(details: Details, top: number): number {
	const summary = details.lines.length;
	const rows = details.table.rows.length;
	return Math.max(0, summary - top) + tableCost(details, rows - Math.max(0, top - summary));
}

function windowAt(details: Details, top: number, budget: number): Omit<DetailsWindow, 'total' | 'maxTop' | 'position'> {
	const summary = details.lines.length;
	const summaryFrom = Math.min(top, summary);
	const summaryTo = Math.min(summary, summaryFrom + budget);
	const left = budget - (summaryTo - summaryFrom);
	const rowFrom = Math.max(0, top - summary);
	const tableShown = summaryTo === summary && left >= tableCost(details, details.table.rows.length === 0 ? 0 : 1);
	const rowRoom = tableShown && details.table.rows.length > 0 ? Math.floor((left - tableCost(details, 0)) / linesPerTableRow) : 0;
	const rowTo = Math.min(details.table.rows.length, rowFrom + Math.max(0, rowRoom));
	return {summaryFrom, summaryTo, tableShown, rowFrom, rowTo};
}

/** What of `details` a screen of `height` lines (title bar included) shows from `scrollTop`. */
export function detailsWindow(details: Details, scrollTop: number, height: number): DetailsWindow {
	const total = details.lines.length + details.table.rows.length;
	const whole = height - 1;
	if (tailCost(details, 0) <= whole) return {...windowAt(details, 0, whole), total, maxTop: 0};
	const budget = Math.max(1, whole - 1);
	let maxTop = Math.max(0, total - 1);
	while (maxTop > 0 && tailCost(details, maxTop - 1) <= budget) maxTop--;
	const top = Math.max(0, Math.min(scrollTop, maxTop));
	const shown = windowAt(details, top, budget);
	const first = top + 1;
	const last = shown.rowTo > shown.rowFrom ? details.lines.length + shown.rowTo : shown.summaryTo;
	return {...shown, total, maxTop, position: `${rowsPosition(first, Math.max(first, last), total, last < total)} · ↑↓ PgUp PgDn Home End scroll`};
}

/** The bounds the overlay scroll keys use: as many rows as there are, the last page in view. */
export function detailsScrollExtent(details: Details, height: number): {total: number; viewport: number} {
	const {total, maxTop} = detailsWindow(details, 0, height);
	return {total, viewport: total - maxTop};
}
