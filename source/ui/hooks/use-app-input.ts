import type {Key} from 'ink';
import type {Command, KeyBinding, KeyScope} from '../keys/keymap.js';
import {isErase, isPrintable, matchBinding, splitKeys} from '../keys/match-key.js';
import type {Layout} from '../layout.js';
import {pageStep, resolveIndex} from '../state/ui-state.js';
import type {Movement, Overlay, PaneId, UiAction, UiState} from '../state/ui-state.js';
import {rowIdsOf} from '../../model/list-filter.js';
import type {TopologyRow} from '../presentation/topology.js';
import {topologyViewport, visibleTopologyRows} from '../presentation/topology.js';
import {composeCommandAction} from '../state/compose-commands.js';
import {paneModels} from './use-view-model.js';
import type {PaneRows, PaneViewModel} from './use-view-model.js';

/**
 * What a key handler needs. State is read through `getUi` for every key, never captured
 * at render time: keys typed faster than React renders ("2j", "/we") must each see the
 * state the previous key produced.
 */
export interface InputContext {
	getUi(): UiState;
	allRows: PaneRows;
	layoutFor(focus: PaneId): Layout;
	readOnly: boolean;
	/** The key bindings in force: the built-in keymap with the config file's changes. */
	keymap: readonly KeyBinding[];
	/** Rows the current overlay scrolls through and how many fit. */
	overlayExtent: {total: number; viewport: number};
	/** Topology rows as of now (computed on demand: the tree may have opened this tick). */
	getTopologyRows(): readonly TopologyRow[];
	dispatch(action: UiAction): void;
	quit(): void;
	/** Commands handled outside the UI reducer (connect, topology, …). */
	onCommand?(command: Command, ui: UiState, panes: Record<PaneId, PaneViewModel>): void;
}

/** Which keymap scopes apply in the current state. */
export function activeScopes(ui: UiState): KeyScope[] {
	if (ui.overlay?.kind === 'topology') return ['global', 'topology'];
	if (ui.overlay?.kind === 'swarm') return ['global', 'overlay', 'swarm'];
	if (ui.overlay?.kind === 'log') return ['global', 'overlay', 'log'];
	if (ui.overlay?.kind === 'details') return ['global', 'overlay', 'details'];
	if (ui.overlay) return ['global', 'overlay'];
	return ['global', 'list', ui.focus];
}

const movements: Partial<Record<Command, (viewport: number) => Movement>> = {
	moveUp: () => -1,
	moveDown: () => 1,
	pageUp: viewport => -pageStep(viewport),
	pageDown: viewport => pageStep(viewport),
	home: () => 'home',
	end: () => 'end',
};

const focusTargets: Partial<Record<Command, PaneId>> = {
	focusNetworks: 'networks',
	focusContainers: 'containers',
	focusInterfaces: 'interfaces',
};

/** The rows the topology screen lists now (its search applied), their ids and how many fit. */
function topologyExtent(context: InputContext, overlay: Extract<Overlay, {kind: 'topology'}>) {
	const topologyRows = visibleTopologyRows(context.getTopologyRows(), overlay.query);
	const viewport = topologyViewport(topologyRows.length, context.layoutFor(context.getUi().focus).overlayLines);
	return {topologyRows, rowIds: rowIdsOf(topologyRows), viewport};
}

function handleFilterKey(input: string, key: Key, context: InputContext, ui: UiState): void {
	const {dispatch} = context;
	if (key.return) dispatch({type: 'acceptFilter'});
	else if (key.escape) dispatch({type: 'clearFilter'});
	else if (isErase(key)) dispatch({type: 'eraseFilter'});
	else if ((key.upArrow || key.downArrow) && ui.overlay?.kind === 'topology') {
		const {rowIds, viewport} = topologyExtent(context, ui.overlay);
		dispatch({type: 'moveTopology', rowIds, movement: key.upArrow ? -1 : 1, viewport});
	} else if (key.upArrow || key.downArrow) {
		const pane = paneModels(context.allRows, ui)[ui.focus];
		const viewport = context.layoutFor(ui.focus).panes[ui.focus].rowsVisible;
		dispatch({type: 'move', pane: ui.focus, rowIds: pane.rowIds, movement: key.upArrow ? -1 : 1, viewport});
	} else if (input === 'c' && key.ctrl) context.quit();
	else if (input && !key.ctrl && !key.meta && isPrintable(input)) dispatch({type: 'typeFilter', text: input});
}

