import {spawnSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import {docknetBundle, residentKb, startDocknet} from '../test/helpers/pty-app.js';
import type {DocknetPty} from '../test/helpers/pty-app.js';

// Start-up as a user feels it: spawn in a pseudo-terminal → the first container row says
// "running"; `docknet --version`; resident memory once the screen is still. Every figure
// is taken in the same run as `node -e 0`, node's own floor on this machine at this moment,
// and, given a peer (another tool's executable, lazydocker for one), the same figures of the
// peer in the same rounds, its starts interleaved with docknet's.

/** Another tool measured beside docknet: started with no arguments, the engine in DOCKER_HOST. */
export interface StartupPeer {
	executable: string;
	/** The engine, as DOCKER_HOST takes it. */
	dockerHost: string;
}

export interface StartupOptions {
	/** The engine, as docknet's --host takes it. */
	host: string;
	/** Run docknet inside this network namespace (its host interfaces pane). */
	netns?: string;
	/** The first container row the screen must show as running. */
	firstRow: string;
	rounds: number;
	/** The docknet to run: a bundle run by node (default dist/docknet.js), or an executable. */
	script?: string;
	executable?: string;
	columns: number;
	rows: number;
	/** Added to docknet's environment (PATH with an ssh wrapper, for one). */
	env?: Record<string, string>;
	/** Start with one uncounted round of each (default true). */
	warmUp?: boolean;
	peer?: StartupPeer;
	say?: (line: string) => void;
}

export interface PeerResult {
	spawnToDataMs: number[];
	idleRssMb: number[];
	/** Starts that never showed the first row running (within 30 s), each with the reason. */
	failures?: string[];
}

export interface StartupResult {
	spawnToDataMs: number[];
	versionMs: number[];
	nodeFloorMs: number[];
	idleRssMb: number[];
	peer?: PeerResult;
}

export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length) - 1;
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

