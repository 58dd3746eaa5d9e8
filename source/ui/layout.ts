import type {PaneId} from './state/ui-state.js';

// Where everything goes for a terminal size, as a pure function. Ink lays out by width
// only, so heights are decided here from the terminal's rows.

export const minimumSize = {columns: 60, rows: 16} as const;

/** Lines a pane spends on its title bar and column headings. */
export const paneChrome = 2;

export interface PaneBox {
	width: number;
	/** Total lines, chrome included. */
	height: number;
	/** Lines left for data rows. */
	rowsVisible: number;
}

export interface Layout {
	columns: number;
	/** Lines docknet draws: one less than the terminal, or Ink rewrites the whole screen. */
	lines: number;
	tooSmall: boolean;
	arrangement: 'stacked' | 'wide';
	panes: Record<PaneId, PaneBox>;
	/** Lines of the events strip, its title included (1 = a single compact line). */
	eventLines: number;
	/** Lines for an overlay (details, help, topology) that replaces the panes. */
	overlayLines: number;
}

const box = (width: number, height: number): PaneBox => ({
	width,
	height,
	rowsVisible: Math.max(0, height - paneChrome),
});

/**
 * `wanted` is how many rows each pane has; a pane that needs fewer rows than its share
 * gives the rest to the others instead of showing empty lines.
 */
export function computeLayout(columns: number, rows: number, focus: PaneId, wanted?: Record<PaneId, number>): Layout {
	const lines = Math.max(1, rows - 1);
	const tooSmall = columns < minimumSize.columns || rows < minimumSize.rows;
	// Header, status line and footer take one line each.
	const body = Math.max(0, lines - 3);
	const eventLines = body >= 40 ? 7 : body >= 28 ? 4 : 1;
	const area = Math.max(0, body - eventLines);
	const overlayLines = body;

	if (columns >= 150 && area >= 24) {
		// Networks and containers share the top row; what the taller of the two needs
		// competes with the interfaces below, which keep any rows nobody needs (blank
		// space belongs at the bottom, not between the panes).
		const dataRows = Math.max(0, area - 2 * paneChrome);
		const topBase = Math.floor(dataRows * 0.55);
		const [top = 1, bottom = 1] = shareRows(
			dataRows,
			[topBase, dataRows - topBase],
			wanted ? [Math.max(wanted.networks, wanted.containers), wanted.interfaces] : undefined,
			1,
		);
		const left = Math.floor((columns - 1) * 0.45);
		return {
			columns,
			lines,
			tooSmall,
			arrangement: 'wide',
			panes: {
				networks: box(left, paneChrome + top),
				containers: box(columns - left - 1, paneChrome + top),
				interfaces: box(columns, paneChrome + bottom),
			},
			eventLines,
			overlayLines,
		};
	}

	// Stacked: the focused pane gets the room; the others keep a few rows so their
	// changes stay visible.
	const dataRows = Math.max(0, area - 3 * paneChrome);
	const share = stackedShares(dataRows, focus, wanted);
	const heightOf = (pane: PaneId): number => paneChrome + share[pane];
	return {
		columns,
		lines,
		tooSmall,
		arrangement: 'stacked',
		panes: {
			networks: box(columns, heightOf('networks')),
			containers: box(columns, heightOf('containers')),
			interfaces: box(columns, heightOf('interfaces')),
		},
		eventLines,
		overlayLines,
	};
}

const stackOrder: readonly PaneId[] = ['networks', 'containers', 'interfaces'];

function stackedShares(dataRows: number, focus: PaneId, wanted: Record<PaneId, number> | undefined): Record<PaneId, number> {
	const unfocused = Math.max(1, Math.floor(dataRows * 0.22));
	const base = stackOrder.map(pane => (pane === focus ? Math.max(1, dataRows - 2 * unfocused) : unfocused));
	const shares = shareRows(dataRows, base, wanted && stackOrder.map(pane => wanted[pane]), stackOrder.indexOf(focus));
	return {networks: shares[0] ?? 1, containers: shares[1] ?? 1, interfaces: shares[2] ?? 1};
}

/**
 * Splits rows between areas: each starts from its base share, shrinks to what it needs
 * (at least one row), and the rows freed go to areas that want more — `first` before the
 * others, then in order. Rows nobody needs stay with `first`, so the screen is filled.
 */
function shareRows(total: number, base: readonly number[], wanted: readonly number[] | undefined, first: number): number[] {
	if (!wanted) return [...base];
	const share = [...base];
	let spare = Math.max(0, total - base.reduce((sum, value) => sum + value, 0));
	share.forEach((value, index) => {
		const need = Math.max(1, wanted[index] ?? 1);
		if (need < value) {
			spare += value - need;
			share[index] = need;
		}
	});
	const order = [first, ...share.keys()].filter((index, position, all) => all.indexOf(index) === position);
	for (const index of order) {
		const extra = Math.min(spare, Math.max(0, (wanted[index] ?? 0) - (share[index] ?? 0)));
		share[index] = (share[index] ?? 0) + extra;
		spare -= extra;
	}

	share[first] = (share[first] ?? 0) + spare;
	return share;
}
