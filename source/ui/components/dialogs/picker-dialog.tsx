import {Box, Text} from 'ink';
import React from 'react';
import {displayWidth, fitText} from '../../../view/columns.js';
import {pickedItem, visibleItems} from '../../state/dialog-state.js';
import type {PickerDialog, PickerItem} from '../../state/dialog-state.js';
import type {Theme} from '../../theme.js';
import {maxOf} from '../../../model/large-arrays.js';

/** Title, filter line, column headings, and one line under the list. */
const pickerChrome = 4;

/** Rows of a picker that fit in `height` lines. */
export function pickerViewport(height: number): number {
	return Math.max(1, height - pickerChrome);
}

// Each column's widest cell, kept per list of items: measuring 200,000 networks' names for
// every key typed into the picker would make each key wait for it.
const naturalWidthCache = new WeakMap<readonly PickerItem[], number[]>();

function naturalWidths(columns: readonly string[], items: readonly PickerItem[]): number[] {
	let widths = naturalWidthCache.get(items);
	if (widths === undefined) {
		widths = columns.map((title, index) => maxOf(items.map(item => displayWidth(item.cells[index] ?? '')), displayWidth(title)));
		naturalWidthCache.set(items, widths);
	}

	return widths;
}

/** Column widths: each as wide as its widest cell (bounded), the last one takes the rest. */
function columnWidths(columns: readonly string[], items: readonly PickerItem[], width: number): number[] {
	const gap = 2;
	const available = Math.max(columns.length, width - 2 - gap * (columns.length - 1));
	const natural = naturalWidths(columns, items);
	const widths = natural.map(value => Math.min(value, Math.max(8, Math.floor(available * 0.4))));
	const used = widths.slice(0, -1).reduce((sum, value) => sum + value, 0);
	widths[widths.length - 1] = Math.max(4, available - used);
	return widths;
}

export interface PickerDialogViewProps {
	picker: PickerDialog;
	width: number;
	height: number;
	theme: Theme;
}

export function PickerDialogView({picker, width, height, theme}: PickerDialogViewProps) {
	const items = visibleItems(picker);
	const viewport = pickerViewport(height);
	const selectedId = pickedItem(picker)?.id;
	const top = Math.min(picker.scrollTop, Math.max(0, items.length - viewport));
	const shown = items.slice(top, top + viewport);
	const widths = columnWidths(picker.columns, picker.items, width);
	const line = (cells: readonly string[]): string => cells.map((cell, index) => fitText(cell, widths[index] ?? 4)).join('  ');
	const range = items.length > viewport ? `  ${top + 1}-${Math.min(items.length, top + viewport)} of ${items.length}` : '';
	const message = picker.error ?? (items.length === 0 ? `Nothing matches "${picker.query}".` : picker.note);

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(` ${picker.title}${range}`, width)}
			</Text>
			<Text wrap="truncate">
				{picker.query === '' ? (
					<Text color={theme.color('muted')}>{fitText(' Filter: type to narrow the list', width)}</Text>
				) : (
					fitText(` Filter: ${picker.query}▏`, width)
				)}
			</Text>
			<Text bold wrap="truncate">
				{fitText(`  ${line(picker.columns)}`, width)}
			</Text>
			{shown.map(item => {
				const selected = item.id === selectedId;
				return (
					<Text key={item.id} inverse={selected} color={selected ? theme.accent : undefined} wrap="truncate">
						{fitText(`${selected ? '›' : ' '} ${line(item.cells)}`, width)}
					</Text>
				);
			})}
			{message ? (
				<Text color={theme.color(picker.error ? 'bad' : 'muted')} wrap="truncate">
					{fitText(`${picker.error ? '✖ ' : ''}${message}`, width)}
				</Text>
			) : null}
		</Box>
	);
}
