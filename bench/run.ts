import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import {engineCall} from '../source/playground/engine-api.js';
import {BUSYBOX_IMAGE, cleanupStaleEngines, ensureTestImage, startPrivateEngine} from '../source/playground/private-engine.js';
import type {PrivateEngine} from '../source/playground/private-engine.js';
import {cpuTicks, repoRoot, residentKb, startDocknet} from '../test/helpers/pty-app.js';
import type {DocknetPty} from '../test/helpers/pty-app.js';
import {startCountingProxy} from './count-proxy.js';
import type {CountedRequest, CountingProxy} from './count-proxy.js';
import {EngineEvents} from './engine-events.js';
import {measureStartup} from './startup.js';
import {startTestSshd} from '../test/helpers/test-sshd.js';
import type {TestSshd} from '../test/helpers/test-sshd.js';

// `npm run bench`: docknet as a user feels it. A private engine (its own network namespace)
// is seeded with N containers over N/10 networks; docknet runs in a 160x45 pseudo-terminal,
// inside that namespace, talking to the engine through a proxy that counts its requests; a
// headless xterm keeps the screen it draws. Targets: issue 5.
//
// Usage: npm run bench -- [--n=200[,1000]] [--cpu-prof] [--heap-snapshot] [--no-write] [--verbose] [--node-arg=<flag>]...
//   [--startup-rounds=10] [--ssh] [--engine-name=<name>] [--peer=<lazydocker>]
// Start-up (spawn → data, --version, RSS at idle) is measured over --startup-rounds starts,
// beside `node -e 0`; --ssh measures it over ssh:// too (a real sshd, scripts/setup installs it);
// --peer=<executable> measures another tool's start-up in the same rounds (a lazydocker build:
// the word "running" in its first container row, its RSS once idle), interleaved with docknet's.
// --cpu-prof writes docknet's CPU profiles to bench/results/profiles/ (bench/profile-summary.ts
// reads them), --heap-snapshot a heap snapshot after the storm (bench/heap-summary.ts reads
// it); --script=<bundle> measures a variant build, --node-arg passes a flag to node (heap
// sizes); both write no results.

const ENGINE_NAME = 'docknet-bench';
const LABEL = 'docknet.bench';
const COLUMNS = 160;
const ROWS = 45;
const SEED_CONCURRENCY = 4;
const STORM_CONCURRENCY = 8;
const STORM_SIZE = 100;
const STARTS = 20;
const KEY_PRESSES = 50;
const BYTES_SAMPLES = 3;
const IDLE_MS = 10_000;
const FRESH_MS = 5000;
const SETTLE_MS = 10_000;

interface Options {
	sizes: number[];
	cpuProf: boolean;
	write: boolean;
	verbose: boolean;
	/** A variant docknet bundle to measure instead of dist/docknet.js (experiments). */
	script: string | undefined;
	/** Extra options for node (experiments: heap sizes). */
	nodeArgs: string[];
	/** Write a heap snapshot of docknet after the storm (bench/results/profiles/). */
	heapSnapshot: boolean;
	/** Start-up rounds (spawn → data, --version, RSS at idle). */
	startupRounds: number;
	/** Also measure start-up over ssh:// (a real sshd on the engine's loopback). */
	ssh: boolean;
	/** The private engine's name (two benchmarks at once need two). */
	engineName: string;
	/** Another tool to measure start-up beside docknet (a lazydocker executable). */
	peer: string | undefined;
}

function parseOptions(argv: string[]): Options {
	let sizes = [200, 1000];
	let cpuProf = false;
	let write = true;
	let verbose = false;
	let script: string | undefined;
	const nodeArgs: string[] = [];
	let heapSnapshot = false;
	let startupRounds = 10;
	let ssh = false;
	let engineName = ENGINE_NAME;
	let peer: string | undefined;
	for (const arg of argv) {
		if (arg.startsWith('--n=')) {
			sizes = arg
				.slice(4)
				.split(',')
				.map(Number)
				.filter(n => Number.isInteger(n) && n > 0);
		} else if (arg === '--cpu-prof') cpuProf = true;
		else if (arg === '--no-write') write = false;
		else if (arg === '--verbose') verbose = true;
		else if (arg.startsWith('--script=')) script = path.resolve(arg.slice('--script='.length));
		else if (arg.startsWith('--node-arg=')) nodeArgs.push(arg.slice('--node-arg='.length));
		else if (arg === '--heap-snapshot') heapSnapshot = true;
		else if (arg.startsWith('--startup-rounds=')) startupRounds = Math.max(1, Number(arg.slice('--startup-rounds='.length)) || 10);
		else if (arg === '--ssh') ssh = true;
		else if (arg.startsWith('--engine-name=')) engineName = arg.slice('--engine-name='.length);
		else if (arg.startsWith('--peer=')) peer = path.resolve(arg.slice('--peer='.length));
		else throw new Error(`unknown option ${arg} (use --n=200[,1000], --cpu-prof, --heap-snapshot, --no-write, --verbose, --script=<bundle>, --node-arg=<flag>, --startup-rounds=10, --ssh, --engine-name=<name>, --peer=<executable>)`);
	}

	if (sizes.length === 0) throw new Error('--n needs at least one positive integer');
	if (peer !== undefined && !existsSync(peer)) throw new Error(`--peer: ${peer} does not exist`);
	return {sizes, cpuProf, write: write && script === undefined && nodeArgs.length === 0, verbose, script, nodeArgs, heapSnapshot, startupRounds, ssh, engineName, peer};
}

