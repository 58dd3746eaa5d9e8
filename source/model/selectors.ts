import {parseCidr, formatPoolSize} from './addressing.js';
import type {ContainerEndpoint, DockerContainer, DockerNetwork} from './types.js';

export interface Attachment {
	container: DockerContainer;
	endpoint: ContainerEndpoint;
}

export const predefinedNetworkNames: ReadonlySet<string> = new Set(['bridge', 'host', 'none']);

export function isPredefinedNetwork(network: DockerNetwork): boolean {
	return network.predefined ?? (predefinedNetworkNames.has(network.name) && network.scope === 'local');
}

const attachmentCache = new WeakMap<readonly DockerContainer[], ReadonlyMap<string, readonly Attachment[]>>();

/**
 * Which containers sit on each network, from the containers' own endpoints: the engine's
 * network list call does not include them.
 */
export function attachmentsByNetwork(containers: readonly DockerContainer[]): ReadonlyMap<string, readonly Attachment[]> {
	const cached = attachmentCache.get(containers);
	if (cached) return cached;
	const byNetwork = new Map<string, Attachment[]>();
	for (const container of containers) {
		for (const endpoint of container.endpoints) {
			if (!endpoint.networkId) continue;
			let list = byNetwork.get(endpoint.networkId);
			if (!list) {
				list = [];
				byNetwork.set(endpoint.networkId, list);
			}

			list.push({container, endpoint});
		}
	}

	attachmentCache.set(containers, byNetwork);
	return byNetwork;
}

export type SpecialNetworkMode =
	| {kind: 'host'}
	| {kind: 'none'}
	| {kind: 'container'; containerId: string; containerName?: string};

/** host, none and container:<x> modes, which have no endpoints of their own to list. */
export function specialNetworkMode(
	container: DockerContainer,
	containers: readonly DockerContainer[] = [],
): SpecialNetworkMode | undefined {
	const mode = container.networkMode;
	if (mode === 'host') return {kind: 'host'};
	if (mode === 'none') return {kind: 'none'};
	if (mode.startsWith('container:')) {
		const reference = mode.slice('container:'.length);
		const owner = containers.find(other => other.id === reference || other.id.startsWith(reference) || other.name === reference);
		return {kind: 'container', containerId: owner?.id ?? reference, containerName: owner?.name};
	}

	return undefined;
}

export function describeSpecialMode(mode: SpecialNetworkMode): string {
	switch (mode.kind) {
		case 'host':
			return 'host (shares the host stack)';
		case 'none':
			return 'none (loopback only)';
		case 'container':
			return `container:${mode.containerName ?? mode.containerId.slice(0, 12)}`;
	}
}

export interface AddressUse {
	/** Endpoints holding an address of `family` in the network. */
	used: number;
	/** Usable addresses of the first pool of `family`, formatted; undefined without such a pool. */
	capacity?: string;
	/** IPv4, or IPv6 for a network with no IPv4 pool (an IPv6-only network). */
	family: 4 | 6;
	/** The engine's own count for that pool (Status.IPAM, API 1.52+), where it sent one. */
	engineCount?: {subnet: string; inUse: bigint; dynamicAvailable: bigint};
}

export function addressUse(network: DockerNetwork, attachments: readonly Attachment[] | undefined): AddressUse {
	const pools = network.pools.map(entry => ({subnet: entry.subnet, cidr: parseCidr(entry.subnet)}));
	const v4 = pools.find(pool => pool.cidr?.family === 4);
	const chosen = v4 ?? (network.enableIPv4 === false || network.enableIPv6 ? pools.find(pool => pool.cidr?.family === 6) : undefined);
	const family = chosen?.cidr?.family ?? 4;
	const used = (attachments ?? []).filter(attachment => (family === 4 ? attachment.endpoint.ipv4 : attachment.endpoint.ipv6)).length;
	const engineCount = chosen === undefined ? undefined : network.subnetStatus?.find(item => item.subnet === chosen.subnet);
	return {used, family, ...(chosen?.cidr ? {capacity: formatPoolSize(chosen.cidr)} : {}), ...(engineCount ? {engineCount} : {})};
}

export function networkFlags(network: DockerNetwork): string[] {
	const flags: string[] = [];
	if (network.internal) flags.push('internal');
	if (network.attachable) flags.push('attachable');
	if (network.enableIPv4 === false) flags.push('ipv6-only');
	else if (network.enableIPv6) flags.push('ipv6');
	if (network.ingress) flags.push('ingress');
	if (network.configOnly) flags.push('config-only');
	if (network.configFrom) flags.push(`config-from ${network.configFrom}`);
	return flags;
}

export function subnetsOf(network: DockerNetwork): {ipv4: string[]; ipv6: string[]} {
	const ipv4: string[] = [];
	const ipv6: string[] = [];
	for (const pool of network.pools) {
		(pool.subnet.includes(':') ? ipv6 : ipv4).push(pool.subnet);
	}

	return {ipv4, ipv6};
}

/**
 * Case-insensitive filter: every word of the query must appear in one of the fields, so
 * "br 172" finds bridge networks on 172.x.
 */
export function matchesFilter(query: string, fields: ReadonlyArray<string | undefined>): boolean {
	const words = filterWords(query);
	if (words.length === 0) return true;
	const haystack = searchText(fields);
	return words.every(word => haystack.includes(word));
}

/** The words of a filter query, lowercased. */
export function filterWords(query: string): string[] {
	return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The text a filter's words are looked for in: the fields, lowercased, none joined to the next. */
export function searchText(fields: ReadonlyArray<string | undefined>): string {
	return fields.filter(Boolean).join('\u0000').toLowerCase();
}

/**
 * The aliases someone chose. The engine adds the container's short id by itself on
 * user-defined networks (Docker before 25 lists it among the aliases): kept exact in the
 * model and in `snapshot --json`, left out where docknet shows or restores the user's own.
 */
export function chosenAliases(endpoint: Pick<ContainerEndpoint, 'aliases'>, containerId: string): string[] {
	const shortId = containerId.slice(0, 12);
	return endpoint.aliases.filter(alias => alias !== shortId);
}

export function endpointAddress(endpoint: ContainerEndpoint): string | undefined {
	return endpoint.ipv4 ?? endpoint.ipv6;
}

/**
 * Gateways of a network, per address family: from its IPAM config, or, where the engine
 * left that empty (the default bridge on many engines, an IPv6 pool created without
 * --gateway), from what its containers' endpoints report.
 */
export function effectiveGateways(network: DockerNetwork, attachments: readonly Attachment[] | undefined): string[] {
	const configured = network.pools.map(pool => pool.gateway).filter((gateway): gateway is string => Boolean(gateway));
	const configuredV4 = configured.filter(gateway => !gateway.includes(':'));
	const configuredV6 = configured.filter(gateway => gateway.includes(':'));
	const reportedV4 = new Set<string>();
	const reportedV6 = new Set<string>();
	for (const {endpoint} of attachments ?? []) {
		if (endpoint.gateway) reportedV4.add(endpoint.gateway);
		if (endpoint.ipv6Gateway) reportedV6.add(endpoint.ipv6Gateway);
	}

	return [
		...(configuredV4.length > 0 ? configuredV4 : reportedV4),
		...(configuredV6.length > 0 ? configuredV6 : reportedV6),
	];
}
