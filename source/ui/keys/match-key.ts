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

const noKey: Key = {
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

/**
 * Keys typed faster than the terminal is read arrive as one string ("jjj"). Split plain
 * text into one key event per character so each press counts.
 */
export function splitKeys(input: string, key: Key): Array<{input: string; key: Key}> {
	const plain = !key.ctrl && !key.meta && input.length > 1 && isPrintable(input);
	if (!plain) return [{input, key}];
	return [...input].map(character => ({
		input: character,
		key: {...noKey, shift: /[A-Z]/.test(character)},
	}));
}

/** Backspace: many terminals send DEL (0x7f), which Ink reports as `delete`. */
export function isErase(key: Key): boolean {
	return key.backspace || key.delete;
}
