// The modal dialogs (picker, form, confirmation) as a pure reducer. A dialog carries its
// `flow`: plain data saying what it is for, which the actions hook interprets when the user
// picks, sends or confirms. Nothing typed is ever dropped here: an error only adds messages
// next to the values.

import {filterRows, rowIdsOf} from '../../model/list-filter.js';
import {indexOfRow, scrollToShow} from './ui-state.js';
import type {Movement} from './ui-state.js';

export type DialogFlow =
	| {type: 'connectPickNetwork'; containerId: string}
	| {type: 'connectPickContainer'; networkId: string}
	/**
	 * Names kept for messages: the store forgets a network the moment it is removed.
	 * networkInCommand: the network as the command log will name it, in the form's command;
	 * engineFlags: the docker CLI's flags for the container's engine, as the log will write them.
	 */
	| {type: 'connectOptions'; networkId: string; containerId: string; networkName: string; networkInCommand: string; containerName: string; engineFlags?: readonly string[]}
	| {type: 'disconnectPickNetwork'; containerId: string; force: boolean}
	| {type: 'disconnectPickContainer'; networkId: string; force: boolean}
	| {type: 'disconnectConfirm'; networkId: string; containerId: string; force: boolean}
	/** `engine`: with several engines open, the key of the one it is created on (and the docker CLI's flags for it). */
	| {type: 'createNetwork'; engine?: string; engineLabel?: string; engineFlags?: readonly string[]}
	| {type: 'removeConfirm'; networkId: string}
	| {type: 'pruneConfirm'; networkIds: readonly string[]};

export interface PickerItem {
	id: string;
	cells: readonly string[];
	/** Text the type-to-filter searches. */
	search: ReadonlyArray<string | undefined>;
}

export interface PickerDialog {
	kind: 'picker';
	serial: number;
	flow: DialogFlow;
	title: string;
	columns: readonly string[];
	items: readonly PickerItem[];
	query: string;
	selectedId?: string;
	selectedIndex: number;
	scrollTop: number;
	/** A line under the list, e.g. why some rows are not offered. */
	note?: string;
	error?: string;
}

export type FormField =
	| {kind: 'text'; id: string; label: string; value: string; placeholder?: string}
	| {kind: 'toggle'; id: string; label: string; value: boolean}
	| {kind: 'choice'; id: string; label: string; value: string; choices: readonly string[]};

export interface FormDialog {
	kind: 'form';
	serial: number;
	flow: DialogFlow;
	title: string;
	/** One line about the target, under the title. */
	subtitle?: string;
	/** One line under the fields: what Enter does. */
	footnote?: string;
	fields: readonly FormField[];
	focus: number;
	errors: Readonly<Record<string, string>>;
	warnings: Readonly<Record<string, string>>;
	/** The warnings shown were seen: the next Enter sends anyway. */
	warningsShown: boolean;
	/** A problem that belongs to no single field. */
	formError?: string;
	/** Sent; waiting for the engine. */
	submitting: boolean;
	/** Sent and unanswered: docknet watches whether it is applied. Closing the form does not stop that. */
	watching?: boolean;
}

export interface ConfirmDialog {
	kind: 'confirm';
	serial: number;
	flow: DialogFlow;
	title: string;
	lines: readonly string[];
	/** What the confirmation acts on, one row each, scrolled with ↑↓ PgUp PgDn when long. */
	list?: readonly string[];
	/** Sentences after the list. */
	notes?: readonly string[];
	/** First list row shown. */
	scrollTop?: number;
	/** e.g. "y removes it". */
	prompt: string;
}

export type Dialog = PickerDialog | FormDialog | ConfirmDialog;

