import type {HostSnapshot} from '../model/store.js';
import {
	addressUse,
	attachmentsByNetwork,
	describeSpecialMode,
	effectiveGateways,
	networkFlags,
	specialNetworkMode,
	subnetsOf,
} from '../model/selectors.js';
import type {HostView} from '../host/bridges.js';
import {clusterUse, containerDisplayName} from '../model/cluster-selectors.js';
import {staleLinks} from '../model/stale-links.js';
import type {NetworkCluster} from '../model/swarm-types.js';
import type {DockerContainer, DockerNetwork, HostInterface, VethPeer} from '../model/types.js';
import {composeOfContainer, composeProjectOfNetwork, labelPairs, serviceText} from '../model/compose.js';
import type {Cell, Column} from './columns.js';
import {containerStateText, containerStateTone, formatRate, interfaceStateTone, shortId} from './format.js';

export interface PaneRow {
	id: string;
	cells: Cell[];
	/** Text the `/` filter searches. */
	search: ReadonlyArray<string | undefined>;
	/** Its Compose project: `/project` keeps exactly that project's rows, and rows group by it. */
	project?: string;
	/** A project's row (grouping on): it stands for its rows, folded or not. */
	group?: {project: string; folded: boolean};
}

export interface PaneModel {
	columns: readonly Column[];
	rows: readonly PaneRow[];
}

export const networkColumns: readonly Column[] = [
	{title: 'NAME', minWidth: 12, grow: 2, dropOrder: 0, fitContent: 24},
	{title: 'PROJECT', minWidth: 8, grow: 0, dropOrder: 4, hideWhenEmpty: true},
	{title: 'DRIVER', minWidth: 7, grow: 0, dropOrder: 3},
	{title: 'SCOPE', minWidth: 6, grow: 0, dropOrder: 8, hideWhenSame: true},
	{title: 'SUBNET', minWidth: 15, grow: 1, dropOrder: 2, fitContent: 44},
	{title: 'GATEWAY', minWidth: 13, grow: 0, dropOrder: 7},
	{title: 'CTRS', minWidth: 4, grow: 0, dropOrder: 1, align: 'right'},
	{title: 'USE', minWidth: 11, grow: 0, dropOrder: 6, align: 'right'},
	{title: 'FLAGS', minWidth: 8, grow: 1, dropOrder: 5},
];

/** Flags in the order that tells networks apart: internal and ipv6 first, attachable (every Compose network) last. */
const flagOrder = ['internal', 'ipv6', 'ingress', 'attachable'];
const orderedFlags = (flags: readonly string[]): string[] => [...flags].sort((a, b) => flagOrder.indexOf(a) - flagOrder.indexOf(b));

/** The Networks pane: its rows, and a flag every network has named once, in the FLAGS title, not on each row. */
export function networkPane(
	networks: readonly DockerNetwork[],
	containers: readonly DockerContainer[],
	clusters: ReadonlyMap<string, NetworkCluster> = new Map(),
): PaneModel {
	const shared = networks.length > 1 ? sharedFlags(networks) : [];
	const rows = networkRows(networks, containers, clusters, shared);
	if (shared.length === 0) return {columns: networkColumns, rows};
	return {columns: networkColumns.map(column => (column.title === 'FLAGS' ? {...column, title: `FLAGS (all ${shared.join(',')})`} : column)), rows};
}

function sharedFlags(networks: readonly DockerNetwork[]): string[] {
	let shared: string[] | undefined;
	for (const network of networks) {
		const flags = networkFlags(network);
		shared = shared === undefined ? flags : shared.filter(flag => flags.includes(flag));
		if (shared.length === 0) return [];
	}

	return shared ?? [];
}

