import {commonPrefix, completionsAt, quoteArgument} from './complete-command.js';
import type {CompletionSources} from './complete-command.js';

// The `:` line as a pure reducer: what is typed, the history ↑ and ↓ walk through, and the
// candidates Tab cycles through. History lasts the session and survives closing the line.

export interface CommandLineState {
	open: boolean;
	text: string;
	/** Lines run before, oldest first. */
	history: readonly string[];
	/** Where ↑/↓ are in the history; undefined while editing a new line. */
	historyIndex?: number;
	/** The line being typed before ↑ was pressed, given back by ↓ at the end. */
	draft?: string;
	/** Tab's candidates and which one the line shows; any other key ends the cycle. */
	cycle?: {head: string; candidates: readonly string[]; index: number};
	/** One line of help beside the text: candidates, or why nothing completes. */
	hint?: string;
}

export type CommandLineAction =
	| {type: 'open'; text?: string}
	| {type: 'close'}
	| {type: 'type'; text: string}
	| {type: 'erase'}
	| {type: 'eraseWord'}
	| {type: 'clear'}
	| {type: 'history'; step: -1 | 1}
	| {type: 'complete'; sources: CompletionSources; step?: 1 | -1}
	/** Enter: the line goes into the history (once, not twice in a row) and the line closes. */
	| {type: 'ran'; text: string}
	/** The line was not run (it does not parse): it stays open with the reason. */
	| {type: 'rejected'; hint: string};

export const closedCommandLine: CommandLineState = {open: false, text: '', history: []};

const HISTORY_LIMIT = 100;
const CANDIDATES_SHOWN = 8;

const edited = (state: CommandLineState, text: string): CommandLineState => ({...state, text, historyIndex: undefined, cycle: undefined, hint: undefined});

function candidatesHint(candidates: readonly string[], index?: number): string {
	const shown = candidates.slice(0, CANDIDATES_SHOWN).map((candidate, position) => (position === index ? `[${candidate}]` : candidate));
	return `${shown.join(' ')}${candidates.length > CANDIDATES_SHOWN ? ` … ${candidates.length - CANDIDATES_SHOWN} more` : ''}`;
}

function complete(state: CommandLineState, sources: CompletionSources, step: 1 | -1): CommandLineState {
	const cycle = state.cycle;
	if (cycle && cycle.candidates.length > 1) {
		const index = (cycle.index + step + cycle.candidates.length) % cycle.candidates.length;
		const text = `${cycle.head}${quoteArgument(cycle.candidates[index] ?? '')}`;
		return {...state, text, cycle: {...cycle, index}, hint: candidatesHint(cycle.candidates, index)};
	}

	const {head, typed, candidates} = completionsAt(state.text, sources);
	if (candidates.length === 0) return {...state, cycle: undefined, hint: typed === '' ? 'nothing to complete here' : `nothing starts with "${typed}"`};
	if (candidates.length === 1) return {...edited(state, `${head}${quoteArgument(candidates[0] ?? '')} `)};
	const shared = commonPrefix(candidates);
	if (shared.length > typed.length) return {...edited(state, `${head}${quoteArgument(shared)}`), hint: candidatesHint(candidates)};
	// Nothing more in common: Tab now steps through them, the line showing each in turn.
	return {...state, text: `${head}${quoteArgument(candidates[0] ?? '')}`, historyIndex: undefined, cycle: {head, candidates, index: 0}, hint: candidatesHint(candidates, 0)};
}

function walkHistory(state: CommandLineState, step: -1 | 1): CommandLineState {
	const {history} = state;
	if (history.length === 0) return {...state, hint: 'no earlier commands in this session'};
	const from = state.historyIndex ?? history.length;
	const index = Math.max(0, Math.min(history.length, from + step));
	if (index === history.length) return {...state, text: state.draft ?? '', historyIndex: undefined, draft: undefined, cycle: undefined, hint: undefined};
	return {...state, text: history[index] ?? '', historyIndex: index, draft: state.historyIndex === undefined ? state.text : state.draft, cycle: undefined, hint: undefined};
}

export function commandLineReducer(state: CommandLineState, action: CommandLineAction): CommandLineState {
	switch (action.type) {
		case 'open':
			return {...state, open: true, text: action.text ?? '', historyIndex: undefined, draft: undefined, cycle: undefined, hint: undefined};
		case 'close':
			return state.open ? {...state, open: false, text: '', historyIndex: undefined, draft: undefined, cycle: undefined, hint: undefined} : state;
		case 'type':
			return edited(state, state.text + action.text);
		case 'erase':
			return edited(state, [...state.text].slice(0, -1).join(''));
		case 'eraseWord':
			return edited(state, state.text.replace(/\S*\s*$/, ''));
		case 'clear':
			return edited(state, '');
		case 'history':
			return walkHistory(state, action.step);
		case 'complete':
			return complete(state, action.sources, action.step ?? 1);
		case 'ran': {
			const text = action.text.trim();
			const history = text === '' || state.history.at(-1) === text ? state.history : [...state.history, text].slice(-HISTORY_LIMIT);
			return {...closedCommandLine, history};
		}

		case 'rejected':
			return {...state, cycle: undefined, hint: action.hint};
	}
}
