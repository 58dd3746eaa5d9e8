import {execFile} from 'node:child_process';
import type {HostsEntry, InsideDns, InsideFile, InsideInterface, InsideRoute, InsideView} from '../model/inside.js';
import type {ContainedFile} from './contained-file.js';
import {type ContainedReads, sharedContainedReads} from './contained-reader.js';
import {appendAll} from '../model/large-arrays.js';
import {isRecord} from '../text/json-read.js';

// The inside view of a container, read from the engine's host: `ip -j addr` and `ip -j
// route` run inside the container's network namespace through nsenter (only the network
// namespace is entered, so the host's own ip binary runs: the container may have no shell
// and no ip), and resolv.conf and hosts read through /proc/<pid>/root, the container's own
// file system. Both need root. Those two files are the container's to make anything of (a
// FIFO, a link to a host file, 200 MB): contained-reader.ts reads them confined to the
// container's root, regular files only, at most INSIDE_FILE_CAP bytes.

/** Bytes read of /etc/hosts and /etc/resolv.conf; a real one is a few hundred. */
export const INSIDE_FILE_CAP = 256 * 1024;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** `ip -j addr show` → interfaces, in ifindex order; entries that are not objects are skipped. */
export function parseIpAddr(json: string): InsideInterface[] {
	const parsed: unknown = JSON.parse(json);
	if (!Array.isArray(parsed)) throw new Error('ip -j addr did not print a list');
	const interfaces: InsideInterface[] = [];
	for (const item of parsed) {
		if (!isRecord(item)) continue;
		const name = text(item['ifname']);
		const ifindex = number(item['ifindex']);
		if (name === undefined || ifindex === undefined) continue;
		const infos = Array.isArray(item['addr_info']) ? item['addr_info'].filter(isRecord) : [];
		const cidr = (family: string): string[] =>
			infos.filter(info => info['family'] === family && text(info['local'])).map(info => `${String(info['local'])}/${number(info['prefixlen']) ?? '?'}`);
		const peer = number(item['link_index']);
		interfaces.push({
			name,
			ifindex,
			...(peer === undefined ? {} : {peerIfindex: peer}),
			state: text(item['operstate']) ?? 'UNKNOWN',
			mtu: number(item['mtu']) ?? 0,
			...(text(item['address']) && item['link_type'] !== 'loopback' ? {mac: text(item['address'])} : {}),
			addresses: [...cidr('inet'), ...cidr('inet6')],
		});
	}

	return interfaces.sort((a, b) => a.ifindex - b.ifindex);
}

/** `ip -j route show` (either family) → routes. */
export function parseIpRoute(json: string, family: 4 | 6): InsideRoute[] {
	// With IPv6 off in the namespace, ip prints nothing at all.
	const parsed: unknown = json.trim() === '' ? [] : JSON.parse(json);
	if (!Array.isArray(parsed)) throw new Error('ip -j route did not print a list');
	return parsed.filter(isRecord).flatMap(item => {
		const destination = text(item['dst']);
		if (destination === undefined) return [];
		const route: InsideRoute = {family, destination};
		const optional: Array<[keyof InsideRoute, string]> = [
			['gateway', 'gateway'],
			['device', 'dev'],
			['protocol', 'protocol'],
			['scope', 'scope'],
			['source', 'prefsrc'],
		];
		for (const [key, field] of optional) {
			const value = text(item[field]);
			if (value !== undefined) Object.assign(route, {[key]: value});
		}

		const metric = number(item['metric']);
		if (metric !== undefined) route.metric = metric;
		return [route];
	});
}

