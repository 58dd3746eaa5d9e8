import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {findProgram} from '../../source/playground/private-engine.js';
import {requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {docknetBundle} from '../helpers/pty-app.js';
import {acceptedLogins, startTestSshd, TEST_SSHD_PORT} from '../helpers/test-sshd.js';
import type {TestSshd} from '../helpers/test-sshd.js';

// `-H ssh://alias` with the alias's port, user and address in the ssh config, as an operator
// writes it: docknet passes no `-p` of its own when the address names no port (the docker
// CLI does the same), so the config's Port applies. The sshd listens on a port that is not 22.

const PORT = TEST_SSHD_PORT + 8;
const ALIAS = 'docknet-alias';

const resources = new TestResources();
const clientDir = path.join(tmpdir(), `docknet-ssh-config-${process.pid}`);
let engine: TestEngine;
let sshd: TestSshd | undefined;
let binDir: string;

before(async () => {
	engine = requireTestEngine();
	sshd = await startTestSshd({dir: path.join(tmpdir(), `docknet-sshd-config-${process.pid}`), netns: engine.netns, dockerHost: engine.dockerHost, port: PORT});
	// The user's ssh config, with only what an alias needs besides the throwaway key.
	rmSync(clientDir, {recursive: true, force: true});
	binDir = path.join(clientDir, 'bin');
	mkdirSync(binDir, {recursive: true, mode: 0o700});
	const config = path.join(clientDir, 'config');
	writeFileSync(config, [
		`Host ${ALIAS}`,
		'  HostName 127.0.0.1',
		`  Port ${PORT}`,
		'  User root',
		`  IdentityFile ${sshd.clientKey}`,
		'  IdentitiesOnly yes',
		`  UserKnownHostsFile ${sshd.knownHosts}`,
		'  StrictHostKeyChecking yes',
		'',
	].join('\n'));
	// ssh reads the config of the user it runs as, whatever HOME says: the wrapper names it.
	writeFileSync(path.join(binDir, 'ssh'), `#!/bin/sh\nexec ${findProgram('ssh') ?? '/usr/bin/ssh'} -F ${config} "$@"\n`);
	chmodSync(path.join(binDir, 'ssh'), 0o755);
});

after(async () => {
	await resources.cleanup();
	await sshd?.stop();
	rmSync(clientDir, {recursive: true, force: true});
});

describe('an ssh:// alias from the ssh config', () => {
	test('snapshot --json --host ssh://alias reaches the engine and its host at the Port the config gives', {timeout: 120_000}, async () => {
		assert.ok(sshd !== undefined);
		const name = uniqueName('alias');
		await resources.runContainer(name);
		const loginsBefore = acceptedLogins(sshd.logFile);
		const result = await new Promise<{stdout: string; stderr: string; code: number}>(resolve => {
			const env = {...process.env, PATH: `${binDir}:${process.env['PATH'] ?? ''}`};
			execFile('ip', ['netns', 'exec', engine.netns, process.execPath, docknetBundle, 'snapshot', '--json', '--host', `ssh://${ALIAS}`], {env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024}, (error, stdout, stderr) => {
				resolve({stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1});
			});
		});
		assert.equal(result.code, 0, result.stderr);
		const snapshot = JSON.parse(result.stdout) as {
			engine: {endpoint: string};
			containers: Array<{name: string; state: string}>;
			interfaces: {origin: string; status: string};
		};
		assert.equal(snapshot.engine.endpoint, `ssh://${ALIAS}`);
		assert.equal(snapshot.containers.find(container => container.name === name)?.state, 'running');
		assert.equal(snapshot.interfaces.status, 'ok', JSON.stringify(snapshot.interfaces).slice(0, 300));
		assert.equal(snapshot.interfaces.origin, `ssh ${ALIAS}`);
		assert.equal(acceptedLogins(sshd.logFile) - loginsBefore, 1, 'the engine and the host over one connection to the alias');
	});
});
