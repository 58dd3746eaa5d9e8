import type {HostView} from '../../host/bridges.js';
import {bridgeNameForNetwork} from '../../host/bridges.js';
import {filterRows} from '../../model/list-filter.js';
import type {HostSnapshot} from '../../model/store.js';
import {attachmentsByNetwork, effectiveGateways, specialNetworkMode, subnetsOf} from '../../model/selectors.js';
import type {SwarmSnapshot} from '../../model/swarm-types.js';
import type {ContainerEndpoint, DockerContainer, DockerNetwork, EngineInfo} from '../../model/types.js';
import type {PaneId} from '../state/ui-state.js';
import type {Tone} from '../../view/columns.js';
import {overlayClusterNode} from './topology-overlay.js';
import type {TopologyNode} from './topology-node.js';
import {composeOfContainer, serviceText} from '../../model/compose.js';

// The whole host as one tree, the picture `docker network ls`, `ip addr`, `brctl show` and
// `docker inspect` give only together: bridge network → bridge → veth → container:ethN.

export interface TopologyRow {
	id: string;
	/** Tree glyphs drawn before the label: "│  ├─ ". */
	prefix: string;
	label: string;
	detail: string;
	tone?: Tone;
	target?: {pane: PaneId; id: string};
	/** What the topology's `/` search looks in. */
	search: readonly string[];
}

export interface TopologyInput {
	networks: readonly DockerNetwork[];
	containers: readonly DockerContainer[];
	host: HostSnapshot;
	/** On a swarm node: overlays are drawn across the cluster's nodes. */
	swarm?: SwarmSnapshot;
	engine?: EngineInfo;
}

const join = (...parts: Array<string | undefined>): string => parts.filter(Boolean).join('  ');

function endpointDetail(endpoint: ContainerEndpoint): string {
	return join(
		endpoint.ipv4 ? `${endpoint.ipv4}/${endpoint.ipv4PrefixLength ?? '?'}` : undefined,
		endpoint.ipv6,
		endpoint.mac,
	);
}

/** `[webapp web #2]`: a Compose container's project and service, as its tree rows say it. */
function composeTag(container: DockerContainer): string | undefined {
	const compose = composeOfContainer(container);
	if (compose === undefined) return undefined;
	const service = serviceText(compose);
	return `[${compose.project}${service ? ` ${service}` : ''}]`;
}

/**
 * Sidecars started with `--network container:<id>` whose owner is gone (removed, or recreated
 * under its name with a new id): they hang in no tree of their own, so they get one, marked.
 */
function orphanedSidecars(containers: readonly DockerContainer[]): TopologyNode[] {
	const orphans = containers.filter(container => {
		const mode = specialNetworkMode(container, containers);
		return mode?.kind === 'container' && mode.containerName === undefined;
	});
	if (orphans.length === 0) return [];
	return [
		{
			id: 'mode/orphaned',
			label: '⚠ orphaned sidecars',
			detail: 'share the stack of a container that is gone: not in the stack of the one now under its name',
			tone: 'warn',
			children: orphans.map(container => ({
				id: `mode/orphaned/${container.id}`,
				label: container.name,
				detail: join(`container:${container.networkMode.slice('container:'.length, 'container:'.length + 12)} gone`, container.state, composeTag(container)),
				tone: 'warn' as const,
				target: {pane: 'containers' as const, id: container.id},
				children: [],
			})),
		},
	];
}

/** Containers sharing a stack appear once, under the first network of their owner. */
function firstAttachment(container: DockerContainer, network: DockerNetwork): boolean {
	return container.endpoints[0]?.networkId === network.id;
}

function sharersOf(container: DockerContainer, containers: readonly DockerContainer[], prefix: string): TopologyNode[] {
	return containers
		.filter(other => {
			const mode = specialNetworkMode(other, containers);
			return mode?.kind === 'container' && mode.containerId === container.id;
		})
		.map(other => ({
			id: `${prefix}/shares/${other.id}`,
			label: other.name,
			detail: join(`container:${container.name} — same IP and MAC, no interfaces of its own`, composeTag(other)),
			tone: 'muted' as const,
			target: {pane: 'containers' as const, id: other.id},
			children: [],
		}));
}

