import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {appendPrivateFile, createPrivateFile, privateDirectory, readPrivateFile, removeOwnFiles} from '../../source/runtime/private-files.js';

// The rule docknet applies before it loads or writes a file of its own: the directory is the
// running user's, nobody else can change it or anything above it, and no link is followed.
// Another user is played by `nobody` (chown needs root, as docknet's own dangerous case does).

const nobody = 65534;
const asRoot = process.geteuid?.() === 0;
const needsRoot = asRoot ? false : 'chown needs root';

let base: string;

before(() => {
	base = mkdtempSync(path.join(tmpdir(), 'docknet-private-'));
	chmodSync(base, 0o755);
});

after(() => {
	rmSync(base, {recursive: true, force: true});
});

let counter = 0;
function fresh(name: string): string {
	counter += 1;
	const folder = path.join(base, `${counter}-${name}`);
	mkdirSync(folder, {mode: 0o700});
	return folder;
}

const victimText = 'the victim, unchanged\n';
function victim(folder: string): string {
	const file = path.join(folder, 'victim');
	writeFileSync(file, victimText);
	return file;
}

describe('a private directory', () => {
	test('missing: made with mode 0700, parents too, and then found private', () => {
		const wanted = path.join(fresh('make'), 'state', 'docknet');
		assert.deepEqual(privateDirectory(wanted, {create: true}), {state: 'private', directory: wanted});
		assert.equal(statSync(wanted).mode & 0o777, 0o700);
		assert.equal(statSync(path.dirname(wanted)).mode & 0o777, 0o700);
		assert.deepEqual(privateDirectory(wanted, {create: false}), {state: 'private', directory: wanted});
	});

	test('missing and not to be made: absent, and nothing is made', () => {
		const parent = fresh('absent');
		assert.deepEqual(privateDirectory(path.join(parent, 'a', 'docknet'), {create: false}), {state: 'absent'});
		assert.deepEqual(readdirSync(parent), []);
	});

	test("owned by another user: refused, nothing made inside", {skip: needsRoot}, () => {
		const wanted = path.join(fresh('foreign'), 'docknet');
		mkdirSync(wanted, {mode: 0o700});
		chownSync(wanted, nobody, nobody);
		const check = privateDirectory(wanted, {create: true});
		assert.equal(check.state, 'refused');
		assert.match(check.state === 'refused' ? check.problem : '', new RegExp(`${wanted} is owned by uid ${nobody}, not by uid 0 that docknet runs as`));
		assert.deepEqual(readdirSync(wanted), []);
	});

	test('writable by its group or by others: refused', () => {
		for (const mode of [0o770, 0o707, 0o1777]) {
			const wanted = path.join(fresh('writable'), 'docknet');
			mkdirSync(wanted);
			chmodSync(wanted, mode);
			const check = privateDirectory(wanted, {create: true});
			assert.deepEqual(check, {state: 'refused', problem: `${wanted} is writable by its group or others (mode 0${mode.toString(8)})`});
		}
	});

	test('a symbolic link, even to a private directory of ours: refused', () => {
		const real = fresh('real');
		const link = path.join(fresh('link'), 'docknet');
		symlinkSync(real, link);
		assert.deepEqual(privateDirectory(link, {create: true}), {state: 'refused', problem: `${link} is a symbolic link`});
	});

	test("inside another user's directory: refused (they could swap ours), nothing made", {skip: needsRoot}, () => {
		const theirs = fresh('theirs');
		chownSync(theirs, nobody, nobody);
		const ours = path.join(theirs, 'ours');
		mkdirSync(ours, {mode: 0o700});
		const check = privateDirectory(path.join(ours, 'docknet'), {create: true});
		assert.deepEqual(check, {state: 'refused', problem: `${theirs} is owned by uid ${nobody}, neither root nor uid 0 that docknet runs as`});
		assert.deepEqual(readdirSync(ours), []);
	});

	test('inside a directory anyone may write: refused, unless it is sticky like /tmp', () => {
		const open = fresh('open');
		chmodSync(open, 0o777);
		assert.equal(privateDirectory(path.join(open, 'docknet'), {create: true}).state, 'refused');
		assert.deepEqual(readdirSync(open), []);
		chmodSync(open, 0o1777);
		assert.equal(privateDirectory(path.join(open, 'docknet'), {create: true}).state, 'private');
	});

	test('symbolic links above it are resolved, and the real directories checked', () => {
		const real = fresh('real-parent');
		const alias = path.join(fresh('alias'), 'cache');
		symlinkSync(real, alias);
		assert.deepEqual(privateDirectory(path.join(alias, 'docknet'), {create: true}), {state: 'private', directory: path.join(real, 'docknet')});
	});

	test('checked for the uid given: a directory of root is not that of uid 1234', () => {
		const wanted = fresh('uid');
		assert.equal(privateDirectory(wanted, {create: false, uid: 1234}).state, 'refused');
	});
});

