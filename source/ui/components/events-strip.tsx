import {Box, Text} from 'ink';
import React from 'react';
import type {EngineEvent} from '../../model/types.js';
import {fitText} from '../presentation/columns.js';
import {describeEvent, eventTone, formatClock} from '../presentation/format.js';
import type {Theme} from '../theme.js';

export interface EventsStripProps {
	events: readonly EngineEvent[];
	lines: number;
	width: number;
	containerName: (id: string) => string | undefined;
	theme: Theme;
}

export function EventsStrip({events, lines, width, containerName, theme}: EventsStripProps) {
	if (lines <= 1) {
		// One line: as many of the latest events as fit, newest first.
		let text = 'Events:';
		for (const event of events) {
			const next = `${text} ${formatClock(event.time)} ${describeEvent(event, containerName)} ·`;
			if (next.length > width) break;
			text = next;
		}

		return (
			<Text color={theme.color('muted')} wrap="truncate">
				{fitText(events.length === 0 ? 'Events: none yet (they appear here as they happen)' : text.replace(/ \u00B7$/, ''), width)}
			</Text>
		);
	}

	const shown = events.slice(0, lines - 1);
	return (
		<Box flexDirection="column" width={width} height={lines}>
			<Text bold wrap="truncate">
				{fitText(' Events', width)}
			</Text>
			{shown.length === 0 ? (
				<Text color={theme.color('muted')}>{fitText('none yet: they appear here as they happen', width)}</Text>
			) : (
				shown.map(event => (
					<Text key={`${event.timeNano}-${event.actorId}-${event.action}`} wrap="truncate">
						<Text color={theme.color('muted')}>{formatClock(event.time)} </Text>
						<Text color={theme.color(eventTone(event))}>{fitText(describeEvent(event, containerName), width - 9)}</Text>
					</Text>
				))
			)}
		</Box>
	);
}
