import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import packageJson from '../../package.json' with {type: 'json'};
import {requireTestEngine} from '../helpers/engine-harness.js';
import {repoRoot} from '../helpers/pty-app.js';

// What a user gets from `npm pack` and `npm install -g docknet-<version>.tgz`: the bundle,
// README and licence, nothing to download, and a `docknet` that runs. npm test has built
// dist/ already, so the pack skips prepack (which builds) here.

const run = promisify(execFile);

function directorySize(dir: string): number {
	let total = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) total += directorySize(full);
		else if (entry.isFile()) total += statSync(full).size;
	}

	return total;
}

describe('the packed package', () => {
	let dir: string;
	let tarball: string;
	let prefix: string;
	let files: string[];

	before(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'docknet-pack-'));
		prefix = path.join(dir, 'prefix');
		const {stdout} = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: repoRoot});
		const [packed] = JSON.parse(stdout) as Array<{filename: string; files: Array<{path: string}>}>;
		assert.ok(packed !== undefined, 'npm pack reported a package');
		tarball = path.join(dir, packed.filename);
		files = packed.files.map(file => file.path).sort();
	});

	after(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('holds the bundle, README and licence only, and declares no dependencies to download', () => {
		assert.deepEqual(files, ['LICENSE', 'README.md', 'dist/docknet-main.cjs', 'dist/docknet.js', 'dist/package.json', 'package.json']);
		assert.equal((packageJson as {dependencies?: unknown}).dependencies, undefined);
		assert.equal(packageJson.scripts.prepack, 'npm run --silent build');
	});

	it('installs globally offline, under 15 MB, and its docknet answers against the engine', async () => {
		// --offline: any download would fail the install.
		await run('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], {cwd: dir});
		const installed = path.join(prefix, 'lib', 'node_modules', 'docknet');
		assert.deepEqual(readdirSync(installed).sort(), ['LICENSE', 'README.md', 'dist', 'package.json']);
		assert.ok(directorySize(installed) < 15 * 1024 * 1024, `installed size ${directorySize(installed)} bytes`);

		const docknet = path.join(prefix, 'bin', 'docknet');
		const version = await run(docknet, ['--version']);
		assert.equal(version.stdout.trim(), packageJson.version);

		const engine = requireTestEngine();
		// Another cache directory than the user's: the installed copy writes its own code cache.
		const env = {...process.env, XDG_CACHE_HOME: path.join(dir, 'cache')};
		const snapshot = await run(docknet, ['snapshot', '--json', '--host', engine.dockerHost], {env, maxBuffer: 16 * 1024 * 1024});
		const parsed = JSON.parse(snapshot.stdout) as {schema: string; engine: {endpoint: string; version: string}; networks: Array<{name: string}>};
		assert.equal(parsed.schema, 'docknet.snapshot/1');
		assert.equal(parsed.engine.endpoint, engine.dockerHost);
		assert.ok(parsed.networks.some(network => network.name === 'bridge'), 'the engine\'s default bridge network is listed');
		assert.equal(readdirSync(path.join(dir, 'cache', 'docknet')).filter(name => name.endsWith('.v8cache')).length, 1);
	});
});
