import {Box, Text} from 'ink';
import React from 'react';
import wrapAnsi from 'wrap-ansi';
import {commandCatalog, commandUsage} from '../command-line/command-catalog.js';
import {dialogKeys} from '../keys/dialog-keys.js';
import {keymap, keysDisplay} from '../keys/keymap.js';
import type {KeyBinding, KeyScope} from '../keys/keymap.js';
import {fitText} from '../../view/columns.js';
import {fromTheCli} from '../presentation/from-the-cli.js';
import type {Theme} from '../theme.js';
import {appendAll} from '../../model/large-arrays.js';

const scopeTitles: Array<[KeyScope, string]> = [
	['global', 'Anywhere'],
	['list', 'In every pane'],
	['networks', 'Networks pane'],
	['containers', 'Containers pane'],
	['overlay', 'Details and help'],
	['topology', 'Topology'],
	['swarm', 'Swarm'],
	['log', 'Command log'],
	['details', 'Container details'],
];

export interface HelpLine {
	text: string;
	heading: boolean;
	disabled: boolean;
}

const KEYS_COLUMN = 16;
// Two spaces, the keys column and one space: where a description starts.
const DESCRIPTION_INDENT = ' '.repeat(2 + KEYS_COLUMN + 1);

/** One binding's line, wrapped under its description so nothing is cut on a narrow terminal. */
function bindingLines(keys: string, description: string, width: number, disabled: boolean, keysOwnLine = false): HelpLine[] {
	// A command's usage is longer than the keys column: it gets a line of its own, the description under it.
	if (keysOwnLine && keys.length > KEYS_COLUMN) {
		const usage = wrapAnsi(keys, Math.max(8, width - 4), {hard: true, trim: true}).split('\n').map((text, index) => ({text: `${index === 0 ? '  ' : '    '}${text}`, heading: false, disabled}));
		return [...usage, ...bindingLines('', description, width, disabled)];
	}

	const descriptionWidth = Math.max(8, width - DESCRIPTION_INDENT.length);
	const wrapped = wrapAnsi(description, descriptionWidth, {hard: true, trim: true}).split('\n');
	return wrapped.map((text, index) => ({
		text: index === 0 ? `  ${keys.padEnd(KEYS_COLUMN)} ${text}` : DESCRIPTION_INDENT + text,
		heading: false,
		disabled,
	}));
}

/**
 * The help screen, generated from the keymap: each binding under the first scope it has,
 * its description wrapped to `width` columns.
 */
export function helpLines(readOnly: boolean, width = Number.POSITIVE_INFINITY, drivers?: readonly string[], bindings: readonly KeyBinding[] = keymap): HelpLine[] {
	const lines: HelpLine[] = [];
	for (const [scope, title] of scopeTitles) {
		const inScope = bindings.filter(binding => binding.scopes[0] === scope);
		if (inScope.length === 0) continue;
		if (lines.length > 0) lines.push({text: '', heading: false, disabled: false});
		lines.push({text: title, heading: true, disabled: false});
		for (const binding of inScope) {
			const disabled = readOnly && (binding.changesEngine ?? false);
			const where = binding.scopes.length > 1 ? ` (${binding.scopes.join(', ')})` : '';
			appendAll(lines, bindingLines(keysDisplay(binding), `${binding.description}${where}${disabled ? ' — off in read-only mode' : ''}`, width, disabled));
		}
	}

	// The dialogs that c, d, D, n, x and p open have keys of their own.
	lines.push({text: '', heading: false, disabled: false});
	lines.push({text: `In dialogs (connect, disconnect, create, remove, prune)${readOnly ? ' — off in read-only mode' : ''}`, heading: true, disabled: readOnly});
	for (const entry of dialogKeys) {
		appendAll(lines, bindingLines(entry.keys, entry.description, width, readOnly));
	}

	// The `:` commands, from the table their parser and completion read.
	lines.push({text: '', heading: false, disabled: false});
	const opener = bindings.find(binding => binding.command === 'commandMode')?.keys[0]?.display ?? ':';
	lines.push({text: `Commands: type ${opener}, Tab completes, ↑ recalls`, heading: true, disabled: false});
	for (const spec of commandCatalog) {
		const disabled = readOnly && (spec.changesEngine ?? false);
		const aliases = spec.aliases.length > 0 ? ` (also :${spec.aliases.join(' :')})` : '';
		appendAll(lines, bindingLines(commandUsage(spec), `${spec.description}${aliases}${disabled ? ' — off in read-only mode' : ''}`, width, disabled, true));
	}

	// The walkthrough's commands and where docknet answers each.
	lines.push({text: '', heading: false, disabled: false});
	lines.push({text: 'From the CLI: each command, and where docknet answers it', heading: true, disabled: false});
	for (const answer of fromTheCli(drivers)) {
		const wrap = (text: string, indent: number): string[] => wrapAnsi(text, Math.max(8, width - indent), {hard: true, trim: true}).split('\n');
		appendAll(lines, wrap(answer.command, 4).map((text, index) => ({text: `${index === 0 ? '  $ ' : '    '}${text}`, heading: false, disabled: false})));
		appendAll(lines, wrap(answer.where, 6).map((text, index) => ({text: `${index === 0 ? '    → ' : '      '}${text}`, heading: false, disabled: false})));
	}

	return lines;
}

export interface HelpViewProps {
	/** helpLines() for this width. */
	lines: HelpLine[];
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

export function HelpView({lines, scrollTop, width, height, theme}: HelpViewProps) {
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