const say = (line: string): void => {
	process.stderr.write(`[bench] ${line}\n`);
};

/** performance.now() as wall-clock milliseconds, comparable with the engine's timeNano. */
const wall = (perfMs: number): number => performance.timeOrigin + perfMs;

function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length) - 1;
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

const median = (values: number[]): number => percentile(values, 50);
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) {
			const index = next++;
			await work(items[index] as T, index);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

// ---------------------------------------------------------------------------------------------
// The engine

class BenchEngine {
	constructor(readonly engine: PrivateEngine) {}

	get socket(): string {
		return this.engine.socketPath;
	}

	async createNetwork(name: string, subnet: string): Promise<void> {
		await engineCall(this.socket, 'POST', '/networks/create', {
			body: {Name: name, Driver: 'bridge', CheckDuplicate: true, IPAM: {Config: [{Subnet: subnet}]}, Labels: {[LABEL]: '1'}},
		});
	}

	async createContainer(name: string, network: string): Promise<string> {
		const response = await engineCall(this.socket, 'POST', `/containers/create?name=${encodeURIComponent(name)}`, {
			body: {Image: BUSYBOX_IMAGE, Cmd: ['sleep', '1000000'], Labels: {[LABEL]: '1'}, HostConfig: {NetworkMode: network}},
		});
		return (JSON.parse(response.body) as {Id: string}).Id;
	}

	async start(id: string): Promise<void> {
		await engineCall(this.socket, 'POST', `/containers/${id}/start`, {accept: [304]});
	}

	async run(name: string, network: string): Promise<string> {
		const id = await this.createContainer(name, network);
		await this.start(id);
		return id;
	}

	async runningCount(): Promise<number> {
		const response = await engineCall(this.socket, 'GET', '/containers/json');
		return (JSON.parse(response.body) as unknown[]).length;
	}

	async version(): Promise<string> {
		const response = await engineCall(this.socket, 'GET', '/version');
		return (JSON.parse(response.body) as {Version: string}).Version;
	}
}

const networkName = (index: number): string => `net-${String(index).padStart(3, '0')}`;
// Up to 256 × 10 /24 networks; Docker's default pools run out after about 30.
const subnetOf = (index: number): string => `10.${100 + Math.floor(index / 256)}.${index % 256}.0/24`;
const seedName = (index: number): string => `c-${String(index).padStart(4, '0')}`;

async function seed(engine: BenchEngine, n: number): Promise<string[]> {
	const networks = Array.from({length: Math.max(1, Math.floor(n / 10))}, (_, index) => networkName(index));
	const started = performance.now();
	for (const [index, name] of networks.entries()) await engine.createNetwork(name, subnetOf(index));
	let done = 0;
	await forEachLimited(
		Array.from({length: n}, (_, index) => index),
		SEED_CONCURRENCY,
		async index => {
			await engine.run(seedName(index), networks[index % networks.length] as string);
			done++;
			if (done % 100 === 0) say(`  ${done}/${n} containers running`);
		},
	);
	say(`seeded ${n} containers on ${networks.length} networks in ${round((performance.now() - started) / 1000)} s`);
	return networks;
}

// ---------------------------------------------------------------------------------------------
// The screen

const containerName = /\b(\d{3}-[a-z]+-\d+|c-\d{4})\b/;

/** The name of the selected container row (drawn in inverse video). */
function selectedContainer(app: DocknetPty): string | undefined {
	for (const text of app.highlighted()) {
		const match = containerName.exec(text);
		if (match && !text.startsWith('2 Containers')) return match[1];
	}

	return undefined;
}

const rowShows = (name: string, state: string) => (lines: string[]) =>
	lines.some(line => line.includes(name) && new RegExp(`\\b${state}\\b`).test(line));

/** Resolves once no output arrived for `ms`. */
async function quiet(app: DocknetPty, ms: number, timeoutMs = 60_000): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (performance.now() - app.lastOutputAt < ms) {
		if (performance.now() > deadline) throw new Error(`the screen did not settle for ${ms} ms within ${timeoutMs} ms`);
		await delay(10);
	}
}

