import {safeText} from '../../text/safe-text.js';
import type {ForwardingScan} from '../../model/forwarding.js';
import {portPaths, portPathText, routedNetworkOf, verdictText, type PortPathContext} from '../../model/port-paths.js';
import type {HostSnapshot} from '../../model/store.js';
import {
	addressUse,
	type AddressUse,
	attachmentsByNetwork,
	chosenAliases,
	describeSpecialMode,
	isPredefinedNetwork,
	networkFlags,
	specialNetworkMode,
} from '../../model/selectors.js';
import type {ContainerEndpoint, DockerContainer, DockerNetwork, HostInterface} from '../../model/types.js';
import {displayWidth, fitText} from '../../view/columns.js';
import type {Tone} from '../../view/columns.js';
import {containerStateText, containerStateTone, formatRate} from '../../view/format.js';
import type {HostView} from '../../host/bridges.js';
import {peerLabel} from '../../view/pane-rows.js';
import {appendAll, maxOf} from '../../model/large-arrays.js';
import {formatCount} from '../../model/addressing.js';
import {staleLinks} from '../../model/stale-links.js';
import {composeOfContainer, composeProjectOfNetwork, labelPairs, serviceText} from '../../model/compose.js';

export interface DetailLine {
	text: string;
	tone?: Tone;
	heading?: boolean;
}

export interface DetailTable {
	title: string;
	columns: readonly string[];
	rows: ReadonlyArray<Record<string, string>>;
	emptyText: string;
}

export interface Details {
	title: string;
	lines: DetailLine[];
	table: DetailTable;
}

/** With several engines open: the details say whose the item is, first. */
export function withEngine(details: Details, engineLabel: string | undefined): Details {
	return engineLabel === undefined ? details : {...details, lines: [field('Engine', engineLabel), ...details.lines]};
}

const field = (label: string, value: string | undefined, tone?: Tone): DetailLine => ({
	text: `${label.padEnd(14)} ${value === undefined || value === '' ? '–' : value}`,
	tone,
});

const keyValues = (record: Record<string, string>): string =>
	Object.entries(record)
		.map(([key, value]) => `${key}=${value}`)
		.join('  ');

/** Labels one to a line, sorted: Compose writes a dozen, and one line would be cut. */
function labelLines(labels: Record<string, string>): DetailLine[] {
	const pairs = labelPairs(labels);
	if (pairs.length === 0) return [field('Labels', 'none')];
	return pairs.map((pair, index) => field(index === 0 ? `Labels (${pairs.length})` : '', pair));
}

/** `webapp web #2` in a table of containers; '–' outside Compose. */
function composeServiceCell(container: DockerContainer): string {
	const compose = composeOfContainer(container);
	return compose === undefined ? '–' : `${compose.project} ${serviceText(compose)}`.trim();
}

function composeContainerLines(container: DockerContainer): DetailLine[] {
	const compose = composeOfContainer(container);
	if (compose === undefined) return [];
	const service = serviceText(compose);
	return [
		field('Project', compose.project),
		field('Service', compose.oneoff ? `${service} (one-off: docker compose run)` : service),
	];
}

function composeNetworkLines(network: DockerNetwork): DetailLine[] {
	const project = composeProjectOfNetwork(network);
	if (project === undefined) return [];
	const short = network.labels['com.docker.compose.network'];
	return [field('Project', short === undefined ? project : `${project} (network "${short}" of its compose file)`)];
}

function addressUseText(use: AddressUse): string | undefined {
	if (!use.capacity) return undefined;
	const ours = `${use.used} of ${use.capacity} IPv${use.family} addresses`;
	const counted = use.engineCount;
	return counted ? `${ours} · the engine counts ${counted.inUse} in use or reserved, ${formatCount(counted.dynamicAvailable)} free in ${counted.subnet}` : ours;
}

function configLines(network: DockerNetwork): DetailLine[] {
	if (network.configOnly) return [field('Config', 'configuration only: a template for networks made with --config-from; it has no endpoints and is never pruned')];
	if (network.configFrom) return [field('Config', `from the configuration-only network ${network.configFrom}`)];
	return [];
}

