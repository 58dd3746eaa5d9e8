import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import {columnContent, fitColumns, fitText, headerLine, layoutRow} from '../../view/columns.js';
import type {Column} from '../../view/columns.js';
import type {PaneRow} from '../../view/pane-rows.js';
import {scrollToShow} from '../state/ui-state.js';
import type {Theme} from '../theme.js';
import {TableRow} from './table-row.js';

export interface PaneViewProps {
	title: string;
	/** After the count, e.g. the engine's network drivers on the Networks pane. */
	titleNote?: string;
	/** Shortcut digit shown in the title bar. */
	shortcut: string;
	focused: boolean;
	columns: readonly Column[];
	rows: readonly PaneRow[];
	/** Rows before filtering, for the "3 of 40" count. */
	totalRows: number;
	selectedIndex: number;
	scrollTop: number;
	width: number;
	height: number;
	filter: string;
	filtering: boolean;
	stale: boolean;
	/** Text shown instead of rows when there are none. */
	emptyText: string;
	/** Rows related to the selection elsewhere. */
	related?: ReadonlySet<string>;
	theme: Theme;
	/** One line under the title with a hint (e.g. why a column is unknown). */
	notice?: string;
}

const gutter = 2;

export function PaneView(props: PaneViewProps) {
	const {title, shortcut, focused, columns, rows, width, height, filter, filtering, stale, theme} = props;
	// A two-column gutter marks rows related to the selection elsewhere, visible even
	// without colour.
	const tableWidth = Math.max(1, width - gutter);
	// Sized by what the rows hold: the room goes to what is long, not to what is short.
	const fitted = useMemo(() => fitColumns(columns, tableWidth, columnContent(rows, columns.length)), [columns, tableWidth, rows]);
	const noticeLines = props.notice ? 1 : 0;
	const viewport = Math.max(0, height - 2 - noticeLines);
	const top = scrollToShow(props.scrollTop, Math.max(0, props.selectedIndex), viewport, rows.length);
	const visible = rows.slice(top, top + viewport);
	const count = filter ? `${rows.length} of ${props.totalRows}` : String(rows.length);
	const filterText = filtering ? `  /${filter}▏` : filter ? `  /${filter}` : '';
	const position = rows.length > viewport && viewport > 0 ? `  ${top + 1}-${top + visible.length}` : '';
	const titleText = fitText(` ${shortcut} ${title} (${count})${stale ? ' · stale' : ''}${filterText}${position}${props.titleNote ? ` · ${props.titleNote}` : ''}`, width);

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text
				bold
				inverse={focused}
				color={focused ? theme.accent : stale ? theme.color('warn') : undefined}
				wrap="truncate"
			>
				{titleText}
			</Text>
			{props.notice ? (
				<Text color={theme.color('warn')} wrap="truncate">
					{fitText(props.notice, width)}
				</Text>
			) : null}
			<Text dimColor wrap="truncate">
				{' '.repeat(gutter) + headerLine(fitted, tableWidth)}
			</Text>
			{visible.length === 0 ? (
				<Text color={theme.color('muted')} wrap="truncate">
					{fitText(filter ? `no match for "${filter}" (Esc clears the filter)` : props.emptyText, width)}
				</Text>
			) : (
				visible.map((row, offset) => {
					const related = props.related?.has(row.id) ?? false;
					return (
						<TableRow
							key={row.id}
							segments={[{text: related ? '• ' : '  '}, ...layoutRow(row.cells, fitted, tableWidth)]}
							selected={focused && top + offset === props.selectedIndex}
							related={related}
							theme={theme}
						/>
					);
				})
			)}
		</Box>
	);
}