export type DialogAction =
	| {type: 'open'; dialog: Dialog}
	| {type: 'close'}
	/** Closes only the dialog with this serial (a late result must not close a newer one). */
	| {type: 'closeIf'; serial: number}
	| {type: 'typeText'; text: string}
	| {type: 'erase'}
	| {type: 'clearField'}
	| {type: 'move'; movement: Movement; viewport: number}
	/** Scrolls a confirmation's list; `viewport` is how many of its rows show. */
	| {type: 'scrollList'; movement: Movement; viewport: number}
	| {type: 'focusField'; step: number}
	| {type: 'toggle'}
	| {type: 'cycle'; step: number}
	| {type: 'pickerError'; text: string}
	| {type: 'problems'; errors: Record<string, string>; warnings: Record<string, string>; formError?: string}
	| {type: 'submitting'}
	| {type: 'failed'; serial: number; errors: Record<string, string>; formError?: string; watching?: boolean};

export type DialogState = Dialog | undefined;

/** The picker's rows after type-to-filter. */
export function visibleItems(picker: PickerDialog): readonly PickerItem[] {
	return filterRows(picker.items, picker.query);
}

/** The row Enter would pick: the selected id if still visible, else the row at the same place. */
export function pickedItem(picker: PickerDialog): PickerItem | undefined {
	const items = visibleItems(picker);
	const byId = picker.selectedId === undefined ? undefined : items[indexOfRow(rowIdsOf(items), picker.selectedId)];
	if (byId) return byId;
	return items[Math.max(0, Math.min(picker.selectedIndex, items.length - 1))];
}

export function formValues(form: FormDialog): Record<string, string | boolean> {
	return Object.fromEntries(form.fields.map(field => [field.id, field.value]));
}

function movePicker(picker: PickerDialog, movement: Movement, viewport: number): PickerDialog {
	const items = visibleItems(picker);
	if (items.length === 0) return picker;
	const picked = pickedItem(picker);
	const current = Math.max(0, picked === undefined ? 0 : indexOfRow(rowIdsOf(items), picked.id));
	const target =
		movement === 'home' ? 0 : movement === 'end' ? items.length - 1 : Math.max(0, Math.min(items.length - 1, current + movement));
	return {
		...picker,
		selectedId: items[target]?.id,
		selectedIndex: target,
		scrollTop: scrollToShow(picker.scrollTop, target, viewport, items.length),
	};
}

function refilter(picker: PickerDialog, query: string): PickerDialog {
	// A new filter starts at the top: the first match is what Enter picks.
	return {...picker, query, selectedId: undefined, selectedIndex: 0, scrollTop: 0, error: undefined};
}

function updateField(form: FormDialog, change: (field: FormField) => FormField): FormDialog {
	const field = form.fields[form.focus];
	if (!field) return form;
	const next = change(field);
	if (next === field) return form;
	const fields = form.fields.map((item, index) => (index === form.focus ? next : item));
	// The user changed the value the message was about: the message goes with it.
	const {[field.id]: _error, ...errors} = form.errors;
	const {[field.id]: _warning, ...warnings} = form.warnings;
	return {...form, fields, errors, warnings, warningsShown: false, formError: undefined};
}

function cycleChoice(field: FormField, step: number): FormField {
	if (field.kind !== 'choice' || field.choices.length === 0) return field;
	const index = field.choices.indexOf(field.value);
	const next = field.choices[(index + step + field.choices.length) % field.choices.length] ?? field.value;
	return {...field, value: next};
}

