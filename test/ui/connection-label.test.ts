import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialSnapshot} from '../../source/model/store.js';
import {connectionLabel} from '../../source/ui/components/header.js';

test('the header names a stalled engine with the time it stopped answering, in the bad tone', () => {
	const since = new Date(2026, 10, 29, 7, 31, 2).getTime();
	const label = connectionLabel({...initialSnapshot, connection: {status: 'stalled', since}}, since + 60_000);
	assert.deepEqual(label, {text: '✖ not answering since 07:31:02', tone: 'bad'});
	assert.deepEqual(connectionLabel({...initialSnapshot, connection: {status: 'live', since}}, since), {text: '● live', tone: 'good'});
});
