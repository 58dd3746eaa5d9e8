import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import type {ResolvedEndpoint} from '../../source/engine/endpoint.js';
import {hostSourceFor} from '../../source/engine-connections.js';
import {listeningSockets, locateSocketNamespace} from '../../source/host/socket-namespace.js';

// Where a unix socket is served from, read from a procfs tree made here: docknet's own
// namespace, an engine daemon in exactly one other, or unknown (two listeners, a forwarder,
// or namespaces it may not read).

const header = 'Num       RefCount Protocol Flags    Type St Inode Path\n';
const listening = (socket: string, inode: number): string => `0000000074709c96: 00000002 00000000 00010000 0001 01 ${inode} ${socket}\n`;
const connected = (socket: string, inode: number): string => `000000005270f203: 00000003 00000000 00000000 0001 03 ${inode} ${socket}\n`;
const unbound = '00000000aa1bc0de: 00000003 00000000 00000000 0001 03  1062\n';

const roots: string[] = [];
after(() => {
	for (const root of roots) rmSync(root, {recursive: true, force: true});
});

interface FakeProcess {
	netns: string;
	unix: string;
	/** Socket inodes it holds open. */
	sockets?: number[];
	comm?: string;
}

/** A /proc with `self` and numbered processes, each in the named namespace with that unix listing. */
function fakeProc(processes: Record<string, FakeProcess | {netns: undefined}>): string {
	const root = mkdtempSync(path.join(tmpdir(), 'docknet-proc-'));
	roots.push(root);
	for (const [pid, entry] of Object.entries(processes)) {
		mkdirSync(path.join(root, pid, 'ns'), {recursive: true});
		if (entry.netns === undefined) continue;
		symlinkSync(entry.netns, path.join(root, pid, 'ns', 'net'));
		mkdirSync(path.join(root, pid, 'net'));
		writeFileSync(path.join(root, pid, 'net', 'unix'), header + entry.unix);
		writeFileSync(path.join(root, pid, 'comm'), `${entry.comm ?? 'sleep'}\n`);
		mkdirSync(path.join(root, pid, 'fd'));
		for (const [fd, inode] of (entry.sockets ?? []).entries()) symlinkSync(`socket:[${inode}]`, path.join(root, pid, 'fd', String(fd + 3)));
	}

	return root;
}

describe('listeningSockets', () => {
	test('only listening sockets with a path; a path may hold spaces', () => {
		const listing = header + listening('/tmp/a b/docker.sock', 11) + connected('/tmp/c/docker.sock', 12) + unbound + listening('@abstract', 13);
		assert.deepEqual(listeningSockets(listing), [{path: '/tmp/a b/docker.sock', inode: 11}, {path: '@abstract', inode: 13}]);
	});
});