/** The endpoint that gives the container its default gateway: the highest GwPriority among those with a gateway. */
export function defaultGatewayEndpoint(container: DockerContainer): ContainerEndpoint | undefined {
	const candidates = container.endpoints.filter(endpoint => endpoint.gwPriority !== undefined && (endpoint.gateway || endpoint.ipv6Gateway));
	if (candidates.length < 2) return undefined;
	const highest = maxOf(candidates.map(endpoint => endpoint.gwPriority ?? 0));
	const top = candidates.filter(endpoint => endpoint.gwPriority === highest);
	return top.length === 1 ? top[0] : undefined;
}

/** What each endpoint has beyond the table: its DNS names, gateway priority and driver options. */
function endpointLines(container: DockerContainer): DetailLine[] {
	const gatewayEndpoint = defaultGatewayEndpoint(container);
	const lines: DetailLine[] = [];
	for (const endpoint of container.endpoints) {
		const parts: string[] = [];
		if (endpoint.dnsNames && endpoint.dnsNames.length > 0) parts.push(`DNS names ${endpoint.dnsNames.join(', ')}`);
		if (endpoint.gwPriority !== undefined) parts.push(`gateway priority ${endpoint.gwPriority}${endpoint === gatewayEndpoint ? ' (the default gateway)' : ''}`);
		if (endpoint.driverOptions) parts.push(`driver options ${keyValues(endpoint.driverOptions)}`);
		if (parts.length > 0) lines.push(field(lines.length === 0 ? 'Endpoints' : '', `${endpoint.networkName}: ${parts.join(' · ')}`));
	}

	return lines;
}

export function networkDetails(network: DockerNetwork, containers: readonly DockerContainer[]): Details {
	const attached = attachmentsByNetwork(containers).get(network.id) ?? [];
	const use = addressUse(network, attached);
	const lines: DetailLine[] = [
		field('ID', network.id),
		field('Driver', `${network.driver} (scope ${network.scope})`),
		field('Flags', networkFlags(network).join(', ') || 'none'),
		field('Created', network.created),
		field('Address use', addressUseText(use)),
		...configLines(network),
		field('IPAM driver', network.ipamDriver),
		...network.pools.map((pool, index) =>
			field(
				index === 0 ? 'IPAM pools' : '',
				[
					pool.subnet,
					pool.gateway ? `gateway ${pool.gateway}` : '',
					pool.ipRange ? `range ${pool.ipRange}` : '',
					pool.auxAddresses && Object.keys(pool.auxAddresses).length > 0 ? `aux ${keyValues(pool.auxAddresses)}` : '',
				]
					.filter(Boolean)
					.join('  '),
			),
		),
		...(network.pools.length === 0 ? [field('IPAM pools', 'none configured')] : []),
		field('Options', keyValues(network.options)),
		...composeNetworkLines(network),
		...labelLines(network.labels),
	];
	if (isPredefinedNetwork(network)) {
		lines.push({text: 'Predefined by the engine: it cannot be removed.', tone: 'muted'});
	}

	return {
		title: `Network ${network.name}`,
		lines,
		table: {
			title: `Attached containers (${attached.length})`,
			columns: ['container', 'service', 'state', 'ipv4', 'ipv6', 'mac', 'aliases'],
			rows: attached.map(({container, endpoint}) => ({
				container: container.name,
				service: composeServiceCell(container),
				state: containerStateText(container),
				ipv4: endpoint.ipv4 ? `${endpoint.ipv4}/${endpoint.ipv4PrefixLength ?? '?'}` : '–',
				ipv6: endpoint.ipv6 ? `${endpoint.ipv6}/${endpoint.ipv6PrefixLength ?? '?'}` : '–',
				mac: endpoint.mac ?? '–',
				aliases: chosenAliases(endpoint, container.id).join(',') || '–',
			})),
			emptyText: 'No container is attached.',
		},
	};
}

