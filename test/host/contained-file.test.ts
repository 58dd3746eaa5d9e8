import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {after, before, describe, test} from 'node:test';
import {createContainedFileReader} from '../../source/host/contained-file.js';
import {type ContainedReads, createContainedReads} from '../../source/host/contained-reader.js';
import {describeInsideFile} from '../../source/host/inside-view.js';

// A made-up container root on the test machine's disk, with what a hostile container
// plants in its own files, read as root the way docknet reads /proc/<pid>/root.

const reader = createContainedFileReader(fs);
let base: string;
let root: string;
let hostOnly: string;

const write = (inside: string, text: string): void => {
	fs.mkdirSync(path.dirname(path.join(root, inside)), {recursive: true});
	fs.writeFileSync(path.join(root, inside), text);
};

const link = (inside: string, target: string): void => {
	fs.mkdirSync(path.dirname(path.join(root, inside)), {recursive: true});
	fs.symlinkSync(target, path.join(root, inside));
};

before(() => {
	base = fs.mkdtempSync(path.join(tmpdir(), 'docknet-contained-'));
	root = path.join(base, 'root');
	hostOnly = path.join(base, 'host-only-secret');
	fs.writeFileSync(hostOnly, 'the host secret\n');
	write('/data/hosts', '10.0.0.1 inside\n');
	write('/secret', 'the container secret\n');
	link('/etc/hosts', '/data/hosts');
	link('/etc/to-host', hostOnly);
	link('/etc/climb', '../../../../../../../../secret');
	link('/etc/loop-a', '/etc/loop-b');
	link('/etc/loop-b', '/etc/loop-a');
	link('/etc/through-dir', '/data/../data/hosts');
	execFileSync('mkfifo', [path.join(root, 'etc', 'fifo')]);
	execFileSync('mknod', [path.join(root, 'etc', 'null'), 'c', '1', '3']);
	link('/etc/to-fifo', 'fifo');
	write('/etc/big', 'x'.repeat(5000));
	for (let index = 0; index < 20; index++) write(`/many/${index}`, '');
});

after(() => fs.rmSync(base, {recursive: true, force: true}));

describe('a file inside a container root', () => {
	test('an absolute link is resolved inside the root, never on the host', () => {
		assert.deepEqual(reader.readFile(root, '/etc/hosts', {capBytes: 1000}), {status: 'read', text: '10.0.0.1 inside\n', size: 16, cut: false});
		const toHost = reader.readFile(root, '/etc/to-host', {capBytes: 1000});
		assert.equal(toHost.status, 'missing');
		assert.ok(!JSON.stringify(toHost).includes('host secret'));
	});

	test('.. stops at the root', () => {
		const climbed = reader.readFile(root, '/etc/climb', {capBytes: 1000});
		assert.equal(climbed.status === 'read' ? climbed.text : climbed, 'the container secret\n');
		assert.equal(reader.readFile(root, '/../../etc/through-dir', {capBytes: 1000}).status, 'read');
	});

	test('a link loop ends after 40 links', () => {
		const loop = reader.readFile(root, '/etc/loop-a', {capBytes: 1000});
		assert.deepEqual(loop, {status: 'refused', reason: 'more than 40 symbolic links on the way to /etc/loop-a'});
	});

	test('a FIFO, a device and a directory are named, not read, and nothing blocks', () => {
		const started = performance.now();
		assert.deepEqual(reader.readFile(root, '/etc/fifo', {capBytes: 1000}), {status: 'refused', reason: '/etc/fifo is a FIFO, not read'});
		assert.deepEqual(reader.readFile(root, '/etc/to-fifo', {capBytes: 1000}), {status: 'refused', reason: '/etc/to-fifo (a link to /etc/fifo) is a FIFO, not read'});
		assert.deepEqual(reader.readFile(root, '/etc/null', {capBytes: 1000}), {status: 'refused', reason: '/etc/null is a character device, not read'});
		assert.deepEqual(reader.readFile(root, '/etc', {capBytes: 1000}), {status: 'refused', reason: '/etc is a directory, not read'});
		assert.ok(performance.now() - started < 1000);
	});

	test('a big file is read up to the cap and says it was cut', () => {
		const big = reader.readFile(root, '/etc/big', {capBytes: 1000});
		assert.equal(big.status, 'read');
		assert.deepEqual(big.status === 'read' ? {length: big.text.length, size: big.size, cut: big.cut} : big, {length: 1000, size: 5000, cut: true});
	});

	test('procfs files are refused; sysfs-only reads refuse anything else', () => {
		assert.deepEqual(reader.readFile('/', '/proc/self/environ', {capBytes: 1000}), {status: 'refused', reason: '/proc/self/environ (a link to /proc/' + process.pid + '/environ) is a file of /proc, not read'});
		const lo = reader.readFile('/', '/sys/class/net/lo/ifindex', {capBytes: 64, filesystem: 'sysfs'});
		assert.equal(lo.status === 'read' ? lo.text.trim() : lo, '1');
		assert.deepEqual(reader.readFile(root, '/data/hosts', {capBytes: 64, filesystem: 'sysfs'}), {status: 'refused', reason: '/data/hosts is not a sysfs file, not read'});
	});

	test('a listing stops at its limit', () => {
		const listing = reader.listDirectory(root, '/many', 5);
		assert.deepEqual(listing.status === 'listed' ? {count: listing.names.length, cut: listing.cut} : listing, {count: 5, cut: true});
		assert.equal(reader.listDirectory(root, '/etc/hosts', 5).status, 'refused');
	});
});

