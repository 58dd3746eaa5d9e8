import type {Key} from 'ink';
import type {EngineSnapshot} from '../../model/store.js';
import type {AppServices} from '../app-context.js';
import type {Command, KeyBinding} from '../keys/keymap.js';
import {isErase, isPrintable, matchBinding, splitKeys} from '../keys/match-key.js';
import type {Layout} from '../layout.js';
import type {ScreenExtent} from '../screens/screen.js';
import {activeScopes, screenOf, screenOpeners} from '../screens/screen-registry.js';
import {composeCommandAction} from '../state/compose-commands.js';
import {movements} from '../keys/movements.js';
import type {PaneId, UiAction, UiState} from '../state/ui-state.js';
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
	/** Rows the open screen scrolls through and how many fit, as it last said. */
	screenExtent(): ScreenExtent;
	/** The picture as of this key, made safe to show. */
	snapshot(): EngineSnapshot;
	services: AppServices;
	dispatch(action: UiAction): void;
	quit(): void;
	/** Commands handled outside the UI reducer (the flows, the command line, …). */
	onCommand?(command: Command, ui: UiState, panes: Record<PaneId, PaneViewModel>): void;
}


const focusTargets: Partial<Record<Command, PaneId>> = {
	focusNetworks: 'networks',
	focusContainers: 'containers',
	focusInterfaces: 'interfaces',
};

function handleFilterKey(input: string, key: Key, context: InputContext, ui: UiState): void {
	const {dispatch} = context;
	if (key.return) dispatch({type: 'acceptFilter'});
	else if (key.escape) dispatch({type: 'clearFilter'});
	else if (isErase(key)) dispatch({type: 'eraseFilter'});
	else if ((key.upArrow || key.downArrow) && ui.overlay) {
		screenOf(ui.overlay).handleCommand?.(key.upArrow ? 'moveUp' : 'moveDown', ui.overlay, screenKeys(context, ui));
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
		if (ui.filtering && (!ui.overlay || screenOf(ui.overlay).searchable)) {
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

const screenKeys = (context: InputContext, ui: UiState) => ({
	dispatch: context.dispatch,
	layoutFor: context.layoutFor,
	allRows: context.allRows,
	ui,
	services: context.services,
	snapshot: context.snapshot,
});

function runCommand(command: Command, context: InputContext, ui: UiState): void {
	const {dispatch} = context;
	if (command === 'quit') {
		context.quit();
		return;
	}

	const panes = paneModels(context.allRows, ui);
	const movement = movements[command];
	const {overlay} = ui;
	if (overlay) {
		const screen = screenOf(overlay);
		if (screen.handleCommand?.(command, overlay, screenKeys(context, ui))) return;
		if (movement) {
			const {total, viewport} = context.screenExtent();
			dispatch({type: 'scrollOverlay', movement: movement(viewport), total, viewport});
		} else if (command === 'back' || command === screen.closesWith) {
			dispatch({type: 'closeOverlay'});
		} else if (command === 'help') {
			dispatch({type: 'openOverlay', overlay: {kind: 'help', scrollTop: 0}});
		} else {
			context.onCommand?.(command, ui, panes);
		}

		return;
	}

	const pane = panes[ui.focus];
	const viewport = context.layoutFor(ui.focus).panes[ui.focus].rowsVisible;
	const focusTarget = focusTargets[command];
	const opener = screenOpeners.find(candidate => candidate.command === command);
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
	} else if (opener) {
		const opened = opener.open(ui, panes);
		if (opened) dispatch({type: 'openOverlay', overlay: opened});
	} else {
		context.onCommand?.(command, ui, panes);
	}
}