/** Each published port end to end: host address → container address, the NAT rule, docker-proxy. */
export function portLines(container: DockerContainer, forwarding: ForwardingScan | undefined, context: PortPathContext = {}): DetailLine[] {
	if (container.networkMode === 'host') {
		return [field('Ports', "the host's own: with --network host the container listens on the host's ports directly (no -p, no NAT, no docker-proxy)")];
	}

	const paths = portPaths(container, forwarding, context);
	const lines: DetailLine[] = [];
	paths.forEach((path, index) => {
		const label = index === 0 ? 'Ports' : '';
		const verdict = verdictText(path.verdict);
		const proxy = path.verdict.kind === 'nat' ? ` · ${path.proxy ? `docker-proxy pid ${path.proxy.pid} also listens` : 'no docker-proxy'}` : '';
		lines.push(field(label, `${portPathText(path)} · ${verdict.text}${proxy}`, verdict.warn ? 'warn' : undefined));
		if (path.rule) lines.push(field('', `  ${path.rule.text}`, 'muted'));
	});
	const exposed = container.ports.filter(port => port.hostPort === undefined);
	const routed = exposed.filter(port => routedNetworkOf(container, port.hostIp?.includes(':') ? 6 : 4, context.networks) !== undefined);
	const unpublished = exposed.filter(port => !routed.includes(port)).map(port => `${port.containerPort}/${port.protocol}`);
	for (const port of routed) {
		const family = port.hostIp?.includes(':') ? 6 : 4;
		const network = routedNetworkOf(container, family, context.networks) ?? '';
		const endpoint = container.endpoints.find(item => item.networkName === network);
		const address = (family === 6 ? endpoint?.ipv6 && `[${endpoint.ipv6}]` : endpoint?.ipv4) ?? 'the container';
		lines.push(field(lines.length === 0 ? 'Ports' : '', `routed: ${address}:${port.containerPort}/${port.protocol} · network ${network} is in gateway mode routed: reached at the container's own address, no NAT`));
	}

	if (unpublished.length > 0) lines.push(field(lines.length === 0 ? 'Ports' : '', `exposed, not published: ${unpublished.join(', ')}`));
	return lines.length > 0 ? lines : [field('Ports', 'none published')];
}

export function containerDetails(
	container: DockerContainer,
	containers: readonly DockerContainer[],
	host: HostSnapshot,
	forwarding?: ForwardingScan,
	/** The engine's networks, to tell which it lists are gone; without them nothing is said. */
	networks?: readonly DockerNetwork[],
	/** The engine, to judge NAT rules by its firewall backend. */
	engine?: PortPathContext['engine'],
): Details {
	const special = specialNetworkMode(container, containers);
	const sharers = containers.filter(other => {
		const mode = specialNetworkMode(other, containers);
		return mode?.kind === 'container' && mode.containerId === container.id;
	});
	const veths =
		host.peers.status === 'ok' ? host.peers.peers.filter(peer => peer.containerId === container.id) : [];
	const vethNames = veths.map(peer => {
		const hostSide = host.interfaces.find(item => item.ifindex === peer.hostIfindex);
		return `${hostSide?.name ?? `ifindex ${peer.hostIfindex}`} ↔ ${peer.containerInterface}`;
	});
	const warnings = networks === undefined ? [] : staleLinks(container, containers, networks).map(link => field('Warning', link.text, 'warn'));
	const lines: DetailLine[] = [
		...warnings,
		field('ID', container.id),
		field('State', `${container.state} · ${container.status}`, container.health === undefined ? undefined : containerStateTone(container)),
		field('Image', container.image),
		...composeContainerLines(container),
		field('Command', container.command),
		field('Network mode', special ? describeSpecialMode(special) : container.networkMode),
		...portLines(container, forwarding, {...(engine ? {engine} : {}), ...(networks ? {networks} : {})}),
		field('Host veths', host.peers.status === 'unavailable' ? `unknown: ${host.peers.reason}` : vethNames.join(', ')),
	];
	appendAll(lines, endpointLines(container));
	if (sharers.length > 0) {
		lines.push(field('Shared by', sharers.map(other => other.name).join(', ')));
	}

	if (!container.inspected) {
		lines.push({text: 'Aliases and links appear once the engine answered the inspect call.', tone: 'muted'});
	}

	for (const line of labelLines(container.labels)) lines.push(line);

	const defaultGateway = defaultGatewayEndpoint(container);
	return {
		title: `Container ${container.name}`,
		lines,
		table: {
			title: `Endpoints (${container.endpoints.length})`,
			columns: ['network', 'ip', 'gateway', 'ipv6', 'mac', 'aliases'],
			rows: container.endpoints.map(endpoint => ({
				network: endpoint === defaultGateway ? `${endpoint.networkName} (gw)` : endpoint.networkName,
				ip: endpoint.ipv4 ? `${endpoint.ipv4}/${endpoint.ipv4PrefixLength ?? '?'}` : '–',
				// Both families' gateways: one column keeps the table within 80 columns.
				gateway: [endpoint.gateway, endpoint.ipv6Gateway].filter(Boolean).join(' ') || '–',
				ipv6: endpoint.ipv6 ? `${endpoint.ipv6}/${endpoint.ipv6PrefixLength ?? '?'}` : '–',
				mac: endpoint.mac || '–',
				aliases: chosenAliases(endpoint, container.id).join(',') || '–',
			})),
			emptyText: special ? `No endpoints of its own: ${describeSpecialMode(special)}.` : 'Not attached to any network.',
		},
	};
}