export function networkRows(
	networks: readonly DockerNetwork[],
	containers: readonly DockerContainer[],
	clusters: ReadonlyMap<string, NetworkCluster> = new Map(),
	/** Flags every network has: said once in the column's title. */
	sharedFlags: readonly string[] = [],
): PaneRow[] {
	const attachments = attachmentsByNetwork(containers);
	return networks.map(network => {
		const attached = attachments.get(network.id);
		const {ipv4, ipv6} = subnetsOf(network);
		const subnets = [...ipv4, ...ipv6];
		const gateways = effectiveGateways(network, attached);
		// An overlay counts what it holds on every node of the swarm, load balancers included.
		const cluster = clusters.get(network.id);
		const local = addressUse(network, attached);
		const across = cluster === undefined ? undefined : clusterUse(cluster);
		const use = across === undefined ? local : {...local, used: across.used};
		const members = across?.members ?? attached?.length ?? 0;
		const flags = networkFlags(network);
		const shownFlags = orderedFlags(flags.filter(flag => !sharedFlags.includes(flag)));
		const project = composeProjectOfNetwork(network);
		return {
			id: network.id,
			cells: [
				{text: network.name},
				{text: project ?? '–', tone: 'muted'},
				{text: network.driver, tone: 'accent'},
				{text: network.scope, tone: 'muted'},
				listCell(subnets, ' '),
				listCell(gateways, ' '),
				{text: String(members)},
				{text: use.capacity ? `${use.used}/${use.capacity}` : '–', tone: use.capacity ? undefined : 'muted'},
				{...listCell(shownFlags, ','), tone: 'muted'},
			],
			search: [network.name, project, network.driver, network.scope, shortId(network.id), ...subnets, ...gateways, ...flags, ...labelPairs(network.labels)],
			...(project === undefined ? {} : {project}),
		};
	});
}

/** A list in one cell: whole items and `+n` where it does not fit; `–` when empty. */
function listCell(items: readonly string[], separator: string, noun?: string): Cell {
	if (items.length === 0) return {text: '–', tone: 'muted'};
	return items.length === 1 ? {text: items[0] ?? ''} : {text: items.join(separator), items, separator, ...(noun === undefined ? {} : {noun})};
}

export const containerColumns: readonly Column[] = [
	{title: 'NAME', minWidth: 14, grow: 1, dropOrder: 0, fitContent: 22},
	{title: 'PROJECT', minWidth: 8, grow: 0, dropOrder: 4, hideWhenEmpty: true},
	{title: 'SERVICE', minWidth: 8, grow: 0, dropOrder: 5, fitContent: 16, hideWhenEmpty: true},
	{title: 'STATE', minWidth: 10, grow: 0, dropOrder: 1},
	{title: 'IMAGE', minWidth: 12, grow: 1, dropOrder: 7, hideWhenSame: true},
	// Room for one network and its address, and the count of the others.
	{title: 'NETWORKS', minWidth: 30, grow: 3, dropOrder: 2},
	{title: 'PORTS', minWidth: 12, grow: 1, dropOrder: 6, hideWhenEmpty: true},
];

/** Each network with its address, as the NETWORKS cell lists them. */
export function containerNetworkItems(container: DockerContainer, containers: readonly DockerContainer[]): string[] {
	const special = specialNetworkMode(container, containers);
	if (special) return [describeSpecialMode(special)];
	return container.endpoints.map(endpoint => {
		const address = endpoint.ipv4 ?? endpoint.ipv6;
		return address ? `${endpoint.networkName} ${address}` : endpoint.networkName;
	});
}

export function containerNetworksText(container: DockerContainer, containers: readonly DockerContainer[]): string {
	return containerNetworkItems(container, containers).join(', ') || '–';
}

/** Ports as `docker ps` writes them: `0.0.0.0:8080->80/tcp`, `[::]:8080->80/tcp`, `9000/tcp` when only exposed. */
export function portItems(container: DockerContainer): string[] {
	return container.ports.map(port => {
		const target = `${port.containerPort}/${port.protocol}`;
		if (port.hostPort === undefined) return target;
		const host = port.hostIp === undefined || port.hostIp === '' ? '' : port.hostIp.includes(':') ? `[${port.hostIp}]:` : `${port.hostIp}:`;
		return `${host}${port.hostPort}->${target}`;
	});
}

// Rows of unchanged containers are reused: the store keeps a container's object while it
// is unchanged, so during a storm of starts only the new rows are formatted.
const containerRowCache = new WeakMap<DockerContainer, {fresh: boolean; name: string; networks?: readonly DockerNetwork[]; row: PaneRow}>();

