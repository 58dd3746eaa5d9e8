import {keymap} from '../ui/keys/keymap.js';
import type {Command, KeyBinding, KeyChord, KeyScope, SpecialKey} from '../ui/keys/keymap.js';

// The config file's `keys:` section: which keys run a keymap command. Each command named
// gets exactly the keys listed (none unbinds it); the rest keep theirs. Two commands that
// would answer the same key in the same place are a conflict: the file's binding is dropped
// and the built-in one kept, so a mistake never leaves a command unreachable by surprise.

/** A binding as the file gives it: the command, its keys as written, and where. */
export interface KeyOverride {
	command: string;
	keys: ReadonlyArray<{text: string; line: number}>;
	line: number;
}

export interface KeyProblem {
	line: number;
	message: string;
}

const specialNames: Record<string, {special: SpecialKey; display: string}> = {
	up: {special: 'upArrow', display: '↑'},
	down: {special: 'downArrow', display: '↓'},
	left: {special: 'leftArrow', display: '←'},
	right: {special: 'rightArrow', display: '→'},
	pgup: {special: 'pageUp', display: 'PgUp'},
	pageup: {special: 'pageUp', display: 'PgUp'},
	pgdn: {special: 'pageDown', display: 'PgDn'},
	pagedown: {special: 'pageDown', display: 'PgDn'},
	home: {special: 'home', display: 'Home'},
	end: {special: 'end', display: 'End'},
	enter: {special: 'return', display: 'Enter'},
	return: {special: 'return', display: 'Enter'},
	esc: {special: 'escape', display: 'Esc'},
	escape: {special: 'escape', display: 'Esc'},
	tab: {special: 'tab', display: 'Tab'},
};

/**
 * A key as people write it: `x`, `X`, `:`, `space`, `ctrl-a` (or `C-a`, `Ctrl+A`), `enter`,
 * `esc`, `tab`, `shift-tab`, `up`, `pgdn`, `home`. Undefined when it is none of those.
 */
export function parseChord(text: string): KeyChord | undefined {
	if (text === 'space') return {input: ' ', display: 'Space'};
	if ([...text].length === 1) return /^[\x21-\x7e]$/.test(text) ? {input: text, display: text} : undefined;
	const lower = text.toLowerCase();
	const modifier = /^(ctrl|c|shift|s)[-+](.+)$/.exec(lower);
	if (modifier) {
		const [, which = '', rest = ''] = modifier;
		if (which === 'ctrl' || which === 'c') {
			if (/^[a-z]$/.test(rest)) return {input: rest, ctrl: true, display: `Ctrl-${rest.toUpperCase()}`};
			const named = specialNames[rest];
			return named ? {special: named.special, ctrl: true, display: `Ctrl-${named.display}`} : undefined;
		}

		const named = specialNames[rest];
		return named ? {special: named.special, shift: true, display: `Shift-${named.display}`} : undefined;
	}

	const named = specialNames[lower];
	return named ? {special: named.special, display: named.display} : undefined;
}

const commands = new Set<string>(keymap.map(binding => binding.command));

/** The scopes that are active together (see activeScopes): two bindings clash only inside one of these. */
const scopeSets: ReadonlyArray<readonly KeyScope[]> = [
	['global', 'topology'],
	['global', 'overlay', 'swarm'],
	['global', 'overlay', 'log'],
	['global', 'overlay', 'details'],
	['global', 'overlay'],
	['global', 'list', 'networks'],
	['global', 'list', 'containers'],
	['global', 'list', 'interfaces'],
];

const chordId = (chord: KeyChord): string => `${chord.special ?? chord.input ?? ''}|${chord.ctrl ?? false}|${chord.shift ?? false}`;

/** Where two bindings answer the same key: the first scope set they share it in, with the key. */
function clash(a: KeyBinding, b: KeyBinding): {chord: KeyChord; where: KeyScope} | undefined {
	for (const set of scopeSets) {
		if (!a.scopes.some(scope => set.includes(scope)) || !b.scopes.some(scope => set.includes(scope))) continue;
		const chord = a.keys.find(key => b.keys.some(other => chordId(other) === chordId(key)));
		if (chord) return {chord, where: set.at(-1) ?? 'global'};
	}

	return undefined;
}

export interface AppliedKeys {
	keymap: readonly KeyBinding[];
	problems: KeyProblem[];
	/** The commands whose keys the file changed, as applied. */
	rebound: readonly Command[];
}

/** The built-in keymap with the file's bindings, each checked; problems carry the file's line. */
export function applyKeyOverrides(overrides: readonly KeyOverride[], base: readonly KeyBinding[] = keymap): AppliedKeys {
	const problems: KeyProblem[] = [];
	const wanted = new Map<Command, {keys: KeyChord[]; line: number}>();
	for (const override of overrides) {
		if (!commands.has(override.command)) {
			problems.push({line: override.line, message: `keys: "${override.command}" is not a command (${[...commands].join(', ')})`});
			continue;
		}

		const chords: KeyChord[] = [];
		for (const key of override.keys) {
			const chord = parseChord(key.text);
			if (chord) chords.push(chord);
			else problems.push({line: key.line, message: `keys.${override.command}: "${key.text}" is not a key (x, X, ctrl-a, enter, esc, tab, shift-tab, up, pgdn, home, space, …)`});
		}

		if (chords.length === override.keys.length) wanted.set(override.command as Command, {keys: chords, line: override.line});
	}

	// Nothing rebound: the built-in table itself, so the app sees the very same keymap.
	const build = (): readonly KeyBinding[] => wanted.size === 0 ? base : base.map(binding => {
		const change = wanted.get(binding.command);
		return change ? {...binding, keys: change.keys} : binding;
	});
	let bindings = build();
	// A clash drops the file's binding for the command it gave; re-check, as the built-in keys return.
	for (let round = 0; round <= overrides.length; round++) {
		const dropped = new Set<Command>();
		for (const [index, binding] of bindings.entries()) {
			for (const other of bindings.slice(index + 1)) {
				const found = clash(binding, other);
				if (!found) continue;
				const blamed = [binding, other].filter(item => wanted.has(item.command) && !dropped.has(item.command));
				for (const item of blamed) {
					const rival = item === binding ? other : binding;
					problems.push({line: wanted.get(item.command)?.line ?? 0, message: `keys.${item.command}: ${found.chord.display} is ${rival.command}'s key too (${found.where}); ${item.command} keeps its built-in keys`});
					dropped.add(item.command);
				}
			}
		}

		if (dropped.size === 0) break;
		for (const command of dropped) wanted.delete(command);
		bindings = build();
	}

	return {keymap: bindings, problems, rebound: [...wanted.keys()]};
}
