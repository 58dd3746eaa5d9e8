import type {Key} from 'ink';
import {useCallback, useReducer, useRef} from 'react';
import {isErase, isPrintable} from '../keys/match-key.js';
import type {DialogKeys} from '../hooks/use-dialog-input.js';
import {closedCommandLine, commandLineReducer} from './command-line-state.js';
import type {CommandLineAction, CommandLineState} from './command-line-state.js';
import type {CompletionSources} from './complete-command.js';
import {parseCommand} from './parse-command.js';
import {runParsedCommand} from './run-command.js';
import type {CommandEffects} from './run-command.js';

// The `:` line's keys: typing, Tab, ↑ ↓ through the history, Enter runs, Esc (or Backspace
// on an empty line) closes. While it is open it takes every key, as a dialog does.

export interface CommandLineUi extends DialogKeys {
	state: CommandLineState;
	open(): void;
}

export interface CommandLineOptions {
	/** Read at Enter: the state the command acts on is the one of that moment. */
	effects(): CommandEffects;
	/** Read at Tab: the names to offer. */
	sources(): CompletionSources;
}

export function useCommandLine(options: CommandLineOptions): CommandLineUi {
	const [state, dispatchToReact] = useReducer(commandLineReducer, closedCommandLine);
	// As the app's own reducer: applied here too, so keys typed before a render see each other.
	const latest = useRef(state);
	const dispatch = useCallback((action: CommandLineAction) => {
		latest.current = commandLineReducer(latest.current, action);
		dispatchToReact(action);
	}, []);

	const run = (text: string): void => {
		const parsed = parseCommand(text);
		if (!parsed.ok) {
			dispatch({type: 'rejected', hint: parsed.error});
			return;
		}

		const problem = runParsedCommand(parsed.command, options.effects());
		dispatch(problem === undefined ? {type: 'ran', text} : {type: 'rejected', hint: problem});
	};

	const handleKey = (input: string, key: Key): void => {
		const current = latest.current;
		if (!current.open) return;
		if (key.ctrl && input === 'c') options.effects().quit();
		else if (key.escape) dispatch({type: 'close'});
		else if (key.return) run(current.text);
		else if (key.tab) dispatch({type: 'complete', sources: options.sources(), step: key.shift ? -1 : 1});
		else if (key.upArrow) dispatch({type: 'history', step: -1});
		else if (key.downArrow) dispatch({type: 'history', step: 1});
		else if (isErase(key)) dispatch(current.text === '' ? {type: 'close'} : {type: 'erase'});
		else if (key.ctrl && input === 'u') dispatch({type: 'clear'});
		else if (key.ctrl && input === 'w') dispatch({type: 'eraseWord'});
		else if (input !== '' && !key.ctrl && !key.meta && isPrintable(input)) dispatch({type: 'type', text: input});
	};

	return {
		state,
		open: () => dispatch({type: 'open'}),
		isOpen: () => latest.current.open,
		handleKey,
	};
}
