import {spawnSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {setTimeout as delay} from 'node:timers/promises';
import {docknetBundle, residentKb, startDocknet} from '../test/helpers/pty-app.js';

// Start-up as a user feels it: spawn in a pseudo-terminal → the first container row says
// "running"; `docknet --version`; resident memory once the screen is still. Every figure
// is taken in the same run as `node -e 0`, node's own floor on this machine at this moment.

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
	say?: (line: string) => void;
}

export interface StartupResult {
	spawnToDataMs: number[];
	versionMs: number[];
	nodeFloorMs: number[];
	idleRssMb: number[];
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

export async function measureStartup(options: StartupOptions): Promise<StartupResult> {
	const say = options.say ?? (() => undefined);
	const docknet = options.executable === undefined ? [process.execPath, options.script ?? docknetBundle] : [options.executable];
	const result: StartupResult = {spawnToDataMs: [], versionMs: [], nodeFloorMs: [], idleRssMb: []};
	const warmUp = options.warmUp ?? true;
	if (warmUp) {
		// So the page cache and docknet's code cache are as a second start finds them.
		timeCommand([process.execPath, '-e', '0']);
		timeCommand([...docknet, '--version']);
	}

	for (let round = warmUp ? -1 : 0; round < options.rounds; round++) {
		// Alternating, so a machine that slows down mid-run weighs on both alike.
		const floor = timeCommand([process.execPath, '-e', '0']);
		const version = timeCommand([...docknet, '--version']);
		const app = startDocknet({
			args: ['--host', options.host],
			...(options.env === undefined ? {} : {env: options.env}),
			...(options.netns === undefined ? {} : {netns: options.netns}),
			columns: options.columns,
			rows: options.rows,
			recordOutput: false,
			...(options.executable === undefined ? {script: options.script ?? docknetBundle} : {command: [options.executable]}),
		});
		try {
			const spawned = performance.now();
			const at = await app.waitFor(rowShows(options.firstRow, 'running'), 'the first container row', 30_000);
			// Round -1 warms up the engine's caches and docknet's code cache; it is not counted.
			if (round < 0) continue;
			result.spawnToDataMs.push(at - spawned);
			result.versionMs.push(version);
			result.nodeFloorMs.push(floor);
			if (round < 3) {
				// Idle: the host scan and every inspect done, nothing drawn for a second.
				while (performance.now() - app.lastOutputAt < 1000) await delay(100);
				await delay(1000);
				const pid = app.nodePid();
				if (pid !== undefined) result.idleRssMb.push(residentKb(pid) / 1024);
			}

			say(`  round ${round + 1}: spawn → data ${Math.round(at - spawned)} ms, --version ${Math.round(version)} ms, node -e 0 ${Math.round(floor)} ms`);
		} finally {
			app.press('q');
			await Promise.race([app.exited, delay(3000)]);
			await app.dispose();
		}
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
	];
}