function formReducer(form: FormDialog, action: DialogAction): FormDialog {
	// While the engine is asked, the values stay as they were sent.
	if (form.submitting && action.type !== 'failed') return form;
	switch (action.type) {
		case 'typeText':
			return updateField(form, field => (field.kind === 'text' ? {...field, value: field.value + action.text} : field));
		case 'erase':
			return updateField(form, field => (field.kind === 'text' && field.value !== '' ? {...field, value: [...field.value].slice(0, -1).join('')} : field));
		case 'clearField':
			return updateField(form, field => (field.kind === 'text' && field.value !== '' ? {...field, value: ''} : field));
		case 'focusField': {
			const count = form.fields.length;
			return count === 0 ? form : {...form, focus: (form.focus + action.step + count) % count};
		}

		case 'toggle':
			return updateField(form, field => (field.kind === 'toggle' ? {...field, value: !field.value} : cycleChoice(field, 1)));
		case 'cycle':
			return updateField(form, field => cycleChoice(field, action.step));
		case 'problems': {
			const firstBad = form.fields.findIndex(field => action.errors[field.id]);
			const firstWarned = form.fields.findIndex(field => action.warnings[field.id]);
			const focusOn = firstBad >= 0 ? firstBad : firstWarned;
			const hasErrors = firstBad >= 0 || action.formError !== undefined;
			return {
				...form,
				errors: action.errors,
				warnings: action.warnings,
				formError: action.formError,
				warningsShown: !hasErrors && firstWarned >= 0,
				// Point at the field to fix.
				focus: focusOn >= 0 ? focusOn : form.focus,
			};
		}

		case 'submitting':
			return {...form, submitting: true, formError: undefined};
		case 'failed': {
			const firstBad = form.fields.findIndex(field => action.errors[field.id]);
			return {
				...form,
				submitting: false,
				watching: action.watching ?? form.watching ?? false,
				errors: action.errors,
				warnings: {},
				warningsShown: false,
				formError: action.formError,
				focus: firstBad >= 0 ? firstBad : form.focus,
			};
		}

		default:
			return form;
	}
}

function pickerReducer(picker: PickerDialog, action: DialogAction): PickerDialog {
	switch (action.type) {
		case 'typeText':
			return refilter(picker, picker.query + action.text);
		case 'erase':
			return picker.query === '' ? picker : refilter(picker, [...picker.query].slice(0, -1).join(''));
		case 'clearField':
			return picker.query === '' ? picker : refilter(picker, '');
		case 'move':
			return movePicker(picker, action.movement, action.viewport);
		case 'pickerError':
			return {...picker, error: action.text};
		default:
			return picker;
	}
}

export function dialogReducer(state: DialogState, action: DialogAction): DialogState {
	switch (action.type) {
		case 'open':
			return action.dialog;
		case 'close':
			return undefined;
		case 'closeIf':
			return state?.serial === action.serial ? undefined : state;
		default:
			break;
	}

	if (!state) return state;
	if (action.type === 'failed' && action.serial !== state.serial) return state;
	if (state.kind === 'form') return formReducer(state, action);
	if (state.kind === 'picker') return pickerReducer(state, action);
	if (action.type === 'scrollList') return scrollConfirmList(state, action.movement, action.viewport);
	return state;
}

function scrollConfirmList(confirm: ConfirmDialog, movement: Movement, viewport: number): ConfirmDialog {
	const last = Math.max(0, (confirm.list?.length ?? 0) - Math.max(1, viewport));
	const current = confirm.scrollTop ?? 0;
	const wanted = movement === 'home' ? 0 : movement === 'end' ? last : current + movement;
	const scrollTop = Math.min(last, Math.max(0, wanted));
	return scrollTop === current ? confirm : {...confirm, scrollTop};
}

export function newForm(
	serial: number,
	flow: DialogFlow,
	title: string,
	fields: readonly FormField[],
	extra: {subtitle?: string; footnote?: string} = {},
): FormDialog {
	return {
		kind: 'form',
		serial,
		flow,
		title,
		fields,
		focus: 0,
		errors: {},
		warnings: {},
		warningsShown: false,
		submitting: false,
		...extra,
	};
}

export function newPicker(
	serial: number,
	flow: DialogFlow,
	title: string,
	columns: readonly string[],
	items: readonly PickerItem[],
	note?: string,
): PickerDialog {
	return {kind: 'picker', serial, flow, title, columns, items, query: '', selectedIndex: 0, scrollTop: 0, note};
}
