import {bridgeNameForNetwork, parentOfNetwork} from '../host/bridges.js';
import {specialNetworkMode, subnetsOf} from '../model/selectors.js';
import type {ContainerEndpoint, DockerContainer} from '../model/types.js';
import {safeText} from '../text/safe-text.js';
import type {CollectedSnapshot} from './collect-snapshot.js';

// The picture the `t` view shows, as a graph for Graphviz (`snapshot --dot`) and Mermaid
// (`snapshot --mermaid`, drawn by GitHub in markdown): networks, their bridges, veth pairs,
// containers with their addresses, shared stacks, host and none. Node ids come from what
// names each thing uniquely — a network's or container's full engine id, an interface's
// name on its host — never from list positions, so two snapshots of the same picture diff
// line by line, and no two things can ever share a node.

export interface GraphNode {
	id: string;
	/** Lines of the label. */
	lines: string[];
	kind: 'host' | 'nic' | 'network' | 'bridge' | 'veth' | 'container' | 'interface';
}

export interface GraphEdge {
	from: string;
	to: string;
	label?: string;
	dashed?: boolean;
}

export interface Graph {
	nodes: GraphNode[];
	edges: GraphEdge[];
}

export type GraphIdKind = 'net' | 'ctr' | 'if';

/**
 * The node id of the thing `key` names uniquely within its kind: letters and digits as they
 * are, any other character as its code point in hex between underscores (`br-27c1` gives
 * `if_br_2d_27c1`). A kind has no underscore and neither has a kept character, so the id
 * reads back as exactly one kind and key: different keys always give different ids, each
 * one valid in both Graphviz and Mermaid.
 */
export function graphId(kind: GraphIdKind, key: string): string {
	return `${kind}_${key.replace(/[^A-Za-z0-9]/gu, character => `_${(character.codePointAt(0) ?? 0).toString(16)}_`)}`;
}

export function snapshotGraph({snapshot, hostView}: CollectedSnapshot): Graph {
	const nodes = new Map<string, GraphNode>();
	const edges: GraphEdge[] = [];
	const add = (node: GraphNode): string => {
		if (!nodes.has(node.id)) nodes.set(node.id, {...node, lines: node.lines.map(line => safeText(line))});
		return node.id;
	};

	const edge = (from: string, to: string, label?: string, dashed?: boolean): void => {
		edges.push({from, to, ...(label ? {label: safeText(label)} : {}), ...(dashed ? {dashed} : {})});
	};

	const {networks, containers, host, engine} = snapshot;
	const hostId = add({id: 'host', kind: 'host', lines: [`host ${engine?.hostname ?? ''}`.trim(), `Docker ${engine?.version ?? '?'}`]});
	const interfaces = new Map(host.interfaces.map(item => [item.name, item]));
	const interfaceNode = (name: string, kind: GraphNode['kind']): string => {
		const item = interfaces.get(name);
		return add({id: graphId('if', name), kind, lines: [name, ...(item?.addresses.filter(address => !address.startsWith('fe80')) ?? [])]});
	};

	// The machine's own NICs hang on the host.
	for (const item of host.interfaces) {
		if (item.kind === 'ethernet' || item.kind === 'wifi' || item.kind === 'bond') edge(hostId, interfaceNode(item.name, 'nic'));
	}

	const containersById = new Map(containers.map(container => [container.id, container]));
	const containerNode = (id: string): string | undefined => {
		const container = containersById.get(id);
		if (!container) return undefined;
		const mode = specialNetworkMode(container, containers);
		return add({id: graphId('ctr', container.id), kind: 'container', lines: [container.name, mode?.kind === 'none' ? `${container.state}, none: lo only` : container.state]});
	};

	// Each network's members, found once: networks outnumber containers by far on some hosts.
	const membersByNetwork = new Map<string, Array<{container: DockerContainer; endpoint: ContainerEndpoint}>>();
	for (const container of containers) {
		const joined = new Set<string>();
		for (const endpoint of container.endpoints) {
			// A container's first endpoint on a network is the one drawn.
			if (joined.has(endpoint.networkId)) continue;
			joined.add(endpoint.networkId);
			const members = membersByNetwork.get(endpoint.networkId) ?? [];
			members.push({container, endpoint});
			membersByNetwork.set(endpoint.networkId, members);
		}
	}

	for (const network of networks) {
		if (network.driver === 'host' || network.driver === 'null') continue;
		const {ipv4, ipv6} = subnetsOf(network);
		const networkId = add({id: graphId('net', network.id), kind: 'network', lines: [`network ${network.name}`, `${network.driver}${[...ipv4, ...ipv6].length > 0 ? ` ${[...ipv4, ...ipv6].join(' ')}` : ''}`]});
		const side = hostView.byNetwork.get(network.id);
		const bridge = side?.bridge ?? (interfaces.has(bridgeNameForNetwork(network) ?? '') ? bridgeNameForNetwork(network) : undefined);
		if (bridge) {
			// The bridge is an interface of the host, like its NICs.
			edge(hostId, interfaceNode(bridge, 'bridge'));
			edge(networkId, interfaceNode(bridge, 'bridge'), 'bridge', true);
		}
		const parent = side?.parent ?? parentOfNetwork(network);
		if (parent && interfaces.has(parent)) edge(networkId, interfaceNode(parent, 'nic'), 'parent', true);

		for (const {container, endpoint} of membersByNetwork.get(network.id) ?? []) {
			const target = containerNode(container.id);
			if (!target) continue;
			const address = [endpoint.ipv4 && `${endpoint.ipv4}/${endpoint.ipv4PrefixLength ?? '?'}`, endpoint.ipv6].filter(Boolean).join(' ');
			const veth = (hostView.vethsByContainer.get(container.id) ?? []).find(name => hostView.interfaces.get(name)?.peer?.networkId === network.id);
			const peer = veth ? hostView.interfaces.get(veth)?.peer : undefined;
			if (bridge && veth && peer) {
				const vethId = interfaceNode(veth, 'veth');
				edge(interfaceNode(bridge, 'bridge'), vethId);
				edge(vethId, target, `${peer.containerInterface} ${address}`.trim());
			} else {
				edge(networkId, target, address || 'no address');
			}
		}
	}

	for (const container of containers) {
		const mode = specialNetworkMode(container, containers);
		if (!mode) continue;
		const node = containerNode(container.id);
		if (!node) continue;
		if (mode.kind === 'host') edge(node, hostId, "--network host: the host's stack", true);
		else if (mode.kind === 'container') {
			const owner = containerNode(mode.containerId);
			if (owner) edge(node, owner, `container:${mode.containerName ?? mode.containerId.slice(0, 12)} (same stack)`, true);
		}
	}

	// veth pairs made on the host, and macvlan/ipvlan interfaces of the host on their parent.
	for (const [name, links] of hostView.interfaces) {
		if (links.localPeer && name < links.localPeer) edge(interfaceNode(name, 'veth'), interfaceNode(links.localPeer, 'veth'), 'veth pair');
		if (links.parent) edge(interfaceNode(links.parent, 'nic'), interfaceNode(name, 'interface'), interfaces.get(name)?.kind, true);
	}

	return {nodes: sortedBy(nodes.values(), node => node.id), edges: sortedBy(edges, item => `${item.from} ${item.to} ${item.label ?? ''}`)};
}

