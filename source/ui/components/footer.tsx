import {Text} from 'ink';
import React from 'react';
import {keymap} from '../keys/keymap.js';
import type {KeyBinding, KeyScope} from '../keys/keymap.js';
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
}

function shownBindings(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[]): KeyBinding[] {
	return bindings
		.filter(binding => binding.footer && binding.scopes.some(scope => scopes.includes(scope)))
		.filter(binding => !(readOnly && binding.changesEngine));
}

/** Key hints for what works right now, from the same keymap that handles the keys; the focused pane's own keys first. */
export function footerHints(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[] = keymap): {local: string[]; global: string[]} {
	const {local, global} = hintsOf(scopes, readOnly, bindings);
	const text = (hint: Hint): string => `${hint.key} ${hint.label}`;
	return {local: local.map(text), global: global.map(text)};
}

function hintsOf(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[]): {local: Hint[]; global: Hint[]} {
	const shown = shownBindings(scopes, readOnly, bindings);
	const hint = (binding: KeyBinding): Hint => ({key: binding.keys[0]?.display ?? '', label: binding.label});
	const own = (binding: KeyBinding): boolean => binding.scopes.some(scope => paneScopes.has(scope) && scopes.includes(scope));
	const local = shown.filter(binding => !binding.scopes.includes('global'));
	return {
		local: [...local.filter(own), ...local.filter(binding => !own(binding))].map(hint),
		global: shown.filter(binding => binding.scopes.includes('global')).map(hint),
	};
}

/**
 * The hints that fit in `width`; help and quit always stay, at the end. Where not all fit
 * with their words, the first ones keep them and the rest are listed by key alone, so no key
 * that works is missing from the footer.
 */
export function footerText(scopes: readonly KeyScope[], readOnly: boolean, width: number, bindings: readonly KeyBinding[] = keymap): string {
	const {local, global} = hintsOf(scopes, readOnly, bindings);
	const tail = global.map(hint => `${hint.key} ${hint.label}`).join('  ');
	for (let named = local.length; named >= 0; named--) {
		const words = local.slice(0, named).map(hint => `${hint.key} ${hint.label}`);
		const bare = local.slice(named).map(hint => hint.key).join(' ');
		const text = [...words, ...(bare === '' ? [] : [`· ${bare}`]), tail].join('  ');
		if (displayWidth(text) <= width) return text;
	}

	return tail;
}

export function Footer({scopes, width, readOnly, override, theme, bindings = keymap}: FooterProps) {
	const text = override ?? footerText(scopes, readOnly, width, bindings);

	return (
		<Text color={theme.color('muted')} wrap="truncate">
			{text}
		</Text>
	);
}
