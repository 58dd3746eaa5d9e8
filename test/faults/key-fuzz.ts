import {ensureTestImage, startPrivateEngine} from '../../source/playground/private-engine.js';
import {seedWalkthrough} from '../../source/playground/seed.js';
import {startCountingProxy} from '../../bench/count-proxy.js';
import {auxEngineName} from '../helpers/aux-engine.js';
import {residentKb, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';

// Random keys, seeded, into docknet in a real terminal, on a private engine whose state may be
// wrecked: every key docknet binds (actions included: connect, disconnect, create, remove,
// prune, undo, and the y that confirms them), text and escape sequences, in bursts as a fast
// typist or a slow link sends them, with storms of terminal resizes between 20×5 and 250×70.
// What must hold: docknet never exits, never prints a stack trace, and its memory stays bounded.

export interface FuzzOptions {
	keys: number;
	seed: number;
	/** Keys between two resize storms. */
	resizeEvery?: number;
	onProgress?(done: number, rssKb: number): void;
}

export interface FuzzReport {
	seed: number;
	keys: number;
	resizes: number;
	/** Key groups sent (one write each). */
	bursts: number;
	durationMs: number;
	/** Resident memory after start-up, its peak while fuzzing, and at the end (kB). */
	rssStartKb: number;
	rssPeakKb: number;
	rssEndKb: number;
	exited: boolean;
	stackTrace: string | undefined;
	/** Networks the random actions created (the engine had one user network). */
	networksAtEnd: number;
	/** The app answered afterwards: Esc closed whatever was open and the header came back. */
	responsiveAtEnd: boolean;
	/** Requests that change the engine, by kind ("POST connect": 12): the actions really ran. */
	changes: Record<string, number>;
	/** The keys, for replaying a failure. */
	sample: string;
}

function changeKind(method: string, path: string): string | undefined {
	if (method === 'GET') return undefined;
	const action = /\/networks\/(create|prune)|\/networks\/[^/]+\/(connect|disconnect)/.exec(path);
	if (action) return action[1] ?? action[2];
	if (method === 'DELETE' && /\/networks\//.test(path)) return 'remove';
	return `${method} ${path.replace(/\?.*/, '')}`;
}

/** A small fast PRNG (mulberry32): the same seed gives the same keys. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const escape = '\u001B';
// Everything docknet binds, and the sequences terminals send; never q or Ctrl-C (they quit,
// as they should), nor Ctrl-Z and Ctrl-\ (the terminal turns them into signals).
const boundKeys = ['1', '2', '3', '\t', `${escape}[Z`, 'j', 'k', 'g', 'G', '/', '\r', escape, 't', '?', 'c', 'd', 'D', 'u', 'n', 'x', 'p', 'y', 'Y', ' ', '\u007F', '\u0002', '\u0006', '\u0015'];
const sequences = [`${escape}[A`, `${escape}[B`, `${escape}[C`, `${escape}[D`, `${escape}[5~`, `${escape}[6~`, `${escape}[H`, `${escape}[F`, `${escape}[1~`, `${escape}[4~`, `${escape}OA`, `${escape}[1;5C`, `${escape}[200~`, `${escape}[201~`];
const text = [...'abcdefghijklmnoprstuvwxyz0123456789-_.:=,/ ', 'é', '漢', '🙂', '\u202E', '\u200B'];

function pick<T>(random: () => number, list: readonly T[]): T {
	return list[Math.floor(random() * list.length)] as T;
}

// Random keys alone seldom get through a picker and a form to the engine; these key runs do
// (each still lands wherever the screen happens to be: a dialog, the help, a filter).
const actionRuns = [
	['2', 'c', '\r', '\r'],
	['1', 'c', '\r', '\r'],
	['2', 'd', '\r', 'y'],
	['1', 'D', '\r', 'y'],
	['1', 'n', 'fuzz-net', '\r'],
	['1', 'x', 'y'],
	['1', 'p', 'y'],
	['u'],
];

/** One key, or a run of keys; Esc+key in one burst counts as two. */
function randomKeys(random: () => number): readonly string[] {
	const roll = random();
	if (roll < 0.02) return pick(random, actionRuns);
	if (roll < 0.5) return [pick(random, boundKeys)];
	if (roll < 0.7) return [pick(random, sequences)];
	if (roll < 0.95) return [pick(random, text)];
	// Esc followed at once by another key, as one burst.
	return [escape, pick(random, [...boundKeys, ...text])];
}

const stackLine = /^\s+at .+\(.*:\d+:\d+\)$/m;

function findStackTrace(output: string): string | undefined {
	const match = stackLine.exec(output) ?? /node:internal/.exec(output);
	return match ? output.slice(Math.max(0, match.index - 200), match.index + 200) : undefined;
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export async function runKeyFuzz(options: FuzzOptions): Promise<FuzzReport> {
	const random = seededRandom(options.seed);
	const resizeEvery = options.resizeEvery ?? 400;
	const engine = await startPrivateEngine({name: auxEngineName('fuzz')});
	let app: DocknetPty | undefined;
	let proxy: Awaited<ReturnType<typeof startCountingProxy>> | undefined;
	try {
		await ensureTestImage(engine.dockerHost);
		await seedWalkthrough(engine.dockerHost);
		proxy = await startCountingProxy(`${engine.dir}/counted.sock`, engine.socketPath);
		app = startDocknet({args: ['--host', `unix://${proxy.socketPath}`], netns: engine.netns, columns: 120, rows: 32});
		await app.waitForText('● live', 30_000);
		await app.waitForText('ctn1', 10_000);
		const pid = app.nodePid();
		if (pid === undefined) throw new Error('no docknet process to watch');
		const rssStartKb = residentKb(pid);
		let rssPeakKb = rssStartKb;
		const started = Date.now();
		const sample: string[] = [];
		let sent = 0;
		let resizes = 0;
		let bursts = 0;
		let nextResize = resizeEvery;
		while (sent < options.keys && !app.hasExited) {
			const size = 1 + Math.floor(random() * 5);
			let burst = '';
			for (let index = 0; index < size && sent < options.keys; index++) {
				const run = randomKeys(random).slice(0, options.keys - sent);
				burst += run.join('');
				sent += run.length;
			}

			if (sample.length < 2000) sample.push(burst);
			app.press(burst);
			bursts++;
			// Mostly no pause (keys pile up), sometimes long enough to draw.
			const pause = random();
			await sleep(pause < 0.7 ? 0 : pause < 0.95 ? 3 : 30);
			if (sent >= nextResize) {
				nextResize += resizeEvery;
				const storm = 5 + Math.floor(random() * 10);
				for (let index = 0; index < storm; index++) {
					app.resize(20 + Math.floor(random() * 231), 5 + Math.floor(random() * 66));
					resizes++;
					await sleep(random() < 0.5 ? 0 : 5);
				}

				rssPeakKb = Math.max(rssPeakKb, residentKb(pid));
				options.onProgress?.(sent, rssPeakKb);
			}
		}

		// Let it settle, then see that it still answers: Esc closes any dialog or overlay.
		await sleep(500);
		let responsiveAtEnd = false;
		if (!app.hasExited) {
			rssPeakKb = Math.max(rssPeakKb, residentKb(pid));
			app.resize(120, 32);
			for (let index = 0; index < 4; index++) {
				app.press(escape);
				await sleep(150);
			}

			try {
				await app.waitFor(lines => lines.some(line => line.startsWith('docknet │')) && lines.some(line => /Networks \(\d+/.test(line)), 'the main view again', 15_000);
				responsiveAtEnd = true;
			} catch {
				responsiveAtEnd = false;
			}
		}

		const rssEndKb = app.hasExited ? 0 : residentKb(pid);
		const networksMatch = /Networks \((\d+)/.exec(app.text());
		const changes: Record<string, number> = {};
		for (const request of proxy.requests) {
			const kind = changeKind(request.method, request.path);
			if (kind !== undefined) changes[kind] = (changes[kind] ?? 0) + 1;
		}

		return {
			changes,
			seed: options.seed,
			keys: sent,
			resizes,
			bursts,
			durationMs: Date.now() - started,
			rssStartKb,
			rssPeakKb,
			rssEndKb,
			exited: app.hasExited,
			stackTrace: findStackTrace(app.rawOutput()),
			networksAtEnd: networksMatch ? Number(networksMatch[1]) : -1,
			responsiveAtEnd,
			sample: sample.join(''),
		};
	} finally {
		await app?.dispose();
		await proxy?.close();
		await engine.stop();
	}
}
