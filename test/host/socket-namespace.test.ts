import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {listeningSocketPaths, locateSocketNamespace} from '../../source/host/socket-namespace.js';

// Where a unix socket listens, read from a procfs tree made here: docknet's own namespace,
// exactly one other, or unknown (two listeners, or namespaces it may not read).

const header = 'Num       RefCount Protocol Flags    Type St Inode Path\n';
const listening = (socket: string, inode: number): string => `0000000074709c96: 00000002 00000000 00010000 0001 01 ${inode} ${socket}\n`;
const connected = (socket: string, inode: number): string => `000000005270f203: 00000003 00000000 00000000 0001 03 ${inode} ${socket}\n`;
const unbound = '00000000aa1bc0de: 00000003 00000000 00000000 0001 03  1062\n';

const roots: string[] = [];
after(() => {
	for (const root of roots) rmSync(root, {recursive: true, force: true});
});

/** A /proc with `self` and numbered processes, each in the named namespace with that unix listing. */
function fakeProc(processes: Record<string, {netns: string; unix: string} | {netns: undefined}>): string {
	const root = mkdtempSync(path.join(tmpdir(), 'docknet-proc-'));
	roots.push(root);
	for (const [pid, entry] of Object.entries(processes)) {
		mkdirSync(path.join(root, pid, 'ns'), {recursive: true});
		if (entry.netns === undefined) continue;
		symlinkSync(entry.netns, path.join(root, pid, 'ns', 'net'));
		mkdirSync(path.join(root, pid, 'net'));
		writeFileSync(path.join(root, pid, 'net', 'unix'), header + entry.unix);
	}

	return root;
}

describe('listeningSocketPaths', () => {
	test('only listening sockets with a path; a path may hold spaces', () => {
		const listing = header + listening('/tmp/a b/docker.sock', 11) + connected('/tmp/c/docker.sock', 12) + unbound + listening('@abstract', 13);
		assert.deepEqual(listeningSocketPaths(listing), ['/tmp/a b/docker.sock', '@abstract']);
	});
});

describe('locateSocketNamespace', () => {
	const socket = '/tmp/engine-b/docker.sock';

	test('listening in docknet\'s own namespace: same', () => {
		const proc = fakeProc({self: {netns: 'net:[100]', unix: listening(socket, 5)}, 7: {netns: 'net:[200]', unix: listening('/tmp/other.sock', 6)}});
		assert.deepEqual(locateSocketNamespace(socket, proc), {status: 'same'});
	});

	test('listening in one other namespace: that namespace and a process in it', () => {
		const proc = fakeProc({
			self: {netns: 'net:[100]', unix: connected(socket, 4)},
			3: {netns: 'net:[100]', unix: ''},
			7: {netns: 'net:[200]', unix: listening(socket, 5)},
			8: {netns: 'net:[200]', unix: listening(socket, 5)},
			9: {netns: 'net:[300]', unix: listening('/tmp/other.sock', 6)},
		});
		assert.deepEqual(locateSocketNamespace(socket, proc), {status: 'other', netns: 'net:[200]', pid: 7});
	});

	test('a path reached through a symbolic link still matches the path it was bound to', () => {
		const real = mkdtempSync(path.join(tmpdir(), 'docknet-run-'));
		roots.push(real);
		const linked = `${real}-link`;
		symlinkSync(real, linked);
		roots.push(linked);
		const proc = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: listening(path.join(linked, 'docker.sock'), 5)}});
		writeFileSync(path.join(real, 'docker.sock'), '');
		assert.deepEqual(locateSocketNamespace(path.join(real, 'docker.sock'), proc), {status: 'other', netns: 'net:[200]', pid: 7});
	});

	test('unknown when two namespaces list it, when none does, or when the namespaces cannot be read (not root)', () => {
		const twice = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: listening(socket, 5)}, 8: {netns: 'net:[300]', unix: listening(socket, 9)}});
		assert.deepEqual(locateSocketNamespace(socket, twice), {status: 'unknown'});
		const nowhere = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: ''}});
		assert.deepEqual(locateSocketNamespace(socket, nowhere), {status: 'unknown'});
		const hidden = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: undefined}});
		assert.deepEqual(locateSocketNamespace(socket, hidden), {status: 'unknown'});
	});
});