/** Handles one key event (which may carry several typed characters). */
export function handleKey(input: string, key: Key, context: InputContext): void {
	for (const press of splitKeys(input, key)) {
		// Each press sees the state the previous one produced ("/web\r" filters, then keeps).
		const ui = context.getUi();
		if (ui.filtering && (!ui.overlay || ui.overlay.kind === 'topology')) {
			handleFilterKey(press.input, press.key, context, ui);
			continue;
		}

		const binding = matchBinding(press.input, press.key, activeScopes(ui), context.keymap);
		if (!binding) continue;
		if (context.readOnly && binding.changesEngine) {
			context.dispatch({type: 'status', tone: 'error', text: `Read-only mode: "${binding.label}" is off (--read-only, or readOnly in the config file).`});
			continue;
		}

		runCommand(binding.command, context, ui);
	}
}

function runCommand(command: Command, context: InputContext, ui: UiState): void {
	const {dispatch} = context;
	if (command === 'quit') {
		context.quit();
		return;
	}

	const layout = context.layoutFor(ui.focus);
	const panes = paneModels(context.allRows, ui);
	const overlay = ui.overlay;
	const movement = movements[command];
	if (overlay?.kind === 'topology') {
		const {topologyRows, rowIds, viewport} = topologyExtent(context, overlay);
		if (movement) {
			dispatch({type: 'moveTopology', rowIds, movement: movement(viewport), viewport});
		} else if (command === 'filter') {
			dispatch({type: 'startFilter'});
		} else if (command === 'back' && overlay.query !== undefined) {
			dispatch({type: 'clearFilter'});
		} else if (command === 'back' || command === 'topology') {
			dispatch({type: 'closeOverlay'});
		} else if (command === 'open') {
			const target = topologyRows[resolveIndex(overlay, rowIds)]?.target;
			if (target) {
				const allRowIds = rowIdsOf(context.allRows[target.pane]);
				const viewport = context.layoutFor(target.pane).panes[target.pane].rowsVisible;
				dispatch({type: 'jumpTo', pane: target.pane, allRowIds, id: target.id, viewport});
			}
		} else {
			context.onCommand?.(command, ui, panes);
		}

		return;
	}

	if (overlay) {
		if (movement) {
			const {total, viewport} = context.overlayExtent;
			dispatch({type: 'scrollOverlay', movement: movement(viewport), total, viewport});
		} else if (command === 'back' || (command === 'help' && overlay.kind === 'help') || (command === 'swarm' && overlay.kind === 'swarm') || (command === 'commandLog' && overlay.kind === 'log')) {
			dispatch({type: 'closeOverlay'});
		} else if (command === 'help') {
			dispatch({type: 'openOverlay', overlay: {kind: 'help', scrollTop: 0}});
		} else if (command === 'insideView' && overlay.kind === 'details' && overlay.pane === 'containers') {
			dispatch({type: 'openOverlay', overlay: {...overlay, scrollTop: 0, view: overlay.view === 'inside' ? undefined : 'inside'}});
		} else if (command === 'writeCommands' || command === 'openNodeEngines' || command === 'commandMode') {
			context.onCommand?.(command, ui, panes);
		}

		return;
	}

	const pane = panes[ui.focus];
	const viewport = layout.panes[ui.focus].rowsVisible;
	const focusTarget = focusTargets[command];
	const composeAction = composeCommandAction(command, ui, pane);
	if (composeAction) {
		dispatch(composeAction);
	} else if (movement) {
		dispatch({type: 'move', pane: ui.focus, rowIds: pane.rowIds, movement: movement(viewport), viewport});
	} else if (focusTarget) {
		dispatch({type: 'focus', pane: focusTarget});
	} else if (command === 'focusNext') {
		dispatch({type: 'focusNext'});
	} else if (command === 'focusPrevious') {
		dispatch({type: 'focusPrevious'});
	} else if (command === 'filter') {
		dispatch({type: 'startFilter'});
	} else if (command === 'help') {
		dispatch({type: 'openOverlay', overlay: {kind: 'help', scrollTop: 0}});
	} else if (command === 'topology') {
		dispatch({type: 'openOverlay', overlay: {kind: 'topology', selectedIndex: 0, scrollTop: 0}});
	} else if (command === 'swarm') {
		dispatch({type: 'openOverlay', overlay: {kind: 'swarm', scrollTop: 0}});
	} else if (command === 'insideView') {
		if (pane.selectedId) dispatch({type: 'openOverlay', overlay: {kind: 'details', pane: ui.focus, id: pane.selectedId, scrollTop: 0, view: 'inside'}});
	} else if (command === 'commandLog') {
		dispatch({type: 'openOverlay', overlay: {kind: 'log', scrollTop: 0}});
	} else if (command === 'open') {
		if (pane.selectedId) dispatch({type: 'openOverlay', overlay: {kind: 'details', pane: ui.focus, id: pane.selectedId, scrollTop: 0}});
	} else {
		context.onCommand?.(command, ui, panes);
	}
}
