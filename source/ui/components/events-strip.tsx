import {Box, Text} from 'ink';
import React from 'react';
import type {EngineEvent} from '../../model/types.js';
import {fitText} from '../../view/columns.js';
import {countEventLines, eventLines} from '../presentation/event-lines.js';
import {formatClock} from '../../view/format.js';
import type {EventsView} from '../state/ui-state.js';
import type {Theme} from '../theme.js';

export interface EventsStripProps {
	events: readonly EngineEvent[];
	lines: number;
	width: number;
	containerName: (id: string) => string | undefined;
	theme: Theme;
	/** Containers whose events are hidden (the `e` key), and how far it is scrolled back (`[` and `]`). */
	view?: EventsView;
}

/** More than a line of the narrowest terminal holds. */
const EVENTS_ON_ONE_LINE = 12;

export function EventsStrip({events, lines, width, containerName, theme, view}: EventsStripProps) {
	const hidden = view?.hidden ?? [];
	const scrollTop = view?.scrollTop ?? 0;
	// Counted whole (for "a–b of n"), described only as far as the strip shows.
	const total = lines <= 1 ? undefined : countEventLines(events, hidden);
	const wanted = scrollTop + Math.max(lines - 1, EVENTS_ON_ONE_LINE);
	const all = eventLines(events, containerName, hidden, wanted);
	const top = Math.max(0, Math.min(scrollTop, all.length - 1));
	const hiddenNote = hidden.length === 0 ? '' : ` · ${hidden.length} container${hidden.length === 1 ? '' : 's'} hidden (e)`;
	if (lines <= 1) {
		// One line: as many of the latest events as fit, newest first.
		let text = top > 0 ? `Events (${top} newer above, ]):` : 'Events:';
		for (const line of all.slice(top)) {
			const next = `${text} ${formatClock(line.time)} ${line.text} ·`;
			if (next.length > width) break;
			text = next;
		}

		return (
			<Text color={theme.color('muted')} wrap="truncate">
				{fitText(all.length === 0 ? `Events: none yet (they appear here as they happen)${hiddenNote}` : text.replace(/ \u00B7$/, ''), width)}
			</Text>
		);
	}

	const shown = all.slice(top, top + lines - 1);
	const count = total ?? all.length;
	const position = count > lines - 1 || top > 0 ? ` · ${top + 1}–${top + shown.length} of ${count} ([ ] scroll)` : '';
	return (
		<Box flexDirection="column" width={width} height={lines}>
			<Text bold wrap="truncate">
				{fitText(` Events${position}${hiddenNote}`, width)}
			</Text>
			{shown.length === 0 ? (
				<Text color={theme.color('muted')}>{fitText('none yet: they appear here as they happen', width)}</Text>
			) : (
				shown.map(line => (
					<Text key={line.key} wrap="truncate">
						<Text color={theme.color('muted')}>{formatClock(line.time)} </Text>
						<Text color={theme.color(line.tone)}>{fitText(line.text, width - 9)}</Text>
					</Text>
				))
			)}
		</Box>
	);
}
