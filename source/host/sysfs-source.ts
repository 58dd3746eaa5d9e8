import {execFile} from 'node:child_process';
import * as fs from 'node:fs';
import {networkInterfaces} from 'node:os';
import path from 'node:path';
import type {DockerContainer, HostInterface, InterfaceStats} from '../model/types.js';
import {
	type ContainerSideInterface,
	type HostInterfaceSource,
	HostSourceError,
	type InterfaceKind,
	NOT_ROOT_HINT,
	NOT_ROOT_REASON,
	ROOT_DENIED_REASON,
	type HostIndexes,
	type VethPeerScan,
	joinVethPeers,
	sharesForeignNetworkNamespace,
	zeroStats,
} from '../model/host-source.js';
import {type ContainedReads, sharedContainedReads} from './contained-reader.js';
import {createInsideReader} from './inside-view.js';
import {createForwardingReader} from './port-forwarding.js';
import {type IpLink, ipv4First, parseIpLinkJson, parseProcNetDev} from './ip-json.js';
import {errorCode} from '../runtime/error-code.js';

// Host interfaces of an engine on this machine, read from /sys/class/net (everything but
// the exact kind) plus one `ip -j -d link show` per full scan (the kind). Container ends
// of veths come from /proc/<pid>/root/sys/class/net, the container's own sysfs mount: a
// file tree the container controls, so those reads go through contained-reader.ts (in a
// helper process, confined to the container's root, sysfs files only, bounded).

/** The few file operations the source needs; tests inject failures through it. */
export interface HostFileSystem {
	readText(file: string): Promise<string>;
	readDirectory(directory: string): Promise<string[]>;
	readLink(file: string): Promise<string>;
}

// Synchronous on purpose: the host's own sysfs and procfs files live in kernel memory and
// never block, and a promise-based read costs four thread-pool round trips (open, fstat,
// read, close). During a storm of container starts those reads took ~2 s of CPU; the same
// reads done inline take milliseconds. Never used for a file a container controls.
export const nodeFileSystem: HostFileSystem = {
	readText: async (file) => fs.readFileSync(file, 'utf8'),
	readDirectory: async (directory) => fs.readdirSync(directory),
	readLink: async (file) => fs.readlinkSync(file),
};

export interface SysfsSourceOptions {
	/** Default '/sys/class/net'. */
	sysClassNet?: string;
	/** Default '/proc'. Container ends are read under <procRoot>/<pid>/root; counters from <procRoot>/net/dev. */
	procRoot?: string;
	/** Interface name → CIDR strings. Default: os.networkInterfaces(). */
	readAddresses?: () => Map<string, string[]>;
	/**
	 * Output of `ip -j -d -s link show`, or undefined when it cannot be had. When it lists
	 * exactly the interfaces sysfs lists it supplies everything; otherwise only the kinds
	 * of interfaces whose ifindex matches. `false` turns it off (kinds then come from sysfs
	 * heuristics). Default: runs the ip binary when sysClassNet is the real one, off
	 * otherwise (a fake tree has no matching ip).
	 */
	readIpLinks?: (() => Promise<string | undefined>) | false;
	fileSystem?: HostFileSystem;
	/** Default "this machine". */
	origin?: string;
	/** Whether this process runs as root; only changes the wording of a denial. Default from process.getuid(). */
	isRoot?: () => boolean;
	/** Reads inside containers' roots. Default: the shared helper. */
	containedReads?: ContainedReads;
	/**
	 * Whether a container's interface files must be sysfs files (a container with
	 * CAP_SYS_ADMIN can mount a tmpfs of made-up ones). Default: when procRoot is /proc; a
	 * fake tree in tests is plain files.
	 */
	containerSysfsOnly?: boolean;
}

const STAT_FILES: ReadonlyArray<[keyof InterfaceStats, string]> = [
	['rxBytes', 'rx_bytes'],
	['txBytes', 'tx_bytes'],
	['rxPackets', 'rx_packets'],
	['txPackets', 'tx_packets'],
	['rxErrors', 'rx_errors'],
	['txErrors', 'tx_errors'],
	['rxDropped', 'rx_dropped'],
	['txDropped', 'tx_dropped'],
];

const ARPHRD_LOOPBACK = 772;
const IFF_TUN = 0x0001;
const IFF_TAP = 0x0002;