/** Resolves once the proxy saw no request for `ms`. */
async function requestsQuiet(proxy: CountingProxy, ms: number, timeoutMs = 120_000): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	const lastAt = (): number => proxy.requests.at(-1)?.at ?? 0;
	while (performance.now() - lastAt() < ms) {
		if (performance.now() > deadline) throw new Error(`docknet kept calling the engine for ${timeoutMs} ms`);
		await delay(20);
	}
}

/** Selects the first row, so rows inserted at the top stay on screen. */
async function home(app: DocknetPty): Promise<void> {
	app.press('g');
	await quiet(app, 100);
}

/** Presses a key and returns the ms until the selection moved on screen. */
async function keyLatency(app: DocknetPty, key: string, timeoutMs = 10_000): Promise<number> {
	const before = selectedContainer(app);
	const pressed = performance.now();
	app.press(key);
	const at = await app.waitFor(() => {
		const now = selectedContainer(app);
		return now !== undefined && now !== before;
	}, `the selection to move from ${before ?? '?'} after "${key}"`, timeoutMs);
	return at - pressed;
}

function summarizeRequests(requests: readonly CountedRequest[]): Record<string, number> {
	const summary: Record<string, number> = {};
	for (const request of requests) {
		const route = `${request.method} ${request.path.replace(/\?.*$/, '').replace(/[0-9a-f]{64}/g, ':id').replace(/^\/v[\d.]+/, '')}`;
		summary[route] = (summary[route] ?? 0) + 1;
	}

	return summary;
}

/** Resident memory by mapping kind (MB): node's binary, anonymous (heaps), other files. */
function residentBreakdown(pid: number): Record<string, number> {
	const totals: Record<string, number> = {};
	let kind = 'anonymous';
	try {
		for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
			const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
			if (mapping) {
				const name = mapping[1] ?? '';
				kind = name === '' ? 'anonymous' : name.startsWith('[') ? name : name === process.execPath || name.endsWith('/node') ? 'node binary' : 'other files';
				continue;
			}

			const rss = /^Rss:\s+(\d+) kB/.exec(line);
			if (rss) totals[kind] = (totals[kind] ?? 0) + Number(rss[1]) / 1024;
		}
	} catch {
		return {};
	}

	return Object.fromEntries(Object.entries(totals).map(([name, mb]) => [name, round(mb)]));
}

/** The kernel's scheduler statistics of a process's main thread, or undefined. */
function schedStat(pid: number): {runMs: number; waitMs: number; slices: number} | undefined {
	try {
		const [run, wait, slices] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
		if (run === undefined || wait === undefined || slices === undefined) return undefined;
		return {runMs: run / 1e6, waitMs: wait / 1e6, slices};
	} catch {
		return undefined;
	}
}

interface KeySplit {
	/** Press → docknet's key handler: the key waits while docknet is busy or off the CPU. */
	readMs: number;
	/** Handler → frame written to the pty. */
	drawMs: number;
	/** Frame written → the bench's terminal shows it (pty, this process, xterm). */
	showMs: number;
	totalMs: number;
}

/**
 * Splits storm key latencies with docknet's own trace (DOCKNET_KEY_TRACE): the n-th key
 * docknet handled is the n-th press. Undefined when the trace is missing or does not match.
 */
function splitStormKeys(
	traceFile: string,
	pressedAt: readonly number[],
	indexes: readonly number[],
	latencies: readonly number[],
):
	| {worst: KeySplit; slowest: KeySplit[]; docknetP99Ms: number; readMedianMs: number; drawMedianMs: number; drawP99Ms: number; showP99Ms: number}
	| undefined {
	if (!existsSync(traceFile)) return undefined;
	const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as Array<{handledAt: number; framedAt?: number}>;
	if (trace.length !== pressedAt.length) {
		say(`  key trace: docknet handled ${trace.length} keys, the bench pressed ${pressedAt.length}`);
		return undefined;
	}
	const splits = indexes.flatMap((index, at): KeySplit[] => {
		const entry = trace[index];
		const pressed = pressedAt[index];
		const total = latencies[at];
		if (entry?.framedAt === undefined || pressed === undefined || total === undefined) return [];
		return [
			{
				readMs: round(entry.handledAt - pressed),
				drawMs: round(entry.framedAt - entry.handledAt),
				showMs: round(pressed + total - entry.framedAt),
				totalMs: round(total),
			},
		];
	});
	if (splits.length === 0) return undefined;
	const slowest = [...splits].sort((a, b) => b.totalMs - a.totalMs).slice(0, 5);
	return {
		worst: slowest[0] as KeySplit,
		slowest,
		docknetP99Ms: round(percentile(splits.map(split => split.readMs + split.drawMs), 99)),
		readMedianMs: round(median(splits.map(split => split.readMs))),
		drawMedianMs: round(median(splits.map(split => split.drawMs))),
		drawP99Ms: round(percentile(splits.map(split => split.drawMs), 99)),
		showP99Ms: round(percentile(splits.map(split => split.showMs), 99)),
	};
}

