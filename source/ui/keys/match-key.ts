import type {Key} from 'ink';
import {keymap} from './keymap.js';
import type {Command, KeyBinding, KeyChord, KeyScope} from './keymap.js';

export function chordMatches(chord: KeyChord, input: string, key: Key): boolean {
	if ((chord.ctrl ?? false) !== key.ctrl) return false;
	if (chord.special) {
		return key[chord.special] && (chord.shift ?? false) === key.shift;
	}

	// Ink marks upper-case letters as shifted; the character itself already says so.
	return chord.input === input;
}

/** The first binding, in keymap order, that applies in one of `scopes` and matches the key. */
export function matchBinding(
	input: string,
	key: Key,
	scopes: readonly KeyScope[],
	bindings: readonly KeyBinding[] = keymap,
): KeyBinding | undefined {
	return bindings.find(
		binding =>
			binding.scopes.some(scope => scopes.includes(scope)) &&
			binding.keys.some(chord => chordMatches(chord, input, key)),
	);
}

export function matchCommand(input: string, key: Key, scopes: readonly KeyScope[]): Command | undefined {
	return matchBinding(input, key, scopes)?.command;
}

/** A key event with nothing pressed, to build others from (also used by tests). */
export const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/** Text without control characters: something typed, not a key sequence. */
export function isPrintable(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || code === 0x7f) return false;
	}

	return true;
}

const controlKeys: Record<string, Partial<Key>> = {
	'\r': {return: true},
	'\n': {return: true},
	'\t': {tab: true},
	'\u007F': {delete: true},
	'\b': {backspace: true},
};

/** One character of a chunk as the key event Ink would have reported for it alone. */
function keyOfCharacter(character: string): {input: string; key: Key} {
	const control = controlKeys[character];
	if (control) return {input: '', key: {...noKey, ...control}};
	const code = character.charCodeAt(0);
	// Ctrl-A … Ctrl-Z arrive as 0x01 … 0x1a; Ink reports them as the letter with ctrl.
	if (code >= 1 && code <= 26) return {input: String.fromCharCode(code + 96), key: {...noKey, ctrl: true}};
	return {input: character, key: {...noKey, shift: /[A-Z]/.test(character)}};
}

/**
 * Keys typed faster than the terminal is read arrive as one chunk ("jjj", "\r\r",
 * "web\r"). Split such a chunk into one key event per character so each press counts.
 * Escape sequences (arrows, Home) are left whole: Ink has already parsed those.
 */
export function splitKeys(input: string, key: Key): Array<{input: string; key: Key}> {
	if (isEscapeThenText(input, key)) {
		return [{input: '', key: {...noKey, escape: true, meta: true}}, ...splitKeys(input, {...key, meta: false})];
	}

	if (key.meta || input.length <= 1 || input.includes('\u001B')) return [{input, key}];
	return [...input].map(keyOfCharacter);
}

/**
 * Esc and the next key in one read (a fast typist, a slow link) reach Ink as Meta+key. No
 * binding uses Meta, so that is Esc followed by the key; splitting it keeps both.
 */
function isEscapeThenText(input: string, key: Key): boolean {
	const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end;
	return key.meta && !key.escape && !key.ctrl && !special && input !== '' && isPrintable(input);
}

/** Backspace: many terminals send DEL (0x7f), which Ink reports as `delete`. */
export function isErase(key: Key): boolean {
	return key.backspace || key.delete;
}
