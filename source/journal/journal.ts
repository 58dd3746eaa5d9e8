import path from 'node:path';
import {CommandLog} from '../commands/command-log.js';
import type {CommandEntry, CommandLogService} from '../commands/command-log.js';
import {appendPrivateFile, createPrivateFile, privateDirectory} from '../runtime/private-files.js';
import {safeText} from '../text/safe-text.js';

// The command log on disk. The journal keeps one JSON line per finished action, across
// sessions, so nothing docknet did is ever unknown (`jq -r .command` gives the commands);
// a script file is what `y` in the log view writes: this session's commands, runnable.
// Both go only into a directory of docknet's own, and never through a symbolic link or into
// someone else's file (runtime/private-files.ts): docknet often runs as root, and a state
// directory another user could change would let them point root's writes anywhere.

/** $XDG_STATE_HOME/docknet, or ~/.local/state/docknet (XDG: a relative value is ignored). */
export function stateDirectory(env: NodeJS.ProcessEnv, homeDir: string): string {
	const configured = env['XDG_STATE_HOME'];
	const base = configured && path.isAbsolute(configured) ? configured : path.join(homeDir, '.local', 'state');
	return path.join(base, 'docknet');
}

export interface Journal {
	readonly file: string;
	/** Why the last write failed; undefined while all is well. */
	problem(): string | undefined;
	append(entry: CommandEntry): void;
}

// JSON.stringify escapes C0 controls but writes DEL, C1 controls (U+009B is a CSI to some
// terminals), bidi and other format characters and the line separators as they are:
// `cat journal.jsonl` must not act on the terminal either. The escapes parse back the same.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const rawInJson = /[\u007f-\u009f\u2028\u2029]|\p{Cf}/gu;
const jsonEscape = (character: string): string =>
	Array.from({length: character.length}, (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`).join('');

export function journalLine(entry: CommandEntry): string {
	return JSON.stringify({
		time: new Date(entry.time).toISOString(),
		engine: entry.engine,
		result: entry.result,
		command: entry.command,
		argv: entry.argv,
		...(entry.detail === undefined ? {} : {detail: entry.detail}),
	}).replace(rawInJson, jsonEscape);
}

const journalName = 'journal.jsonl';

/** The directory, made if need be, when docknet may write there; else why not. */
function ownStateDirectory(directory: string): {directory: string} | {problem: string} {
	const place = privateDirectory(directory, {create: true});
	return place.state === 'private' ? {directory: place.directory} : {problem: place.state === 'absent' ? `${directory} is missing` : place.problem};
}

export function openJournal(directory: string): Journal {
	const file = path.join(directory, journalName);
	// A directory docknet will not use is named before the first action too (the log view shows it).
	const found = privateDirectory(directory, {create: false});
	let problem = found.state === 'refused' ? `${found.problem}: nothing is written there` : undefined;
	return {
		file,
		problem: () => problem,
		append(entry) {
			const place = ownStateDirectory(directory);
			if ('problem' in place) {
				problem = `${place.problem}: nothing is written there`;
				return;
			}

			// JSON escapes newlines: one action is always exactly one line.
			problem = appendPrivateFile(path.join(place.directory, journalName), `${journalLine(entry)}\n`);
		},
	};
}

/** A comment line: whatever the engine said, on one line and harmless to a terminal. */
const comment = (text: string): string => `# ${safeText(text)}`;

/**
 * This session's commands as a shell script; failed ones are kept as comments. It names bash:
 * a name with a control character is quoted as $'…' (docker-command.ts), which bash and zsh
 * read as the name but dash, Debian's /bin/sh, reads as "$" and a literal. `sh -n` still
 * passes: to any POSIX shell it is valid syntax.
 */
export function sessionScript(entries: readonly CommandEntry[], written: Date): string {
	const lines = [
		'#!/bin/bash',
		comment(`docknet: the commands of one session, written ${written.toISOString()}`),
		comment("bash, not sh: names with control characters are quoted as $'…', which dash does not read"),
	];
	for (const entry of entries) {
		const when = new Date(entry.time).toISOString();
		lines.push(comment(`${when} on ${entry.engine}: ${entry.result}${entry.detail ? ` — ${entry.detail}` : ''}`));
		lines.push(entry.result === 'ok' ? entry.command : comment(entry.command));
	}

	return `${lines.join('\n')}\n`;
}

/**
 * Writes the script next to the journal, always as a new file (a second one within the same
 * second gets `-2`); returns its path. Throws with a readable message.
 */
export function writeSessionScript(directory: string, entries: readonly CommandEntry[], now = new Date()): string {
	const place = ownStateDirectory(directory);
	if ('problem' in place) throw new Error(`${place.problem}: nothing is written there`);
	const stamp = now.toISOString().replaceAll(':', '').replace(/\.\d+Z$/, 'Z');
	const text = sessionScript(entries, now);
	for (let attempt = 1; ; attempt++) {
		const file = path.join(place.directory, `commands-${stamp}${attempt === 1 ? '' : `-${attempt}`}.sh`);
		try {
			createPrivateFile(file, text, 0o700);
			return file;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
		}
	}
}

/** The log, its journal and the script writer, as AppServices carries them. */
export function createCommandLogService(directory: string): CommandLogService {
	const journal = openJournal(directory);
	const log = new CommandLog({onFinished: entry => journal.append(entry)});
	return {
		log,
		journalFile: journal.file,
		journalProblem: journal.problem,
		writeScript: () => writeSessionScript(directory, log.entries()),
	};
}
