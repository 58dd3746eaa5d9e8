import {Box, Text} from 'ink';
import React from 'react';
import {dialogKeys} from '../keys/dialog-keys.js';
import {keymap, keysDisplay} from '../keys/keymap.js';
import type {KeyScope} from '../keys/keymap.js';
import {fitText} from '../presentation/columns.js';
import type {Theme} from '../theme.js';

const scopeTitles: Array<[KeyScope, string]> = [
	['global', 'Anywhere'],
	['list', 'In every pane'],
	['networks', 'Networks pane'],
	['containers', 'Containers pane'],
	['overlay', 'Details and help'],
	['topology', 'Topology'],
];

export interface HelpLine {
	text: string;
	heading: boolean;
	disabled: boolean;
}

/** The help screen, generated from the keymap: each binding under the first scope it has. */
export function helpLines(readOnly: boolean): HelpLine[] {
	const lines: HelpLine[] = [];
	for (const [scope, title] of scopeTitles) {
		const bindings = keymap.filter(binding => binding.scopes[0] === scope);
		if (bindings.length === 0) continue;
		if (lines.length > 0) lines.push({text: '', heading: false, disabled: false});
		lines.push({text: title, heading: true, disabled: false});
		for (const binding of bindings) {
			const disabled = readOnly && (binding.changesEngine ?? false);
			const where = binding.scopes.length > 1 ? ` (${binding.scopes.join(', ')})` : '';
			lines.push({
				text: `  ${keysDisplay(binding).padEnd(16)} ${binding.description}${where}${disabled ? ' — off in read-only mode' : ''}`,
				heading: false,
				disabled,
			});
		}
	}

	// The dialogs that c, d, D, n, x and p open have keys of their own.
	lines.push({text: '', heading: false, disabled: false});
	lines.push({text: `In dialogs (connect, disconnect, create, remove, prune)${readOnly ? ' — off in read-only mode' : ''}`, heading: true, disabled: readOnly});
	for (const entry of dialogKeys) {
		lines.push({text: `  ${entry.keys.padEnd(16)} ${entry.description}`, heading: false, disabled: readOnly});
	}

	return lines;
}

export interface HelpViewProps {
	readOnly: boolean;
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

export function HelpView({readOnly, scrollTop, width, height, theme}: HelpViewProps) {
	const lines = helpLines(readOnly);
	const visible = lines.slice(scrollTop, scrollTop + height - 1);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(' Keys — ? or Esc closes, ↑↓ scroll', width)}
			</Text>
			{visible.map((line, index) => (
				<Text key={index} bold={line.heading} color={line.disabled ? theme.color('muted') : undefined} wrap="truncate">
					{fitText(line.text, width)}
				</Text>
			))}
		</Box>
	);
}
