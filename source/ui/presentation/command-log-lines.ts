import type {CommandEntry, CommandResult} from '../../commands/command-log.js';
import {MAX_SHOWN_LENGTH, safeText} from '../../text/safe-text.js';
import {displayWidth} from '../../view/columns.js';
import type {Tone} from '../../view/columns.js';
import {wrapText} from './wrap-text.js';
import {appendAll} from '../../model/large-arrays.js';

// The command log screen as lines: newest first, each command whole (cut into the width,
// never shortened), so what is on screen is what can be copied and run.

export interface LogLine {
	text: string;
	tone?: Tone;
	heading?: boolean;
}

const resultMarks: Record<CommandResult, {mark: string; tone: Tone}> = {
	running: {mark: '… sent', tone: 'muted'},
	ok: {mark: '✔ ok', tone: 'good'},
	failed: {mark: '✖ failed', tone: 'bad'},
	'timed out': {mark: '? timed out', tone: 'warn'},
};

// Short enough that a piece stays under the sanitizer's cut even if every character of it is
// shown as a six-character escape.
const SANITIZED_PIECE = Math.floor(MAX_SHOWN_LENGTH / 10);

const joinsPrevious = (code: number): boolean => (code >= 0xdc00 && code <= 0xdfff) || /^\p{M}$/u.test(String.fromCodePoint(code));

/**
 * The sanitizer applied to the whole text however long, piece by piece: a command on screen
 * is never shortened. Pieces never start with a combining mark or the second half of a
 * surrogate pair, so each one reads as it does within the whole.
 */
function safeWhole(text: string): string {
	if (text.length <= MAX_SHOWN_LENGTH) return safeText(text);
	let shown = '';
	let start = 0;
	while (start < text.length) {
		let end = Math.min(text.length, start + SANITIZED_PIECE);
		while (end < text.length && end > start + 1 && joinsPrevious(text.codePointAt(end) ?? 0)) end -= 1;
		shown += safeText(text.slice(start, end));
		start = end;
	}

	return shown;
}

/** Cuts text into pieces of at most `width` columns, keeping every character (spaces too). */
export function hardWrap(text: string, width: number): string[] {
	const pieces: string[] = [];
	let current = '';
	for (const character of safeWhole(text)) {
		if (current !== '' && displayWidth(current + character) > width) {
			pieces.push(current);
			current = '';
		}

		current += character;
	}

	if (current !== '' || pieces.length === 0) pieces.push(current);
	return pieces;
}

const clock = (time: number): string => new Date(time).toISOString().slice(11, 19);

export function commandLogLines(
	entries: readonly CommandEntry[],
	journal: {file?: string; problem?: string},
	width: number,
): LogLine[] {
	const lines: LogLine[] = [];
	if (journal.problem) appendAll(lines, wrapText(`Journal not written: ${journal.problem}`, width, 3).map(text => ({text, tone: 'bad' as Tone})));
	else if (journal.file) appendAll(lines, hardWrap(`Journal (every session, one JSON line per action): ${journal.file}`, width).map(text => ({text, tone: 'muted' as Tone})));
	if (entries.length === 0) {
		lines.push({text: ''}, {text: 'Nothing changed yet in this session: connect (c), disconnect (d), create (n), remove (x),'}, {text: 'prune (p) and undo (u) appear here as the docker commands they are.'});
		return lines;
	}

	for (const entry of [...entries].reverse()) {
		const result = resultMarks[entry.result];
		lines.push({text: ''});
		lines.push({text: `${clock(entry.time)}  ${result.mark}  ${safeText(entry.engine)}`, tone: result.tone, heading: true});
		const commandWidth = Math.max(10, width - 4);
		appendAll(lines, hardWrap(entry.command, commandWidth).map((piece, index) => ({text: `${index === 0 ? '  $ ' : '    '}${piece}`})));
		if (entry.detail) appendAll(lines, wrapText(entry.detail, Math.max(10, width - 4), 4).map(text => ({text: `    ${text}`, tone: result.tone})));
	}

	return lines;
}