function timeCommand(command: string[]): number {
	const [file, ...args] = command as [string, ...string[]];
	const started = performance.now();
	const result = spawnSync(file, args, {stdio: ['ignore', 'pipe', 'pipe']});
	const elapsed = performance.now() - started;
	if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${String(result.stderr)}`);
	return elapsed;
}

const rowShows = (name: string, state: string) => (lines: string[]) =>
	lines.some(line => line.includes(name) && new RegExp(`\\b${state}\\b`).test(line));

/**
 * Once the screen has been still for a second (capped: a peer may redraw while idle), then
 * three more: docknet gives its grown heap back once the engine has been quiet for 3 s.
 */
async function idleResidentMb(app: DocknetPty, pid: number | undefined): Promise<number | undefined> {
	const capped = performance.now() + 5000;
	while (performance.now() - app.lastOutputAt < 1000 && performance.now() < capped) await delay(100);
	await delay(3500);
	return pid === undefined ? undefined : residentKb(pid) / 1024;
}

/** A start of docknet or the peer: ms from spawn to the first row running, and its RSS once idle. */
async function oneStart(app: DocknetPty, firstRow: string, pidOf: () => number | undefined, wantRss: boolean): Promise<{ms: number; rssMb?: number}> {
	try {
		const spawned = performance.now();
		const at = await app.waitFor(rowShows(firstRow, 'running'), `the ${firstRow} row running`, 30_000);
		const rssMb = wantRss ? await idleResidentMb(app, pidOf()) : undefined;
		return {ms: at - spawned, ...(rssMb === undefined ? {} : {rssMb})};
	} finally {
		app.press('q');
		await Promise.race([app.exited, delay(3000)]);
		await app.dispose();
	}
}

export async function measureStartup(options: StartupOptions): Promise<StartupResult> {
	const say = options.say ?? (() => undefined);
	const docknet = options.executable === undefined ? [process.execPath, options.script ?? docknetBundle] : [options.executable];
	const result: StartupResult = {spawnToDataMs: [], versionMs: [], nodeFloorMs: [], idleRssMb: []};
	const peerResult: PeerResult = {spawnToDataMs: [], idleRssMb: []};
	if (options.peer !== undefined) result.peer = peerResult;
	const warmUp = options.warmUp ?? true;
	if (warmUp) {
		// So the page cache and docknet's code cache are as a second start finds them.
		timeCommand([process.execPath, '-e', '0']);
		timeCommand([...docknet, '--version']);
	}

	const startDocknetOnce = (): DocknetPty =>
		startDocknet({
			args: ['--host', options.host],
			...(options.env === undefined ? {} : {env: options.env}),
			...(options.netns === undefined ? {} : {netns: options.netns}),
			columns: options.columns,
			rows: options.rows,
			recordOutput: false,
			...(options.executable === undefined ? {script: options.script ?? docknetBundle} : {command: [options.executable]}),
		});
	const peer = options.peer;
	// The peer runs exactly as docknet does (same pseudo-terminal, same namespace wrapper), so
	// the wrapper's own cost weighs on both.
	const startPeerOnce = (): DocknetPty =>
		startDocknet({
			args: [],
			command: [peer?.executable ?? 'false'],
			env: {...options.env, DOCKER_HOST: peer?.dockerHost ?? ''},
			...(options.netns === undefined ? {} : {netns: options.netns}),
			columns: options.columns,
			rows: options.rows,
			recordOutput: false,
		});

	for (let round = warmUp ? -1 : 0; round < options.rounds; round++) {
		// Alternating, so a machine that slows down mid-run weighs on both alike.
		const floor = timeCommand([process.execPath, '-e', '0']);
		const version = timeCommand([...docknet, '--version']);
		// Round -1 warms up the engine's caches and docknet's code cache; it is not counted.
		// RSS at idle is read in the first three counted rounds (it varies little).
		const wantRss = round >= 0 && round < 3;
		const runDocknet = async (): Promise<void> => {
			const app = startDocknetOnce();
			const start = await oneStart(app, options.firstRow, () => app.nodePid(), wantRss);
			if (round < 0) return;
			result.spawnToDataMs.push(start.ms);
			if (start.rssMb !== undefined) result.idleRssMb.push(start.rssMb);
		};

		const runPeer = async (): Promise<void> => {
			const app = startPeerOnce();
			// `ip netns exec` execs the peer: the pty's child is the peer itself.
			let start: {ms: number; rssMb?: number};
			try {
				start = await oneStart(app, options.firstRow, () => app.pid, wantRss);
			} catch (error) {
				// Another tool's failure is a figure too, not the end of the run.
				const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
				(peerResult.failures ??= []).push(reason);
				say(`  peer failed: ${reason}`);
				return;
			}

			if (round < 0) return;
			peerResult.spawnToDataMs.push(start.ms);
			if (start.rssMb !== undefined) peerResult.idleRssMb.push(start.rssMb);
		};

		// Interleaved, and which goes first alternates: neither always finds the engine just
		// woken or the page cache just warmed by the other.
		const order = peer === undefined ? [runDocknet] : round % 2 === 0 ? [runDocknet, runPeer] : [runPeer, runDocknet];
		for (const run of order) await run();
		if (round < 0) continue;
		result.versionMs.push(version);
		result.nodeFloorMs.push(floor);
		const peerPart = peer === undefined ? '' : `, peer ${Math.round(peerResult.spawnToDataMs.at(-1) ?? Number.NaN)} ms (${peerResult.failures?.length ?? 0} failed so far)`;
		say(`  round ${round + 1}: spawn → data ${Math.round(result.spawnToDataMs.at(-1) ?? Number.NaN)} ms${peerPart}, --version ${Math.round(version)} ms, node -e 0 ${Math.round(floor)} ms`);
	}

	return result;
}

const median = (values: readonly number[]): number => percentile(values, 50);
const fixed = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(0));

export function startupRows(result: StartupResult): Array<[string, string]> {
	return [
		['spawn → data, median / p95', `${fixed(median(result.spawnToDataMs))} / ${fixed(percentile(result.spawnToDataMs, 95))} ms (${result.spawnToDataMs.length} rounds)`],
		['--version, median', `${fixed(median(result.versionMs))} ms`],
		['node -e 0, median (the floor)', `${fixed(median(result.nodeFloorMs))} ms`],
		['RSS at idle, median', `${fixed(median(result.idleRssMb))} MB`],
		...(result.peer === undefined
			? []
			: ([
					['peer: spawn → data, median / p95', `${fixed(median(result.peer.spawnToDataMs))} / ${fixed(percentile(result.peer.spawnToDataMs, 95))} ms`],
					['peer: RSS at idle, median', `${fixed(median(result.peer.idleRssMb))} MB`],
				] satisfies Array<[string, string]>)),
	];
}