// ---------------------------------------------------------------------------------------------
// One size

interface Figure {
	figure: string;
	value: number;
	unit: string;
	target: string;
	/** null: reported, no target. */
	pass: boolean | null;
}

interface SizeResult {
	n: number;
	figures: Figure[];
	details: Record<string, unknown>;
}

interface Targets {
	firstFrameMs: number;
	keyMedianMs: number;
	memoryMb: number;
}

const targetsFor = (n: number): Targets =>
	n >= 1000 ? {firstFrameMs: 1000, keyMedianMs: 30, memoryMb: 150} : {firstFrameMs: 350, keyMedianMs: 16, memoryMb: 90};

async function measureSize(n: number, options: Options): Promise<SizeResult> {
	const targets = targetsFor(n);
	const figures: Figure[] = [];
	const details: Record<string, unknown> = {};
	const add = (figure: string, value: number, unit: string, target: string, pass: boolean | undefined): void => {
		figures.push({figure, value: round(value), unit, target, pass: pass ?? null});
		say(`  ${figure}: ${round(value)} ${unit} (target ${target})${pass === undefined ? '' : pass ? ' ✓' : ' ✗'}`);
	};

	say(`N = ${n}: starting the private engine ${options.engineName}`);
	for (const removed of await cleanupStaleEngines(options.engineName)) say(`removed remains of an earlier run: ${removed}`);
	const privateEngine = await startPrivateEngine({name: options.engineName});
	let sshd: TestSshd | undefined;
	const apps: DocknetPty[] = [];
	let proxy: CountingProxy | undefined;
	let events: EngineEvents | undefined;
	// Each docknet started writes when it handled and drew each key here (DOCKNET_KEY_TRACE).
	const keyTraceFile = (index: number): string => path.join(os.tmpdir(), `docknet-bench-keys-${process.pid}-${index}.json`);
	const stopAll = async (): Promise<void> => {
		for (const app of apps) await app.dispose();
		for (let index = 0; index < apps.length; index++) rmSync(keyTraceFile(index), {force: true});
		events?.close();
		await proxy?.close();
		await sshd?.stop();
		const stopping = performance.now();
		await privateEngine.stop();
		say(`engine stopped in ${round((performance.now() - stopping) / 1000)} s`);
	};

	const onSignal = (): void => {
		say('interrupted: stopping docknet and the engine');
		void stopAll().finally(() => process.exit(130));
	};

	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		await ensureTestImage(privateEngine.dockerHost);
		const engine = new BenchEngine(privateEngine);
		details['dockerVersion'] = await engine.version();
		const networks = await seed(engine, n);
		const network = networks[0] as string;
		proxy = await startCountingProxy(path.join(os.tmpdir(), `docknet-bench-proxy-${process.pid}.sock`), privateEngine.socketPath);
		events = new EngineEvents(privateEngine.socketPath);
		await events.open();
		const cpuProfDir = path.join(repoRoot, 'bench', 'results', 'profiles');
		const spawn = (): DocknetPty => {
			const app = startDocknet({
				env: {DOCKNET_KEY_TRACE: keyTraceFile(apps.length)},
				args: ['--host', `unix://${(proxy as CountingProxy).socketPath}`],
				netns: privateEngine.netns,
				columns: COLUMNS,
				rows: ROWS,
				recordOutput: false,
				...(options.script === undefined ? {} : {script: options.script}),
				nodeArgs: [
					...options.nodeArgs,
					...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
					...(options.heapSnapshot ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${cpuProfDir}`] : []),
				],
			});
			apps.push(app);
			return app;
		};

		// Start-up as a user feels it, node's own start beside it (bench/startup.ts).
		const startupBase = {netns: privateEngine.netns, firstRow: 'c-0000', rounds: options.startupRounds, columns: COLUMNS, rows: ROWS, ...(options.script === undefined ? {} : {script: options.script})};
		const host = `unix://${proxy.socketPath}`;
		const startup = await measureStartup({...startupBase, host, say, ...(options.peer === undefined ? {} : {peer: {executable: options.peer, dockerHost: host}})});
		const startupMedian = median(startup.spawnToDataMs);
		const peerMedian = startup.peer === undefined ? Number.NaN : median(startup.peer.spawnToDataMs);
		add(`spawn → data, median of ${startup.spawnToDataMs.length}`, startupMedian, 'ms', '≤ 1.5× lazydocker', Number.isNaN(peerMedian) ? undefined : startupMedian <= 1.5 * peerMedian);
		add('spawn → data, p95', percentile(startup.spawnToDataMs, 95), 'ms', '', undefined);
		if (startup.peer !== undefined) {
			add(`peer ${path.basename(options.peer ?? '')}: spawn → data, median`, peerMedian, 'ms', '', undefined);
			add('peer: spawn → data, p95', percentile(startup.peer.spawnToDataMs, 95), 'ms', '', undefined);
			add('peer: RSS at idle', median(startup.peer.idleRssMb), 'MB', '', undefined);
		}

		add('--version, median', median(startup.versionMs), 'ms', `≤ node -e 0 + 40 ms (${round(median(startup.nodeFloorMs), 0)} ms)`, median(startup.versionMs) <= median(startup.nodeFloorMs) + 40);
		add('node -e 0, median (the floor)', median(startup.nodeFloorMs), 'ms', '', undefined);
		const idleTarget = n >= 1000 ? 100 : 60;
		add('RSS at idle after start', median(startup.idleRssMb), 'MB', `≤ ${idleTarget} MB`, median(startup.idleRssMb) <= idleTarget);
		details['startup'] = startup;
		if (options.ssh) {
			// The peer (lazydocker) forwards to /var/run/docker.sock and takes user and port from the ssh config.
			sshd = await startTestSshd({dir: path.join(privateEngine.dir, 'sshd'), netns: privateEngine.netns, dockerHost: privateEngine.dockerHost, engineAtDefaultSocket: true});
			const overSsh = await measureStartup({...startupBase, host: sshd.url, env: {PATH: `${sshd.binDir}:${process.env['PATH'] ?? ''}`}, ...(options.peer === undefined ? {} : {peer: {executable: options.peer, dockerHost: 'ssh://127.0.0.1'}})});
			const sshMedian = median(overSsh.spawnToDataMs);
			add('over ssh: spawn → data, median', sshMedian, 'ms', `≤ local + 300 ms (${round(startupMedian, 0)} ms)`, sshMedian <= startupMedian + 300);
			add('over ssh: spawn → data, p95', percentile(overSsh.spawnToDataMs, 95), 'ms', '', undefined);
			if (overSsh.peer !== undefined) {
				const peerSsh = median(overSsh.peer.spawnToDataMs);
				add('peer over ssh: spawn → data, median', peerSsh, 'ms', '', undefined);
				add('over ssh: docknet − peer', sshMedian - peerSsh, 'ms', '≤ 0', sshMedian <= peerSsh);
				add('peer over ssh: starts that never showed the row', overSsh.peer.failures?.length ?? 0, '', '', undefined);
			}
			details['startupOverSsh'] = overSsh;
		}

		// First frame: three starts, median.
		const firstFrames: number[] = [];
		let app: DocknetPty | undefined;
		// Phase boundaries in ms since the measured docknet was spawned: a --cpu-prof profile
		// starts a few ms after that, so profile-summary --from/--to can pick a phase.
		let spawnedAt = 0;
		const phases: Record<string, number> = {};
		const phase = (name: string): void => {
			phases[name] = round(performance.now() - spawnedAt, 0);
		};
		let startupRequests: CountedRequest[] = [];
		const hydratedMs: number[] = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const spawned = performance.now();
			spawnedAt = spawned;
			app = spawn();
			const at = await app.waitFor(rowShows('c-0', 'running'), 'the first container rows', 30_000);
			firstFrames.push(at - spawned);
			await app.waitForText(`${n} containers, ${n} running`, 60_000);
			// Start-up is over once docknet stops asking the engine (it inspects every running
			// container after the first frame) and the screen is still.
			await requestsQuiet(proxy, 2000);
			await quiet(app, 500);
			startupRequests = proxy.requestsSince(spawned);
			hydratedMs.push((startupRequests.at(-1)?.at ?? spawned) - spawned);
			if (attempt < 2) {
				app.press('q');
				await app.exited;
			}
		}

		if (app === undefined) throw new Error('docknet did not start');
		add('first frame (median of 3)', median(firstFrames), 'ms', `≤ ${targets.firstFrameMs} ms`, median(firstFrames) <= targets.firstFrameMs);
		details['firstFramesMs'] = firstFrames.map(value => round(value));
		details['startupLastRequestMs'] = hydratedMs.map(value => round(value));
		details['startupRequests'] = {total: startupRequests.length, byRoute: summarizeRequests(startupRequests)};

		const pid = app.nodePid();
		if (pid === undefined) throw new Error('no docknet node process found');

		phase('idle');
		// Idle: nothing happens on the engine for 10 s.
		await quiet(app, 1000);
		const idleTicks = cpuTicks(pid);
		const idleBytes = app.bytesReceived;
		const idleRequests = proxy.requests.length;
		const idleStarted = performance.now();
		await delay(IDLE_MS);
		const idleSeconds = (performance.now() - idleStarted) / 1000;
		const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
		const idleCpu = ((cpuTicks(pid) - idleTicks) / clockTicks / idleSeconds) * 100;
		add('idle CPU (10 s)', idleCpu, '%', '≤ 0.5 %', idleCpu <= 0.5);
		add('idle bytes written (10 s)', app.bytesReceived - idleBytes, 'B', '0 B', app.bytesReceived - idleBytes === 0);
		details['idleRequests'] = proxy.requests.length - idleRequests;
		details['rssAfterStartMb'] = round(residentKb(pid) / 1024);

		phase('keys');
		// Key → screen: the containers pane, j pressed 50 times.
		app.press('2');
		await app.waitFor(() => app?.highlighted().some(text => text.startsWith('2 Containers')) ?? false, 'the containers pane focused');
		app.press('g');
		await app.waitFor(() => selectedContainer(app as DocknetPty) !== undefined, 'a selected container');
		await quiet(app, 200);
		const keyTimes: number[] = [];
		for (let press = 0; press < KEY_PRESSES; press++) {
			keyTimes.push(await keyLatency(app, 'j'));
			// A user's key repeat is ~30/s; waiting for quiet keeps samples independent.
			await quiet(app, 30);
		}

		add('key → screen median', median(keyTimes), 'ms', `≤ ${targets.keyMedianMs} ms`, median(keyTimes) <= targets.keyMedianMs);
		add('key → screen p95', percentile(keyTimes, 95), 'ms', '–', undefined);
		details['keyMs'] = keyTimes.map(value => round(value));
		phase('starts');
		// Start → screen: `docker run` 20 times (create, then start), each named to sort first
		// so the row is on screen.
		const startTimes: number[] = [];
		const startCalls: number[] = [];
		const startEventCounts: number[] = [];
		const startRoutes: CountedRequest[] = [];
		const startBreakdown: Array<{deliveredMs: number; inspectAskedMs: number | null; screenMs: number}> = [];
		for (let index = 0; index < STARTS; index++) {
			// Descending names: each new row lands at the top, above the selection, on screen.
			const name = `000-s-${String(99 - index).padStart(2, '0')}`;
			await home(app);
			const mark = performance.now();
			const id = await engine.createContainer(name, network);
			await engine.start(id);
			const started = await events.waitFor(event => event.type === 'container' && event.action === 'start' && event.id === id);
			const seen = await app.waitFor(rowShows(name, 'running'), `${name} running`, 30_000);
			startTimes.push(wall(seen) - started.timeMs);
			await quiet(app, 300);
			const requests = proxy.requestsSince(mark);
			startRoutes.push(...requests);
			startCalls.push(requests.length);
			startEventCounts.push(events.events.filter(event => event.timeMs >= wall(mark) && (event.type === 'container' || event.type === 'network')).length);
			// Where the time went: the engine delivering the event, docknet asking for the
			// container (its inspect request reaching the proxy), the answer and the frame.
			const inspect = requests.find(request => request.path.includes(id) && wall(request.at) >= started.timeMs);
			startBreakdown.push({
				deliveredMs: round(started.receivedMs - started.timeMs),
				inspectAskedMs: inspect === undefined ? null : round(wall(inspect.at) - started.timeMs),
				screenMs: round(wall(seen) - started.timeMs),
			});
		}

		add('start → screen median', median(startTimes), 'ms', '≤ 25 ms', median(startTimes) <= 25);
		add('start → screen p95', percentile(startTimes, 95), 'ms', '≤ 60 ms', percentile(startTimes, 95) <= 60);
		const totalCalls = startCalls.reduce((sum, value) => sum + value, 0);
		const totalEvents = startEventCounts.reduce((sum, value) => sum + value, 0);
		const callsPerEvent = totalCalls / Math.max(1, totalEvents);
		add('engine calls per event', callsPerEvent, 'calls', '≤ 2', callsPerEvent <= 2);
		details['startMs'] = startTimes.map(value => round(value));
		details['startBreakdown'] = startBreakdown;
		details['callsPerDockerRun'] = {median: median(startCalls), eventsPerDockerRun: median(startEventCounts), byRoute: summarizeRequests(startRoutes)};

		phase('bytes');
		// Bytes per change: one `docker run` whose row appears at the top of the list, measured
		// from the create call until the screen settles, once no "new" mark is pending. The
		// mark's expiry (5 s later) redraws the row again; reported apart.
		await delay(FRESH_MS + 300);
		await quiet(app, 300);
		const changeBytes: number[] = [];
		for (let index = 0; index < BYTES_SAMPLES; index++) {
			const name = `000-b-${9 - index}`;
			await home(app);
			const before = app.bytesReceived;
			await engine.run(name, network);
			await app.waitFor(rowShows(name, 'running'), `${name} running`, 30_000);
			await quiet(app, 500);
			changeBytes.push(app.bytesReceived - before);
		}

		const beforeExpiry = app.bytesReceived;
		await delay(FRESH_MS + 300);
		await quiet(app, 300);
		add('bytes per change (docker run)', median(changeBytes), 'B', '≤ 2048 B', median(changeBytes) <= 2048);
		details['bytesPerChange'] = changeBytes;
		details['bytesPerNewMarkExpiry'] = round((app.bytesReceived - beforeExpiry) / BYTES_SAMPLES);

		phase('stormCreate');
		// Storm: 100 containers created, then started together; keys pressed throughout.
		const stormNames = Array.from({length: STORM_SIZE}, (_, index) => `001-storm-${String(index).padStart(3, '0')}`);
		const stormIds: string[] = [];
		await forEachLimited(stormNames, SEED_CONCURRENCY, async (name, index) => {
			stormIds[index] = await engine.createContainer(name, networks[index % networks.length] as string);
		});
		await quiet(app, 500);
		await delay(FRESH_MS + 300);
		await quiet(app, 300);
		const stormMark = performance.now();
		const schedBefore = schedStat(pid);
		phase('storm');
		let stormOver = false;
		const stormKeys: number[] = [];
		// Which press each latency belongs to, to find it again in docknet's key trace.
		const stormPressIndexes: number[] = [];
		let keyFailures = 0;
		const keyLoop = (async () => {
			let down = true;
			while (!stormOver) {
				try {
					const index = (app as DocknetPty).pressedAt.length;
					stormKeys.push(await keyLatency(app as DocknetPty, down ? 'j' : 'k', 5000));
					stormPressIndexes.push(index);
				} catch {
					keyFailures++;
				}

				down = !down;
				await delay(30);
			}
		})();
		await forEachLimited(stormIds, STORM_CONCURRENCY, async id => engine.start(id));
		const stormStartsDone = performance.now();
		const stormEvents = await Promise.all(
			stormIds.map(async id => events?.waitFor(event => event.type === 'container' && event.action === 'start' && event.id === id)),
		);
		const lastStart = Math.max(...stormEvents.map(event => event?.timeMs ?? 0));
		const running = await engine.runningCount();
		const agreed = await app.waitForText(`containers, ${running} running`, 60_000);
		stormOver = true;
		const schedAfter = schedStat(pid);
		phase('stormEnd');
		details['phasesMs'] = phases;
		await keyLoop;
		const settle = wall(agreed) - lastStart;
		add('storm settles after last start', settle, 'ms', '≤ 1000 ms', settle <= 1000);
		const worstKey = Math.max(...stormKeys);
		add('worst key → screen during storm', worstKey, 'ms', '≤ 100 ms', worstKey <= 100 && keyFailures === 0);
		if (schedBefore && schedAfter) {
			// How long docknet's main thread was ready to run but had no CPU: on a machine
			// that dockerd saturates, this (not docknet's own work) is what keys wait for.
			const slices = schedAfter.slices - schedBefore.slices;
			const waitMs = schedAfter.waitMs - schedBefore.waitMs;
			add('storm: docknet waiting for a CPU (main thread)', waitMs, 'ms', '–', undefined);
			details['stormScheduling'] = {
				runMs: round(schedAfter.runMs - schedBefore.runMs),
				waitMs: round(waitMs),
				slices,
				waitPerSliceMs: round(waitMs / Math.max(1, slices), 2),
			};
		}

		const stormRequests = proxy.requestsSince(stormMark);
		details['storm'] = {
			startsTookMs: round(stormStartsDone - stormMark),
			keyPresses: stormKeys.length,
			keyFailures,
			keyMedianMs: round(median(stormKeys)),
			requests: stormRequests.length,
			byRoute: summarizeRequests(stormRequests),
		};
		await quiet(app, 500);
		const rssMb = residentKb(pid) / 1024;
		add('memory (RSS after storm)', rssMb, 'MB', `≤ ${targets.memoryMb} MB`, rssMb <= targets.memoryMb);
		details['memoryAfterStorm'] = residentBreakdown(pid);
		// V8 gives memory back some seconds after allocation calms down; what stays is what a
		// user's machine keeps paying.
		await delay(SETTLE_MS);
		add(`memory (RSS ${SETTLE_MS / 1000} s after the storm)`, residentKb(pid) / 1024, 'MB', '–', undefined);
		details['memorySettled'] = residentBreakdown(pid);
		if (options.heapSnapshot) {
			mkdirSync(cpuProfDir, {recursive: true});
			const before = new Set(readdirSync(cpuProfDir));
			process.kill(pid, 'SIGUSR2');
			const deadline = performance.now() + 60_000;
			const written = (): string | undefined => readdirSync(cpuProfDir).find(name => name.endsWith('.heapsnapshot') && !before.has(name));
			while (written() === undefined && performance.now() < deadline) await delay(200);
			// The file grows while V8 writes it; wait until its size holds.
			let size = -1;
			const file = path.join(cpuProfDir, written() ?? '');
			while (existsSync(file) && statSync(file).size !== size) {
				size = statSync(file).size;
				await delay(500);
			}

			say(`  heap snapshot: ${file} (bench/heap-summary.ts reads it)`);
		}

		app.press('q');
		const exit = await app.exited;
		details['exitCode'] = exit.exitCode;
		const split = splitStormKeys(keyTraceFile(apps.length - 1), app.pressedAt, stormPressIndexes, stormKeys);
		if (split) {
			add('worst storm key: docknet reading it', split.worst.readMs, 'ms', '–', undefined);
			add('worst storm key: docknet drawing it', split.worst.drawMs, 'ms', '–', undefined);
			add('storm keys: docknet part (press → frame written) p99', split.docknetP99Ms, 'ms', '–', undefined);
			details['stormKeySplit'] = split;
		} else say('  the key trace does not match the presses: no split of the storm keys');
		return {n, figures, details};
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await stopAll();
	}
}

// ---------------------------------------------------------------------------------------------
// Report

function printTable(result: SizeResult, verbose: boolean, script: string | undefined): void {
	const rows = result.figures.map(figure => [
		figure.figure,
		`${figure.value} ${figure.unit}`,
		figure.target,
		figure.pass === null ? '' : figure.pass ? 'pass' : 'FAIL',
	]);
	const header = ['figure', 'value', 'target', ''];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => (row[column] ?? '').length)));
	const line = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
	process.stdout.write(`\ndocknet benchmark, N = ${result.n} (${COLUMNS}x${ROWS} pty, ${os.cpus().length} cores${script ? `, ${path.basename(script)}` : ''})\n`);
	process.stdout.write(`${line(header)}\n${line(widths.map(width => '-'.repeat(width)))}\n`);
	for (const row of rows) process.stdout.write(`${line(row)}\n`);
	if (verbose) process.stdout.write(`details: ${JSON.stringify(result.details, null, 1)}\n`);
}

