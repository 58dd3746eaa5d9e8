import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {InsideView} from '../../source/model/inside.js';
import {insideDetails} from '../../source/ui/presentation/inside-details.js';
import {fakeContainer} from '../helpers/fake-gateway.js';

// How the inside view says what became of the container's own files.

const view = (files: Extract<InsideView, {status: 'ok'}>['files']): InsideView => ({
	status: 'ok',
	interfaces: [],
	routes: [],
	dns: {nameservers: [], search: [], options: []},
	hosts: [{address: '10.0.0.1', names: ['a']}],
	files,
});

test('a refused, cut or missing file is one line each; a file read whole says nothing', () => {
	const container = fakeContainer({name: 'web'});
	const details = insideDetails(container, [container], view([
		{path: '/etc/resolv.conf', status: 'read', size: 40, readBytes: 40, cut: false},
		{path: '/etc/hosts', status: 'refused', note: '/etc/hosts is a FIFO, not read'},
	]));
	const fileLines = details.lines.filter(line => line.text.startsWith('File '));
	assert.deepEqual(fileLines, [{text: 'File           /etc/hosts is a FIFO, not read', tone: 'warn'}]);

	const cut = insideDetails(container, [container], view([
		{path: '/etc/hosts', status: 'read', size: 20 * 1024 * 1024, readBytes: 262_144, cut: true, note: 'cut at 256 KB of 20.0 MB'},
		{path: '/etc/resolv.conf', status: 'missing', note: '/proc/self is a link that leads nowhere inside the container'},
	]));
	assert.deepEqual(
		cut.lines.filter(line => line.text.startsWith('File ')),
		[
			{text: 'File           /etc/hosts: cut at 256 KB of 20.0 MB', tone: 'warn'},
			{text: 'File           /etc/resolv.conf: /proc/self is a link that leads nowhere inside the container', tone: 'muted'},
		],
	);
	assert.equal(cut.table.rows.length, 1, 'the entries read are still listed');
});
