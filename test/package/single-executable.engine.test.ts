import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {statSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {promisify} from 'node:util';
import packageJson from '../../package.json' with {type: 'json'};
import {requireTestEngine} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {disposeAllDocknets, repoRoot, startDocknet} from '../helpers/pty-app.js';

// `npm run build:exe` makes dist/docknet-linux-x64, docknet for servers without Node.js. Built
// here once (the longest step, ~15-45 s), then run as a user would: no node, no node_modules.

const run = promisify(execFile);
const executable = path.join(repoRoot, 'dist', `docknet-linux-${process.arch}`);
let engine: TestEngine;

before(async () => {
	engine = requireTestEngine();
	await run('npm', ['run', '--silent', 'build:exe'], {cwd: repoRoot, timeout: 300_000});
});

after(async () => {
	await disposeAllDocknets();
});

describe('the single executable', () => {
	it('answers --version and takes a snapshot of the engine', async () => {
		assert.ok(statSync(executable).size > 10 * 1024 * 1024, 'node itself is inside');
		const version = await run(executable, ['--version']);
		assert.equal(version.stdout.trim(), packageJson.version);
		const snapshot = await run(executable, ['snapshot', '--json', '--host', engine.dockerHost], {maxBuffer: 16 * 1024 * 1024, cwd: '/'});
		const parsed = JSON.parse(snapshot.stdout) as {schema: string; engine: {endpoint: string}; networks: Array<{name: string}>};
		assert.equal(parsed.schema, 'docknet.snapshot/1');
		assert.equal(parsed.engine.endpoint, engine.dockerHost);
		assert.ok(parsed.networks.some(network => network.name === 'bridge'));
	});

	it('draws the full UI in a terminal and quits', async () => {
		const app = startDocknet({command: [executable], args: ['--host', engine.dockerHost], netns: engine.netns, columns: 100, rows: 30});
		await app.waitForText('● live', 30_000);
		await app.waitFor(lines => lines.some(line => line.startsWith(' 3 Host interfaces') && !line.includes('(0)')), 'host interfaces', 30_000);
		app.press('q');
		assert.equal((await app.exited).exitCode, 0);
	});
});
