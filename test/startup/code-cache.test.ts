import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {createRequire} from 'node:module';
import path from 'node:path';
import {Script} from 'node:vm';
import {after, before, describe, it} from 'node:test';
import {bundleDigest, codeCacheContents, commonJsWrapper, codeCacheDirectory, codeCacheHeadLength, codeCacheName, removeOtherCaches} from '../../source/startup/code-cache.js';
import type {CacheUse} from '../../source/startup/code-cache.js';
import {repoRoot} from '../helpers/pty-app.js';

// Each load runs in its own node process, as docknet's starts do: the cache is written on the
// way out of one and read by the next. Another user is played by `nobody` (chown needs root).

const nobody = 65534;
const needsRoot = process.geteuid?.() === 0 ? false : 'chown needs root';

let dir: string;

interface Loaded {
	cache: CacheUse;
	problem: string | null;
	answer: number;
	filename: string;
}

function loadInChild(bundle: string, directory: string, write = true): Loaded {
	const loader = path.join(repoRoot, 'source', 'startup', 'code-cache.ts');
	const script = `import {loadCommonJsWithCache} from ${JSON.stringify(loader)};
const loaded = loadCommonJsWithCache(${JSON.stringify(bundle)}, {directory: ${JSON.stringify(directory)}, write: ${String(write)}});
process.stdout.write(JSON.stringify({cache: loaded.cache, problem: loaded.problem ?? null, ...loaded.exports.describe()}));`;
	const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: repoRoot, encoding: 'utf8'});
	return JSON.parse(output) as Loaded;
}

/** The original bundle ran, without the cache, for this reason. */
const refused = (problem: string): Loaded => ({cache: 'refused', problem, answer: 55, filename: 'bundle.cjs'});

// The edit keeps the length, and is in the top-level code, which V8 compiles eagerly and keeps in
// the cache: V8 itself would take the original's cache for the edited bundle and run its code.
const original = "const path = require('node:path');\nconst count = 10;\nfunction sum(n) { let s = 0; for (let i = 1; i <= n; i++) s += i; return s; }\nmodule.exports.describe = () => ({answer: sum(count), filename: path.basename(__filename)});\n";
const edited = original.replace('count = 10', 'count = 20');

let counter = 0;
/** A folder with the bundle, and where its cache goes (not made yet). */
function setup(source = original): {bundle: string; cacheDir: string; cacheFile: string} {
	counter += 1;
	const folder = path.join(dir, String(counter));
	mkdirSync(folder);
	const bundle = path.join(folder, 'bundle.cjs');
	writeFileSync(bundle, source);
	const cacheDir = path.join(folder, 'cache', 'docknet');
	return {bundle, cacheDir, cacheFile: path.join(cacheDir, codeCacheName(bundleDigest(Buffer.from(source, 'latin1'))))};
}

