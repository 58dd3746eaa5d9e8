import {Box, Text} from 'ink';
import React from 'react';
import {safeText} from '../../text/safe-text.js';
import {displayWidth, fitText} from '../../view/columns.js';
import {rowsPosition} from '../presentation/rows-position.js';
import type {TopologyRow} from '../presentation/topology.js';
import {topologyViewport} from '../presentation/topology.js';
import {scrollToShow} from '../state/ui-state.js';
import type {Theme} from '../theme.js';

export interface TopologyViewProps {
	/** The rows listed: all of the tree, or what the search matches. */
	rows: readonly TopologyRow[];
	/** Rows in the whole tree, for "n of m" while searching. */
	totalRows: number;
	query?: string;
	/** The search is being typed. */
	searching: boolean;
	selectedIndex: number;
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

function titleOf(query: string | undefined, searching: boolean, matches: number, totalRows: number): string {
	if (query === undefined) return ' Topology — bridge network → bridge → veth → container   / search, Enter jumps to it, Esc back';
	const cursor = searching ? '▏' : '';
	// The query first: a narrow terminal cuts the end of the title, never what was typed.
	return ` Topology /${safeText(query)}${cursor}  ${matches} of ${totalRows} match · Enter jumps to it, Esc clears the search`;
}

export function TopologyView({rows, totalRows, query, searching, selectedIndex, scrollTop, width, height, theme}: TopologyViewProps) {
	const viewport = topologyViewport(rows.length, height);
	const top = scrollToShow(scrollTop, Math.max(0, selectedIndex), viewport, rows.length);
	const shown = rows.slice(top, top + viewport);
	const position = rows.length > viewport ? rowsPosition(top + 1, top + shown.length, rows.length) : undefined;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(titleOf(query, searching, rows.length, totalRows), width)}
			</Text>
			{rows.length === 0 ? <Text color={theme.color('muted')}>{fitText(query === undefined ? 'Nothing to show yet.' : 'Nothing matches the search.', width)}</Text> : null}
			{shown.map((row, offset) => {
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
			{position === undefined ? null : (
				<Box flexGrow={1} alignItems="flex-end">
					<Text color={theme.color('muted')} wrap="truncate">
						{fitText(position, width)}
					</Text>
				</Box>
			)}
		</Box>
	);
}
