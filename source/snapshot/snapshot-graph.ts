import {createHash} from 'node:crypto';
import {bridgeNameForNetwork, parentOfNetwork} from '../host/bridges.js';
import {specialNetworkMode, subnetsOf} from '../model/selectors.js';
import {safeText} from '../text/safe-text.js';
import type {CollectedSnapshot} from './collect-snapshot.js';

// The picture the `t` view shows, as a graph for Graphviz (`snapshot --dot`) and Mermaid
// (`snapshot --mermaid`, drawn by GitHub in markdown): networks, their bridges, veth pairs,
// containers with their addresses, shared stacks, host and none. Node ids come from names
// (never from list positions), so two snapshots diff line by line.

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

/** A stable id: the name in safe characters, plus a short hash when it had to change. */
export function graphId(prefix: string, name: string): string {
	const plain = name.replace(/[^A-Za-z0-9_]/g, '_');
	const suffix = plain === name ? '' : `_${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
	return `${prefix}_${plain}${suffix}`;
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

	const containerNode = (id: string): string | undefined => {
		const container = containers.find(item => item.id === id);
		if (!container) return undefined;
		const mode = specialNetworkMode(container, containers);
		return add({id: graphId('ctr', container.name), kind: 'container', lines: [container.name, mode?.kind === 'none' ? `${container.state}, none: lo only` : container.state]});
	};

	for (const network of networks) {
		if (network.driver === 'host' || network.driver === 'null') continue;
		const {ipv4, ipv6} = subnetsOf(network);
		const networkId = add({id: graphId('net', network.name), kind: 'network', lines: [`network ${network.name}`, `${network.driver}${[...ipv4, ...ipv6].length > 0 ? ` ${[...ipv4, ...ipv6].join(' ')}` : ''}`]});
		const side = hostView.byNetwork.get(network.id);
		const bridge = side?.bridge ?? (interfaces.has(bridgeNameForNetwork(network) ?? '') ? bridgeNameForNetwork(network) : undefined);
		if (bridge) {
			// The bridge is an interface of the host, like its NICs.
			edge(hostId, interfaceNode(bridge, 'bridge'));
			edge(networkId, interfaceNode(bridge, 'bridge'), 'bridge', true);
		}
		const parent = side?.parent ?? parentOfNetwork(network);
		if (parent && interfaces.has(parent)) edge(networkId, interfaceNode(parent, 'nic'), 'parent', true);

		for (const container of containers) {
			const endpoint = container.endpoints.find(item => item.networkId === network.id);
			if (!endpoint) continue;
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

	const byId = (a: {id: string}, b: {id: string}): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	const edgeKey = (item: GraphEdge): string => `${item.from} ${item.to} ${item.label ?? ''}`;
	return {nodes: [...nodes.values()].sort(byId), edges: edges.sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0))};
}

const dotString = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

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

/** Mermaid labels: quotes become #quot;, and < > & are written as entities. */
const mermaidText = (text: string): string =>
	text.replaceAll('&', '#amp;').replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;').replaceAll('|', '#124;');

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