/** Errors that mean "this interface or process disappeared while we looked". */
function isGone(error: unknown): boolean {
	const code = errorCode(error);
	return code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO' || code === 'ESRCH' || code === 'ENOTDIR';
}

function parseInteger(text: string): number {
	const value = Number.parseInt(text.trim(), 10);
	if (!Number.isFinite(value)) throw new Error(`not a number: ${JSON.stringify(text.trim())}`);
	return value;
}

/** What sysfs says about an interface, for guessing its kind when ip cannot tell. */
export interface SysfsKindEvidence {
	name: string;
	ifindex: number;
	iflink: number;
	/** ARPHRD type from the `type` file. */
	type: number;
	/** DEVTYPE from `uevent`, if any. */
	devtype?: string;
	/** Entries of the interface's sysfs directory (device, bridge, tun_flags, lower_*, ...). */
	entries: ReadonlySet<string>;
	/** Parsed `tun_flags`, if present. */
	tunFlags?: number;
}

const DEVTYPE_KINDS: Readonly<Record<string, InterfaceKind>> = {
	bridge: 'bridge',
	wlan: 'wifi',
	vxlan: 'vxlan',
	wireguard: 'wireguard',
	bond: 'bond',
	vlan: 'vlan',
};

/**
 * Best guess of the kind from sysfs alone. Reliable for loopback, bridge, tun/tap, bond,
 * wifi and physical NICs; veth against macvlan/ipvlan/dummy is told apart by the `lower_*`
 * link and the peer index, and by the name as a last resort.
 */
export function guessKindFromSysfs(evidence: SysfsKindEvidence): InterfaceKind {
	const {entries} = evidence;
	if (evidence.type === ARPHRD_LOOPBACK) return 'loopback';
	if (entries.has('bridge')) return 'bridge';
	if (entries.has('bonding')) return 'bond';
	if (entries.has('wireless') || entries.has('phy80211')) return 'wifi';
	const fromDevtype = evidence.devtype ? DEVTYPE_KINDS[evidence.devtype] : undefined;
	if (fromDevtype) return fromDevtype;
	if (evidence.tunFlags !== undefined) {
		if (evidence.tunFlags & IFF_TAP) return 'tap';
		if (evidence.tunFlags & IFF_TUN) return 'tun';
	}
	if (entries.has('device')) return 'ethernet';
	const hasLower = [...entries].some((entry) => entry.startsWith('lower_'));
	if (hasLower) return evidence.name.startsWith('ipvl') ? 'ipvlan' : 'macvlan';
	if (evidence.iflink !== evidence.ifindex) return 'veth';
	// A veth whose peer happens to have the same index in another namespace, or a dummy:
	// nothing in sysfs differs, so the conventional names decide.
	if (evidence.name.startsWith('veth')) return 'veth';
	if (evidence.name.startsWith('dummy')) return 'dummy';
	if (evidence.name.startsWith('wg')) return 'wireguard';
	return 'other';
}

function defaultReadAddresses(): Map<string, string[]> {
	const result = new Map<string, string[]>();
	let all: ReturnType<typeof networkInterfaces>;
	try {
		all = networkInterfaces();
	} catch {
		// libuv could not enumerate (a restricted sandbox): interfaces without addresses.
		return result;
	}
	for (const [label, entries] of Object.entries(all)) {
		// getifaddrs reports IPv4 addresses under their label ("eth0:1"); they belong to eth0.
		const name = label.split(':')[0] ?? label;
		const list = result.get(name) ?? [];
		for (const entry of entries ?? []) if (entry.cidr) list.push(entry.cidr);
		result.set(name, list);
	}
	for (const [name, list] of result) result.set(name, ipv4First([...new Set(list)]));
	return result;
}

function createIpRunner(): () => Promise<string | undefined> {
	let missing = false;
	return async () => {
		if (missing) return undefined;
		return new Promise((resolve) => {
			execFile('ip', ['-j', '-d', '-s', 'addr', 'show'], {timeout: 2000, maxBuffer: 64 * 1024 * 1024}, (error, stdout) => {
				if (error) {
					// No ip binary: stop trying. Anything else (timeout, old ip without -j): this
					// scan falls back to sysfs heuristics and the next one tries again.
					if (errorCode(error) === 'ENOENT') missing = true;
					resolve(undefined);
					return;
				}
				resolve(stdout);
			});
		});
	};
}

