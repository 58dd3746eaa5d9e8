import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {isLive, listNetns, listProcesses, programName} from '../../source/playground/linux-host.js';
import {cleanupStaleEngines} from '../../source/playground/private-engine.js';
import {PLAYGROUND_PREFIX} from '../../source/playground/run-playground.js';
import {NOTHING_LEFT, remainsOf} from '../playground/engine-remains.js';
import {disposeAllDocknets, docknetBundle, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';
import {runProcess} from '../helpers/run-process.js';

// `docknet --playground` as a user starts it: its own engine in its own namespace, seeded, the
// UI run inside that namespace, and nothing left behind afterwards. The checks name the
// playgrounds this file started (docknet-playground-<pid of docknet>), so a playground someone
// else runs on the same machine neither fails nor is touched by these tests.

const startTimeoutMs = 90_000;

after(async () => {
	await disposeAllDocknets();
	// Only playgrounds whose owner is dead: ours, killed above or by a failed test.
	await cleanupStaleEngines(PLAYGROUND_PREFIX);
});

function startPlayground(): DocknetPty {
	return startDocknet({args: ['--playground'], columns: 120, rows: 45});
}

function playgroundOf(app: DocknetPty): {name: string; dir: string} {
	const name = `${PLAYGROUND_PREFIX}-${app.pid}`;
	return {name, dir: path.join(os.tmpdir(), name)};
}

/** dockerd processes whose command line names this playground. */
function dockerdsOf(name: string): number[] {
	return listProcesses()
		.filter(info => isLive(info) && programName(info) === 'dockerd' && info.argv.some(arg => arg.includes(name)))
		.map(info => info.pid);
}

async function assertNothingLeft(name: string, dir: string): Promise<void> {
	assert.deepEqual(dockerdsOf(name), [], `no dockerd of ${name}`);
	assert.ok(!(await listNetns()).includes(name), `no network namespace ${name}`);
	assert.ok(!existsSync(dir), `no directory ${dir}`);
	assert.deepEqual(remainsOf(name, dir), NOTHING_LEFT);
}

/** Waits until the playground's UI shows the walkthrough: ctn1 and ctn2 on docker0, their veths. */
async function waitForWalkthrough(app: DocknetPty): Promise<void> {
	const onDocker0 = (name: string) => (line: string) => new RegExp(`\\b${name}\\b.*\\brunning\\b.*\\b172\\.17\\.0\\.\\d+`).test(line);
	await app.waitFor(
		lines =>
			lines.some(onDocker0('ctn1')) &&
			lines.some(onDocker0('ctn2')) &&
			lines.some(line => /^\W{0,2}\s*docker0\s/.test(line)) &&
			lines.some(line => /\bveth\w+/.test(line) && line.includes('ctn1:eth0')) &&
			lines.some(line => /\bveth\w+/.test(line) && line.includes('ctn2:eth0')),
		'ctn1 and ctn2 on 172.17.0.x, docker0 and their veths',
		startTimeoutMs,
	);
}

interface Result {
	code: number;
	output: string;
}

async function run(command: string[]): Promise<Result> {
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env['CI'];
	const {code, stdout, stderr} = await runProcess(command[0] as string, command.slice(1), {env, timeoutMs: 60_000});
	return {code, output: `${stdout}${stderr}`};
}

describe('docknet --playground', () => {
	test('shows the walkthrough, and q leaves no engine, namespace or directory behind', async () => {
		const app = startPlayground();
		const {name, dir} = playgroundOf(app);
		try {
			await waitForWalkthrough(app);
			assert.ok(existsSync(dir) && dockerdsOf(name).length === 1, `${name} runs while docknet shows it`);
			app.press('q');
			const status = await app.exited;
			assert.equal(status.exitCode, 0, app.text());
			await assertNothingLeft(name, dir);
		} finally {
			await app.dispose();
		}
	});

	test('closing the terminal (a dropped ssh link) stops the engine and leaves nothing behind', async () => {
		const app = startPlayground();
		const {name, dir} = playgroundOf(app);
		try {
			await waitForWalkthrough(app);
			app.hangUp();
			// Nothing reports back through a closed terminal, but docknet exits only once it has
			// stopped the engine. The stop bounds each of its steps (SIGTERM, then SIGKILL after
			// 15 s), so two minutes is ample on a loaded machine and still catches a hang.
			await app.waitFor(() => app.hasExited, 'docknet to stop the playground and exit after the hang-up', 120_000);
			await assertNothingLeft(name, dir);
		} finally {
			await app.dispose();
		}
	});

	test('after a SIGKILL, the next start removes the remains', async () => {
		const killed = startPlayground();
		const first = playgroundOf(killed);
		try {
			await waitForWalkthrough(killed);
			// The docknet parent and the docknet it runs through `ip netns exec` share the pty's
			// process group; dockerd has its own and survives, as after a real kill -9.
			killed.killGroup('SIGKILL');
			const status = await killed.exited;
			assert.equal(status.signal, 9);
		} finally {
			await killed.dispose();
		}

		assert.equal(dockerdsOf(first.name).length, 1, 'the killed playground left its dockerd running');
		assert.ok(existsSync(first.dir));

		const next = startPlayground();
		const second = playgroundOf(next);
		try {
			await waitForWalkthrough(next);
			assert.match(next.rawOutput(), /removed the remains of an earlier playground/);
			await assertNothingLeft(first.name, first.dir);
			next.press('q');
			assert.equal((await next.exited).exitCode, 0);
			await assertNothingLeft(second.name, second.dir);
		} finally {
			await next.dispose();
		}
	});

	test('without root: a clear message naming root, exit code 1, no stack trace', async () => {
		const result = await run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, docknetBundle, '--playground']);
		assert.equal(result.code, 1, result.output);
		assert.match(result.output, /root/);
		assert.match(result.output, /cannot start/);
		assert.doesNotMatch(result.output, /^\s+at /m, 'no stack trace');
	});

	test('without dockerd: a clear message naming the package, exit code 1', async () => {
		// docknet also looks in /usr/sbin and friends, so PATH alone cannot hide dockerd: a
		// private mount namespace (gone when the command ends) covers it with /dev/null, which
		// is not an executable file.
		const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd', '/usr/local/sbin/dockerd'].filter(file => existsSync(file));
		const hide = dockerd.map(file => `mount --bind /dev/null ${file}`).join(' && ');
		const script = `${hide} && exec "$0" "$@"`;
		const result = await run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, process.execPath, docknetBundle, '--playground']);
		assert.equal(result.code, 1, result.output);
		assert.match(result.output, /dockerd \(the Docker engine\) not found/);
		assert.match(result.output, /docker\.io/);
		assert.doesNotMatch(result.output, /^\s+at /m, 'no stack trace');
		// The mounts were private to that command.
		assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(' /usr/sbin/dockerd '));
	});
});