describe('the inside view of a file', () => {
	test('a cut file drops its partial last line and says how much was read', () => {
		const {text, file} = describeInsideFile('/etc/hosts', {status: 'read', text: '10.0.0.1 a\n10.0.0.2 b\n10.0.', size: 20 * 1024 * 1024, cut: true});
		assert.equal(text, '10.0.0.1 a\n10.0.0.2 b\n');
		assert.deepEqual(file, {path: '/etc/hosts', status: 'read', size: 20 * 1024 * 1024, readBytes: 27, cut: true, note: 'cut at 1 KB of 20.0 MB'});
	});
});

/** A helper-backed reader for `body`, which gets the helper's pid after a first read; always closed. */
async function withHelper(timeoutMs: number, body: (reads: ContainedReads, helper: number) => Promise<void>): Promise<void> {
	const reads = createContainedReads({inProcess: false, timeoutMs});
	try {
		assert.equal((await reads.readFile(root, '/etc/hosts', {capBytes: 1000})).status, 'read');
		const helper = reads.helperPid?.();
		assert.ok(helper !== undefined);
		await body(reads, helper);
	} finally {
		reads.close();
	}
}

describe('the helper process', () => {
	test('answers as the in-process reader does', async () => {
		await withHelper(5000, async reads => {
			for (const inside of ['/etc/hosts', '/etc/to-host', '/etc/fifo', '/etc/big']) {
				assert.deepEqual(await reads.readFile(root, inside, {capBytes: 1000}), reader.readFile(root, inside, {capBytes: 1000}), inside);
			}
		});
	});

	test('a helper that dies mid-read is replaced and the read asked again', async () => {
		await withHelper(5000, async (reads, first) => {
			process.kill(first, 'SIGSTOP');
			const asked = reads.readFile(root, '/etc/hosts', {capBytes: 1000});
			process.kill(first, 'SIGKILL');
			assert.deepEqual(await asked, {status: 'read', text: '10.0.0.1 inside\n', size: 16, cut: false});
			assert.notEqual(reads.helperPid?.(), first);
		});
	});

	test('a read that does not answer in time costs that root only, and a fresh helper takes over', async () => {
		await withHelper(300, async (reads, stuck) => {
			// A stopped helper answers nothing, as one stuck in a hung file system would.
			process.kill(stuck, 'SIGSTOP');
			const started = performance.now();
			// Reads of other containers wait behind the stuck one: they are not blamed for it.
			const [late, ...behind] = await Promise.all([
				reads.readFile(root, '/etc/hosts', {capBytes: 1000}),
				reads.readFile(path.join(root, 'data'), '/hosts', {capBytes: 1000}),
				reads.readFile(path.join(root, 'etc'), '/hosts', {capBytes: 1000}),
			]);
			assert.deepEqual(late, {status: 'refused', reason: 'no answer within 0.3 s: a file system in the container hangs'});
			assert.deepEqual(behind.map(read => read.status), ['read', 'missing']);
			assert.ok(performance.now() - started < 2000);
			assert.deepEqual(await reads.readFile(root, '/secret', {capBytes: 1000}), {status: 'refused', reason: 'not read: an earlier read in this container hung'});
			assert.notEqual(reads.helperPid?.(), stuck);
			assert.throws(() => process.kill(stuck, 0), 'the stuck helper was killed');
		});
	});
});
