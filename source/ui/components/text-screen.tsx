import {Box, Text} from 'ink';
import React, {useLayoutEffect} from 'react';
import type {Tone} from '../../view/columns.js';
import {fitText} from '../../view/columns.js';
import type {Theme} from '../theme.js';

export interface ScreenLine {
	text: string;
	tone?: Tone;
	heading?: boolean;
}

export interface TextScreenProps {
	/** The title bar, with the keys that close and scroll the screen. */
	title: string;
	lines: readonly ScreenLine[];
	scrollTop: number;
	width: number;
	height: number;
	theme: Theme;
	/** Told how many lines there are and how many fit, for the scrolling keys. */
	publishExtent?: (extent: {total: number; viewport: number}) => void;
}

/** A full-screen list of lines under a title, from scrollTop (the swarm and command-log screens). */
export function TextScreen({title, lines, scrollTop, width, height, theme, publishExtent}: TextScreenProps) {
	useLayoutEffect(() => publishExtent?.({total: lines.length, viewport: height - 1}));
	const visible = lines.slice(scrollTop, scrollTop + height - 1);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(` ${title}`, width)}
			</Text>
			{visible.map((line, index) => (
				<Text key={index} bold={line.heading} color={theme.color(line.tone)} wrap="truncate">
					{fitText(line.text, width)}
				</Text>
			))}
		</Box>
	);
}