function writeResults(results: SizeResult[]): void {
	const dir = path.join(repoRoot, 'bench', 'results');
	mkdirSync(dir, {recursive: true});
	const date = new Date().toISOString();
	const machine = {cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryMb: Math.round(os.totalmem() / 1024 / 1024), node: process.version, kernel: os.release()};
	const run = {date, machine, terminal: `${COLUMNS}x${ROWS}`, results};
	writeFileSync(path.join(dir, `${date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(run, null, 2)}\n`);
	// latest.json keeps the newest result per size, so a run of one size keeps the other's.
	const latestFile = path.join(dir, 'latest.json');
	let previous: SizeResult[] = [];
	if (existsSync(latestFile)) {
		try {
			previous = (JSON.parse(readFileSync(latestFile, 'utf8')) as {sizes?: Array<SizeResult & {date: string}>}).sizes ?? [];
		} catch {
			previous = [];
		}
	}

	const measured = new Set(results.map(result => result.n));
	const sizes = [...previous.filter(result => !measured.has(result.n)), ...results.map(result => ({...result, date}))].sort((a, b) => a.n - b.n);
	writeFileSync(latestFile, `${JSON.stringify({machine, terminal: `${COLUMNS}x${ROWS}`, sizes}, null, 2)}\n`);
	say(`results written to bench/results/latest.json and bench/results/${path.basename(date.replace(/[:.]/g, '-'))}.json`);
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	if (process.getuid?.() !== 0) throw new Error('the benchmark starts a private Docker engine: run it as root');
	const results: SizeResult[] = [];
	for (const n of options.sizes) {
		const started = performance.now();
		const result = await measureSize(n, options);
		result.details['benchSeconds'] = round((performance.now() - started) / 1000);
		results.push(result);
		printTable(result, options.verbose, options.script);
	}

	if (options.write) writeResults(results);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		process.exit(1);
	},
);
