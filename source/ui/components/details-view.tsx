import {Box, Text} from 'ink';
import {Table} from 'ink-table';
import React from 'react';
import {fitText} from '../presentation/columns.js';
import type {Details} from '../presentation/details.js';
import {fitTableRows} from '../presentation/details.js';
import type {Theme} from '../theme.js';

export interface DetailsViewProps {
	details: Details;
	/** First table row shown; the summary above the table stays in place. */
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
}

/** Lines the bordered table needs: borders and heading, then two lines per row. */
const tableChrome = 4;

/** How many table rows fit under the summary, so scrolling knows its range. */
export function detailsTableViewport(details: Details, height: number): number {
	const summary = Math.min(details.lines.length, Math.max(0, height - 2 - tableChrome - 2));
	return Math.max(1, Math.floor((height - 2 - summary - tableChrome) / 2));
}

export function DetailsView({details, scrollTop, width, height, theme}: DetailsViewProps) {
	const summaryLines = Math.min(details.lines.length, Math.max(0, height - 2 - tableChrome - 2));
	const viewport = detailsTableViewport(details, height);
	const {table} = details;
	const rows = fitTableRows(table.columns, table.rows.slice(scrollTop, scrollTop + viewport), width);
	const more = table.rows.length > viewport ? `  rows ${scrollTop + 1}-${Math.min(table.rows.length, scrollTop + viewport)} of ${table.rows.length}` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(` ${details.title}`, width)}
			</Text>
			{details.lines.slice(0, summaryLines).map((line, index) => (
				<Text key={index} color={theme.color(line.tone)} wrap="truncate">
					{fitText(line.text, width)}
				</Text>
			))}
			<Text bold wrap="truncate">
				{fitText(`${table.title}${more}`, width)}
			</Text>
			{rows.length === 0 ? (
				<Text color={theme.color('muted')}>{fitText(table.emptyText, width)}</Text>
			) : (
				<Table data={rows} columns={[...table.columns]} />
			)}
		</Box>
	);
}
