import {useInput} from 'ink';
import type {Key} from 'ink';
import type {Dispatch} from 'react';
import type {Command, KeyScope} from '../keys/keymap.js';
import {isErase, isPrintable, matchBinding, splitKeys} from '../keys/match-key.js';
import type {Layout} from '../layout.js';
import {pageStep} from '../state/ui-state.js';
import type {Movement, PaneId, UiAction, UiState} from '../state/ui-state.js';
import type {ViewModel} from './use-view-model.js';

export interface InputContext {
	ui: UiState;
	view: ViewModel;
	layout: Layout;
	readOnly: boolean;
	/** Rows the current overlay scrolls through and how many fit. */
	overlayExtent: {total: number; viewport: number};
	/** Topology rows, when the topology overlay is open. */
	topologyRowIds: readonly string[];
	dispatch: Dispatch<UiAction>;
	quit(): void;
	/** Commands this hook does not handle itself (connect, open topology item, …). */
	onCommand?(command: Command): void;
}

/** Which keymap scopes apply in the current state. */
export function activeScopes(ui: UiState): KeyScope[] {
	if (ui.overlay?.kind === 'topology') return ['global', 'topology'];
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

/** Handles one key press; exported so tests can drive it without a terminal. */
export function handleKey(input: string, key: Key, context: InputContext): void {
	const {ui, view, layout, dispatch} = context;
	if (ui.filtering && !ui.overlay) {
		if (key.return) dispatch({type: 'acceptFilter'});
		else if (key.escape) dispatch({type: 'clearFilter'});
		else if (isErase(key)) dispatch({type: 'eraseFilter'});
		else if (key.upArrow || key.downArrow) {
			const pane = view.panes[ui.focus];
			dispatch({type: 'move', pane: ui.focus, rowIds: pane.rowIds, movement: key.upArrow ? -1 : 1, viewport: layout.panes[ui.focus].rowsVisible});
		} else if (input && !key.ctrl && !key.meta && isPrintable(input)) {
			dispatch({type: 'typeFilter', text: input});
		} else if (input === 'c' && key.ctrl) context.quit();
		return;
	}

	const presses = splitKeys(input, key);
	for (const [index, press] of presses.entries()) {
		const binding = matchBinding(press.input, press.key, activeScopes(ui));
		if (!binding) continue;
		if (binding.command === 'filter' && !ui.overlay) {
			// "/abc" typed faster than a render: what follows the slash is the filter.
			dispatch({type: 'startFilter'});
			const rest = presses.slice(index + 1).map(next => next.input).join('');
			if (rest) dispatch({type: 'typeFilter', text: rest});
			return;
		}

		if (context.readOnly && binding.changesEngine) {
			dispatch({type: 'status', tone: 'error', text: `Read-only mode: "${binding.label}" is off (started with --read-only).`});
			continue;
		}

		runCommand(binding.command, context);
	}
}

function runCommand(command: Command, context: InputContext): void {
	const {ui, view, layout, dispatch} = context;
	if (command === 'quit') {
		context.quit();
		return;
	}

	const overlay = ui.overlay;
	const movement = movements[command];
	if (overlay?.kind === 'topology') {
		if (movement) {
			const viewport = layout.overlayLines - 1;
			dispatch({type: 'moveTopology', rowIds: context.topologyRowIds, movement: movement(viewport), viewport});
		} else if (command === 'back') {
			dispatch({type: 'closeOverlay'});
		} else {
			context.onCommand?.(command);
		}

		return;
	}

	if (overlay) {
		if (movement) {
			const {total, viewport} = context.overlayExtent;
			dispatch({type: 'scrollOverlay', movement: movement(viewport), total, viewport});
		} else if (command === 'back' || (command === 'help' && overlay.kind === 'help')) {
			dispatch({type: 'closeOverlay'});
		} else if (command === 'help') {
			dispatch({type: 'openOverlay', overlay: {kind: 'help', scrollTop: 0}});
		}

		return;
	}

	const pane = view.panes[ui.focus];
	const viewport = layout.panes[ui.focus].rowsVisible;
	const focusTarget = focusTargets[command];
	if (movement) {
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
	} else if (command === 'open') {
		if (pane.selectedId) dispatch({type: 'openOverlay', overlay: {kind: 'details', pane: ui.focus, id: pane.selectedId, scrollTop: 0}});
	} else {
		context.onCommand?.(command);
	}
}

export function useAppInput(context: InputContext, isActive: boolean): void {
	useInput((input, key) => handleKey(input, key, context), {isActive});
}
