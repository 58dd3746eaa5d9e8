import {Box, Text} from 'ink';
import React from 'react';
import {fitText} from '../presentation/columns.js';
import type {SwarmLine} from '../presentation/swarm-view.js';
import type {Theme} from '../theme.js';

export interface SwarmViewProps {
	/** swarmLines() of the snapshot. */
	lines: readonly SwarmLine[];
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

/** The swarm screen: one title line, then the lines from scrollTop (fitText makes each safe). */
export function SwarmView({lines, scrollTop, width, height, theme}: SwarmViewProps) {
	const visible = lines.slice(scrollTop, scrollTop + height - 1);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(' Swarm — nodes, services, tasks, overlay networks · s or Esc closes, ↑↓ scroll', width)}
			</Text>
			{visible.map((line, index) => (
				<Text key={index} bold={line.heading} color={theme.color(line.tone)} wrap="truncate">
					{fitText(line.text, width)}
				</Text>
			))}
		</Box>
	);
}
