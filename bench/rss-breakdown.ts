import fs from 'node:fs';

// Where a running process's resident memory goes, from the kernel's view of its mappings:
//   tsx bench/rss-breakdown.ts <pid>
// Groups /proc/<pid>/smaps by what backs each mapping: the executable's own pages, other
// files (shared libraries, the bundle's code cache read in), malloc's main heap, and
// anonymous memory (V8's heap spaces, malloc's thread arenas, WebAssembly memory). The
// executable's pages are shared with every other node process (clean, read from the file):
// the private dirty figure is what this process alone costs.

interface Mapping {
	name: string;
	sizeKb: number;
	rssKb: number;
}

function readMappings(pid: number): Mapping[] {
	const mappings: Mapping[] = [];
	let current: Mapping | undefined;
	for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
		const header = /^[\da-f]+-[\da-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
		if (header !== null) {
			current = {name: header[1] ?? '', sizeKb: 0, rssKb: 0};
			mappings.push(current);
			continue;
		}

		const field = /^(Size|Rss):\s+(\d+) kB/.exec(line);
		if (field === null || current === undefined) continue;
		if (field[1] === 'Size') current.sizeKb = Number(field[2]);
		else current.rssKb = Number(field[2]);
	}

	return mappings;
}

function groupOf(mapping: Mapping, executable: string): string {
	if (mapping.name === executable) return 'the executable (node) itself';
	if (mapping.name === '[heap]') return 'malloc main heap';
	if (mapping.name.startsWith('[stack')) return 'stacks';
	if (mapping.name.startsWith('/')) return 'other files (libraries, caches)';
	if (mapping.name.startsWith('[')) return `kernel ${mapping.name}`;
	return 'anonymous (V8 heap, malloc arenas, wasm)';
}

const pid = Number(process.argv[2]);
if (!Number.isInteger(pid)) throw new Error('usage: tsx bench/rss-breakdown.ts <pid>');
const executable = fs.readlinkSync(`/proc/${pid}/exe`);
const groups = new Map<string, number>();
let totalKb = 0;
for (const mapping of readMappings(pid)) {
	const group = groupOf(mapping, executable);
	groups.set(group, (groups.get(group) ?? 0) + mapping.rssKb);
	totalKb += mapping.rssKb;
}

const rows = [...groups].sort((a, b) => b[1] - a[1]);
for (const [group, kb] of rows) process.stdout.write(`${(kb / 1024).toFixed(1).padStart(7)} MB  ${group}\n`);
process.stdout.write(`${(totalKb / 1024).toFixed(1).padStart(7)} MB  total resident\n`);
const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
for (const field of ['Pss', 'Shared_Clean', 'Private_Dirty']) {
	const kb = Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? Number.NaN);
	process.stdout.write(`${(kb / 1024).toFixed(1).padStart(7)} MB  ${field}\n`);
}

const threads = fs.readdirSync(`/proc/${pid}/task`).length;
process.stdout.write(`threads: ${threads}\n`);
