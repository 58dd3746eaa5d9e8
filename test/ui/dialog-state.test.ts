import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {dialogIntent} from '../../source/ui/hooks/use-dialog-input.js';
import {noKey} from '../../source/ui/keys/match-key.js';
import {dialogReducer, newForm, newPicker, pickedItem, visibleItems} from '../../source/ui/state/dialog-state.js';
import type {DialogAction, DialogState, FormDialog, PickerDialog} from '../../source/ui/state/dialog-state.js';


const apply = (state: DialogState, ...actions: DialogAction[]): DialogState => actions.reduce(dialogReducer, state);

function picker(): PickerDialog {
	const items = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map(name => ({id: name, cells: [name], search: [name]}));
	return newPicker(1, {type: 'connectPickContainer', networkId: 'n'}, 'Pick', ['NAME'], items);
}

function form(): FormDialog {
	return newForm(2, {type: 'createNetwork'}, 'Create', [
		{kind: 'text', id: 'name', label: 'Name', value: ''},
		{kind: 'choice', id: 'driver', label: 'Driver', value: 'bridge', choices: ['bridge', 'macvlan', 'ipvlan']},
		{kind: 'toggle', id: 'internal', label: 'Internal', value: false},
	]);
}

describe('picker', () => {
	test('typing filters; the first match is what Enter picks; Backspace widens again', () => {
		let state = apply(picker(), {type: 'move', movement: 'end', viewport: 3});
		assert.equal(state?.kind === 'picker' && pickedItem(state)?.id, 'epsilon');
		state = apply(state, {type: 'typeText', text: 'l'}, {type: 'typeText', text: 't'});
		assert.ok(state?.kind === 'picker');
		assert.deepEqual(visibleItems(state).map(item => item.id), ['delta']);
		assert.equal(pickedItem(state)?.id, 'delta');
		state = apply(state, {type: 'erase'});
		assert.ok(state?.kind === 'picker');
		assert.deepEqual(visibleItems(state).map(item => item.id), ['alpha', 'delta', 'epsilon']);
	});

	test('moving keeps the selection on screen', () => {
		const state = apply(picker(), {type: 'move', movement: 1, viewport: 2}, {type: 'move', movement: 1, viewport: 2}, {type: 'move', movement: 1, viewport: 2});
		assert.ok(state?.kind === 'picker');
		assert.equal(pickedItem(state)?.id, 'delta');
		assert.equal(state.scrollTop, 2);
	});
});

describe('form', () => {
	test('text, choices and toggles; editing a field drops its message', () => {
		let state = apply(form(), {type: 'typeText', text: 'net'}, {type: 'problems', errors: {name: 'taken'}, warnings: {}});
		assert.ok(state?.kind === 'form');
		assert.equal(state.errors['name'], 'taken');
		state = apply(state, {type: 'erase'});
		assert.ok(state?.kind === 'form');
		assert.equal(state.errors['name'], undefined);
		state = apply(state, {type: 'focusField', step: 1}, {type: 'cycle', step: -1}, {type: 'focusField', step: 1}, {type: 'toggle'});
		assert.ok(state?.kind === 'form');
		assert.deepEqual(state.fields.map(field => field.value), ['ne', 'ipvlan', true]);
	});

	test('problems move the focus to the first bad field', () => {
		const state = apply(form(), {type: 'focusField', step: 2}, {type: 'problems', errors: {driver: 'no'}, warnings: {}});
		assert.equal(state?.kind === 'form' && state.focus, 1);
	});

	test('while sending the values are frozen; a refusal keeps them and reopens editing', () => {
		let state = apply(form(), {type: 'typeText', text: 'x'}, {type: 'submitting'}, {type: 'typeText', text: 'yz'});
		assert.equal(state?.kind === 'form' && state.fields[0]?.value, 'x');
		state = apply(state, {type: 'failed', serial: 2, errors: {name: 'exists'}});
		assert.ok(state?.kind === 'form');
		assert.equal(state.submitting, false);
		assert.equal(state.fields[0]?.value, 'x');
		assert.equal(state.errors['name'], 'exists');
	});

	test('a late result for another dialog changes nothing', () => {
		const open = apply(form(), {type: 'submitting'});
		assert.equal(apply(open, {type: 'failed', serial: 99, errors: {}, formError: 'x'}), open);
		assert.equal(apply(open, {type: 'closeIf', serial: 99}), open);
		assert.equal(apply(open, {type: 'closeIf', serial: 2}), undefined);
	});
});

describe('dialog keys', () => {
	test('a confirmation: y confirms, anything else cancels', () => {
		const confirm = {kind: 'confirm' as const, serial: 3, flow: {type: 'removeConfirm' as const, networkId: 'n'}, title: 't', lines: [], prompt: 'p'};
		assert.equal(dialogIntent(confirm, 'y', noKey, 5).type, 'submit');
		assert.equal(dialogIntent(confirm, 'n', noKey, 5).type, 'cancel');
		assert.equal(dialogIntent(confirm, '', {...noKey, return: true}, 5).type, 'cancel');
		assert.equal(dialogIntent(confirm, 'c', {...noKey, ctrl: true}, 5).type, 'quit');
	});

	test('a form: Space toggles a toggle but types into a text field; Esc cancels; sending ignores typing', () => {
		const base = form();
		assert.deepEqual(dialogIntent(base, ' ', noKey, 5), {type: 'action', action: {type: 'typeText', text: ' '}});
		assert.deepEqual(dialogIntent({...base, focus: 2}, ' ', noKey, 5), {type: 'action', action: {type: 'toggle'}});
		assert.deepEqual(dialogIntent(base, '', {...noKey, tab: true, shift: true}, 5), {type: 'action', action: {type: 'focusField', step: -1}});
		assert.equal(dialogIntent(base, '', {...noKey, escape: true}, 5).type, 'cancel');
		assert.equal(dialogIntent({...base, submitting: true}, 'a', noKey, 5).type, 'none');
		assert.equal(dialogIntent({...base, submitting: true}, '', {...noKey, return: true}, 5).type, 'none');
	});

	test('a picker: q and digits are filter text, not commands', () => {
		assert.deepEqual(dialogIntent(picker(), 'q', noKey, 5), {type: 'action', action: {type: 'typeText', text: 'q'}});
		assert.deepEqual(dialogIntent(picker(), '', {...noKey, pageDown: true}, 5), {type: 'action', action: {type: 'move', movement: 4, viewport: 5}});
	});
});
