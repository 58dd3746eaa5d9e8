import {useMemo, useSyncExternalStore} from 'react';
import type {CommandEntry, CommandLogService} from '../../commands/command-log.js';
import {useAppServices} from '../app-context.js';
import {commandLogLines} from '../presentation/command-log-lines.js';
import type {LogLine} from '../presentation/command-log-lines.js';
import type {UiAction} from '../state/ui-state.js';

const noEntries: readonly CommandEntry[] = [];
const noSubscription = (): (() => void) => () => undefined;

export interface CommandLogScreen {
	lines: readonly LogLine[];
	/** `y`: writes the session's script; the status line says where, or why not. */
	writeScript(): UiAction;
}

/** The command log's lines while its screen is open (undefined otherwise). */
export function useCommandLog(open: boolean, width: number): CommandLogScreen | undefined {
	const {commands} = useAppServices();
	const entries = useSyncExternalStore(commands?.log.subscribe ?? noSubscription, commands?.log.entries ?? (() => noEntries));
	const problem = commands?.journalProblem();
	const lines = useMemo(
		() => (open ? commandLogLines(entries, {file: commands?.journalFile, problem}, width) : undefined),
		[open, entries, commands, problem, width],
	);
	if (!lines) return undefined;
	return {lines, writeScript: () => writeScriptAction(commands)};
}

/** `y`: writes the session's commands as a script; says where, or why not. */
export function writeScriptAction(commands: CommandLogService | undefined): UiAction {
	if (!commands) return {type: 'status', tone: 'info', text: 'No command log in this session.'};
	if (commands.log.entries().length === 0) return {type: 'status', tone: 'info', text: 'Nothing to write: no command was sent in this session yet.'};
	try {
		return {type: 'status', tone: 'success', text: `Wrote ${commands.log.entries().length} command(s) to ${commands.writeScript()}`};
	} catch (error) {
		return {type: 'status', tone: 'error', text: `Could not write the script: ${error instanceof Error ? error.message : String(error)}`};
	}
}