export function interfaceDetails(item: HostInterface, host: HostSnapshot, view: HostView, displayName?: (containerId: string) => string | undefined): Details {
	const rates = host.rates.get(item.name);
	const links = view.interfaces.get(item.name);
	const peer = links?.peer;
	const bridgeNetwork = links?.network;
	const members = links?.members ?? [];
	const lines: DetailLine[] = [
		field('Kind', item.kind),
		field('State', item.state),
		field('MAC', item.mac),
		field('MTU', String(item.mtu)),
		field('ifindex', `${item.ifindex}${item.iflink !== item.ifindex ? ` (peer ifindex ${item.iflink})` : ''}`),
		field('Master', item.master),
		field('Addresses', item.addresses.join('  ')),
	];
	if (peer) lines.push(field('Container', `${peerLabel(peer, displayName)}${peer.networkName ? ` on ${peer.networkName}` : ''}${links?.peerAddress ? ` (${links.peerAddress})` : ''}`));
	if (links?.sandbox) lines.push(field('Engine sandbox', `${links.sandbox.name}${links.sandbox.ipv4 ? ` (${links.sandbox.ipv4})` : ''}: the engine's own namespace, no container`));
	if (bridgeNetwork) lines.push(field('Network', bridgeNetwork.name));
	if (members.length > 0) lines.push(field('Members', members.join(' ')));
	if (links?.bridgeNetwork && !peer) lines.push(field('On network', links.bridgeNetwork.name));
	if (links?.localPeer) lines.push(field('Peer', `${links.localPeer} (the other end is on the host too, not in a container)`));
	if (links?.parent) lines.push(field('Parent', links.parent));
	if (links?.parentOf) lines.push(field('Parent of', links.parentOf.map(network => `${network.name} (macvlan/ipvlan network)`).join(', ')));
	lines.push(
		field(
			'Rates',
			rates
				? `rx ${formatRate(rates.rxBytesPerSecond)}B/s ${formatRate(rates.rxPacketsPerSecond)}p/s · tx ${formatRate(rates.txBytesPerSecond)}B/s ${formatRate(rates.txPacketsPerSecond)}p/s`
				: 'shown while the interfaces pane is visible',
		),
	);

	const stats = item.stats;
	return {
		title: `Interface ${item.name}`,
		lines,
		table: {
			title: 'Counters',
			columns: ['direction', 'bytes', 'packets', 'errors', 'dropped'],
			rows: [
				{direction: 'rx', bytes: String(stats.rxBytes), packets: String(stats.rxPackets), errors: String(stats.rxErrors), dropped: String(stats.rxDropped)},
				{direction: 'tx', bytes: String(stats.txBytes), packets: String(stats.txPackets), errors: String(stats.txErrors), dropped: String(stats.txDropped)},
			],
			emptyText: '',
		},
	};
}

/**
 * Cuts cell values so the bordered table (one space of padding each side, one border
 * between columns) fits in `width`, shortening the widest columns first.
 */
export function fitTableRows(
	columns: readonly string[],
	rows: ReadonlyArray<Record<string, string>>,
	width: number,
): Array<Record<string, string>> {
	const widths = columns.map(column =>
		maxOf(rows.map(row => displayWidth(row[column] ?? '')), displayWidth(column)),
	);
	const chrome = columns.length * 3 + 1;
	let excess = widths.reduce((sum, value) => sum + value, 0) + chrome - width;
	while (excess > 0) {
		const widest = widths.indexOf(maxOf(widths));
		if ((widths[widest] ?? 0) <= 3) break;
		widths[widest] = (widths[widest] ?? 0) - 1;
		excess--;
	}

	return rows.map(row =>
		Object.fromEntries(
			columns.map((column, index) => {
				const value = row[column] ?? '';
				const limit = widths[index] ?? 0;
				return [column, displayWidth(value) > limit ? fitText(value, limit) : safeText(value)];
			}),
		),
	);
}