function bridgeNetworkNode(network: DockerNetwork, input: TopologyInput, view: HostView): TopologyNode {
	const attached = attachmentsByNetwork(input.containers).get(network.id) ?? [];
	const {ipv4, ipv6} = subnetsOf(network);
	const gateways = effectiveGateways(network, attached);
	const bridgeName = view.byNetwork.get(network.id)?.bridge ?? bridgeNameForNetwork(network);
	const bridge = bridgeName ? input.host.interfaces.find(item => item.name === bridgeName) : undefined;
	const side = view.byNetwork.get(network.id);
	const shown = new Set<string>();
	const vethNodes: TopologyNode[] = (side?.veths ?? []).map(vethName => {
		const links = view.interfaces.get(vethName);
		const peer = links?.peer;
		const container = peer ? input.containers.find(item => item.id === peer.containerId) : undefined;
		const endpoint = container?.endpoints.find(item => item.networkId === network.id);
		if (container) shown.add(container.id);
		const containerNode: TopologyNode[] =
			peer && container
				? [
						{
							id: `net/${network.id}/veth/${vethName}/ctr`,
							label: `${container.name}:${peer.containerInterface}`,
							detail: join(endpoint ? endpointDetail(endpoint) : undefined, composeTag(container)),
							tone: container.state === 'running' ? 'good' : 'muted',
							target: {pane: 'containers', id: container.id},
							children: firstAttachment(container, network) ? sharersOf(container, input.containers, `net/${network.id}/veth/${vethName}`) : [],
						},
					]
				: [];
		return {
			id: `net/${network.id}/veth/${vethName}`,
			label: vethName,
			detail: peer ? '' : 'veth, container end unknown',
			tone: 'accent',
			target: {pane: 'interfaces', id: vethName},
			children: containerNode,
		};
	});
	// Containers the veth join could not place (not root, remote engine, stopped).
	const unplaced: TopologyNode[] = attached
		.filter(({container}) => !shown.has(container.id))
		.map(({container, endpoint}) => ({
			id: `net/${network.id}/ctr/${container.id}`,
			label: container.name,
			detail: join(endpointDetail(endpoint), container.state === 'running' ? 'veth not known' : container.state, composeTag(container)),
			tone: container.state === 'running' ? undefined : 'muted',
			target: {pane: 'containers', id: container.id},
			children: firstAttachment(container, network) ? sharersOf(container, input.containers, `net/${network.id}/ctr/${container.id}`) : [],
		}));
	const bridgeNode: TopologyNode = {
		id: `net/${network.id}/bridge`,
		label: bridgeName ?? 'bridge',
		detail: bridge ? join(bridge.addresses.join(' ') || 'no address', bridge.state) : 'not on this host',
		tone: 'accent',
		target: bridge ? {pane: 'interfaces', id: bridge.name} : undefined,
		children: [...vethNodes, ...unplaced],
	};
	return {
		id: `net/${network.id}`,
		label: network.name,
		detail: join(`${network.driver}`, [...ipv4, ...ipv6].join(' '), gateways.length > 0 ? `gateway ${gateways.join(' ')}` : undefined),
		target: {pane: 'networks', id: network.id},
		children: [bridgeNode],
	};
}

function otherNetworkNode(network: DockerNetwork, input: TopologyInput): TopologyNode {
	const attached = attachmentsByNetwork(input.containers).get(network.id) ?? [];
	const {ipv4, ipv6} = subnetsOf(network);
	const parent = network.options['parent'];
	return {
		id: `net/${network.id}`,
		label: network.name,
		detail: join(network.driver, network.scope !== 'local' ? `scope ${network.scope}` : undefined, [...ipv4, ...ipv6].join(' '), parent ? `parent ${parent}` : undefined),
		target: {pane: 'networks', id: network.id},
		children: attached.map(({container, endpoint}) => ({
			id: `net/${network.id}/ctr/${container.id}`,
			label: container.name,
			detail: join(endpointDetail(endpoint), composeTag(container)),
			tone: container.state === 'running' ? 'good' : 'muted',
			target: {pane: 'containers', id: container.id},
			children: firstAttachment(container, network) ? sharersOf(container, input.containers, `net/${network.id}/ctr/${container.id}`) : [],
		})),
	};
}

function modeGroup(id: string, label: string, detail: string, containers: readonly DockerContainer[], all: readonly DockerContainer[]): TopologyNode[] {
	if (containers.length === 0) return [];
	return [
		{
			id,
			label,
			detail,
			tone: 'muted',
			children: containers.map(container => ({
				id: `${id}/${container.id}`,
				label: container.name,
				detail: join(container.state, composeTag(container)),
				tone: container.state === 'running' ? 'good' : 'muted',
				target: {pane: 'containers', id: container.id},
				children: sharersOf(container, all, `${id}/${container.id}`),
			})),
		},
	];
}

export function buildTopology(input: TopologyInput, view: HostView): TopologyNode[] {
	const {networks, containers} = input;
	const bridges = networks.filter(network => network.driver === 'bridge');
	// host and none are shown by mode below, with the containers that use them.
	const others = networks.filter(network => network.driver !== 'bridge' && network.driver !== 'host' && network.driver !== 'null');
	const byMode = (kind: 'host' | 'none'): DockerContainer[] =>
		containers.filter(container => specialNetworkMode(container, containers)?.kind === kind);
	return [
		...bridges.map(network => bridgeNetworkNode(network, input, view)),
		...modeGroup('mode/host', 'host mode', "the host's own network stack, no veth", byMode('host'), containers),
		...modeGroup('mode/none', 'none', 'loopback only', byMode('none'), containers),
		...orphanedSidecars(containers),
		...others.map(network => {
			const cluster = input.swarm?.networks.get(network.id);
			return cluster === undefined || input.swarm === undefined
				? otherNetworkNode(network, input)
				: overlayClusterNode(network, cluster, {...input, swarm: input.swarm});
		}),
	];
}

/** Depth-first rows with tree glyphs, for the topology screen and `snapshot --tree`. */
export function flattenTopology(nodes: readonly TopologyNode[], indent = '', top = true, rows: TopologyRow[] = []): TopologyRow[] {
	nodes.forEach((node, index) => {
		const last = index === nodes.length - 1;
		const branch = top ? '' : last ? '└─ ' : '├─ ';
		rows.push({id: node.id, prefix: indent + branch, label: node.label, detail: node.detail, tone: node.tone, target: node.target, search: [node.label, node.detail]});
		const childIndent = top ? '' : indent + (last ? '   ' : '│  ');
		flattenTopology(node.children, childIndent, false, rows);
	});
	return rows;
}

export function topologyText(rows: readonly TopologyRow[]): string {
	return rows.map(row => `${row.prefix}${row.label}${row.detail ? `  ${row.detail}` : ''}`).join('\n');
}

/** The rows the topology screen lists: all of them, or those its `/` search matches. */
export function visibleTopologyRows(rows: readonly TopologyRow[], query: string | undefined): readonly TopologyRow[] {
	return query === undefined ? rows : filterRows(rows, query);
}

/** Tree rows that fit under the title bar, less the "rows a–b of n" line when they do not all fit. */
export function topologyViewport(total: number, height: number): number {
	const room = Math.max(0, height - 1);
	return total > room ? Math.max(1, room - 1) : room;
}
