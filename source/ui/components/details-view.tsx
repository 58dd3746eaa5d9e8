import {Box, Text} from 'ink';
import {Table} from 'ink-table';
import React from 'react';
import {fitText} from '../../view/columns.js';
import type {Details} from '../presentation/details.js';
import {fitTableRows} from '../presentation/details.js';
import {detailsWindow} from '../presentation/details-window.js';
import type {Theme} from '../theme.js';

export interface DetailsViewProps {
	details: Details;
	/** First item shown, counting the summary lines and then the table's rows. */
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

export function DetailsView({details, scrollTop, width, height, theme}: DetailsViewProps) {
	const shown = detailsWindow(details, scrollTop, height);
	const {table} = details;
	const rows = fitTableRows(table.columns, table.rows.slice(shown.rowFrom, shown.rowTo), width);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(` ${details.title}`, width)}
			</Text>
			{details.lines.slice(shown.summaryFrom, shown.summaryTo).map((line, index) => (
				<Text key={shown.summaryFrom + index} color={theme.color(line.tone)} wrap="truncate">
					{fitText(line.text, width)}
				</Text>
			))}
			{shown.tableShown ? (
				<Text bold wrap="truncate">
					{fitText(table.title, width)}
				</Text>
			) : null}
			{shown.tableShown && table.rows.length === 0 ? <Text color={theme.color('muted')}>{fitText(table.emptyText, width)}</Text> : null}
			{rows.length > 0 ? <Table data={rows} columns={[...table.columns]} /> : null}
			{shown.position === undefined ? null : (
				<Box flexGrow={1} alignItems="flex-end">
					<Text color={theme.color('muted')} wrap="truncate">
						{fitText(shown.position, width)}
					</Text>
				</Box>
			)}
		</Box>
	);
}
