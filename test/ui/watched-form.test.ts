import assert from 'node:assert/strict';
import {test} from 'node:test';
import {dialogReducer, newForm} from '../../source/ui/state/dialog-state.js';
import type {DialogState, FormDialog} from '../../source/ui/state/dialog-state.js';

// A form whose request went unanswered is "watching": Esc then must not say that nothing
// changed. It stays so through a refused resend ("already sent, wait for it") and ends with
// the verdict.

test('a watched form stays watched through a busy refusal, and the verdict ends it', () => {
	let state: DialogState = newForm(7, {type: 'createNetwork'}, 'Create a network', [{id: 'name', kind: 'text', label: 'Name', value: 'n1'}]);
	state = dialogReducer(state, {type: 'submitting'});
	state = dialogReducer(state, {type: 'failed', serial: 7, errors: {}, formError: 'Creating network n1 timed out — …', watching: true});
	assert.equal((state as FormDialog).watching, true);
	state = dialogReducer(state, {type: 'submitting'});
	state = dialogReducer(state, {type: 'failed', serial: 7, errors: {}, formError: 'Already watching…'});
	assert.equal((state as FormDialog).watching, true, 'a refused resend changes nothing about the watch');
	state = dialogReducer(state, {type: 'failed', serial: 7, errors: {}, formError: '… it was not applied', watching: false});
	assert.equal((state as FormDialog).watching, false);
});
