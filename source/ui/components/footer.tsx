import {Text} from 'ink';
import React from 'react';
import {keymap} from '../keys/keymap.js';
import type {KeyScope} from '../keys/keymap.js';
import {displayWidth} from '../presentation/columns.js';
import type {Theme} from '../theme.js';

export interface FooterProps {
	scopes: readonly KeyScope[];
	width: number;
	readOnly: boolean;
	/** Replaces the key hints, e.g. while a filter is typed. */
	override?: string;
	theme: Theme;
}

/** Key hints for what works right now, from the same keymap that handles the keys. */
export function footerHints(scopes: readonly KeyScope[], readOnly: boolean): string[] {
	return keymap
		.filter(binding => binding.footer && binding.scopes.some(scope => scopes.includes(scope)))
		.filter(binding => !(readOnly && binding.changesEngine))
		.map(binding => `${binding.keys[0]?.display ?? ''} ${binding.label}`);
}

export function Footer({scopes, width, readOnly, override, theme}: FooterProps) {
	let text = override ?? '';
	if (override === undefined) {
		for (const hint of footerHints(scopes, readOnly)) {
			const next = text ? `${text}  ${hint}` : hint;
			if (displayWidth(next) > width) break;
			text = next;
		}
	}

	return (
		<Text color={theme.color('muted')} wrap="truncate">
			{text}
		</Text>
	);
}
