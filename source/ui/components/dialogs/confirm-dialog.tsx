import {Box, Text} from 'ink';
import React from 'react';
import {fitText} from '../../presentation/columns.js';
import {wrapText} from '../../presentation/wrap-text.js';
import type {ConfirmDialog} from '../../state/dialog-state.js';
import type {Theme} from '../../theme.js';

export interface ConfirmDialogViewProps {
	confirm: ConfirmDialog;
	width: number;
	height: number;
	theme: Theme;
}

export function ConfirmDialogView({confirm, width, height, theme}: ConfirmDialogViewProps) {
	// Title, a blank line, the lines, a blank line, the prompt.
	const room = Math.max(1, height - 4);
	// Lines that start with spaces are list rows: cut, not wrapped, so they stay one per line.
	const lines = confirm.lines
		.flatMap(line => (line.startsWith(' ') ? [line.slice(1)] : wrapText(line, width - 1, 3)))
		.slice(0, room);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.color('warn')} wrap="truncate">
				{fitText(` ${confirm.title}`, width)}
			</Text>
			<Text> </Text>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate">
					{fitText(` ${line}`, width)}
				</Text>
			))}
			<Text> </Text>
			<Text bold color={theme.accent} wrap="truncate">
				{fitText(` ${confirm.prompt}`, width)}
			</Text>
		</Box>
	);
}