describe('a private file', () => {
	test('appended to, made 0600 when missing', () => {
		const file = path.join(fresh('append'), 'journal.jsonl');
		assert.equal(appendPrivateFile(file, 'one\n'), undefined);
		assert.equal(appendPrivateFile(file, 'two\n'), undefined);
		assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\n');
		assert.equal(statSync(file).mode & 0o777, 0o600);
	});

	test('a symbolic link is neither appended to, read, nor written through, even a dangling one', () => {
		const folder = fresh('symlink');
		const target = victim(folder);
		const link = path.join(folder, 'journal.jsonl');
		symlinkSync(target, link);
		assert.equal(appendPrivateFile(link, 'planted\n'), `${link} is a symbolic link`);
		assert.deepEqual(readPrivateFile(link, 1024), {state: 'refused', problem: `${link} is a symbolic link`});
		assert.throws(() => createPrivateFile(link, 'planted', 0o700), {code: 'EEXIST'});
		assert.equal(readFileSync(target, 'utf8'), victimText);

		const dangling = path.join(folder, 'dangling');
		const wouldBeMade = path.join(folder, 'made-through-the-link');
		symlinkSync(wouldBeMade, dangling);
		assert.equal(appendPrivateFile(dangling, 'planted\n'), `${dangling} is a symbolic link`);
		assert.throws(() => createPrivateFile(dangling, 'planted', 0o700), {code: 'EEXIST'});
		assert.equal(existsSync(wouldBeMade), false);
	});

	test("another user's file is neither appended to nor read", {skip: needsRoot}, () => {
		const file = victim(fresh('their-file'));
		chownSync(file, nobody, nobody);
		assert.equal(appendPrivateFile(file, 'planted\n'), `${file} is owned by uid ${nobody}, not by uid 0 that docknet runs as`);
		assert.equal(readPrivateFile(file, 1024).state, 'refused');
		assert.equal(readFileSync(file, 'utf8'), victimText);
	});

	test('a file others may write is not read', () => {
		const file = victim(fresh('writable-file'));
		chmodSync(file, 0o666);
		assert.deepEqual(readPrivateFile(file, 1024), {state: 'refused', problem: `${file} is writable by its group or others (mode 0666)`});
	});

	test('a FIFO is refused at once: no read or append waits for a writer or a reader', () => {
		const fifo = path.join(fresh('fifo'), 'journal.jsonl');
		execFileSync('mkfifo', [fifo]);
		assert.deepEqual(readPrivateFile(fifo, 1024), {state: 'refused', problem: `${fifo} is not a regular file`});
		// No reader: the non-blocking open fails (ENXIO) instead of waiting.
		assert.match(appendPrivateFile(fifo, 'x\n') ?? '', /ENXIO/);
	});

	test('read whole, and a file bigger than allowed is not read', () => {
		const file = victim(fresh('read'));
		const read = readPrivateFile(file, 1024);
		assert.equal(read.state === 'read' ? read.data.toString() : read.state, victimText);
		assert.equal(readPrivateFile(file, 4).state, 'failed');
		assert.deepEqual(readPrivateFile(path.join(path.dirname(file), 'none'), 1024), {state: 'absent'});
	});

	test('made new only: an existing file is never overwritten', () => {
		const file = victim(fresh('exclusive'));
		assert.throws(() => createPrivateFile(file, 'planted', 0o700), {code: 'EEXIST'});
		assert.equal(readFileSync(file, 'utf8'), victimText);
	});

	test("removing: only the running user's regular files go, never a link's target nor another user's file", {skip: needsRoot}, () => {
		const folder = fresh('remove');
		const outside = victim(fresh('outside'));
		writeFileSync(path.join(folder, 'old-ours'), 'x');
		writeFileSync(path.join(folder, 'old-theirs'), 'x');
		chownSync(path.join(folder, 'old-theirs'), nobody, nobody);
		symlinkSync(outside, path.join(folder, 'old-link'));
		writeFileSync(path.join(folder, 'keep'), 'x');
		removeOwnFiles(folder, name => name.startsWith('old-'));
		assert.deepEqual(readdirSync(folder).sort(), ['keep', 'old-link', 'old-theirs']);
		assert.ok(lstatSync(path.join(folder, 'old-link')).isSymbolicLink());
		assert.equal(readFileSync(outside, 'utf8'), victimText);
	});
});
