import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {request} from 'node:http';
import type {Agent} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createSshTransport} from '../../source/engine/ssh-transport.js';
import type {SshTransport} from '../../source/engine/ssh-transport.js';
import {requireTestEngine} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {startTestSshd, TEST_SSHD_PORT} from '../helpers/test-sshd.js';
import type {TestSshd} from '../helpers/test-sshd.js';

// When the docker CLI on the engine host would dial a plain unix socket, docknet's master
// forwards HTTP connections straight to it (ssh -O forward -L): no docker CLI starts on the
// engine host per connection and no sshd session is held. An sshd that refuses such
// forwards gets a `docker system dial-stdio` run per connection, as before. Against real
// sshds on the test engine's loopback, through the transport itself.

let engine: TestEngine;
const sshds: {forwarding?: TestSshd; refusing?: TestSshd} = {};
let dir: string;

before(async () => {
	engine = requireTestEngine();
	dir = mkdtempSync(path.join(tmpdir(), 'docknet-forward-'));
	sshds.forwarding = await startTestSshd({dir: path.join(dir, 'forwarding'), netns: engine.netns, dockerHost: engine.dockerHost, port: TEST_SSHD_PORT + 5});
	sshds.refusing = await startTestSshd({dir: path.join(dir, 'refusing'), netns: engine.netns, dockerHost: engine.dockerHost, port: TEST_SSHD_PORT + 6, allowStreamLocalForwarding: false});
});

after(async () => {
	await sshds.forwarding?.stop();
	await sshds.refusing?.stop();
	rmSync(dir, {recursive: true, force: true});
});

/** An ssh that runs in the engine's network namespace, where the sshds listen. */
function sshInNamespace(sshd: TestSshd, name: string): string {
	const file = path.join(dir, `ssh-${name}`);
	writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${engine.netns} ${path.join(sshd.binDir, 'ssh')} "$@"\n`);
	chmodSync(file, 0o755);
	return file;
}

async function get(agent: Agent, requestPath: string): Promise<{status: number; body: string}> {
	return new Promise((resolve, reject) => {
		const sent = request({agent, host: 'docker', path: requestPath}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, body}));
		});
		sent.on('error', reject);
		sent.end();
	});
}

/** This process's ssh children running `docker system dial-stdio` (ip netns exec execs ssh). */
function dialStdioChildren(): number {
	let count = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue;
			if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('docker system dial-stdio')) count++;
		} catch {
			// Gone meanwhile.
		}
	}

	return count;
}

async function sixRequestsAtOnce(transport: SshTransport): Promise<void> {
	const answers = await Promise.all(['/version', '/info', '/_ping', '/networks', '/containers/json?all=1', '/version'].map(async requestPath => get(transport.agent, requestPath)));
	for (const answer of answers) assert.equal(answer.status, 200, answer.body.slice(0, 200));
	assert.match(answers[0]?.body ?? '', /"ApiVersion"/);
}

describe('HTTP connections to an ssh:// engine', () => {
	test('are forwarded to the engine socket the docker CLI there would dial once the forward is up: one login, no dial-stdio after that', async () => {
		const sshd = sshds.forwarding as TestSshd;
		const transport = createSshTransport({host: '127.0.0.1', port: TEST_SSHD_PORT + 5, username: 'root'}, {sshBinary: sshInNamespace(sshd, 'forwarding')});
		try {
			// The first connections run dial-stdio while the forward is set up; later ones are forwarded.
			await sixRequestsAtOnce(transport);
			assert.deepEqual(await transport.route(), {kind: 'forward', localPath: `${await transport.controlPath()}.engine`, remotePath: engine.socketPath});
			const early = dialStdioChildren();
			for (let batch = 0; batch < 3; batch++) await sixRequestsAtOnce(transport);
			assert.ok(dialStdioChildren() <= early, `no dial-stdio run once forwarded (${early} before, ${dialStdioChildren()} after)`);
			assert.equal(transport.connectionsOpened, 1, 'one master connection');
		} finally {
			transport.close();
		}
	});

	test('run dial-stdio, with the same answers, when sshd refuses the forward', async () => {
		const sshd = sshds.refusing as TestSshd;
		const transport = createSshTransport({host: '127.0.0.1', port: TEST_SSHD_PORT + 6, username: 'root'}, {sshBinary: sshInNamespace(sshd, 'refusing')});
		try {
			await sixRequestsAtOnce(transport);
			assert.deepEqual(await transport.route(), {kind: 'dial-stdio'});
			assert.ok(dialStdioChildren() > 0, 'the kept-alive connections are dial-stdio runs');
		} finally {
			transport.close();
		}
	});

	test('run dial-stdio when forwarding is switched off', async () => {
		const sshd = sshds.forwarding as TestSshd;
		const transport = createSshTransport({host: '127.0.0.1', port: TEST_SSHD_PORT + 5, username: 'root'}, {sshBinary: sshInNamespace(sshd, 'off'), forwardSocket: false});
		try {
			await sixRequestsAtOnce(transport);
			assert.deepEqual(await transport.route(), {kind: 'dial-stdio'});
		} finally {
			transport.close();
		}
	});
});
