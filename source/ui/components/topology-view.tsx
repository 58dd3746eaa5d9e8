import {Box, Text} from 'ink';
import React from 'react';
import {safeText} from '../../text/safe-text.js';
import {displayWidth, fitText} from '../presentation/columns.js';
import type {TopologyRow} from '../presentation/topology.js';
import {scrollToShow} from '../state/ui-state.js';
import type {Theme} from '../theme.js';

export interface TopologyViewProps {
	rows: readonly TopologyRow[];
	selectedIndex: number;
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

export function TopologyView({rows, selectedIndex, scrollTop, width, height, theme}: TopologyViewProps) {
	const viewport = Math.max(0, height - 1);
	const top = scrollToShow(scrollTop, Math.max(0, selectedIndex), viewport, rows.length);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(' Topology — bridge network → bridge → veth → container   Enter jumps to it, Esc back', width)}
			</Text>
			{rows.length === 0 ? <Text color={theme.color('muted')}>{fitText('Nothing to show yet.', width)}</Text> : null}
			{rows.slice(top, top + viewport).map((row, offset) => {
				const selected = top + offset === selectedIndex;
				const label = `${row.prefix}${row.label}`;
				return (
					<Text key={row.id} inverse={selected} wrap="truncate">
						<Text color={theme.color('muted')}>{row.prefix}</Text>
						<Text bold={row.prefix === ''} color={theme.color(row.tone)}>
							{safeText(row.label)}
						</Text>
						<Text color={theme.color('muted')}>{fitText(row.detail ? `  ${row.detail}` : '', Math.max(0, width - displayWidth(label)))}</Text>
					</Text>
				);
			})}
		</Box>
	);
}
