import {execFile, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {dockerCli, requireTestEngine, TEST_RUN_ID, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {peerScript} from '../../source/host/ssh-peer-script.js';
import {disposeAllDocknets, docknetBundle, keys, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';

// Containers that turn the files docknet reads as root against it: with CAP_SYS_ADMIN they
// replace their /sys/class/net with a tmpfs holding a FIFO or a link to /dev/zero, and their
// /etc/hosts and /etc/resolv.conf (Docker's bind mounts, unmounted first) with a FIFO,
// /dev/zero, an absolute link to a file that exists only on the host, a link to
// /proc/self/environ; an unprivileged one writes a 20 MB /etc/hosts. docknet, in a real
// terminal and as `snapshot --json`, must stay responsive, end when asked, say what each
// file was, never show the host's file or its own environment, and stay small.

let engine: TestEngine;
const resources = new TestResources();
const token = `canary-${randomBytes(12).toString('hex')}`;
const canaryFile = path.join(tmpdir(), `docknet-test-${TEST_RUN_ID}-canary`);
// In docknet's environment, where a link to /proc/self/environ would find it.
const canaryEnv = {DOCKNET_TEST_CANARY: token};

const bb = '/bin/busybox';
/** A script run in the container: the attack, then "ready" on its log, then sleep. */
const attack = (steps: string[]): string[] => ['sh', '-c', `set -e; ${steps.join('; ')}; echo ready; exec ${bb} sleep 100000`];
const replaceEtc = (file: string, by: string): string => `${bb} umount /etc/${file}; ${bb} rm -f /etc/${file}; ${by}`;

interface Attacker {
	name: string;
	args: string[];
	steps: string[];
	/** What the inside view must say about each file (by path). */
	expect: Record<string, RegExp>;
}

const privileged = ['--cap-add', 'SYS_ADMIN'];
const attackers: Attacker[] = [
	{
		name: uniqueName('sysfifo'),
		args: privileged,
		steps: [`${bb} mount -t tmpfs none /sys/class/net`, `${bb} mkdir /sys/class/net/eth0`, `${bb} mkfifo /sys/class/net/eth0/iflink`, `echo 5 > /sys/class/net/eth0/ifindex`],
		expect: {},
	},
	{
		name: uniqueName('syszero'),
		args: privileged,
		steps: [`${bb} mount -t tmpfs none /sys/class/net`, `${bb} mkdir /sys/class/net/eth0`, `${bb} ln -s /dev/zero /sys/class/net/eth0/iflink`, `${bb} ln -s /dev/zero /sys/class/net/eth0/ifindex`],
		expect: {},
	},
	{
		// A shell's `read` takes it a byte at a time: 20 MB without a newline outlasts any watchdog.
		name: uniqueName('syshuge'),
		args: privileged,
		steps: [`${bb} mount -t tmpfs none /sys/class/net`, `${bb} mkdir /sys/class/net/eth0`, `${bb} head -c 20971520 /dev/zero > /sys/class/net/eth0/iflink`],
		expect: {},
	},
	{
		name: uniqueName('etcfifo'),
		args: privileged,
		steps: [replaceEtc('hosts', `${bb} mkfifo /etc/hosts`), replaceEtc('resolv.conf', `${bb} ln -s /dev/zero /etc/resolv.conf`)],
		expect: {'/etc/hosts': /FIFO/, '/etc/resolv.conf': /character device/},
	},
	{
		name: uniqueName('etclinks'),
		args: privileged,
		steps: [replaceEtc('hosts', `${bb} ln -s ${canaryFile} /etc/hosts`), replaceEtc('resolv.conf', `${bb} ln -s /proc/self/environ /etc/resolv.conf`)],
		expect: {'/etc/hosts': /does not exist inside the container/, '/etc/resolv.conf': /leads nowhere inside the container/},
	},
	{
		// Sharing the host's pid namespace, /proc/self is a real process: the file is refused.
		name: uniqueName('hostpid'),
		args: [...privileged, '--pid', 'host'],
		steps: [replaceEtc('hosts', `${bb} ln -s /proc/self/environ /etc/hosts`), replaceEtc('resolv.conf', `${bb} ln -s /proc/1/environ /etc/resolv.conf`)],
		expect: {'/etc/hosts': /a file of \/proc, not read/, '/etc/resolv.conf': /a file of \/proc, not read/},
	},
	{
		name: uniqueName('bighosts'),
		args: [],
		steps: [`${bb} yes '10.9.8.7 a-rather-long-host-name-to-fill-the-file' | ${bb} head -c 20971520 >> /etc/hosts`],
		expect: {'/etc/hosts': /cut at 256 KB of 20\.0 MB/},
	},
];

const benign = uniqueName('benign');

async function waitForLog(container: string, text: string, timeoutMs = 20_000): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const logs = await dockerCli(['logs', container]).catch(() => '');
		if (logs.includes(text)) return;
		const state = await dockerCli(['inspect', '-f', '{{.State.Status}}', container]);
		if (state !== 'running' || performance.now() > deadline) {
			throw new Error(`${container} did not get ready (${state}): ${logs}`);
		}

		await new Promise(resolve => setImmediate(resolve));
	}
}

before(async () => {
	engine = requireTestEngine();
	writeFileSync(canaryFile, `10.6.6.6 ${token}\nnameserver 10.6.6.6 # ${token}\n`);
	for (const attacker of attackers) {
		await resources.runContainer(attacker.name, {args: attacker.args, command: attack(attacker.steps)});
	}

	for (const attacker of attackers) await waitForLog(attacker.name, 'ready');
	await resources.runContainer(benign);
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
	rmSync(canaryFile, {force: true});
});

interface Run {
	code: number;
	stdout: string;
	stderr: string;
	ms: number;
	maxRssKb: number;
}

/** docknet in the engine's namespace under /usr/bin/time (its peak RSS), canary in its environment. */
async function runDocknet(args: string[]): Promise<Run> {
	const timeFile = path.join(tmpdir(), `docknet-test-${TEST_RUN_ID}-time`);
	const started = performance.now();
	const command = ['netns', 'exec', engine.netns, '/usr/bin/time', '-f', '%M', '-o', timeFile, process.execPath, docknetBundle, ...args, '--host', engine.dockerHost];
	// Its own process group, killed whole with SIGKILL on timeout: a docknet blocked in open()
	// of a FIFO ignores SIGTERM, and killing time(1) alone would leave it running.
	const child = spawn('ip', command, {env: {...process.env, ...canaryEnv}, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
	const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 60_000);
	const code = await new Promise<number>(resolve => child.on('close', exitCode => resolve(exitCode ?? 1)));
	clearTimeout(timer);
	let maxRssKb = Number.NaN;
	try {
		maxRssKb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop());
	} catch {
		// Killed before time(1) wrote it.
	}

	rmSync(timeFile, {force: true});
	return {code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), ms: performance.now() - started, maxRssKb};
}

