import {Box, Text} from 'ink';
import React from 'react';
import {displayWidth, fitText} from '../../../view/columns.js';
import {hardWrap} from '../../presentation/command-log-lines.js';
import {wrapText} from '../../presentation/wrap-text.js';
import type {FormDialog, FormField} from '../../state/dialog-state.js';
import type {Theme} from '../../theme.js';
import {maxOf} from '../../../model/large-arrays.js';

const messageLines = 3;

/** The command in `lines` lines (one or two), its end kept visible (where typing happens). */
function commandPreview(command: string, width: number, lines: number): string[] {
	const pieces = hardWrap(`$ ${command}`, Math.max(10, width - 1));
	if (pieces.length <= lines) return pieces;
	const last = pieces.at(-1) ?? '';
	if (lines === 2) return [`${(pieces[0] ?? '').slice(0, -1)}…`, last];
	// One line: as much of the end as fits.
	const tail = hardWrap([...pieces.join('')].reverse().join(''), Math.max(10, width - 2))[0] ?? '';
	return [`…${[...tail].reverse().join('')}`];
}

/** The fields that fit, around the focused one. */
export function visibleFieldRange(count: number, focus: number, room: number): {start: number; end: number} {
	if (count <= room) return {start: 0, end: count};
	const start = Math.max(0, Math.min(focus - Math.floor(room / 2), count - room));
	return {start, end: start + room};
}

function valueText(field: FormField, focused: boolean, width: number, editing: boolean): {text: string; placeholder: boolean} {
	switch (field.kind) {
		case 'toggle':
			return {text: field.value ? '[x] on' : '[ ] off', placeholder: false};
		case 'choice':
			return {text: focused ? `‹ ${field.value} ›` : field.value, placeholder: false};
		case 'text': {
			if (field.value === '' && !(focused && editing)) return {text: field.placeholder ?? '', placeholder: true};
			const shown = focused && editing ? `${field.value}▏` : field.value;
			// The end of a long value, where the cursor is, stays visible.
			const tail = displayWidth(shown) > width ? `…${shown.slice(shown.length - width + 1)}` : shown;
			return {text: tail, placeholder: false};
		}
	}
}

/** The one message under the fields: the focused field's problem first, then the form's. */
function formMessage(form: FormDialog): {text: string; tone: 'bad' | 'warn' | 'muted'} | undefined {
	const focused = form.fields[form.focus];
	const labelOf = (id: string): string => form.fields.find(field => field.id === id)?.label ?? id;
	if (focused && form.errors[focused.id]) return {text: `✖ ${focused.label}: ${form.errors[focused.id] ?? ''}`, tone: 'bad'};
	if (form.formError) return {text: `✖ ${form.formError}`, tone: 'bad'};
	const firstError = Object.entries(form.errors)[0];
	if (firstError) return {text: `✖ ${labelOf(firstError[0])}: ${firstError[1]}`, tone: 'bad'};
	const warning = (focused && form.warnings[focused.id] ? [focused.id, form.warnings[focused.id] ?? ''] : Object.entries(form.warnings)[0]) as [string, string] | undefined;
	if (warning) return {text: `⚠ Enter again sends anyway. ${labelOf(warning[0])}: ${warning[1]}`, tone: 'warn'};
	if (form.submitting) return {text: 'Sending to the engine…', tone: 'muted'};
	return undefined;
}

export interface FormDialogViewProps {
	form: FormDialog;
	/** The docker CLI command this form sends (see command-preview.ts). */
	command?: string;
	width: number;
	height: number;
	theme: Theme;
}

export function FormDialogView({form, command, width, height, theme}: FormDialogViewProps) {
	const labelWidth = maxOf(form.fields.map(field => displayWidth(field.label)), 0) + 1;
	const valueWidth = Math.min(40, Math.max(16, Math.floor((width - 3 - labelWidth) * 0.55)));
	const noteWidth = Math.max(0, width - 3 - labelWidth - valueWidth - 1);
	const base = 1 + (form.subtitle ? 1 : 0) + messageLines + (form.footnote ? 1 : 0);
	// The docker command as typed so far: two lines where there is room, else one (every field
	// of the create form still fits at 80×24).
	const commandLines = command ? (height - base - form.fields.length >= 2 ? 2 : 1) : 0;
	const fixed = base + commandLines;
	const preview = command ? commandPreview(command, width, commandLines) : [];
	// The lines above and below the fields say "↑ 3 more" when the form scrolls; when every
	// field fits they are blank, and they give way to fields before any field scrolls.
	const spare = height - fixed - form.fields.length;
	const scrolls = spare < 0;
	const lineAbove = scrolls || spare >= 2;
	const lineBelow = scrolls || spare >= 1;
	const room = scrolls ? Math.max(1, height - fixed - 2) : form.fields.length;
	const {start, end} = visibleFieldRange(form.fields.length, form.focus, room);
	const message = formMessage(form);
	const wrapped = message ? wrapText(message.text, width - 1, messageLines) : [];
	const editing = !form.submitting;

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse color={theme.accent} wrap="truncate">
				{fitText(` ${form.title}${form.submitting ? ' — sending…' : ''}`, width)}
			</Text>
			{form.subtitle ? (
				<Text color={theme.color('muted')} wrap="truncate">
					{fitText(` ${form.subtitle}`, width)}
				</Text>
			) : null}
			{lineAbove ? (
				<Text color={theme.color('muted')} wrap="truncate">
					{fitText(start > 0 ? `   ↑ ${start} more` : ' ', width)}
				</Text>
			) : null}
			{form.fields.slice(start, end).map((field, offset) => {
				const index = start + offset;
				const focused = index === form.focus;
				const value = valueText(field, focused, valueWidth, editing);
				const error = form.errors[field.id];
				const warning = form.warnings[field.id];
				const note = error ? `✖ ${error}` : warning ? `⚠ ${warning}` : '';
				return (
					<Text key={field.id} wrap="truncate">
						<Text color={focused ? theme.accent : undefined} bold={focused}>
							{`${focused ? '›' : ' '} ${fitText(field.label, labelWidth)}`}
						</Text>
						<Text color={value.placeholder ? theme.color('muted') : undefined} underline={focused && field.kind === 'text'}>
							{fitText(value.text, valueWidth)}
						</Text>
						<Text color={theme.color(error ? 'bad' : 'warn')}>{noteWidth > 2 ? ` ${fitText(note, noteWidth)}` : ''}</Text>
					</Text>
				);
			})}
			{lineBelow ? (
				<Text color={theme.color('muted')} wrap="truncate">
					{fitText(end < form.fields.length ? `   ↓ ${form.fields.length - end} more` : ' ', width)}
				</Text>
			) : null}
			{Array.from({length: messageLines}, (_, index) => (
				<Text key={`message-${index}`} color={message ? theme.color(message.tone) : undefined} wrap="truncate">
					{fitText(wrapped[index] ? ` ${wrapped[index] ?? ''}` : ' ', width)}
				</Text>
			))}
			{command
				? Array.from({length: commandLines}, (_, index) => (
						<Text key={`command-${index}`} color={theme.accent} wrap="truncate">
							{fitText(` ${preview[index] ?? ''}`, width)}
						</Text>
					))
				: null}
			{form.footnote ? (
				<Text color={theme.color('muted')} wrap="truncate">
					{fitText(` ${form.footnote}`, width)}
				</Text>
			) : null}
		</Box>
	);
}
