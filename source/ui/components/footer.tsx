import {Text} from 'ink';
import React from 'react';
import {keymap} from '../keys/keymap.js';
import type {KeyBinding, KeyScope} from '../keys/keymap.js';
import {displayWidth} from '../presentation/columns.js';
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

/** Key hints for what works right now, from the same keymap that handles the keys. */
export function footerHints(scopes: readonly KeyScope[], readOnly: boolean, bindings: readonly KeyBinding[] = keymap): {local: string[]; global: string[]} {
	const shown = bindings
		.filter(binding => binding.footer && binding.scopes.some(scope => scopes.includes(scope)))
		.filter(binding => !(readOnly && binding.changesEngine));
	const hint = (binding: (typeof shown)[number]): string => `${binding.keys[0]?.display ?? ''} ${binding.label}`;
	return {
		local: shown.filter(binding => !binding.scopes.includes('global')).map(hint),
		global: shown.filter(binding => binding.scopes.includes('global')).map(hint),
	};
}

/** The hints that fit in `width`; help and quit always stay, at the end. */
export function footerText(scopes: readonly KeyScope[], readOnly: boolean, width: number, bindings: readonly KeyBinding[] = keymap): string {
	const {local, global} = footerHints(scopes, readOnly, bindings);
	const tail = global.join('  ');
	let text = '';
	for (const hint of local) {
		const next = text ? `${text}  ${hint}` : hint;
		if (displayWidth(next) + 2 + displayWidth(tail) > width) break;
		text = next;
	}

	return text ? `${text}  ${tail}` : tail;
}

export function Footer({scopes, width, readOnly, override, theme, bindings = keymap}: FooterProps) {
	const text = override ?? footerText(scopes, readOnly, width, bindings);

	return (
		<Text color={theme.color('muted')} wrap="truncate">
			{text}
		</Text>
	);
}
