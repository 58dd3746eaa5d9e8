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
		const top = Math.floor(area * 0.55);
		const left = Math.floor((columns - 1) * 0.45);
		return {
			columns,
			lines,
			tooSmall,
			arrangement: 'wide',
			panes: {
				networks: box(left, top),
				containers: box(columns - left - 1, top),
				interfaces: box(columns, area - top),
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
	const base: Record<PaneId, number> = {networks: unfocused, containers: unfocused, interfaces: unfocused};
	base[focus] = Math.max(1, dataRows - 2 * unfocused);
	if (!wanted) return base;
	// Shrink panes to what they need (at least one row), then hand the spare rows to the
	// panes that want more: the focused one first, then in screen order.
	const share = {...base};
	let spare = 0;
	for (const pane of stackOrder) {
		const need = Math.max(1, wanted[pane]);
		if (need < share[pane]) {
			spare += share[pane] - need;
			share[pane] = need;
		}
	}

	for (const pane of [focus, ...stackOrder.filter(other => other !== focus)]) {
		const extra = Math.min(spare, Math.max(0, wanted[pane] - share[pane]));
		share[pane] += extra;
		spare -= extra;
	}

	// Rows nobody needs stay with the focused pane, so the layout fills the screen.
	share[focus] += spare;
	return share;
}
