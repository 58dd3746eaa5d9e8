import {readFileSync} from 'node:fs';

// Reads a V8 .heapsnapshot (`npm run bench -- --heap-snapshot`) and prints where the heap
// goes: self size by node type, and by constructor or string kind for the largest groups.
// Usage: tsx bench/heap-summary.ts <file.heapsnapshot> [--top=30]

interface Snapshot {
	snapshot: {meta: {node_fields: string[]; node_types: [string[], ...unknown[]]}};
	nodes: number[];
	strings: string[];
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: tsx bench/heap-summary.ts <file.heapsnapshot> [--top=30]');
const top = Number(process.argv.find(arg => arg.startsWith('--top='))?.slice(6) ?? 30);
const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = snapshot.snapshot.meta.node_fields;
const typeNames = snapshot.snapshot.meta.node_types[0];
const typeField = fields.indexOf('type');
const nameField = fields.indexOf('name');
const sizeField = fields.indexOf('self_size');
const byType = new Map<string, {count: number; bytes: number}>();
const byName = new Map<string, {count: number; bytes: number}>();
const add = (map: Map<string, {count: number; bytes: number}>, key: string, bytes: number): void => {
	const entry = map.get(key) ?? {count: 0, bytes: 0};
	entry.count++;
	entry.bytes += bytes;
	map.set(key, entry);
};

let total = 0;
for (let at = 0; at < snapshot.nodes.length; at += fields.length) {
	const type = typeNames[snapshot.nodes[at + typeField] as number] ?? '?';
	const bytes = snapshot.nodes[at + sizeField] as number;
	total += bytes;
	add(byType, type, bytes);
	const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? `(${type})` : (snapshot.strings[snapshot.nodes[at + nameField] as number] ?? '?');
	add(byName, `${type}: ${name.slice(0, 60)}`, bytes);
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2).padStart(8)} MB`;
const print = (title: string, map: Map<string, {count: number; bytes: number}>, limit: number): void => {
	process.stdout.write(`\n${title}\n`);
	for (const [key, {count, bytes}] of [...map].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, limit)) {
		process.stdout.write(`${mb(bytes)}  ${String(count).padStart(8)}  ${key}\n`);
	}
};

process.stdout.write(`heap: ${mb(total)} in ${snapshot.nodes.length / fields.length} objects\n`);
print('by type', byType, 20);
print('by type and name', byName, top);
