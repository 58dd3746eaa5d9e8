import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {performance} from 'node:perf_hooks';
import {requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {cpuTicks, disposeAllDocknets, docknetBundle, startDocknet} from '../helpers/pty-app.js';
import {acceptedLogins} from '../helpers/test-sshd.js';

// docknet against an ssh:// engine, for real: test/run-tests.ts runs OpenSSH's sshd in the
// test engine's namespace (loopback, throwaway keys); docknet runs in that namespace too, with
// the real ssh client, which
// logs in by key. Every engine request and every host-interface read of a session must go
// over ONE ssh connection: sshd's log counts the logins.

interface SshSetup {
	url: string;
	env: Record<string, string>;
	log: string;
}

function sshSetup(): SshSetup {
	const url = process.env['DOCKNET_TEST_SSH_URL'];
	const bin = process.env['DOCKNET_TEST_SSH_BIN'];
	const log = process.env['DOCKNET_TEST_SSHD_LOG'];
	if (url === undefined || bin === undefined || log === undefined) {
		throw new Error('No test sshd: DOCKNET_TEST_SSH_URL, DOCKNET_TEST_SSH_BIN and DOCKNET_TEST_SSHD_LOG are set by test/run-tests.ts');
	}

	// The wrapper `ssh` first on PATH: it adds the throwaway key and known_hosts.
	return {url, log, env: {PATH: `${bin}:${process.env['PATH'] ?? ''}`}};
}

const resources = new TestResources();
let ssh: SshSetup;
let engine: TestEngine;

before(() => {
	engine = requireTestEngine();
	ssh = sshSetup();
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
});

/** The ssh processes docknet started, by their command lines. */
function sshChildren(docknetPid: number): string[][] {
	const lines: string[][] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid !== docknetPid) continue;
			const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(part => part !== '');
			if (argv[0]?.endsWith('ssh') || argv[1]?.endsWith('ssh')) lines.push([entry, ...argv]);
		} catch {
			// Gone meanwhile.
		}
	}

	return lines;
}

describe('an ssh:// engine over one ssh connection', () => {
	test('snapshot --json lists the engine and reads the host interfaces over ssh, with one login', async () => {
		const network = uniqueName('sshnet');
		await resources.createNetwork(network);
		const loginsBefore = acceptedLogins(ssh.log);
		const result = await new Promise<{stdout: string; stderr: string; code: number}>(resolve => {
			execFile('ip', ['netns', 'exec', engine.netns, process.execPath, docknetBundle, 'snapshot', '--json', '--host', ssh.url], {env: {...process.env, ...ssh.env}, timeout: 60_000, maxBuffer: 32 * 1024 * 1024}, (error, stdout, stderr) => {
				resolve({stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1});
			});
		});
		assert.equal(result.code, 0, result.stderr);
		const snapshot = JSON.parse(result.stdout) as {
			engine: {endpoint: string};
			networks: Array<{name: string; bridge: string | null}>;
			interfaces: {origin: string; status: string; items: Array<{name: string; kind: string}>};
		};
		assert.equal(snapshot.engine.endpoint, ssh.url);
		assert.ok(snapshot.networks.some(item => item.name === network), `${network} listed`);
		assert.equal(snapshot.interfaces.status, 'ok', JSON.stringify(snapshot.interfaces).slice(0, 300));
		assert.match(snapshot.interfaces.origin, /^ssh /);
		// The namespace's own interfaces: its docker0, not this machine's.
		assert.ok(snapshot.interfaces.items.some(item => item.name === 'docker0' && item.kind === 'bridge'), 'docker0 read over ssh');
		assert.equal(acceptedLogins(ssh.log) - loginsBefore, 1, 'one ssh connection for the whole snapshot');
	});

	test('the app follows a container start live, one login per session; a dropped connection is a lost engine that comes back', async () => {
		const loginsBefore = acceptedLogins(ssh.log);
		const app = startDocknet({args: ['--host', ssh.url], env: ssh.env, netns: engine.netns, columns: 120, rows: 40});
		await app.waitForText('● live', 30_000);
		await app.waitFor(lines => lines.some(line => line.startsWith(' 3 Host interfaces') && !line.includes('(0)')), 'host interfaces read over ssh', 30_000);
		const name = uniqueName('sshctr');
		const started = performance.now();
		await resources.runContainer(name);
		const shownAt = await app.waitFor(lines => lines.some(line => line.includes(name) && line.includes('running')), `${name} running`, 30_000);
		assert.ok(shownAt - started < 10_000);
		// Several engine requests and host reads later: still the one connection.
		assert.equal(acceptedLogins(ssh.log) - loginsBefore, 1, 'one ssh connection for the whole session');

		const pid = app.nodePid();
		assert.ok(pid !== undefined);
		// The counters and names, read once a second while the host pane is on screen, come
		// through one ssh client that stays open: no new ssh process per second (there were
		// two before). The engine's own channels (docker system dial-stdio) stay open too.
		await new Promise(resolve => setTimeout(resolve, 4000)); // the reads the container start caused
		const seen = new Map<string, string>();
		const idleStart = cpuTicks(pid);
		for (let sample = 0; sample < 25; sample++) {
			for (const [child, ...argv] of sshChildren(pid)) {
				if (argv.includes('ControlMaster=yes')) continue;
				const command = argv.at(-1) ?? '';
				seen.set(child ?? '', command.includes('while read -r _') ? 'counters' : command.includes('dial-stdio') ? 'engine channel' : command);
			}

			await new Promise(resolve => setTimeout(resolve, 200));
		}

		const idleTicks = cpuTicks(pid) - idleStart;
		process.stderr.write(`[ssh] idle over ssh, host pane on screen: ${idleTicks} CPU ticks in 5 s (${(idleTicks / 5).toFixed(1)} % of a core)\n`);
		const others = [...seen.values()].filter(kind => kind !== 'engine channel');
		assert.deepEqual(others, ['counters'], `ssh clients while idle besides the engine's channels: ${others.join(', ')}`);
		const master = sshChildren(pid).find(argv => argv.includes('ControlMaster=yes'));
		assert.ok(master !== undefined, `docknet's master connection among ${JSON.stringify(sshChildren(pid))}`);
		// The link drops: the engine is lost, then docknet reconnects with a new connection.
		process.kill(Number(master[0]), 'SIGKILL');
		await app.waitFor(lines => /lost|reconnecting/.test(lines[0] ?? ''), 'the engine marked lost', 30_000);
		await app.waitForText('● live', 30_000);
		assert.equal(acceptedLogins(ssh.log) - loginsBefore, 2, 'one new connection after the drop');
		app.press('q');
		await app.exited;
	});
});
