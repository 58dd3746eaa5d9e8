import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {engineCall} from '../source/playground/engine-api.js';
import {BUSYBOX_IMAGE, ensureTestImage, findRunningEngine, startPrivateEngine} from '../source/playground/private-engine.js';
import {measureStartup, percentile, startupRows} from './startup.js';
import type {StartupResult} from './startup.js';

// Start-up figures alone, against an engine kept between runs (for trying a change quickly):
//   tsx bench/startup-run.ts --engine=<name> [--n=200] [--rounds=10] [--script=<bundle>] [--executable=<file>] [--peer=<lazydocker>] [--stop]
// The engine <name> is started and seeded with N containers on first use and left running
// for the next call; --stop stops it after this run.

function option(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find(arg => arg.startsWith(prefix))?.slice(prefix.length);
}

const say = (line: string): void => {
	process.stderr.write(`${line}\n`);
};

const name = option('engine');
if (name === undefined) throw new Error('--engine=<name> is required');
const n = Number(option('n') ?? 200);
let engine = findRunningEngine(name);
if (engine === undefined) {
	say(`starting and seeding ${name} with ${n} containers`);
	engine = await startPrivateEngine({name});
	await ensureTestImage(engine.dockerHost);
	const socket = engine.socketPath;
	await engineCall(socket, 'POST', '/networks/create', {body: {Name: 'net-000', Driver: 'bridge', IPAM: {Config: [{Subnet: '10.100.0.0/22'}]}}});
	for (let index = 0; index < n; index++) {
		const response = await engineCall(socket, 'POST', `/containers/create?name=c-${String(index).padStart(4, '0')}`, {
			body: {Image: BUSYBOX_IMAGE, Cmd: ['sleep', '1000000'], HostConfig: {NetworkMode: 'net-000'}},
		});
		const id = (JSON.parse(response.body) as {Id: string}).Id;
		await engineCall(socket, 'POST', `/containers/${id}/start`, {accept: [304]});
	}

	await engine.keep();
}

const started = performance.now();
const script = option('script');
const executable = option('executable');
const rounds = Number(option('rounds') ?? 10);
// --host and --ssh-bin: the same engine reached another way (ssh://, with an ssh wrapper first on PATH).
const sshBin = option('ssh-bin');
const base = {
	host: option('host') ?? engine.dockerHost,
	netns: engine.netns,
	firstRow: 'c-0000',
	columns: 160,
	rows: 45,
	...(sshBin === undefined ? {} : {env: {PATH: `${sshBin}:${process.env['PATH'] ?? ''}`}}),
};
const vsScript = option('vs-script');
const peer = option('peer');
if (vsScript === undefined) {
	const result = await measureStartup({
		...base,
		rounds,
		say,
		...(peer === undefined ? {} : {peer: {executable: path.resolve(peer), dockerHost: engine.dockerHost}}),
		...(script === undefined ? {} : {script}),
		...(executable === undefined ? {} : {executable}),
	});
	for (const [figure, value] of startupRows(result)) say(`${figure.padEnd(32)} ${value}`);
} else {
	// A against B, round by round, so drift in the machine's load weighs on both alike.
	const a: StartupResult = {spawnToDataMs: [], versionMs: [], nodeFloorMs: [], idleRssMb: []};
	const b: StartupResult = {spawnToDataMs: [], versionMs: [], nodeFloorMs: [], idleRssMb: []};
	for (let round = 0; round < rounds; round++) {
		for (const [into, which] of [[a, script], [b, vsScript]] as const) {
			const one = await measureStartup({...base, rounds: 1, warmUp: round === 0, ...(which === undefined ? {} : {script: which})});
			for (const key of ['spawnToDataMs', 'versionMs', 'nodeFloorMs', 'idleRssMb'] as const) into[key].push(...one[key]);
		}

		say(`  round ${round + 1}: A ${Math.round(a.spawnToDataMs.at(-1) ?? 0)} ms, B ${Math.round(b.spawnToDataMs.at(-1) ?? 0)} ms`);
	}

	const ratios = a.spawnToDataMs.map((value, index) => value / (b.spawnToDataMs[index] ?? Number.NaN));
	for (const [label, result] of [['A', a], ['B', b]] as const) {
		for (const [figure, value] of startupRows(result)) say(`${label} ${figure.padEnd(32)} ${value}`);
	}

	say(`A/B spawn → data, median ratio ${percentile(ratios, 50).toFixed(2)}`);
}
say(`(${Math.round((performance.now() - started) / 1000)} s)`);
if (process.argv.includes('--stop')) await engine.stop();
