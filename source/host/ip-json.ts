import type {HostInterface, InterfaceStats} from '../model/types.js';
import {type InterfaceKind, zeroStats} from '../model/host-source.js';

// Pure parsing of `ip -j [-d] [-s] link|addr` (iproute2 ≥ 4.14). The sysfs source uses it
// for the one thing sysfs cannot say (the exact kind), the ssh source for everything.

/** One entry of `ip -j` output, reduced to what docknet uses. */
export interface IpLink {
	name: string;
	ifindex: number;
	/** Peer (veth) or parent (macvlan, vlan) ifindex; equal to ifindex when ip names none. */
	iflink: number;
	/**
	 * From `linkinfo.info_kind` (needs `-d`). Undefined when ip reports no linkinfo, which is
	 * what physical NICs (ethernet, wifi) and loopback look like.
	 */
	kind: InterfaceKind | undefined;
	/** "ether", "loopback", "none", ... */
	linkType: string;
	/** operstate, lower case. */
	state: string;
	mac?: string;
	mtu: number;
	master?: string;
	/** CIDR strings, IPv4 first (only with `addr`). */
	addresses: string[];
	/** Counters (only with `-s`). */
	stats?: InterfaceStats;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(object: JsonObject, key: string): string | undefined {
	const value = object[key];
	return typeof value === 'string' ? value : undefined;
}

function numberField(object: JsonObject, key: string): number | undefined {
	const value = object[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const DIRECT_KINDS: ReadonlySet<string> = new Set<InterfaceKind>([
	'bridge',
	'veth',
	'vxlan',
	'wireguard',
	'bond',
	'vlan',
	'macvlan',
	'ipvlan',
	'dummy',
]);

/** Maps `linkinfo` to a docknet kind; undefined when there is no linkinfo. */
export function kindFromLinkInfo(linkinfo: unknown): InterfaceKind | undefined {
	if (!isObject(linkinfo)) return undefined;
	const infoKind = stringField(linkinfo, 'info_kind');
	if (infoKind === undefined) return undefined;
	if (DIRECT_KINDS.has(infoKind)) return infoKind as InterfaceKind;
	if (infoKind === 'tun') {
		// tun and tap share one driver; only info_data.type tells them apart.
		const data = linkinfo['info_data'];
		return isObject(data) && data['type'] === 'tap' ? 'tap' : 'tun';
	}
	return 'other';
}

/** The kind to show when ip gave none (or for the ssh source, which has nothing else). */
export function resolveIpKind(link: Pick<IpLink, 'kind' | 'linkType'>): InterfaceKind {
	if (link.kind) return link.kind;
	if (link.linkType === 'loopback') return 'loopback';
	if (link.linkType === 'ether') return 'ethernet';
	return 'other';
}

function parseStats(entry: JsonObject): InterfaceStats | undefined {
	// iproute2 writes stats64 when the kernel gives 64-bit counters, stats otherwise.
	const block = isObject(entry['stats64']) ? entry['stats64'] : isObject(entry['stats']) ? entry['stats'] : undefined;
	if (!block) return undefined;
	const rx = isObject(block['rx']) ? block['rx'] : {};
	const tx = isObject(block['tx']) ? block['tx'] : {};
	const stats = zeroStats();
	stats.rxBytes = numberField(rx, 'bytes') ?? 0;
	stats.rxPackets = numberField(rx, 'packets') ?? 0;
	stats.rxErrors = numberField(rx, 'errors') ?? 0;
	stats.rxDropped = numberField(rx, 'dropped') ?? 0;
	stats.txBytes = numberField(tx, 'bytes') ?? 0;
	stats.txPackets = numberField(tx, 'packets') ?? 0;
	stats.txErrors = numberField(tx, 'errors') ?? 0;
	stats.txDropped = numberField(tx, 'dropped') ?? 0;
	return stats;
}

/** Sorts CIDR strings IPv4 first, keeping the kernel's order within each family. */
export function ipv4First(addresses: readonly string[]): string[] {
	const v4 = addresses.filter((address) => !address.includes(':'));
	const v6 = addresses.filter((address) => address.includes(':'));
	return [...v4, ...v6];
}

function parseAddresses(entry: JsonObject): string[] {
	const info = entry['addr_info'];
	if (!Array.isArray(info)) return [];
	const addresses: string[] = [];
	for (const item of info) {
		if (!isObject(item)) continue;
		const local = stringField(item, 'local');
		const prefix = numberField(item, 'prefixlen');
		if (local !== undefined && prefix !== undefined) addresses.push(`${local}/${prefix}`);
	}
	return ipv4First(addresses);
}

export class IpJsonError extends Error {
	constructor(message: string, options?: {cause?: unknown}) {
		super(message, options);
		this.name = 'IpJsonError';
	}
}

/**
 * Parses the JSON array printed by `ip -j [-d] [-s] link show` or `ip -j ... addr show`.
 * Entries without a name or index are skipped; text that is not a JSON array throws
 * IpJsonError.
 */
export function parseIpLinkJson(text: string): IpLink[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new IpJsonError('ip printed something that is not JSON', {cause: error});
	}
	if (!Array.isArray(parsed)) throw new IpJsonError('ip printed JSON that is not a list of interfaces');

	const links: IpLink[] = [];
	const peerNames = new Map<IpLink, string>();
	for (const entry of parsed) {
		if (!isObject(entry)) continue;
		const name = stringField(entry, 'ifname');
		const ifindex = numberField(entry, 'ifindex');
		if (name === undefined || ifindex === undefined) continue;
		const linkType = stringField(entry, 'link_type') ?? 'unknown';
		const address = stringField(entry, 'address');
		const link: IpLink = {
			name,
			ifindex,
			iflink: numberField(entry, 'link_index') ?? ifindex,
			kind: kindFromLinkInfo(entry['linkinfo']),
			linkType,
			state: (stringField(entry, 'operstate') ?? 'unknown').toLowerCase(),
			mac: address && linkType !== 'none' ? address : undefined,
			mtu: numberField(entry, 'mtu') ?? 0,
			master: stringField(entry, 'master'),
			addresses: parseAddresses(entry),
			stats: parseStats(entry),
		};
		// When the peer or parent is in the same namespace ip names it ("link": "eth0")
		// instead of giving link_index; resolve it once every index is known.
		const linkName = stringField(entry, 'link');
		if (entry['link_index'] === undefined && linkName !== undefined) peerNames.set(link, linkName);
		links.push(link);
	}
	const byName = new Map(links.map((link) => [link.name, link.ifindex]));
	for (const [link, peerName] of peerNames) link.iflink = byName.get(peerName) ?? link.iflink;
	return links;
}

/** A complete HostInterface from one `ip -j -d -s addr` entry (the ssh source's scan). */
export function hostInterfaceFromIpLink(link: IpLink, overrides?: {kind?: InterfaceKind}): HostInterface {
	return {
		name: link.name,
		ifindex: link.ifindex,
		iflink: link.iflink,
		kind: overrides?.kind ?? resolveIpKind(link),
		state: link.state,
		mac: link.mac,
		mtu: link.mtu,
		addresses: link.addresses,
		master: link.master,
		stats: link.stats ?? zeroStats(),
	};
}

/**
 * Parses /proc/net/dev (the whole namespace's counters in one read). Its "drop" column
 * folds in rx_missed_errors, which is close enough for rates.
 */
export function parseProcNetDev(text: string, only?: ReadonlySet<string>): Map<string, InterfaceStats> {
	const result = new Map<string, InterfaceStats>();
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		if (colon < 0) continue;
		const name = line.slice(0, colon).trim();
		// Rates are wanted for the rows on screen; on a host with a thousand veths, parsing
		// the other lines every second is most of the work.
		if (only && !only.has(name)) continue;
		const fields = line
			.slice(colon + 1)
			.trim()
			.split(/\s+/)
			.map(Number);
		if (name === '' || fields.length < 16 || fields.some((field) => !Number.isFinite(field))) continue;
		const [rxBytes, rxPackets, rxErrors, rxDropped] = fields as [number, number, number, number];
		const [txBytes, txPackets, txErrors, txDropped] = fields.slice(8) as [number, number, number, number];
		result.set(name, {rxBytes, txBytes, rxPackets, txPackets, rxErrors, txErrors, rxDropped, txDropped});
	}
	return result;
}
