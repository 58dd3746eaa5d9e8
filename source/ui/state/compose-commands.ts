import type {Command} from '../keys/keymap.js';
import type {PaneViewModel} from '../hooks/use-view-model.js';
import type {UiAction, UiState} from './ui-state.js';

// The keys of the Compose view and the events strip, as the reducer actions they are: the
// input handler sends them on without knowing what they do.

/** How far back the events strip can scroll: the events the store keeps. */
const EVENTS_KEPT = 200;

/** The action a list key stands for, or undefined when the key is not one of these. */
export function composeCommandAction(command: Command, ui: UiState, pane: PaneViewModel): UiAction | undefined {
	const selected = pane.rows[pane.selectedIndex];
	switch (command) {
		case 'groupProjects':
			return {type: 'toggleGrouping'};
		case 'fold':
			if (selected?.group === undefined) {
				return {type: 'status', tone: 'info', text: ui.grouped ? 'Only a project row folds.' : 'P groups the rows by Compose project first.'};
			}

			return {type: 'toggleFold', pane: ui.focus, id: selected.id, folded: selected.group.folded};
		case 'hideEvents':
			if (selected === undefined || selected.group !== undefined || ui.focus !== 'containers') return {type: 'status', tone: 'info', text: 'Select a container to hide its events.'};
			return {type: 'toggleEventsOf', id: selected.id, name: selected.search[0] ?? selected.id};
		case 'olderEvents':
			return {type: 'scrollEvents', movement: 1, total: EVENTS_KEPT};
		case 'newerEvents':
			return {type: 'scrollEvents', movement: -1, total: EVENTS_KEPT};
		default:
			return undefined;
	}
}