function sameNames(a: ReadonlySet<string>, b: readonly string[]): boolean {
	return a.size === b.length && b.every((name) => a.has(name));
}

export function createSysfsSource(options: SysfsSourceOptions = {}): HostInterfaceSource {
	const sysClassNet = options.sysClassNet ?? '/sys/class/net';
	const procRoot = options.procRoot ?? '/proc';
	const procNetDev = path.join(procRoot, 'net', 'dev');
	const fileSystem = options.fileSystem ?? nodeFileSystem;
	const readAddresses = options.readAddresses ?? defaultReadAddresses;
	const readIpLinks =
		options.readIpLinks === false
			? undefined
			: (options.readIpLinks ?? (sysClassNet === '/sys/class/net' ? createIpRunner() : undefined));
	// Set by each scan: /proc/net/dev lists exactly the interfaces sysfs lists, so its one
	// read can replace eight sysfs reads per interface for the once-a-second counters.
	let procNetDevMatches = false;
	// Set once ip and sysfs listed the same interfaces: both describe one network namespace,
	// which cannot change while docknet runs. Later differences are interfaces that came or
	// went between the two reads (a storm of starts), and ip's dump, made in one go, wins.
	let ipSeesSysfsNamespace = false;

	const isRoot = options.isRoot ?? (() => process.getuid?.() === 0);

	const readText = async (file: string) => (await fileSystem.readText(file)).trim();
	const readOptionalText = async (file: string): Promise<string | undefined> => {
		try {
			return await readText(file);
		} catch (error) {
			if (isGone(error)) return undefined;
			throw error;
		}
	};

	async function listNames(): Promise<string[]> {
		try {
			return (await fileSystem.readDirectory(sysClassNet)).sort();
		} catch (error) {
			throw new HostSourceError(`cannot list network interfaces in ${sysClassNet}`, {cause: error});
		}
	}

	async function readStatsOf(directory: string): Promise<InterfaceStats> {
		const values = await Promise.all(STAT_FILES.map(([, file]) => readText(path.join(directory, 'statistics', file))));
		const stats = {} as InterfaceStats;
		STAT_FILES.forEach(([key], index) => {
			// A counter the driver does not keep reads as an empty file or fails to parse; 0 then.
			const value = Number.parseInt(values[index] ?? '', 10);
			stats[key] = Number.isFinite(value) ? value : 0;
		});
		return stats;
	}

	async function readKindEvidence(name: string, ifindex: number, iflink: number): Promise<SysfsKindEvidence> {
		const directory = path.join(sysClassNet, name);
		const entries = new Set(await fileSystem.readDirectory(directory));
		const [typeText, uevent, tunFlagsText] = await Promise.all([
			readOptionalText(path.join(directory, 'type')),
			readOptionalText(path.join(directory, 'uevent')),
			entries.has('tun_flags') ? readOptionalText(path.join(directory, 'tun_flags')) : undefined,
		]);
		return {
			name,
			ifindex,
			iflink,
			type: typeText ? Number.parseInt(typeText, 10) : 0,
			devtype: /^DEVTYPE=(.*)$/m.exec(uevent ?? '')?.[1],
			entries,
			tunFlags: tunFlagsText ? Number.parseInt(tunFlagsText, 16) : undefined,
		};
	}

	/** Everything from sysfs; ip (if it knows this very interface) only names the kind. */
	async function readInterfaceFromSysfs(
		name: string,
		ipLink: IpLink | undefined,
		addresses: ReadonlyMap<string, string[]>,
	): Promise<HostInterface | undefined> {
		const directory = path.join(sysClassNet, name);
		try {
			const [ifindexText, iflinkText, operstate, mtuText, address, masterLink, stats] = await Promise.all([
				readText(path.join(directory, 'ifindex')),
				readText(path.join(directory, 'iflink')),
				readOptionalText(path.join(directory, 'operstate')),
				readOptionalText(path.join(directory, 'mtu')),
				readOptionalText(path.join(directory, 'address')),
				fileSystem.readLink(path.join(directory, 'master')).catch(() => undefined),
				readStatsOf(directory),
			]);
			const ifindex = parseInteger(ifindexText);
			const iflink = parseInteger(iflinkText);
			const ipKind = ipLink && ipLink.ifindex === ifindex ? ipLink.kind : undefined;
			const kind = ipKind ?? guessKindFromSysfs(await readKindEvidence(name, ifindex, iflink));
			return {
				name,
				ifindex,
				iflink,
				kind,
				state: operstate || 'unknown',
				mac: address || undefined,
				mtu: mtuText ? Number.parseInt(mtuText, 10) : 0,
				addresses: addresses.get(name) ?? [],
				master: masterLink ? path.basename(masterLink) : undefined,
				stats,
			};
		} catch (error) {
			if (isGone(error)) return undefined;
			throw error;
		}
	}

	/** Everything from ip; sysfs only for the kind of devices ip gives none (physical NICs). */
	async function readInterfaceFromIp(link: IpLink, addresses: ReadonlyMap<string, string[]>): Promise<HostInterface | undefined> {
		let kind = link.kind;
		if (!kind) {
			try {
				kind = guessKindFromSysfs(await readKindEvidence(link.name, link.ifindex, link.iflink));
			} catch (error) {
				if (isGone(error)) return undefined;
				throw error;
			}
		}
		return {
			name: link.name,
			ifindex: link.ifindex,
			iflink: link.iflink,
			kind,
			state: link.state,
			mac: link.mac,
			mtu: link.mtu,
			addresses: addresses.get(link.name) ?? [],
			master: link.master,
			stats: link.stats ?? zeroStats(),
		};
	}

	async function readIpLinkList(): Promise<IpLink[] | undefined> {
		if (!readIpLinks) return undefined;
		const text = await readIpLinks().catch(() => undefined);
		if (text === undefined) return undefined;
		try {
			return parseIpLinkJson(text);
		} catch {
			return undefined;
		}
	}

	async function readProcNetDev(only?: ReadonlySet<string>): Promise<Map<string, InterfaceStats> | undefined> {
		try {
			return parseProcNetDev(await fileSystem.readText(procNetDev), only);
		} catch {
			return undefined;
		}
	}

	async function scan(): Promise<HostInterface[]> {
		const [names, ipLinks, netDev] = await Promise.all([listNames(), readIpLinkList(), readProcNetDev()]);
		procNetDevMatches = netDev !== undefined && sameNames(new Set(netDev.keys()), names);
		// ip and /proc/net/dev show this process's network namespace, /sys/class/net the one
		// its sysfs was mounted for. They agree unless docknet entered a namespace without
		// remounting /sys; the same set of names is the cheap proof. With it, ip's one spawn
		// replaces ~17 file reads per interface (at 100 veths: ~2 ms instead of ~100 ms CPU).
		if (ipLinks !== undefined && sameNames(new Set(ipLinks.map((link) => link.name)), names)) ipSeesSysfsNamespace = true;
		const ipComplete = ipLinks !== undefined && ipSeesSysfsNamespace && ipLinks.every((link) => link.stats);
		// `ip -j addr` brings the addresses along; os.networkInterfaces() (getifaddrs) cost
		// ~200 ms at 400 interfaces and is only the fallback.
		const addresses =
			ipComplete && !options.readAddresses
				? new Map(ipLinks.map((link) => [link.name, ipv4First(link.addresses)]))
				: readAddresses();
		const interfaces = ipComplete
			? await Promise.all(ipLinks.map((link) => readInterfaceFromIp(link, addresses)))
			: await Promise.all(
					names.map((name) => readInterfaceFromSysfs(name, ipLinks?.find((link) => link.name === name), addresses)),
				);
		return interfaces.filter((item): item is HostInterface => item !== undefined).sort((a, b) => a.ifindex - b.ifindex);
	}

	async function readStatsFromSysfs(names: readonly string[]): Promise<Array<[string, InterfaceStats]>> {
		const entries = await Promise.all(
			names.map(async (name): Promise<[string, InterfaceStats] | undefined> => {
				try {
					return [name, await readStatsOf(path.join(sysClassNet, name))];
				} catch (error) {
					if (isGone(error)) return undefined;
					throw error;
				}
			}),
		);
		return entries.filter((entry): entry is [string, InterfaceStats] => entry !== undefined);
	}

	async function readStats(names: readonly string[]): Promise<Map<string, InterfaceStats>> {
		const netDev = procNetDevMatches ? await readProcNetDev(new Set(names)) : undefined;
		if (!netDev) return new Map(await readStatsFromSysfs(names));
		const result = new Map<string, InterfaceStats>();
		const missing: string[] = [];
		for (const name of names) {
			const stats = netDev.get(name);
			if (stats) result.set(name, stats);
			else missing.push(name);
		}
		// Not in /proc/net/dev: gone, or sysfs and /proc disagree since the last scan.
		for (const [name, stats] of await readStatsFromSysfs(missing)) result.set(name, stats);
		return result;
	}
	/** ifindex → iflink of every interface in a sysfs net directory; vanished ones skipped. */
	async function readIndexes(directory: string): Promise<ContainerSideInterface[]> {
		const names = await fileSystem.readDirectory(directory);
		const read = await Promise.all(
			names.map(async (name): Promise<ContainerSideInterface | undefined> => {
				if (name === 'lo') return undefined;
				try {
					const [ifindex, iflink, address] = await Promise.all([
						readText(path.join(directory, name, 'ifindex')),
						readText(path.join(directory, name, 'iflink')),
						readOptionalText(path.join(directory, name, 'address')),
					]);
					return {name, ifindex: parseInteger(ifindex), iflink: parseInteger(iflink), mac: address || undefined};
				} catch (error) {
					if (isGone(error)) return undefined;
					throw error;
				}
			}),
		);
		return read.filter((item): item is ContainerSideInterface => item !== undefined);
	}

	type ContainerRead =
		| {status: 'ok'; container: DockerContainer; interfaces: ContainerSideInterface[]}
		| {status: 'gone'}
		| {status: 'denied'};

	const containedReads = options.containedReads ?? sharedContainedReads();
	const containerSysfsOnly = options.containerSysfsOnly ?? procRoot === '/proc';

	async function readContainer(container: DockerContainer, pid: number): Promise<ContainerRead> {
		const read = await containedReads.readInterfaces(path.join(procRoot, String(pid), 'root'), containerSysfsOnly);
		if (read.status === 'refused' && (read.code === 'EACCES' || read.code === 'EPERM')) return {status: 'denied'};
		// Gone (the container stopped meanwhile) or anything odd about one container must
		// not hide the others: its veths just show no container.
		if (read.status !== 'listed') return {status: 'gone'};
		const interfaces = read.interfaces.flatMap((item): ContainerSideInterface[] => {
			const ifindex = Number(item.ifindex);
			const iflink = Number(item.iflink);
			if (!item.ifindex || !item.iflink || !Number.isSafeInteger(ifindex) || !Number.isSafeInteger(iflink)) return [];
			return [{name: item.name, ifindex, iflink, mac: item.address || undefined}];
		});
		return {status: 'ok', container, interfaces};
	}

	async function findVethPeers(
		containers: readonly DockerContainer[],
		hostInterfaces?: readonly HostIndexes[],
	): Promise<VethPeerScan> {
		const candidates = containers.filter(
			(container) => (container.pid ?? 0) > 0 && !sharesForeignNetworkNamespace(container),
		);
		if (candidates.length === 0) return {status: 'ok', peers: []};
		let hostSide: readonly HostIndexes[];
		try {
			hostSide = hostInterfaces ?? (await readIndexes(sysClassNet));
		} catch (error) {
			return {status: 'unavailable', reason: `cannot read ${sysClassNet}: ${(error as Error).message}`};
		}
		const reads = await Promise.all(candidates.map((container) => readContainer(container, container.pid ?? 0)));
		if (reads.some((read) => read.status === 'denied')) {
			// As root, a denial comes from a security module or a user namespace, and sudo
			// would not help.
			return isRoot()
				? {status: 'unavailable', reason: ROOT_DENIED_REASON}
				: {status: 'unavailable', reason: NOT_ROOT_REASON, hint: NOT_ROOT_HINT};
		}
		const host = new Map(hostSide.map((side) => [side.ifindex, {iflink: side.iflink}]));
		const sides = reads.flatMap((read) => (read.status === 'ok' ? [read] : []));
		return {status: 'ok', peers: joinVethPeers(host, sides)};
	}

	return {
		origin: options.origin ?? 'this machine',
		scan,
		listNames,
		readStats,
		findVethPeers,
		readInside: createInsideReader({procRoot: options.procRoot ?? '/proc', isRoot: options.isRoot, containedReads}),
		readForwarding: createForwardingReader({procRoot: options.procRoot ?? '/proc', isRoot: options.isRoot}),
	};
}
