// The UI's own state (focus, selection, filters, overlays) as a pure reducer. Engine data
// is not here: it lives in the snapshot store. Actions carry the row ids they act on, so
// selection is kept by id and never jumps when rows are added or removed above it.

export type PaneId = 'networks' | 'containers' | 'interfaces';

export const paneOrder: readonly PaneId[] = ['networks', 'containers', 'interfaces'];

export const paneTitles: Record<PaneId, string> = {
	networks: 'Networks',
	containers: 'Containers',
	interfaces: 'Host interfaces',
};

export interface PaneCursor {
	selectedId?: string;
	/** Where the selection was; used when the selected row disappears. */
	selectedIndex: number;
	scrollTop: number;
	filter: string;
	/** With grouping on: the project rows opened (all others are folded). */
	unfolded?: readonly string[];
	/** A row reached by a jump: its project opens to show it. */
	reveal?: string;
}

/** The events strip: containers whose events are hidden, and how far it is scrolled back. */
export interface EventsView {
	hidden: readonly string[];
	/** Lines scrolled back from the newest. */
	scrollTop: number;
}

export type Overlay =
	| {kind: 'help'; scrollTop: number}
	| {kind: 'swarm'; scrollTop: number}
	/** view 'inside': a container's stack as seen inside it (the `i` key). */
	| {kind: 'details'; pane: PaneId; id: string; scrollTop: number; view?: 'inside'}
	/** query: what its `/` search keeps (only matching rows are listed). */
	| {kind: 'topology'; selectedId?: string; selectedIndex: number; scrollTop: number; query?: string}
	/** The command log: what docknet sent, as docker CLI commands, newest first. */
	| {kind: 'log'; scrollTop: number};

export type StatusTone = 'info' | 'success' | 'error' | 'busy';

export interface StatusMessage {
	text: string;
	tone: StatusTone;
	/** Increases with every message, so the same text twice still counts as new. */
	serial: number;
}

export interface UiState {
	focus: PaneId;
	panes: Record<PaneId, PaneCursor>;
	/** The focused pane's filter is being typed. */
	filtering: boolean;
	overlay?: Overlay;
	status?: StatusMessage;
	/** Rows grouped by Compose project (the Networks and Containers panes). */
	grouped?: boolean;
	events?: EventsView;
}

export type Movement = number | 'home' | 'end';

export type UiAction =
	| {type: 'focus'; pane: PaneId}
	| {type: 'focusNext'}
	| {type: 'focusPrevious'}
	| {type: 'move'; pane: PaneId; rowIds: readonly string[]; movement: Movement; viewport: number}
	| {type: 'select'; pane: PaneId; rowIds: readonly string[]; id: string; viewport: number}
	/** Focus a pane and select a row there, clearing a filter that would hide it. */
	| {type: 'jumpTo'; pane: PaneId; allRowIds: readonly string[]; id: string; viewport: number}
	| {type: 'startFilter'}
	| {type: 'typeFilter'; text: string}
	| {type: 'eraseFilter'}
	| {type: 'acceptFilter'}
	| {type: 'clearFilter'}
	| {type: 'openOverlay'; overlay: Overlay}
	| {type: 'closeOverlay'}
	| {type: 'scrollOverlay'; movement: Movement; total: number; viewport: number}
	| {type: 'moveTopology'; rowIds: readonly string[]; movement: Movement; viewport: number}
	| {type: 'toggleGrouping'}
	/** Opens a folded project row (folded: as it is shown now), or folds an open one. */
	| {type: 'toggleFold'; pane: PaneId; id: string; folded: boolean}
	/** Hides the events of a container in the events strip, or shows them again. */
	| {type: 'toggleEventsOf'; id: string; name: string}
	| {type: 'scrollEvents'; movement: number | 'home'; total: number}
	| {type: 'status'; text: string; tone: StatusTone}
	| {type: 'clearStatus'};

const emptyCursor: PaneCursor = {selectedIndex: 0, scrollTop: 0, filter: ''};

export const initialUiState: UiState = {
	focus: 'networks',
	panes: {networks: emptyCursor, containers: emptyCursor, interfaces: emptyCursor},
	filtering: false,
};

const clamp = (value: number, min: number, max: number): number => Math.max(min, Math.min(max, value));

const rowIndexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/**
 * Where `id` first is in `rowIds`, or −1. The positions are found once per list and kept
 * with it: a key must not search a list that can hold 200,000 rows.
 */
export function indexOfRow(rowIds: readonly string[], id: string): number {
	let indexes = rowIndexes.get(rowIds);
	if (indexes === undefined) {
		const positions = new Map<string, number>();
		rowIds.forEach((rowId, index) => {
			if (!positions.has(rowId)) positions.set(rowId, index);
		});
		indexes = positions;
		rowIndexes.set(rowIds, indexes);
	}

	return indexes.get(id) ?? -1;
}

/** The row index a cursor points at: its id if still there, else where it was. */
export function resolveIndex(cursor: {selectedId?: string; selectedIndex: number}, rowIds: readonly string[]): number {
	if (rowIds.length === 0) return -1;
	// The common case, a selection that did not move, needs no lookup at all.
	if (cursor.selectedId !== undefined && rowIds[cursor.selectedIndex] === cursor.selectedId) return cursor.selectedIndex;
	const byId = cursor.selectedId === undefined ? -1 : indexOfRow(rowIds, cursor.selectedId);
	return byId >= 0 ? byId : clamp(cursor.selectedIndex, 0, rowIds.length - 1);
}

/** First visible row so that `index` is on screen, moving the window as little as possible. */
export function scrollToShow(scrollTop: number, index: number, viewport: number, total: number): number {
	if (viewport <= 0) return 0;
	let top = scrollTop;
	if (index < top) top = index;
	if (index >= top + viewport) top = index - viewport + 1;
	return clamp(top, 0, Math.max(0, total - viewport));
}

function moveIndex(current: number, movement: Movement, viewport: number, total: number): number {
	if (total === 0) return -1;
	if (movement === 'home') return 0;
	if (movement === 'end') return total - 1;
	const from = current < 0 ? 0 : current;
	return clamp(from + movement, 0, total - 1);
}

/** Rows one page key moves: a page minus one row of overlap, so context stays visible. */
export function pageStep(viewport: number): number {
	return Math.max(1, viewport - 1);
}

function moveCursor<T extends {selectedId?: string; selectedIndex: number; scrollTop: number}>(
	cursor: T,
	rowIds: readonly string[],
	movement: Movement,
	viewport: number,
): T {
	const index = moveIndex(resolveIndex(cursor, rowIds), movement, viewport, rowIds.length);
	if (index < 0) return cursor;
	return {
		...cursor,
		selectedId: rowIds[index],
		selectedIndex: index,
		scrollTop: scrollToShow(cursor.scrollTop, index, viewport, rowIds.length),
	};
}

function updatePane(state: UiState, pane: PaneId, change: (cursor: PaneCursor) => PaneCursor): UiState {
	const cursor = state.panes[pane];
	const next = change(cursor);
	return next === cursor ? state : {...state, panes: {...state.panes, [pane]: next}};
}

function cycleFocus(state: UiState, step: number): UiState {
	const index = paneOrder.indexOf(state.focus);
	const focus = paneOrder[(index + step + paneOrder.length) % paneOrder.length] ?? 'networks';
	return {...state, focus};
}

type FilterAction = Extract<UiAction, {type: 'typeFilter' | 'eraseFilter' | 'clearFilter'}>;

function filterPane(state: UiState, action: FilterAction): UiState {
	if (action.type === 'typeFilter') return updatePane(state, state.focus, cursor => ({...cursor, filter: cursor.filter + action.text, scrollTop: 0}));
	if (action.type === 'eraseFilter') {
		return updatePane(state, state.focus, cursor =>
			cursor.filter === '' ? cursor : {...cursor, filter: [...cursor.filter].slice(0, -1).join(''), scrollTop: 0},
		);
	}

	return {...updatePane(state, state.focus, cursor => ({...cursor, filter: '', scrollTop: 0})), filtering: false};
}

/**
 * The topology's search: every change of the query selects its first match, so Enter goes
 * to a row the user sees matching, never to one the old position happens to land on.
 */
