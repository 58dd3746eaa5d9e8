import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {startCrowdedEngine} from '../test/helpers/crowded-engine.js';
import {keys, repoRoot, residentKb, startDocknet} from '../test/helpers/pty-app.js';
import type {DocknetPty} from '../test/helpers/pty-app.js';

// Key → screen at a scale no real test engine reaches: docknet in a pseudo-terminal against a
// fake engine with 200,000 networks (test/helpers/crowded-engine.ts). Each key is pressed once
// the screen is still, and timed until the screen (text or inverse video) changes: j/k, page
// moves, Home/End, Tab between panes, typing a filter one character at a time, and the
// topology tree (open, move, close).
//
// Usage: npx tsx bench/crowded-keys.ts [--n=200000] [--containers=40] [--script=<bundle>]
//   [--cpu-prof] [--columns=160] [--rows=45] [--rounds=2] [--write]
// --script measures another build (a "before"); --cpu-prof writes docknet's CPU profile to
// bench/results/profiles/ (read it with bench/profile-summary.ts); --write keeps the figures
// in bench/results/crowded-keys.json.

interface Options {
	networks: number;
	containers: number;
	script: string | undefined;
	cpuProf: boolean;
	columns: number;
	rows: number;
	rounds: number;
	write: boolean;
}

function parseOptions(argv: readonly string[]): Options {
	const options: Options = {networks: 200_000, containers: 40, script: undefined, cpuProf: false, columns: 160, rows: 45, rounds: 2, write: false};
	for (const arg of argv) {
		const [name, value = ''] = arg.split('=', 2) as [string, string?];
		if (name === '--n') options.networks = Number(value);
		else if (name === '--containers') options.containers = Number(value);
		else if (name === '--script') options.script = path.resolve(value);
		else if (name === '--cpu-prof') options.cpuProf = true;
		else if (name === '--columns') options.columns = Number(value);
		else if (name === '--rows') options.rows = Number(value);
		else if (name === '--rounds') options.rounds = Number(value);
		else if (name === '--write') options.write = true;
		else throw new Error(`unknown option ${arg}`);
	}

	for (const [name, value] of Object.entries(options)) {
		if (typeof value === 'number' && !(Number.isInteger(value) && value > 0)) throw new Error(`--${name} needs a positive integer`);
	}

	return options;
}

const say = (line: string): void => {
	process.stderr.write(`[crowded-keys] ${line}\n`);
};

/** What a person sees: the text, and which characters are in inverse video. */
const seen = (app: DocknetPty): string => `${app.text()}\n${app.highlighted().join('\n')}`;

async function still(app: DocknetPty, quietMs = 150, timeoutMs = 20_000): Promise<void> {
	const started = performance.now();
	while (performance.now() - app.lastOutputAt < quietMs) {
		if (performance.now() - started > timeoutMs) throw new Error('the screen never went still');
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** Presses a key on a still screen; the ms until the screen showed a change. */
async function timeKey(app: DocknetPty, key: string): Promise<number> {
	await still(app);
	const before = seen(app);
	const pressed = performance.now();
	app.press(key);
	const at = await app.waitFor(() => seen(app) !== before, `the screen to change after ${JSON.stringify(key)}`, 30_000);
	return at - pressed;
}

const pageDown = '\u001B[6~';
const pageUp = '\u001B[5~';

/** The keys of one round, each named by what it does; every one changes the screen. */
function roundKeys(): Array<[string, string]> {
	const sequence: Array<[string, string]> = [];
	for (let index = 0; index < 12; index++) sequence.push(['j', 'j']);
	for (let index = 0; index < 6; index++) sequence.push(['k', 'k']);
	for (let index = 0; index < 5; index++) sequence.push(['PgDn', pageDown]);
	for (let index = 0; index < 3; index++) sequence.push(['PgUp', pageUp]);
	sequence.push(['End', 'G'], ['Home', 'g']);
	for (let index = 0; index < 3; index++) sequence.push(['Tab', keys.tab]);
	sequence.push(['/', '/']);
	for (const character of 'crowd-0001') sequence.push(['filter typing', character]);
	sequence.push(['j', 'j'], ['Esc', keys.escape]);
	sequence.push(['t (topology)', 't']);
	for (let index = 0; index < 4; index++) sequence.push(['topology j', 'j']);
	sequence.push(['t (topology)', 't']);
	return sequence;
}

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	say(`a fake engine with ${options.networks.toLocaleString('en')} networks and ${options.containers} containers`);
	const engine = await startCrowdedEngine({networks: options.networks, containers: options.containers});
	const profileDir = path.join(repoRoot, 'bench', 'results', 'profiles');
	if (options.cpuProf) mkdirSync(profileDir, {recursive: true});
	let app: DocknetPty | undefined;
	try {
		const started = performance.now();
		app = startDocknet({
			args: ['--host', engine.dockerHost],
			columns: options.columns,
			rows: options.rows,
			recordOutput: false,
			...(options.script === undefined ? {} : {script: options.script}),
			...(options.cpuProf ? {nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]} : {}),
		});
		await app.waitForText(`Networks (${options.networks})`, 120_000);
		const firstScreenMs = performance.now() - started;
		say(`all ${options.networks} networks on screen after ${Math.round(firstScreenMs)} ms`);
		const byKind = new Map<string, number[]>();
		const all: number[] = [];
		for (let round = 0; round < options.rounds; round++) {
			for (const [kind, key] of roundKeys()) {
				const ms = await timeKey(app, key);
				all.push(ms);
				byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
			}
		}

		const pid = app.nodePid();
		const rssMb = pid === undefined ? Number.NaN : round1(residentKb(pid) / 1024);
		const summary = {
			networks: options.networks,
			containers: options.containers,
			script: options.script ?? 'dist/docknet.js',
			terminal: `${options.columns}x${options.rows}`,
			firstScreenMs: Math.round(firstScreenMs),
			keys: all.length,
			medianMs: round1(percentile(all, 50)),
			p95Ms: round1(percentile(all, 95)),
			worstMs: round1(percentile(all, 100)),
			rssMb,
			byKind: Object.fromEntries(
				[...byKind].map(([kind, values]) => [kind, {keys: values.length, medianMs: round1(percentile(values, 50)), worstMs: round1(percentile(values, 100))}]),
			),
		};
		process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
		if (options.write) writeFileSync(path.join(repoRoot, 'bench', 'results', 'crowded-keys.json'), `${JSON.stringify(summary, null, 2)}\n`);
		app.press('q');
		await app.exited;
	} finally {
		await app?.dispose();
		await engine.close();
	}
}

await main();