describe('locateSocketNamespace', () => {
	const socket = '/tmp/engine-b/docker.sock';

	test('listening in docknet\'s own namespace: same, whether its holder is the daemon or cannot be seen', () => {
		const proc = fakeProc({
			self: {netns: 'net:[100]', unix: listening(socket, 5)},
			1: {netns: 'net:[100]', unix: listening(socket, 5), sockets: [5], comm: 'systemd'},
			4: {netns: 'net:[100]', unix: listening(socket, 5), sockets: [5], comm: 'dockerd'},
			7: {netns: 'net:[200]', unix: listening('/tmp/other.sock', 6)},
		});
		assert.deepEqual(locateSocketNamespace(socket, proc), {status: 'same'}, 'socket activation: the daemon among its holders');
		const unseen = fakeProc({self: {netns: 'net:[100]', unix: listening(socket, 5)}, 4: {netns: 'net:[100]', unix: listening(socket, 5)}});
		assert.deepEqual(locateSocketNamespace(socket, unseen), {status: 'same'});
	});

	test('held in docknet\'s own namespace by another program: forwarded, by whom', () => {
		const proc = fakeProc({self: {netns: 'net:[100]', unix: listening(socket, 5)}, 4: {netns: 'net:[100]', unix: listening(socket, 5), sockets: [5], comm: 'ssh'}});
		assert.deepEqual(locateSocketNamespace(socket, proc), {status: 'forwarded', pid: 4, command: 'ssh'});
	});

	test('served by the engine daemon in one other namespace: that namespace and the daemon', () => {
		const proc = fakeProc({
			self: {netns: 'net:[100]', unix: connected(socket, 4)},
			3: {netns: 'net:[100]', unix: ''},
			7: {netns: 'net:[200]', unix: listening(socket, 5)},
			8: {netns: 'net:[200]', unix: listening(socket, 5), sockets: [9, 5], comm: 'dockerd'},
			9: {netns: 'net:[300]', unix: listening('/tmp/other.sock', 6), sockets: [6], comm: 'dockerd'},
		});
		assert.deepEqual(locateSocketNamespace(socket, proc), {status: 'other', netns: 'net:[200]', pid: 8, command: 'dockerd'});
	});

	test('served by a forwarder in another namespace: forwarded, since where the engine runs is not known', () => {
		const proc = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: listening(socket, 5), sockets: [5], comm: 'socat'}});
		assert.deepEqual(locateSocketNamespace(socket, proc), {status: 'forwarded', pid: 7, command: 'socat'});
	});

	test('a path reached through a symbolic link still matches the path it was bound to', () => {
		const real = mkdtempSync(path.join(tmpdir(), 'docknet-run-'));
		roots.push(real);
		const linked = `${real}-link`;
		symlinkSync(real, linked);
		roots.push(linked);
		const proc = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: listening(path.join(linked, 'docker.sock'), 5), sockets: [5], comm: 'podman'}});
		writeFileSync(path.join(real, 'docker.sock'), '');
		assert.deepEqual(locateSocketNamespace(path.join(real, 'docker.sock'), proc), {status: 'other', netns: 'net:[200]', pid: 7, command: 'podman'});
	});

	test('unknown when two namespaces list it, when none does, or when the namespaces cannot be read (not root)', () => {
		const twice = fakeProc({
			self: {netns: 'net:[100]', unix: ''},
			7: {netns: 'net:[200]', unix: listening(socket, 5), sockets: [5], comm: 'dockerd'},
			8: {netns: 'net:[300]', unix: listening(socket, 9), sockets: [9], comm: 'dockerd'},
		});
		assert.deepEqual(locateSocketNamespace(socket, twice), {status: 'unknown'});
		const nowhere = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: ''}});
		assert.deepEqual(locateSocketNamespace(socket, nowhere), {status: 'unknown'});
		const hidden = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: undefined}});
		assert.deepEqual(locateSocketNamespace(socket, hidden), {status: 'unknown'});
		const holderUnseen = fakeProc({self: {netns: 'net:[100]', unix: ''}, 7: {netns: 'net:[200]', unix: listening(socket, 5)}});
		assert.deepEqual(locateSocketNamespace(socket, holderUnseen), {status: 'unknown'});
	});
});

describe('a socket this process forwards, on the real /proc', () => {
	const endpointOf = (socketPath: string): ResolvedEndpoint => ({url: `unix://${socketPath}`, source: '--host', kind: 'unix', local: true, socketPath});

	test('found held by this process; the host is read here only when the engine names this machine as its host', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'docknet-fwd-'));
		roots.push(directory);
		const socketPath = path.join(directory, 'docker.sock');
		const server = net.createServer(socket => socket.destroy());
		await new Promise<void>(resolve => server.listen(socketPath, resolve));
		try {
			const located = locateSocketNamespace(socketPath);
			assert.deepEqual(located, {status: 'forwarded', pid: process.pid, command: readFileSync('/proc/self/comm', 'utf8').trim()});
			const elsewhere = hostSourceFor(endpointOf(socketPath), undefined, {product: 'Docker', rootless: false, hostname: `not-${hostname()}`}, 'node-b');
			assert.ok('unavailable' in elsewhere);
			assert.match(elsewhere.unavailable, new RegExp(`^node-b's engine calls its host "not-${hostname()}", not this machine's "${hostname()}": its socket is forwarded here by \\S+ \\(pid ${process.pid}\\)`));
			const here = hostSourceFor(endpointOf(socketPath), undefined, {product: 'Docker', rootless: false, hostname: hostname()}, 'node-b');
			assert.ok(!('unavailable' in here), 'the engine calls this machine its host: read as today');
		} finally {
			await new Promise(resolve => server.close(resolve));
		}
	});
});