function searchTopology(state: UiState, overlay: Extract<Overlay, {kind: 'topology'}>, action: FilterAction): UiState {
	const current = overlay.query ?? '';
	const query = action.type === 'typeFilter' ? current + action.text : action.type === 'eraseFilter' ? [...current].slice(0, -1).join('') : undefined;
	return {...state, overlay: {...overlay, selectedId: undefined, selectedIndex: 0, scrollTop: 0, query}, filtering: action.type !== 'clearFilter'};
}

export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'focus':
			return state.focus === action.pane ? state : {...state, focus: action.pane};
		case 'focusNext':
			return cycleFocus(state, 1);
		case 'focusPrevious':
			return cycleFocus(state, -1);
		case 'move':
			return updatePane(state, action.pane, cursor => moveCursor(cursor, action.rowIds, action.movement, action.viewport));
		case 'select': {
			const index = indexOfRow(action.rowIds, action.id);
			if (index < 0) return state;
			return updatePane(state, action.pane, cursor => ({
				...cursor,
				selectedId: action.id,
				selectedIndex: index,
				scrollTop: scrollToShow(cursor.scrollTop, index, action.viewport, action.rowIds.length),
			}));
		}

		case 'jumpTo': {
			const index = indexOfRow(action.allRowIds, action.id);
			if (index < 0) return state;
			const jumped = updatePane(state, action.pane, cursor => ({
				...cursor,
				filter: '',
				reveal: action.id,
				selectedId: action.id,
				selectedIndex: index,
				scrollTop: scrollToShow(cursor.scrollTop, index, action.viewport, action.allRowIds.length),
			}));
			return {...jumped, focus: action.pane, overlay: undefined, filtering: false};
		}

		case 'startFilter':
			return {...state, filtering: true};
		case 'typeFilter':
		case 'eraseFilter':
		case 'clearFilter':
			return state.overlay?.kind === 'topology' ? searchTopology(state, state.overlay, action) : filterPane(state, action);
		case 'acceptFilter':
			return {...state, filtering: false};
		case 'openOverlay':
			return {...state, overlay: action.overlay, filtering: false};
		case 'closeOverlay':
			return state.overlay ? {...state, overlay: undefined} : state;
		case 'scrollOverlay': {
			const overlay = state.overlay;
			if (!overlay || overlay.kind === 'topology') return state;
			const maxTop = Math.max(0, action.total - action.viewport);
			const target =
				action.movement === 'home' ? 0 : action.movement === 'end' ? maxTop : overlay.scrollTop + action.movement;
			const scrollTop = clamp(target, 0, maxTop);
			return scrollTop === overlay.scrollTop ? state : {...state, overlay: {...overlay, scrollTop}};
		}

		case 'moveTopology': {
			const overlay = state.overlay;
			if (overlay?.kind !== 'topology') return state;
			return {...state, overlay: moveCursor(overlay, action.rowIds, action.movement, action.viewport)};
		}

		case 'toggleGrouping':
			return {...state, grouped: !state.grouped};
		case 'toggleFold':
			return updatePane(state, action.pane, cursor => {
				const unfolded = cursor.unfolded ?? [];
				return {
					...cursor,
					unfolded: action.folded ? [...unfolded.filter(id => id !== action.id), action.id] : unfolded.filter(id => id !== action.id),
					reveal: undefined,
					selectedId: action.id,
				};
			});
		case 'toggleEventsOf': {
			const hidden = state.events?.hidden ?? [];
			const hiding = !hidden.includes(action.id);
			return {
				...state,
				events: {scrollTop: 0, hidden: hiding ? [...hidden, action.id] : hidden.filter(id => id !== action.id)},
				status: {
					text: hiding ? `Events of ${action.name} are hidden (e on it again shows them).` : `Events of ${action.name} are shown again.`,
					tone: 'info',
					serial: (state.status?.serial ?? 0) + 1,
				},
			};
		}

		case 'scrollEvents': {
			const events = state.events ?? {hidden: [], scrollTop: 0};
			const target = action.movement === 'home' ? 0 : events.scrollTop + action.movement;
			const scrollTop = clamp(target, 0, Math.max(0, action.total - 1));
			return scrollTop === events.scrollTop ? state : {...state, events: {...events, scrollTop}};
		}

		case 'status':
			return {...state, status: {text: action.text, tone: action.tone, serial: (state.status?.serial ?? 0) + 1}};
		case 'clearStatus':
			return state.status ? {...state, status: undefined} : state;
	}
}