interface SnapshotFile {
	path: string;
	status: string;
	cut: boolean;
	note: string | null;
}

interface SnapshotContainer {
	name: string;
	inside: {status: string; reason?: string; files?: SnapshotFile[]; hosts?: unknown[]} | null;
}

describe('files a container controls, read by docknet as root', () => {
	test('snapshot --json ends in time, says what each file was, leaks no host file, stays small', async () => {
		const run = await runDocknet(['snapshot', '--json']);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(run.ms < 10_000, `snapshot took ${Math.round(run.ms)} ms`);
		assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), 'the canary token is in the output');
		assert.ok(run.maxRssKb > 0 && run.maxRssKb < 200 * 1024, `peak RSS ${run.maxRssKb} kB`);
		assert.ok(run.stdout.length < 4 * 1024 * 1024, `${run.stdout.length} bytes of JSON`);
		const parsed = JSON.parse(run.stdout) as {containers: SnapshotContainer[]};
		for (const attacker of attackers) {
			const container = parsed.containers.find(item => item.name === attacker.name);
			assert.equal(container?.inside?.status, 'ok', `${attacker.name}: ${JSON.stringify(container?.inside)}`);
			for (const [file, note] of Object.entries(attacker.expect)) {
				const read = container?.inside?.files?.find(item => item.path === file);
				assert.match(read?.note ?? '', note, `${attacker.name} ${file}: ${JSON.stringify(read)}`);
			}
		}

		const big = parsed.containers.find(item => item.name === attackers.at(-1)?.name);
		const hostsFile = big?.inside?.files?.find(item => item.path === '/etc/hosts');
		assert.equal(hostsFile?.cut, true);
		assert.ok((big?.inside?.hosts?.length ?? 0) > 1000, 'the first entries are still shown');
	});

	describe('the full-screen view in a pseudo-terminal', () => {
		let app: DocknetPty;
		before(async () => {
			app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 120, rows: 40, env: canaryEnv});
			await app.waitForText(attackers[0]?.name ?? '', 20_000);
		});

		const answersWithin = async (key: string, done: (lines: string[]) => boolean, what: string): Promise<void> => {
			const pressed = performance.now();
			app.press(key);
			const at = await app.waitFor(done, what, 5000);
			assert.ok(at - pressed < 1000, `${what}: ${Math.round(at - pressed)} ms after the key`);
		};

		test('keys answer within a second while the attackers are on screen', async () => {
			await answersWithin('2', () => app.highlighted().some(text => text.startsWith('2 Containers')), 'the containers pane focused');
			await answersWithin('3', () => app.highlighted().some(text => text.startsWith('3 Host interfaces')), 'the interfaces pane focused');
			await answersWithin('2', () => app.highlighted().some(text => text.startsWith('2 Containers')), 'the containers pane again');
		});

		for (const attacker of attackers.filter(item => Object.keys(item.expect).length > 0)) {
			test(`i on ${attacker.name} shows why its files were not shown`, async () => {
				app.press(`/${attacker.name}`);
				await app.waitForText(`/${attacker.name}`);
				app.press(keys.enter);
				await app.waitFor(lines => lines.some(line => line.includes(' 2 Containers (1 of')), `only ${attacker.name} listed`);
				await answersWithin('i', lines => lines.some(line => line.includes(`Inside ${attacker.name}`)), 'the inside view');
				for (const [file, note] of Object.entries(attacker.expect)) {
					await app.waitFor(lines => lines.some(line => line.includes(`File           ${file}`) && note.test(line)), `${file} ${String(note)}`);
				}

				assert.ok(!app.text().includes(token), 'the canary token on screen');
				app.press(keys.escape);
				await app.waitFor(lines => !lines.some(line => line.includes(`Inside ${attacker.name}`)), 'the inside view closed');
				app.press('/');
				await app.waitForText(`/${attacker.name}▏`);
				app.press(keys.escape);
				await app.waitFor(lines => !lines.some(line => line.includes(`/${attacker.name}`)), 'the filter cleared');
			});
		}

		test('no canary anywhere in what it drew; peak RSS under 200 MB; q quits', async () => {
			assert.ok(!app.rawOutput().includes(token), 'the canary token in the output');
			const pid = app.nodePid();
			assert.ok(pid !== undefined);
			const peak = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			assert.ok(peak && Number(peak[1]) < 200 * 1024, `VmHWM ${peak?.[1]} kB`);
			app.press('q');
			const status = await Promise.race([app.exited, new Promise<'hung'>(resolve => setTimeout(() => resolve('hung'), 5000))]);
			assert.deepEqual(status, {exitCode: 0, signal: undefined});
		});
	});

	test("the ssh source's remote script is valid sh, ends, reads no planted file and keeps each bad container to itself", async () => {
		const pidOf = async (name: string): Promise<number> => Number(await dockerCli(['inspect', '-f', '{{.State.Pid}}', name]));
		const pids = new Map<string, number>();
		for (const name of [...attackers.map(item => item.name), benign]) pids.set(name, await pidOf(name));
		const script = peerScript([...pids.values()]);
		const shell = (args: string[]): Promise<{code: number; stdout: string; ms: number}> => {
			const started = performance.now();
			return new Promise(resolve => {
				execFile('ip', ['netns', 'exec', engine.netns, 'sh', ...args], {timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024}, (error, stdout) => {
					resolve({code: error === null ? 0 : 1, stdout, ms: performance.now() - started});
				});
			});
		};

		assert.equal((await shell(['-n', '-c', script])).code, 0, 'sh -n');
		const run = await shell(['-c', script]);
		assert.equal(run.code, 0);
		assert.ok(run.ms < 10_000, `${Math.round(run.ms)} ms`);
		assert.ok(!run.stdout.includes(token));
		const lines = run.stdout.split('\n');
		const huge = attackers.find(item => item.name.includes('syshuge'))?.name ?? '';
		assert.ok(lines.includes(`slow ${pids.get(huge) ?? 0}`), run.stdout);
		assert.ok(lines.some(line => new RegExp(`^if ${pids.get(benign) ?? 0} eth0 \\d+ \\d+ [0-9a-f:]{17}$`).test(line)), run.stdout);
		const planted = lines.filter(line => /^if /.test(line) && [...attackers.slice(0, 3)].some(item => line.startsWith(`if ${pids.get(item.name) ?? 0} `)));
		for (const line of planted) assert.doesNotMatch(line, /^if \d+ eth0 \d+ \d+/, `a planted iflink was read: ${line}`);
	});

	test('SIGTERM and SIGHUP end it while it looks at the attackers', async () => {
		const fifo = attackers.find(item => item.name.includes('etcfifo'))?.name ?? '';
		for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
			const app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, env: canaryEnv});
			await app.waitForText(attackers[0]?.name ?? '', 20_000);
			// Keys still answer once the veths were matched to containers (the sysfs attackers read).
			app.press('3');
			await app.waitFor(() => app.highlighted().some(text => text.startsWith('3 Host interfaces')), 'the interfaces pane focused', 5000);
			app.press(`2/${fifo}`);
			await app.waitForText(`/${fifo}`);
			app.press(`${keys.enter}i`);
			await app.waitForText('FIFO');
			const node = app.nodePid();
			assert.ok(node !== undefined);
			process.kill(node, signal);
			const status = await Promise.race([app.exited, new Promise<'hung'>(resolve => setTimeout(() => resolve('hung'), 5000))]);
			assert.notEqual(status, 'hung', `${signal} did not end docknet`);
			await app.dispose();
		}
	});
});
