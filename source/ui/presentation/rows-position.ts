/**
 * The line a scrolled screen ends with: which of its rows are shown (1-based, inclusive), and
 * whether more follow. `more` defaults to whether the last shown row is the last row.
 */
export function rowsPosition(first: number, last: number, total: number, more = last < total): string {
	return `rows ${first}–${last} of ${total}${more ? ' · ↓ more' : ''}`;
}