/** Sorted by a key computed once per item. */
function sortedBy<T>(items: Iterable<T>, key: (item: T) => string): T[] {
	return Array.from(items, item => ({item, key: key(item)}))
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
		.map(({item}) => item);
}

/**
 * A Graphviz double-quoted string. Graphviz decodes HTML entities in every label (`&lt;`,
 * `&#92;`), and then reads escString escapes (`\N` is the node's name, `\G` the graph's):
 * `&` becomes `&amp;` and `\` is doubled, so a name shows as written.
 */
const dotString = (text: string): string => `"${text.replaceAll('&', '&amp;').replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

const dotShapes: Record<GraphNode['kind'], string> = {
	host: 'shape=box3d',
	nic: 'shape=box, style=filled, fillcolor="#e8e8e8"',
	network: 'shape=ellipse, style=filled, fillcolor="#dbe9ff"',
	bridge: 'shape=box, style=filled, fillcolor="#ffe9c7"',
	veth: 'shape=box, style=rounded',
	interface: 'shape=box, style=rounded',
	container: 'shape=box, style="rounded,filled", fillcolor="#d9f2d9"',
};

export function graphToDot(graph: Graph): string {
	const lines = ['graph docknet {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
	for (const node of graph.nodes) lines.push(`  ${node.id} [label=${dotString(node.lines.join('\n')).replaceAll('\n', '\\n')}, ${dotShapes[node.kind]}];`);
	for (const item of graph.edges) {
		const attributes = [item.label ? `label=${dotString(item.label)}` : '', item.dashed ? 'style=dashed' : ''].filter(Boolean);
		lines.push(`  ${item.from} -- ${item.to}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
	}

	lines.push('}');
	return `${lines.join('\n')}\n`;
}

/**
 * Mermaid label text. Mermaid reads `#name;` and `#123;` as entity codes, and `<` starts the
 * HTML it draws labels with: `#` itself, and every character that quotes, links, HTML,
 * markdown strings (a backquote) or escapes could take, become decimal codes (`#35;`), in one
 * pass so that no code is read twice.
 */
const mermaidText = (text: string): string => text.replace(/[#&"<>|\\`%]/g, character => `#${character.codePointAt(0) ?? 0};`);

const mermaidShapes: Record<GraphNode['kind'], [string, string]> = {
	host: ['[[', ']]'],
	nic: ['[', ']'],
	network: ['([', '])'],
	bridge: ['[/', '/]'],
	veth: ['(', ')'],
	interface: ['(', ')'],
	container: ['[', ']'],
};

export function graphToMermaid(graph: Graph): string {
	const lines = ['flowchart LR'];
	for (const node of graph.nodes) {
		const [open, close] = mermaidShapes[node.kind];
		lines.push(`  ${node.id}${open}"${node.lines.map(mermaidText).join('<br/>')}"${close}`);
	}

	for (const item of graph.edges) {
		const link = item.dashed ? '-.-' : '---';
		lines.push(item.label ? `  ${item.from} ${link}|"${mermaidText(item.label)}"| ${item.to}` : `  ${item.from} ${link} ${item.to}`);
	}

	return `${lines.join('\n')}\n`;
}
