import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {startCrowdedEngine} from '../helpers/crowded-engine.js';
import type {CrowdedEngine} from '../helpers/crowded-engine.js';
import {docknetBundle} from '../helpers/pty-app.js';

// `docknet snapshot` against an engine with 200,000 networks (a fake one: a real engine in a
// test cannot hold that many): it used to stop with exit 3, "Maximum call stack size
// exceeded" from its own table code, reported as an unreadable engine answer. Every network
// must be in the text table and in the JSON, and the run must end well.

const NETWORKS = 200_000;
const CONTAINERS = 40;
let engine: CrowdedEngine;

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

async function snapshot(args: string[]): Promise<Run> {
	return new Promise(resolve => {
		execFile(process.execPath, [docknetBundle, 'snapshot', '--host', engine.dockerHost, ...args], {timeout: 180_000, maxBuffer: 512 * 1024 * 1024}, (error, stdout, stderr) => {
			resolve({code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr});
		});
	});
}

before(async () => {
	engine = await startCrowdedEngine({networks: NETWORKS, containers: CONTAINERS});
});

after(async () => {
	await engine?.close();
});

describe(`docknet snapshot with ${NETWORKS.toLocaleString('en')} networks`, () => {
	test('text: exit 0, and one table row per network, in name order', async () => {
		const run = await snapshot([]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stderr, '');
		const lines = run.stdout.split('\n');
		const heading = lines.indexOf(`NETWORKS (${NETWORKS})`);
		assert.ok(heading >= 0, `a NETWORKS (${NETWORKS}) heading: ${lines.slice(0, 5).join(' / ')}`);
		assert.match(lines[heading + 1] ?? '', /^NAME +DRIVER/);
		const end = lines.indexOf('', heading);
		const rows = lines.slice(heading + 2, end);
		assert.equal(rows.length, NETWORKS);
		const names = rows.map(row => row.split(' ')[0]);
		assert.deepEqual(names, [...engine.networkNames].sort());
		assert.ok(lines.includes(`CONTAINERS (${CONTAINERS})`));
	});

	test('--json: exit 0, every network and container', async () => {
		const run = await snapshot(['--json']);
		assert.equal(run.code, 0, run.stderr);
		const parsed = JSON.parse(run.stdout) as {networks: Array<{name: string; containers: unknown[]}>; containers: Array<{name: string}>};
		assert.equal(parsed.networks.length, NETWORKS);
		assert.deepEqual(new Set(parsed.networks.map(network => network.name)), new Set(engine.networkNames));
		assert.deepEqual(parsed.containers.map(container => container.name).sort(), [...engine.containerNames].sort());
		assert.equal(parsed.networks.reduce((sum, network) => sum + network.containers.length, 0), CONTAINERS * 2);
	});
});