describe('code cache', () => {
	before(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'docknet-code-cache-'));
	});

	after(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('runs the bundle as CommonJS without a cache, writes one on the way out; V8 accepts it next time', () => {
		const {bundle, cacheDir, cacheFile} = setup();
		assert.deepEqual(loadInChild(bundle, cacheDir), {cache: 'none', problem: null, answer: 55, filename: 'bundle.cjs'});
		assert.ok(existsSync(cacheFile), 'the cache file was written');
		const written = readFileSync(cacheFile);
		assert.equal(lstatSync(cacheFile).mode & 0o777, 0o600);
		assert.equal(lstatSync(cacheDir).mode & 0o777, 0o700);
		assert.deepEqual(loadInChild(bundle, cacheDir), {cache: 'accepted', problem: null, answer: 55, filename: 'bundle.cjs'});
		// An accepted cache is left as it is.
		assert.deepEqual(readFileSync(cacheFile), written);
	});

	it('a cache V8 rejects is replaced; so is a file that is no cache of ours at all', () => {
		const {bundle, cacheDir, cacheFile} = setup();
		loadInChild(bundle, cacheDir);
		writeFileSync(cacheFile, codeCacheContents(bundleDigest(readFileSync(bundle)), Buffer.from('not a V8 code cache at all')));
		assert.equal(loadInChild(bundle, cacheDir).cache, 'rejected');
		assert.equal(loadInChild(bundle, cacheDir).cache, 'accepted');
		writeFileSync(cacheFile, 'no head, no digest');
		assert.equal(loadInChild(bundle, cacheDir).cache, 'other-bundle');
		assert.equal(loadInChild(bundle, cacheDir).cache, 'accepted');
	});

	it('an edited bundle of the same length never runs the cache of the original', () => {
		const before = setup();
		loadInChild(before.bundle, before.cacheDir);
		const originalCache = readFileSync(before.cacheFile);
		// V8 alone would take it (it checks the source's length, not its content) and run the
		// original's top-level code for the edited source.
		const stale = new Script(commonJsWrapper(edited), {filename: before.bundle, cachedData: originalCache.subarray(codeCacheHeadLength)});
		assert.equal(stale.cachedDataRejected, false);
		const module = {exports: {} as {describe(): {answer: number}}};
		(stale.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string) => void)(module.exports, createRequire(before.bundle), module, before.bundle);
		assert.equal(module.exports.describe().answer, 55);

		// The bundle is replaced by the edited one: its own cache is looked for, by content.
		writeFileSync(before.bundle, edited);
		assert.deepEqual(loadInChild(before.bundle, before.cacheDir), {cache: 'none', problem: null, answer: 210, filename: 'bundle.cjs'});
		// The original's cache under the edited one's name: its head names the original's bytes.
		const editedName = codeCacheName(bundleDigest(Buffer.from(edited, 'latin1')));
		writeFileSync(path.join(before.cacheDir, editedName), originalCache);
		assert.deepEqual(loadInChild(before.bundle, before.cacheDir), {cache: 'other-bundle', problem: null, answer: 210, filename: 'bundle.cjs'});
		assert.equal(loadInChild(before.bundle, before.cacheDir).cache, 'accepted');
	});

	it("a cache planted by another user is not loaded, nor replaced; the same file as ours would run", {skip: needsRoot}, () => {
		const {bundle, cacheDir, cacheFile} = setup();
		mkdirSync(cacheDir, {recursive: true, mode: 0o700});
		// Made from the edited bundle, with the original's digest in its name and head.
		const planted = codeCacheContents(bundleDigest(Buffer.from(original, 'latin1')), new Script(commonJsWrapper(edited)).createCachedData());
		writeFileSync(cacheFile, planted, {mode: 0o600});
		chownSync(cacheFile, nobody, nobody);
		assert.deepEqual(loadInChild(bundle, cacheDir), refused(`${cacheFile} is owned by uid ${nobody}, not by uid 0 that docknet runs as`));
		assert.deepEqual(readFileSync(cacheFile), planted);
		// The owner is all that stops it: owned by the running user, V8 runs the edited code.
		chownSync(cacheFile, 0, 0);
		assert.deepEqual(loadInChild(bundle, cacheDir), {cache: 'accepted', problem: null, answer: 210, filename: 'bundle.cjs'});
	});

	it('a cache directory of another user is not read nor written; one line says why', {skip: needsRoot}, () => {
		const {bundle, cacheDir} = setup();
		mkdirSync(cacheDir, {recursive: true, mode: 0o700});
		chownSync(cacheDir, nobody, nobody);
		assert.deepEqual(loadInChild(bundle, cacheDir), refused(`${cacheDir} is owned by uid ${nobody}, not by uid 0 that docknet runs as`));
		assert.deepEqual(readdirSync(cacheDir), []);
	});

	it('a group-writable cache directory is not read nor written', () => {
		const {bundle, cacheDir} = setup();
		mkdirSync(cacheDir, {recursive: true, mode: 0o700});
		chmodSync(cacheDir, 0o770);
		assert.deepEqual(loadInChild(bundle, cacheDir), refused(`${cacheDir} is writable by its group or others (mode 0770)`));
		assert.deepEqual(readdirSync(cacheDir), []);
	});

	it('a symbolic link as the cache file is not followed, nor replaced', () => {
		const {bundle, cacheDir, cacheFile} = setup();
		loadInChild(bundle, cacheDir);
		const elsewhere = path.join(path.dirname(cacheDir), 'elsewhere.v8cache');
		renameSync(cacheFile, elsewhere);
		symlinkSync(elsewhere, cacheFile);
		assert.deepEqual(loadInChild(bundle, cacheDir), refused(`${cacheFile} is a symbolic link`));
		assert.ok(lstatSync(cacheFile).isSymbolicLink());
	});

	it('a symbolic link as the cache directory is not followed, even to a good cache', () => {
		const {bundle, cacheDir} = setup();
		const real = path.join(path.dirname(cacheDir), 'real');
		loadInChild(bundle, real);
		assert.equal(loadInChild(bundle, real).cache, 'accepted');
		symlinkSync(real, cacheDir);
		assert.deepEqual(loadInChild(bundle, cacheDir), refused(`${cacheDir} is a symbolic link`));
	});

	it('read-only (write: false): nothing is written, the directory is not even made; a cache there is still used', () => {
		const {bundle, cacheDir} = setup();
		assert.equal(loadInChild(bundle, cacheDir, false).cache, 'none');
		assert.equal(existsSync(path.dirname(cacheDir)), false);
		loadInChild(bundle, cacheDir);
		assert.equal(loadInChild(bundle, cacheDir, false).cache, 'accepted');
	});

	it('keys the cache by bundle content, node version and architecture, under XDG_CACHE_HOME or ~/.cache', () => {
		assert.equal(codeCacheDirectory({XDG_CACHE_HOME: '/x/cache'}, '/home/u'), '/x/cache/docknet');
		assert.equal(codeCacheDirectory({}, '/home/u'), '/home/u/.cache/docknet');
		assert.equal(codeCacheDirectory({XDG_CACHE_HOME: 'relative'}, '/home/u'), '/home/u/.cache/docknet');
		const digest = bundleDigest(Buffer.from('abc'));
		assert.equal(codeCacheName(digest), `main-ba7816bf8f01cfea414140de5dae2223-node${process.versions.node}-${process.arch}.v8cache`);
	});

	it("a new build's cache, once written, replaces the caches of older builds; nothing else in the folder goes", {skip: needsRoot}, () => {
		const folder = path.join(dir, 'prune');
		mkdirSync(folder);
		const outside = path.join(dir, 'victim');
		writeFileSync(outside, 'victim');
		const name = (text: string): string => codeCacheName(bundleDigest(Buffer.from(text)));
		const current = name('new');
		for (const file of [name('old1'), name('old2'), current, 'notes.txt', name('theirs')]) writeFileSync(path.join(folder, file), 'x');
		chownSync(path.join(folder, name('theirs')), nobody, nobody);
		symlinkSync(outside, path.join(folder, name('link')));
		removeOtherCaches(folder, current);
		assert.deepEqual(readdirSync(folder).sort(), [current, 'notes.txt', name('theirs'), name('link')].sort());
		assert.equal(readFileSync(outside, 'utf8'), 'victim');
	});
});
