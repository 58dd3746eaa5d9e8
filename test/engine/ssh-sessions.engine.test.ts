import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {performance} from 'node:perf_hooks';
import {requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {docknetBundle} from '../helpers/pty-app.js';
import {acceptedLogins, startTestSshd, TEST_SSHD_PORT} from '../helpers/test-sshd.js';
import type {TestSshd} from '../helpers/test-sshd.js';

// sshd lets one connection carry MaxSessions sessions (10 unless configured) and answers the
// next with "no more sessions". docknet puts every engine request and host read of a session
// on one connection, so a snapshot of an engine with many containers must queue its requests
// over the sessions sshd grants. These sshds grant fewer than docknet's three engine channels
// plus its host reads (3: the master's own and two more; 5: one short of what a snapshot
// would hold at once): the bound has to be learnt from sshd's refusal.

const CONTAINERS = 30;
const SESSION_LIMITS = [3, 5];

const resources = new TestResources();
let engine: TestEngine;
const sshds = new Map<number, TestSshd>();
const names: string[] = [];

before(async () => {
	engine = requireTestEngine();
	for (const [index, maxSessions] of SESSION_LIMITS.entries()) {
		sshds.set(maxSessions, await startTestSshd({
			dir: path.join(tmpdir(), `docknet-sshd-sessions-${process.pid}-${maxSessions}`),
			netns: engine.netns,
			dockerHost: engine.dockerHost,
			port: TEST_SSHD_PORT + 1 + index,
			maxSessions,
			// Forwarded connections hold no session: these sshds make every one a dial-stdio run.
			allowStreamLocalForwarding: false,
		}));
	}

	for (let index = 0; index < CONTAINERS; index++) {
		const name = uniqueName('sess');
		names.push(name);
		await resources.runContainer(name);
	}
});

after(async () => {
	await resources.cleanup();
	for (const sshd of sshds.values()) await sshd.stop();
});

function refusedSessions(logFile: string): number {
	return readFileSync(logFile, 'utf8').split('\n').filter(line => /no more sessions/i.test(line)).length;
}

describe('an ssh:// engine whose sshd grants fewer sessions than docknet would use', () => {
	for (const maxSessions of SESSION_LIMITS) test(`MaxSessions ${maxSessions}: snapshot --json of ${CONTAINERS} running containers, every container and the host, over one connection`, {timeout: 300_000}, async () => {
		const sshd = sshds.get(maxSessions);
		assert.ok(sshd !== undefined);
		const {url, binDir, logFile} = sshd;

		const loginsBefore = acceptedLogins(logFile);
		const refusedBefore = refusedSessions(logFile);
		const started = performance.now();
		const result = await new Promise<{stdout: string; stderr: string; code: number}>(resolve => {
			const env = {...process.env, PATH: `${binDir}:${process.env['PATH'] ?? ''}`};
			execFile('ip', ['netns', 'exec', engine.netns, process.execPath, docknetBundle, 'snapshot', '--json', '--host', url], {env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
				resolve({stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1});
			});
		});
		const took = performance.now() - started;
		const refused = refusedSessions(logFile) - refusedBefore;
		process.stderr.write(`[ssh-sessions] snapshot of ${CONTAINERS} containers, sshd MaxSessions ${maxSessions}: exit ${result.code} in ${Math.round(took)} ms, ${refused} session(s) refused by sshd\n`);
		assert.equal(result.code, 0, result.stderr);
		const snapshot = JSON.parse(result.stdout) as {
			containers: Array<{name: string; state: string}>;
			interfaces: {status: string; reason?: string};
		};
		for (const name of names) {
			const row = snapshot.containers.find(container => container.name === name);
			assert.ok(row !== undefined, `${name} in the snapshot`);
			assert.equal(row.state, 'running');
		}

		assert.equal(snapshot.interfaces.status, 'ok', `the host was read too: ${JSON.stringify(snapshot.interfaces).slice(0, 300)}`);
		assert.equal(acceptedLogins(logFile) - loginsBefore, 1, 'one ssh connection');
		// docknet learns the bound from the first refusal and asks for no session beyond it.
		assert.ok(refused <= 1, `sshd refused ${refused} sessions`);
	});
});
