import {spawn, spawnSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {createConnection} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import {findRunningEngine} from '../source/playground/private-engine.js';
import {channelArguments, masterArguments, muxClientOptions} from '../source/ssh/arguments.js';
import {startTestSshd} from '../test/helpers/test-sshd.js';
import {appendAll} from '../source/model/large-arrays.js';
import {measureStartup, percentile} from './startup.js';
import type {StartupResult} from './startup.js';

// Where the time of a start over ssh:// goes, piece by piece, against a real sshd on the
// engine's loopback, beside the whole start over ssh and locally (docknet's, and a peer's
// given --peer):
//   tsx bench/ssh-breakdown.ts --engine=<name kept by bench/startup-run.ts> [--rounds=5] [--peer=<lazydocker>] [--scripts=<a/dist/docknet.js>,<b/…>]
// The pieces: a login of its own (handshake, key exchange, authentication, a session), the
// master's login until its control socket exists, a session on the master running `true`
// (the remote login shell), and one HTTP request (/_ping) over a channel that runs
// `docker system dial-stdio` (the docker CLI's own start on the engine host) against one
// that forwards straight to the engine's socket (ssh -W <socket>, no remote process).

function option(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find(arg => arg.startsWith(prefix))?.slice(prefix.length);
}

const say = (line: string): void => {
	process.stderr.write(`${line}\n`);
};

const name = option('engine');
if (name === undefined) throw new Error('--engine=<name> is required (start one with bench/startup-run.ts --engine=<name>)');
const engine = findRunningEngine(name);
if (engine === undefined) throw new Error(`no running engine ${name}: start it with bench/startup-run.ts --engine=${name}`);
const rounds = Number(option('rounds') ?? 5);
const peer = option('peer');
// The peer (lazydocker) forwards to /var/run/docker.sock and takes user and port from the ssh config.
const sshd = await startTestSshd({dir: path.join(os.tmpdir(), `docknet-bench-sshd-${process.pid}`), netns: engine.netns, dockerHost: engine.dockerHost, engineAtDefaultSocket: true});
const peerOverSsh = 'ssh://127.0.0.1';
const ssh = path.join(sshd.binDir, 'ssh');
const target = {host: '127.0.0.1', port: 2222, username: 'root'};
const inNamespace = (command: string[]): string[] => ['ip', 'netns', 'exec', engine.netns, ...command];

function timed(command: string[]): number {
	const [file, ...args] = inNamespace(command) as [string, ...string[]];
	const started = performance.now();
	const result = spawnSync(file, args, {stdio: ['ignore', 'ignore', 'pipe']});
	if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${String(result.stderr)}`);
	return performance.now() - started;
}

/** Spawn → the answer to one GET /_ping sent over the command's stdin/stdout. */
async function pingThrough(command: string[]): Promise<number> {
	const [file, ...args] = inNamespace(command) as [string, ...string[]];
	const started = performance.now();
	const child = spawn(file, args, {stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	child.stdin.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
	try {
		return await new Promise<number>((resolve, reject) => {
			let answer = '';
			child.stdout.on('data', (chunk: Buffer) => {
				answer += chunk.toString();
				if (answer.includes('\r\n\r\nOK')) resolve(performance.now() - started);
			});
			child.on('exit', code => reject(new Error(`${command.join(' ')} exited (${code}) before answering: ${stderr}`)));
			setTimeout(() => reject(new Error(`${command.join(' ')} did not answer within 10 s: ${stderr}`)), 10_000).unref();
		});
	} finally {
		child.kill();
	}
}

/** Asks the master to forward a local socket to the engine's (no process on the engine host), then one GET /_ping through it. */
async function pingForwarded(controlPath: string): Promise<number> {
	const local = path.join(os.tmpdir(), `docknet-bench-fwd-${process.pid}.sock`);
	rmSync(local, {force: true});
	const started = performance.now();
	timed([ssh, '-o', `ControlPath=${controlPath}`, '-O', 'forward', '-L', `${local}:${socketPath}`, '-p', '2222', '-l', 'root', '--', '127.0.0.1']);
	try {
		return await new Promise<number>((resolve, reject) => {
			const socket = createConnection(local);
			let answer = '';
			socket.on('connect', () => socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n'));
			socket.on('data', (chunk: Buffer) => {
				answer += chunk.toString();
				if (answer.includes('\r\n\r\nOK')) {
					resolve(performance.now() - started);
					socket.destroy();
				}
			});
			socket.on('error', reject);
		});
	} finally {
		rmSync(local, {force: true});
	}
}

async function withMaster<T>(work: (controlPath: string, loginMs: number) => Promise<T>): Promise<T> {
	const controlPath = path.join(os.tmpdir(), `docknet-bench-m-${process.pid}`);
	rmSync(controlPath, {force: true});
	const [file, ...args] = inNamespace([ssh, ...masterArguments(target, controlPath, 10)]) as [string, ...string[]];
	const started = performance.now();
	const master = spawn(file, args, {stdio: ['pipe', 'ignore', 'ignore']});
	try {
		while (!existsSync(controlPath)) {
			if (master.exitCode !== null) throw new Error('the master exited');
			await delay(2);
		}

		return await work(controlPath, performance.now() - started);
	} finally {
		master.kill();
		rmSync(controlPath, {force: true});
	}
}

const socketPath = engine.socketPath;
const pieces: Record<string, number[]> = {};
const add = (piece: string, ms: number): void => {
	(pieces[piece] ??= []).push(ms);
};

try {
	for (let round = 0; round < rounds; round++) {
		add('ip netns exec true (the wrapper, in every figure below)', timed(['true']));
		add('a login of its own, running `true`', timed([ssh, '-o', 'BatchMode=yes', '-p', '2222', '-l', 'root', '--', '127.0.0.1', 'true']));
		await withMaster(async (controlPath, loginMs) => {
			add('master: spawn → control socket', loginMs);
			add('session on the master running `true`', timed([ssh, ...muxClientOptions(controlPath), '-p', '2222', '-l', 'root', '--', '127.0.0.1', 'true']));
			add('channel `docker system dial-stdio`: spawn → /_ping answered', await pingThrough([ssh, ...channelArguments(target, controlPath, 10)]));
			add('forward: `ssh -O forward -L <local>:<engine socket>` → /_ping answered', await pingForwarded(controlPath));
			const parallel = performance.now();
			await Promise.all([0, 1, 2].map(async () => pingThrough([ssh, ...channelArguments(target, controlPath, 10)])));
			add('three dial-stdio channels at once: all answered', performance.now() - parallel);
		});
	}

	const median = (values: readonly number[]): number => percentile(values, 50);
	for (const [piece, values] of Object.entries(pieces)) say(`${piece.padEnd(62)} ${median(values).toFixed(0)} ms (median of ${values.length})`);
	const base = {netns: engine.netns, firstRow: 'c-0000', columns: 160, rows: 45, say};
	const env = {PATH: `${sshd.binDir}:${process.env['PATH'] ?? ''}`};
	// Local and ssh:// starts alternate round by round (and the builds given with --scripts,
	// each a dist/docknet.js), so the machine's load weighs on all alike.
	const scripts = option('scripts')?.split(',').map(script => path.resolve(script)) ?? [undefined];
	const empty = (): StartupResult => ({spawnToDataMs: [], versionMs: [], nodeFloorMs: [], idleRssMb: [], peer: {spawnToDataMs: [], idleRssMb: [], failures: []}});
	const results = scripts.map(() => ({local: empty(), remote: empty()}));
	for (let round = 0; round < rounds; round++) {
		for (const [index, script] of scripts.entries()) {
			const into = results[index] as {local: StartupResult; remote: StartupResult};
			// The peer runs beside the first build only.
			const withPeer = peer !== undefined && index === 0;
			for (const [result, host, peerHost, extra] of [[into.local, engine.dockerHost, engine.dockerHost, {}], [into.remote, sshd.url, peerOverSsh, {env}]] as const) {
				const one = await measureStartup({...base, rounds: 1, warmUp: round === 0, host, ...extra, ...(script === undefined ? {} : {script}), ...(withPeer ? {peer: {executable: path.resolve(peer), dockerHost: peerHost}} : {})});
				appendAll(result.spawnToDataMs, one.spawnToDataMs);
				appendAll(result.nodeFloorMs, one.nodeFloorMs);
				appendAll(result.peer?.spawnToDataMs ?? [], one.peer?.spawnToDataMs ?? []);
				appendAll(result.peer?.failures ?? [], one.peer?.failures ?? []);
			}
		}
	}

	for (const [index, {local, remote}] of results.entries()) {
		const label = scripts[index] ?? 'dist/docknet.js';
		say(`${label}: spawn → data local ${median(local.spawnToDataMs).toFixed(0)} ms, over ssh ${median(remote.spawnToDataMs).toFixed(0)} ms (+${(median(remote.spawnToDataMs) - median(local.spawnToDataMs)).toFixed(0)}); node -e 0 ${median(local.nodeFloorMs).toFixed(0)} ms`);
		if (peer !== undefined && index === 0 && local.peer !== undefined && remote.peer !== undefined) {
			say(`peer: spawn → data local ${median(local.peer.spawnToDataMs).toFixed(0)} ms, over ssh ${median(remote.peer.spawnToDataMs).toFixed(0)} ms (+${(median(remote.peer.spawnToDataMs) - median(local.peer.spawnToDataMs)).toFixed(0)}); starts that never showed the row: ${local.peer.failures?.length ?? 0} local, ${remote.peer.failures?.length ?? 0} over ssh`);
		}
	}

	say(`load average ${os.loadavg().map(value => value.toFixed(1)).join(' ')}`);
} finally {
	await sshd.stop();
}