const contentLines = (content: string): string[][] =>
	content
		.split('\n')
		.map(line => line.replace(/#.*/, '').trim())
		.filter(line => line !== '')
		.map(line => line.split(/\s+/));

export function parseResolvConf(content: string): InsideDns {
	const dns: InsideDns = {nameservers: [], search: [], options: []};
	for (const [keyword, ...values] of contentLines(content)) {
		if (keyword === 'nameserver' && values[0]) dns.nameservers.push(values[0]);
		// The last search (or domain) line wins, as in the resolver.
		else if (keyword === 'search' || keyword === 'domain') dns.search = values;
		else if (keyword === 'options') appendAll(dns.options, values);
	}

	return dns;
}

export function parseHosts(content: string): HostsEntry[] {
	return contentLines(content).flatMap(([address, ...names]) => (address && names.length > 0 ? [{address, names}] : []));
}

type Run = (program: string, args: readonly string[]) => Promise<string>;

const runProgram: Run = (program, args) =>
	new Promise((resolve, reject) => {
		execFile(program, [...args], {timeout: 3000, maxBuffer: 8 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error) reject(new Error(stderr.trim() || error.message));
			else resolve(stdout);
		});
	});

export interface InsideReaderOptions {
	procRoot?: string;
	run?: Run;
	containedReads?: ContainedReads;
	isRoot?: () => boolean;
}

const sizeText = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`);

/** The file's text (empty unless read) and what to tell about how it was read. */
export function describeInsideFile(path: string, read: ContainedFile): {text: string; file: InsideFile} {
	if (read.status === 'missing') return {text: '', file: {path, status: 'missing', note: read.detail}};
	if (read.status === 'refused') return {text: '', file: {path, status: 'refused', note: read.reason}};
	const readBytes = Buffer.byteLength(read.text);
	if (!read.cut) return {text: read.text, file: {path, status: 'read', size: read.size, readBytes, cut: false}};
	// The last line read is most likely a partial one: it goes.
	const text = read.text.slice(0, read.text.lastIndexOf('\n') + 1);
	return {text, file: {path, status: 'read', size: read.size, readBytes, cut: true, note: `cut at ${sizeText(readBytes)} of ${sizeText(read.size)}`}};
}

export const NOT_ROOT_INSIDE = "docknet is not running as root, so it cannot enter the container's network namespace (run it with sudo to see the inside view)";

export function createInsideReader(options: InsideReaderOptions = {}): (pid: number) => Promise<InsideView> {
	const procRoot = options.procRoot ?? '/proc';
	const run = options.run ?? runProgram;
	const containedReads = options.containedReads ?? sharedContainedReads();
	const isRoot = options.isRoot ?? (() => process.getuid?.() === 0);
	return async pid => {
		if (!Number.isInteger(pid) || pid <= 0) return {status: 'unavailable', reason: 'the container is not running: a stopped container has no network stack'};
		if (!isRoot()) return {status: 'unavailable', reason: NOT_ROOT_INSIDE};
		const inNamespace = (args: string[]): Promise<string> => run('nsenter', [`--net=${procRoot}/${pid}/ns/net`, 'ip', '-j', ...args]);
		try {
			const root = `${procRoot}/${pid}/root`;
			const readInside = async (path: string) => describeInsideFile(path, await containedReads.readFile(root, path, {capBytes: INSIDE_FILE_CAP}));
			const [addr, route4, route6, resolvConf, hosts] = await Promise.all([
				inNamespace(['addr', 'show']),
				inNamespace(['-4', 'route', 'show']),
				inNamespace(['-6', 'route', 'show']),
				readInside('/etc/resolv.conf'),
				readInside('/etc/hosts'),
			]);
			return {
				status: 'ok',
				interfaces: parseIpAddr(addr),
				routes: [...parseIpRoute(route4, 4), ...parseIpRoute(route6, 6)],
				dns: parseResolvConf(resolvConf.text),
				hosts: parseHosts(hosts.text),
				files: [resolvConf.file, hosts.file],
			};
		} catch (error) {
			return {status: 'unavailable', reason: `could not read the container's network namespace: ${error instanceof Error ? error.message : String(error)}`};
		}
	};
}
