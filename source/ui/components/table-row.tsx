import chalk from 'chalk';
import {Text} from 'ink';
import React, {memo} from 'react';
import type {Segment} from '../../view/columns.js';
import type {Theme} from '../theme.js';

export interface TableRowProps {
	segments: readonly Segment[];
	selected: boolean;
	/** Related to the selection in another pane (cross-highlighting). */
	related: boolean;
	theme: Theme;
}

type ChalkColor = 'green' | 'yellow' | 'red' | 'gray' | 'cyan' | 'magentaBright';

function paint(text: string, color: string | undefined): string {
	return color === undefined ? text : chalk[color as ChalkColor](text);
}

/**
 * The row as one styled string. One Ink text node per row instead of one per cell: Ink's
 * layout and output cost grows with nodes, and a screen holds dozens of rows.
 */
export function styledRow({segments, selected, related, theme}: TableRowProps): string {
	const relatedStyle = related && !selected;
	const body = segments.map(segment => paint(segment.text, relatedStyle ? theme.accent : theme.color(segment.tone))).join('');
	if (selected) return chalk.inverse(body);
	return relatedStyle ? chalk.bold(body) : body;
}

function TableRowView(props: TableRowProps) {
	return <Text wrap="truncate">{styledRow(props)}</Text>;
}

const sameSegments = (a: readonly Segment[], b: readonly Segment[]): boolean =>
	a.length === b.length && a.every((segment, index) => segment.text === b[index]?.text && segment.tone === b[index]?.tone);

/** Rows re-render only when what they show changes; a new event touches one row, not all. */
export const TableRow = memo(
	TableRowView,
	(previous, next) =>
		previous.selected === next.selected &&
		previous.related === next.related &&
		previous.theme === next.theme &&
		sameSegments(previous.segments, next.segments),
);