export function containerRows(
	containers: readonly DockerContainer[],
	freshUntil: ReadonlyMap<string, number>,
	nodeName: (nodeId: string) => string | undefined = () => undefined,
	/** The engine's networks, to mark a container that lists a removed one; none before they are known. */
	networks?: readonly DockerNetwork[],
): PaneRow[] {
	return containers.map(container => {
		const fresh = freshUntil.has(container.id);
		// A swarm task's container is called by its task (`web.2@node-b`), which needs the node's name.
		const name = containerDisplayName(container, nodeName);
		// container:<x> rows name another container, which may have changed: not cached.
		const cacheable = !container.networkMode.startsWith('container:');
		const cached = cacheable ? containerRowCache.get(container) : undefined;
		if (cached?.fresh === fresh && cached.name === name && cached.networks === networks) return cached.row;
		const row = containerRow(container, containers, fresh, name, networks);
		if (cacheable) containerRowCache.set(container, {fresh, name, networks, row});
		return row;
	});
}

function containerRow(container: DockerContainer, containers: readonly DockerContainer[], fresh: boolean, name: string, knownNetworks: readonly DockerNetwork[] | undefined): PaneRow {
	const stale = knownNetworks !== undefined && staleLinks(container, containers, knownNetworks).length > 0;
	const networkItems = containerNetworkItems(container, containers);
	if (stale) networkItems[0] = `⚠ ${networkItems[0] ?? ''}`;
	const networks = networkItems.length === 0 ? {text: '–'} : listCell(networkItems, ', ', 'networks');
	const compose = composeOfContainer(container);
	const service = serviceText(compose);
	const ports = portItems(container);
	return {
		id: container.id,
		cells: [
			{text: fresh ? `${name} ✚new` : name, tone: fresh ? 'new' : undefined},
			{text: compose?.project ?? '–', tone: 'muted'},
			{text: service || '–', tone: service ? undefined : 'muted'},
			{text: containerStateText(container), tone: containerStateTone(container)},
			{text: container.image, tone: 'muted'},
			{...networks, tone: stale ? 'warn' : networks.tone},
			ports.length === 0 ? {text: '–', tone: 'muted'} : {...listCell(ports, ', ', 'ports'), tone: 'muted'},
		],
		search: [
			container.name,
			name,
			container.image,
			container.state,
			container.health,
			shortId(container.id),
			container.networkMode,
			compose?.project,
			service,
			...container.endpoints.flatMap(endpoint => [endpoint.networkName, endpoint.ipv4, endpoint.ipv6]),
			...ports,
			...labelPairs(container.labels),
		],
		...(compose === undefined ? {} : {project: compose.project}),
	};
}

export const interfaceColumns: readonly Column[] = [
	{title: 'NAME', minWidth: 15, grow: 0, dropOrder: 0},
	{title: 'KIND', minWidth: 8, grow: 0, dropOrder: 2},
	{title: 'STATE', minWidth: 7, grow: 0, dropOrder: 3},
	{title: 'PEER / NETWORK', minWidth: 16, grow: 2, dropOrder: 1},
	{title: 'ADDRESSES', minWidth: 16, grow: 2, dropOrder: 4},
	{title: 'MASTER', minWidth: 15, grow: 0, dropOrder: 5},
	{title: 'MAC', minWidth: 17, grow: 0, dropOrder: 8},
	{title: 'MTU', minWidth: 5, grow: 0, dropOrder: 9, align: 'right'},
	{title: 'RX/s', minWidth: 6, grow: 0, dropOrder: 6, align: 'right'},
	{title: 'TX/s', minWidth: 6, grow: 0, dropOrder: 7, align: 'right'},
];

/** `web.2@node-a:eth1`: the container end of a veth, by the name the panes use for it. */
export function peerLabel(peer: VethPeer, displayName: (containerId: string) => string | undefined = () => undefined): string {
	return `${displayName(peer.containerId) ?? peer.containerName}:${peer.containerInterface}`;
}

