import {Box, Text} from 'ink';
import React from 'react';
import {fitText} from '../../../view/columns.js';
import {rowsPosition} from '../../presentation/rows-position.js';
import {wrapText} from '../../presentation/wrap-text.js';
import type {ConfirmDialog} from '../../state/dialog-state.js';
import type {Theme} from '../../theme.js';

export interface ConfirmDialogViewProps {
	confirm: ConfirmDialog;
	width: number;
	height: number;
	theme: Theme;
}

/** A sentence of a confirmation takes at most this many lines. */
const sentenceLines = 2;
/** Title, blank, blank, prompt; and the list's "rows a–b of n" line. */
const chrome = 5;

/**
 * How many list rows the key handler may assume are shown, without knowing the width: every
 * sentence counted at its widest. Never more than the view shows, so the last row is always
 * reachable.
 */
export function confirmListViewport(confirm: ConfirmDialog, height: number): number {
	const sentences = confirm.lines.length + (confirm.notes?.length ?? 0);
	return Math.max(1, height - chrome - sentenceLines * sentences);
}

export function ConfirmDialogView({confirm, width, height, theme}: ConfirmDialogViewProps) {
	const wrap = (lines: readonly string[]): string[] => lines.flatMap(line => wrapText(line, width - 1, sentenceLines));
	const before = wrap(confirm.lines);
	const after = wrap(confirm.notes ?? []);
	const list = confirm.list ?? [];
	const listRoom = Math.max(1, height - chrome - before.length - after.length);
	const top = Math.min(confirm.scrollTop ?? 0, Math.max(0, list.length - listRoom));
	const shown = list.slice(top, top + listRoom);
	const position = list.length > listRoom ? rowsPosition(top + 1, top + shown.length, list.length) : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.color('warn')} wrap="truncate">
				{fitText(` ${confirm.title}`, width)}
			</Text>
			<Text> </Text>
			{before.map((line, index) => (
				<Text key={`before-${index}`} wrap="truncate">
					{fitText(` ${line}`, width)}
				</Text>
			))}
			{shown.map((line, index) => (
				<Text key={`list-${top + index}`} wrap="truncate">
					{fitText(`   ${line}`, width)}
				</Text>
			))}
			{list.length > 0 ? (
				<Text color={theme.color('muted')} wrap="truncate">
					{fitText(`   ${position}`, width)}
				</Text>
			) : null}
			{after.map((line, index) => (
				<Text key={`after-${index}`} wrap="truncate">
					{fitText(` ${line}`, width)}
				</Text>
			))}
			<Text> </Text>
			<Text bold color={theme.accent} wrap="truncate">
				{fitText(` ${confirm.prompt}`, width)}
			</Text>
		</Box>
	);
}
