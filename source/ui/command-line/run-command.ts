import type {EngineSnapshot} from '../../model/store.js';
import type {Command} from '../keys/keymap.js';
import type {PaneId, UiAction, UiState} from '../state/ui-state.js';
import type {PaneViewModel} from '../hooks/use-view-model.js';
import {engineRequest} from './command-requests.js';
import type {EngineRequest} from './command-requests.js';
import type {ParsedCommand} from './parse-command.js';

// What a parsed `:` command does: a screen to show, a filter to set, or an engine action
// handed to the same flows as the keys. Returns what went wrong, for the command line's hint.

export interface CommandEffects {
	ui: UiState;
	panes: Record<PaneId, PaneViewModel>;
	data: EngineSnapshot;
	readOnly: boolean;
	dispatch(action: UiAction): void;
	quit(): void;
	/** The key commands' own handler (prune, undo: the same as their keys). */
	keyCommand(command: Command): void;
	request(request: EngineRequest): void;
	/** Switches to an engine or docker context, or lists them; says what it did. */
	switchEngine(name: string | undefined): void;
}

const panesByCommand: Partial<Record<ParsedCommand['spec']['name'], PaneId>> = {networks: 'networks', containers: 'containers', host: 'interfaces'};

/** Runs the command; a string is a problem to show and the line stays open. */
export function runParsedCommand(command: ParsedCommand, effects: CommandEffects): string | undefined {
	const {dispatch} = effects;
	const {name} = command.spec;
	if (command.spec.changesEngine && effects.readOnly) return `read-only mode: :${name} is off (started with --read-only, or readOnly in the config file)`;
	const pane = panesByCommand[name];
	if (pane) {
		dispatch({type: 'closeOverlay'});
		dispatch({type: 'focus', pane});
		return undefined;
	}

	switch (name) {
		case 'topology':
			dispatch({type: 'openOverlay', overlay: {kind: 'topology', selectedIndex: 0, scrollTop: 0}});
			return undefined;
		case 'swarm':
			dispatch({type: 'openOverlay', overlay: {kind: 'swarm', scrollTop: 0}});
			return undefined;
		case 'log':
			dispatch({type: 'openOverlay', overlay: {kind: 'log', scrollTop: 0}});
			return undefined;
		case 'help':
			dispatch({type: 'openOverlay', overlay: {kind: 'help', scrollTop: 0}});
			return undefined;
		case 'quit':
			effects.quit();
			return undefined;
		case 'filter':
			// The focused pane, as `/` filters it; the words are kept (no typing mode left open).
			dispatch({type: 'closeOverlay'});
			dispatch({type: 'clearFilter'});
			if (command.positionals.length > 0) dispatch({type: 'typeFilter', text: command.positionals.join(' ')});
			return undefined;
		case 'ctx':
			effects.switchEngine(command.positionals[0]);
			return undefined;
		case 'prune':
			dispatch({type: 'closeOverlay'});
			effects.keyCommand('prune');
			return undefined;
		case 'undo':
			effects.keyCommand('undo');
			return undefined;
		default: {
			const request = engineRequest(command, effects.data);
			if (typeof request === 'string') return request;
			effects.request(request);
			return undefined;
		}
	}
}
