import {Text} from 'ink';
import React from 'react';
import {keymap} from '../keys/keymap.js';
import type {KeyBinding, KeyScope} from '../keys/keymap.js';
import type {Command} from '../keys/keymap.js';
import {displayWidth} from '../../view/columns.js';
import type {Theme} from '../theme.js';

export interface FooterProps {
	scopes: readonly KeyScope[];
	width: number;
	readOnly: boolean;
	/** Replaces the key hints, e.g. while a filter is typed. */
	override?: string;
	theme: Theme;
	/** The key bindings in force (the config file may change the built-in ones). */
	bindings?: readonly KeyBinding[];
}

const paneScopes: ReadonlySet<KeyScope> = new Set(['networks', 'containers', 'interfaces', 'details', 'topology', 'swarm', 'log']);

interface Hint {
	key: string;
	label: string;
	/** The footer's word where the full label does not fit. */
	short: string;
}

/** Shorter words for the longer labels, so more keys keep a word at 80 columns. */
const shortWords: Partial<Record<Command, string>> = {
	connect: 'conn',
	disconnect: 'disc',
	forceDisconnect: 'force',
	removeNetwork: 'rm',
	groupProjects: 'proj',
	hideEvents: 'hide',
	insideView: 'in',
	commandLog: 'log',
	topology: 'topo',
	focusNext: 'next',
	open: 'info',
	nextHost: 'host',
	writeCommands: 'script',
	commandMode: 'cmd',
};

function shownBindings(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[]): KeyBinding[] {
	return bindings
		.filter(binding => binding.footer && binding.scopes.some(scope => scopes.includes(scope)))
		.filter(binding => !(readOnly && binding.changesEngine));
}

/** Key hints for what works right now, from the same keymap that handles the keys; the focused pane's own keys first. */
export function footerHints(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[] = keymap): {local: string[]; global: string[]} {
	const {own, other, global} = hintsOf(scopes, readOnly, bindings);
	const text = (hint: Hint): string => `${hint.key} ${hint.label}`;
	return {local: [...own, ...other].map(text), global: global.map(text)};
}

function hintsOf(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[]): {own: Hint[]; other: Hint[]; global: Hint[]} {
	const shown = shownBindings(scopes, readOnly, bindings);
	const hint = (binding: KeyBinding): Hint => {
		const label = binding.label;
		// A label the config file changed keeps its own words.
		const builtIn = keymap.find(item => item.command === binding.command)?.label === label;
		return {key: binding.keys[0]?.display ?? '', label, short: (builtIn ? shortWords[binding.command] : undefined) ?? label};
	};

	const isOwn = (binding: KeyBinding): boolean => binding.scopes.some(scope => paneScopes.has(scope) && scopes.includes(scope));
	const local = shown.filter(binding => !binding.scopes.includes('global'));
	return {
		own: local.filter(isOwn).map(hint),
		other: local.filter(binding => !isOwn(binding)).map(hint),
		global: shown.filter(binding => binding.scopes.includes('global')).map(hint),
	};
}

type Wording = 'full' | 'short' | 'bare';

/** The footer line and its width, summed from its parts (each measured once, see displayWidth). */
function line(hints: ReadonlyArray<{hint: Hint; wording: Wording}>, tail: readonly Hint[], tailWording: Wording): {text: string; width: number} {
	const worded = (hint: Hint, wording: Wording): string => `${hint.key} ${wording === 'short' ? hint.short : hint.label}`;
	const words = hints.filter(item => item.wording !== 'bare').map(item => worded(item.hint, item.wording));
	const bare = hints.filter(item => item.wording === 'bare').map(item => item.hint.key).join(' ');
	const parts = [...words, ...(bare === '' ? [] : [`· ${bare}`]), ...tail.map(hint => worded(hint, tailWording))];
	const width = parts.reduce((sum, part) => sum + displayWidth(part), 0) + 2 * Math.max(0, parts.length - 1);
	return {text: parts.join('  '), width};
}

/**
 * The hints that fit in `width`; help and quit always stay, at the end. Where not all fit
 * with their words, the focused pane's own keys keep a word (a shorter one first, then the
 * first of them only) and the rest are listed by key alone, so no key that works is missing.
 */
export function footerText(scopes: readonly KeyScope[], readOnly: boolean, width: number, bindings: readonly KeyBinding[] = keymap): string {
	// Every render draws the footer, and fitting it measures many candidate lines: the answer
	// depends on these inputs only, so each is worked out once.
	let known = fittedFooters.get(bindings);
	if (!known) {
		known = new Map();
		fittedFooters.set(bindings, known);
	}

	const key = `${scopes.join(' ')}|${readOnly}|${width}`;
	const cached = known.get(key);
	if (cached !== undefined) return cached;
	const text = fitFooter(scopes, readOnly, width, bindings);
	// Terminal resizes and scope sets are few; the bound only guards a long session of resizes.
	if (known.size >= 256) known.clear();
	known.set(key, text);
	return text;
}

const fittedFooters = new WeakMap<readonly KeyBinding[], Map<string, string>>();

function fitFooter(scopes: readonly KeyScope[], readOnly: boolean, width: number, bindings: readonly KeyBinding[]): string {
	const {own, other, global} = hintsOf(scopes, readOnly, bindings);
	const everything = line([...own, ...other].map(hint => ({hint, wording: 'full' as const})), global, 'full');
	if (everything.width <= width) return everything.text;
	// The pane's own keys first, then the keys every pane has.
	const ranked = [...own, ...other];
	for (let worded = ranked.length; worded >= 0; worded--) {
		for (let full = worded; full >= 0; full--) {
			const hints = ranked.map((hint, index) => ({hint, wording: (index < full ? 'full' : index < worded ? 'short' : 'bare') as Wording}));
			for (const tailWording of ['full', 'short'] as const) {
				const fitted = line(hints, global, tailWording);
				if (fitted.width <= width) return fitted.text;
			}
		}
	}

	return line([], global, 'short').text;
}

export function Footer({scopes, width, readOnly, override, theme, bindings = keymap}: FooterProps) {
	const text = override ?? footerText(scopes, readOnly, width, bindings);

	return (
		<Text color={theme.color('muted')} wrap="truncate">
			{text}
		</Text>
	);
}
