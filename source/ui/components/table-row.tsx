import {Text} from 'ink';
import React, {memo} from 'react';
import type {Segment} from '../presentation/columns.js';
import type {Theme} from '../theme.js';

export interface TableRowProps {
	segments: readonly Segment[];
	selected: boolean;
	/** Related to the selection in another pane (cross-highlighting). */
	related: boolean;
	theme: Theme;
}

function TableRowView({segments, selected, related, theme}: TableRowProps) {
	return (
		<Text inverse={selected} bold={related && !selected} wrap="truncate">
			{segments.map((segment, index) => (
				<Text key={index} color={related && !selected ? theme.accent : theme.color(segment.tone)}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
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
