import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {codeCacheDirectory, codeCacheFile, removeOtherCaches} from '../../source/startup/code-cache.js';
import {repoRoot} from '../helpers/pty-app.js';

// Each load runs in its own node process, as docknet's starts do: the cache is written on the
// way out of one and read by the next.

let dir: string;
let bundle: string;
let cache: string;

function loadInChild(): {accepted: boolean | null; answer: number; filename: string} {
	const loader = path.join(repoRoot, 'source', 'startup', 'code-cache.ts');
	const script = `import {loadCommonJsWithCache} from ${JSON.stringify(loader)};
const loaded = loadCommonJsWithCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
process.stdout.write(JSON.stringify({accepted: loaded.cacheAccepted ?? null, ...loaded.exports.describe()}));`;
	const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: repoRoot, encoding: 'utf8'});
	return JSON.parse(output) as {accepted: boolean | null; answer: number; filename: string};
}

describe('code cache', () => {
	before(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'docknet-code-cache-'));
		bundle = path.join(dir, 'bundle.cjs');
		cache = path.join(dir, 'cache', 'main.v8cache');
		writeFileSync(bundle, "const path = require('node:path');\nfunction sum(n) { let s = 0; for (let i = 1; i <= n; i++) s += i; return s; }\nmodule.exports.describe = () => ({answer: sum(10), filename: path.basename(__filename)});\n");
	});

	after(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('runs the bundle as CommonJS without a cache, and writes one on the way out', () => {
		assert.deepEqual(loadInChild(), {accepted: null, answer: 55, filename: 'bundle.cjs'});
		assert.ok(existsSync(cache), 'the cache file was written');
	});

	it('gives V8 the cache on the next start, which accepts it', () => {
		const written = readFileSync(cache);
		assert.deepEqual(loadInChild(), {accepted: true, answer: 55, filename: 'bundle.cjs'});
		// An accepted cache is left as it is.
		assert.deepEqual(readFileSync(cache), written);
	});

	it('ignores a cache V8 rejects, and replaces it', () => {
		writeFileSync(cache, Buffer.from('not a V8 code cache at all'));
		assert.deepEqual(loadInChild(), {accepted: false, answer: 55, filename: 'bundle.cjs'});
		assert.deepEqual(loadInChild(), {accepted: true, answer: 55, filename: 'bundle.cjs'});
	});

	it('keys the cache by bundle hash, node version and architecture, under XDG_CACHE_HOME or ~/.cache', () => {
		assert.equal(codeCacheDirectory({XDG_CACHE_HOME: '/x/cache'}, '/home/u'), '/x/cache/docknet');
		assert.equal(codeCacheDirectory({}, '/home/u'), '/home/u/.cache/docknet');
		assert.equal(codeCacheDirectory({XDG_CACHE_HOME: 'relative'}, '/home/u'), '/home/u/.cache/docknet');
		assert.equal(codeCacheFile('/c', 'abc123'), `/c/main-abc123-node${process.versions.node}-${process.arch}.v8cache`);
	});

	it("a new build's cache, once written, replaces the caches of older builds; nothing else in the folder goes", () => {
		const folder = path.join(dir, 'prune');
		mkdirSync(folder);
		const current = codeCacheFile(folder, 'new1');
		for (const file of [codeCacheFile(folder, 'old1'), codeCacheFile(folder, 'old2'), current, path.join(folder, 'notes.txt')]) writeFileSync(file, 'x');
		removeOtherCaches(current);
		assert.deepEqual(readdirSync(folder).sort(), [path.basename(current), 'notes.txt'].sort());
	});
});
