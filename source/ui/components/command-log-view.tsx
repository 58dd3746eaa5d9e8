import {Box, Text} from 'ink';
import React from 'react';
import {fitText} from '../presentation/columns.js';
import type {LogLine} from '../presentation/command-log-lines.js';
import type {Theme} from '../theme.js';

export interface CommandLogViewProps {
	/** commandLogLines() for this width. */
	lines: readonly LogLine[];
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

export function CommandLogView({lines, scrollTop, width, height, theme}: CommandLogViewProps) {
	const visible = lines.slice(scrollTop, scrollTop + height - 1);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(' Command log — newest first · y writes a script · L or Esc closes, ↑↓ scroll', width)}
			</Text>
			{visible.map((line, index) => (
				<Text key={index} bold={line.heading} color={theme.color(line.tone)} wrap="truncate">
					{fitText(line.text, width)}
				</Text>
			))}
		</Box>
	);
}