function relationText(item: HostInterface, view: HostView, peersUnavailable: boolean, displayName: (containerId: string) => string | undefined): Cell {
	const links = view.interfaces.get(item.name);
	if (item.kind === 'bridge') {
		return links?.network ? {text: `network ${links.network.name}`, tone: 'accent'} : {text: ''};
	}

	const parentOf = links?.parentOf ?? [];
	if (parentOf.length > 0) return {text: `parent of ${parentOf.map(network => network.name).join(', ')}`, tone: 'accent'};
	if (links?.parent) return {text: `on ${links.parent}`};
	if (item.kind !== 'veth') return {text: ''};
	const peer = links?.peer;
	if (peer) {
		const where = [peer.networkName, links?.peerAddress].filter(Boolean).join(' ');
		return {text: where === '' ? peerLabel(peer, displayName) : `${peerLabel(peer, displayName)} (${where})`};
	}

	if (links?.localPeer) return {text: `↔ ${links.localPeer} (host)`};
	if (links?.sandbox) {
		const where = [links.bridgeNetwork?.name, links.sandbox.ipv4].filter(Boolean).join(' ');
		return {text: `engine sandbox ${links.sandbox.name}${where === '' ? '' : ` (${where})`}`, tone: 'muted'};
	}
	return {text: peersUnavailable ? 'unknown (needs root)' : '?', tone: 'muted'};
}

export function interfaceRows(host: HostSnapshot, view: HostView, displayName: (containerId: string) => string | undefined = () => undefined): PaneRow[] {
	const peersUnavailable = host.peers.status === 'unavailable';
	return host.interfaces.map(item => {
		const rates = host.rates.get(item.name);
		const relation = relationText(item, view, peersUnavailable, displayName);
		return {
			id: item.name,
			cells: [
				{text: item.name},
				{text: item.kind, tone: 'accent'},
				{text: item.state, tone: interfaceStateTone(item.state)},
				relation,
				{text: item.addresses.join(' ') || '–', tone: item.addresses.length === 0 ? 'muted' : undefined},
				{text: item.master ?? '–', tone: item.master ? undefined : 'muted'},
				{text: item.mac ?? '–', tone: 'muted'},
				{text: String(item.mtu), tone: 'muted'},
				{text: formatRate(rates?.rxBytesPerSecond)},
				{text: formatRate(rates?.txBytesPerSecond)},
			],
			search: [item.name, item.kind, item.state, item.mac, item.master, relation.text, ...item.addresses],
		};
	});
}

/** With several engines open, the column that says whose a row is; kept until only NAME is left. */
export const engineColumn: Column = {title: 'ENGINE', minWidth: 8, grow: 0, dropOrder: 1};
const ENGINE_COLUMN_MAX = 16;

export interface RowOwner {
	label: string;
	/** The engine is lost or not answering: its rows are stale. */
	down: boolean;
}

// Rows with their engine cell, reused while the row and its engine's state are unchanged.
const ownedRowCache = new WeakMap<PaneRow, {label: string; down: boolean; row: PaneRow}>();

/** Adds the ENGINE column to a pane's rows, after NAME; rows no engine owns get an empty cell. */
export function withEngineColumn(model: PaneModel, ownerOf: (id: string) => RowOwner | undefined): PaneModel {
	const [name, ...rest] = model.columns;
	if (name === undefined) return model;
	let widest = 0;
	for (const row of model.rows) widest = Math.max(widest, ownerOf(row.id)?.label.length ?? 0);
	// As wide as the longest label (+2 for a down engine's mark), within reason.
	const column = {...engineColumn, minWidth: Math.min(ENGINE_COLUMN_MAX, Math.max(engineColumn.minWidth, widest + 2))};
	return {
		columns: [name, column, ...rest],
		rows: model.rows.map(row => {
			const owner = ownerOf(row.id);
			const label = owner?.label ?? '';
			const down = owner?.down ?? false;
			const cached = ownedRowCache.get(row);
			if (cached?.label === label && cached.down === down) return cached.row;
			const [first, ...cells] = row.cells;
			const engineCell: Cell = down ? {text: `✖ ${label}`, tone: 'bad'} : {text: label || '–', tone: 'muted'};
			const owned = {...row, cells: first === undefined ? [engineCell] : [first, engineCell, ...cells], search: [...row.search, label]};
			ownedRowCache.set(row, {label, down, row: owned});
			return owned;
		}),
	};
}
