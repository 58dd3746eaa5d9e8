import {readFileSync} from 'node:fs';
import path from 'node:path';

// Reads a V8 .cpuprofile (node --cpu-prof, or `npm run bench -- --cpu-prof`) and prints where
// the time went: self time and total (inclusive) time per function, optionally for a window.
// Usage: tsx bench/profile-summary.ts <file.cpuprofile> [--from=<ms>] [--to=<ms>] [--top=25] [--long=<ms>]
// Times are ms since the profile started. --long lists the stretches busy for longer than
// <ms> without a break (what makes a key wait) and what ran in each.

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

function option(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find(arg => arg.startsWith(prefix))?.slice(prefix.length);
}

const file = process.argv.slice(2).find(arg => !arg.startsWith('--'));
if (file === undefined) {
	process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--from=ms] [--to=ms] [--top=25]\n');
	process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const from = Number(option('from') ?? 0);
const to = Number(option('to') ?? Number.POSITIVE_INFINITY);
const top = Number(option('top') ?? 25);
const longMs = option('long') === undefined ? undefined : Number(option('long'));

const byId = new Map(profile.nodes.map(node => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const label = (frame: CallFrame): string => {
	const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
	return frame.url === '' ? name : `${name} ${path.basename(frame.url)}:${frame.lineNumber + 1}`;
};

/** Adds `delta` to the sample's function and each caller above it, once per name (recursion). */
function addInclusive(times: Map<string, number>, nodeId: number, delta: number): void {
	const seen = new Set<string>();
	for (let current: number | undefined = nodeId; current !== undefined; current = parent.get(current)) {
		const frame = byId.get(current)?.callFrame;
		if (frame === undefined) break;
		const name = label(frame);
		if (seen.has(name)) continue;
		seen.add(name);
		times.set(name, (times.get(name) ?? 0) + delta);
	}
}

const self = new Map<string, number>();
const total = new Map<string, number>();
let elapsed = 0;
let windowMs = 0;
let idleMs = 0;
for (const [index, sample] of profile.samples.entries()) {
	const delta = (profile.timeDeltas[index] ?? 0) / 1000;
	elapsed += delta;
	if (elapsed < from || elapsed > to) continue;
	windowMs += delta;
	const node = byId.get(sample);
	if (node === undefined) continue;
	if (node.callFrame.functionName === '(idle)') {
		idleMs += delta;
		continue;
	}

	self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + delta);
	addInclusive(total, node.id, delta);
}

const print = (title: string, table: Map<string, number>): void => {
	process.stdout.write(`\n${title}\n`);
	for (const [name, ms] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		process.stdout.write(`${ms.toFixed(1).padStart(9)} ms  ${name}\n`);
	}
};

if (longMs !== undefined) {
	// A stretch ends at the first idle sample; its time goes to the frames that were running.
	let start = 0;
	let busy = 0;
	let frames = new Map<string, number>();
	let at = 0;
	const stretches: Array<{start: number; busy: number; frames: Map<string, number>}> = [];
	for (const [index, sample] of profile.samples.entries()) {
		const delta = (profile.timeDeltas[index] ?? 0) / 1000;
		at += delta;
		const node = byId.get(sample);
		const idle = node === undefined || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)';
		if (idle || at < from || at > to) {
			if (busy >= longMs) stretches.push({start, busy, frames});
			busy = 0;
			frames = new Map();
			start = at;
			continue;
		}

		busy += delta;
		addInclusive(frames, node.id, delta);
	}

	process.stdout.write(`\n${stretches.length} busy stretches ≥ ${longMs} ms\n`);
	for (const stretch of stretches.sort((a, b) => b.busy - a.busy).slice(0, 10)) {
		const heavy = [...stretch.frames].filter(([name]) => name !== '(root)').sort((a, b) => b[1] - a[1]).slice(0, 12);
		process.stdout.write(`at ${stretch.start.toFixed(0)} ms: ${stretch.busy.toFixed(0)} ms busy\n${heavy.map(([name, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${name}`).join('\n')}\n`);
	}
}

process.stdout.write(`window ${from}–${Math.min(to, elapsed).toFixed(0)} ms: ${windowMs.toFixed(0)} ms sampled, ${(windowMs - idleMs).toFixed(0)} ms busy\n`);
print('self time', self);
print('total time', total);
