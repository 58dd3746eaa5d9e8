import {clusterUse} from '../../model/cluster-selectors.js';
import type {EngineSnapshot} from '../../model/store.js';
import {containerDisplayName, nodeNamer} from '../../model/cluster-selectors.js';
import type {ClusterEndpoint, NetworkCluster, SwarmSnapshot} from '../../model/swarm-types.js';
import type {NodeEngineOffer} from '../../model/node-engines.js';
import type {DockerNetwork} from '../../model/types.js';
import type {Details} from './details.js';
import type {Tone} from '../../view/columns.js';
import {displayWidth, fitText} from '../../view/columns.js';
import {appendAll, maxOf} from '../../model/large-arrays.js';

// The swarm screen (`s`): nodes, services with their tasks, and each overlay network as the
// whole cluster sees it, as lines of text. Every engine string goes through fitText, which
// makes it safe before measuring it.

export interface SwarmLine {
	text: string;
	tone?: Tone;
	heading?: boolean;
}

type Cell = readonly [text: string, width: number];

function row(cells: readonly Cell[]): string {
	return `  ${cells.map(([text, width]) => fitText(text === '' ? '–' : text, width)).join(' ')}`.trimEnd();
}

function nodeTone(state: string): Tone {
	if (state === 'ready') return 'good';
	if (state === 'down' || state === 'disconnected') return 'bad';
	return 'warn';
}

function taskTone(state: string): Tone {
	if (state === 'running') return 'good';
	if (state === 'failed' || state === 'rejected') return 'bad';
	if (state === 'shutdown' || state === 'complete') return 'muted';
	return 'warn';
}

/** Wide enough for the cluster's longest hostname (and a ` *` mark), within reason. */
function hostnameWidth(swarm: SwarmSnapshot): number {
	return Math.min(40, maxOf(swarm.nodes.map(node => displayWidth(node.hostname) + 2), 16));
}

function nodeByAddress(swarm: SwarmSnapshot, address: string): string {
	return swarm.nodes.find(node => node.address === address)?.hostname ?? address;
}

/**
 * What a person calls an endpoint: a task by its readable name (`web.1@node-b`), a
 * container's way out on docker_gwbridge by its container (`ct1 (gateway)`).
 */
export function endpointLabel(snapshot: EngineSnapshot, endpoint: ClusterEndpoint): string {
	if (endpoint.kind === 'task') {
		const taskId = endpoint.name.split('.').at(-1) ?? '';
		const task = snapshot.swarm.tasks.find(item => item.id === taskId);
		if (task !== undefined) return task.name;
	}

	if (endpoint.kind === 'gateway') {
		const prefix = endpoint.name.slice('gateway_'.length);
		const container = prefix.length >= 12 ? snapshot.containers.find(item => item.id.startsWith(prefix)) : undefined;
		if (container !== undefined) return `${containerDisplayName(container, nodeNamer(snapshot.swarm, snapshot.engine))} (gateway)`;
	}

	return endpoint.name;
}

function networkLines(snapshot: EngineSnapshot, network: DockerNetwork, cluster: NetworkCluster): SwarmLine[] {
	const {swarm} = snapshot;
	const use = clusterUse(cluster);
	const subnets = network.pools.map(pool => pool.subnet).join(' ');
	const lines: SwarmLine[] = [
		{
			text: `  ${network.name}  ${network.driver}${cluster.vni === '' ? '' : `  VNI ${cluster.vni}`}  ${subnets || '–'}  ${use.members} members, ${use.used} addresses in use across the cluster`,
			tone: 'accent',
		},
	];
	if (cluster.peers.length > 0) {
		lines.push({text: `    peers: ${cluster.peers.map(peer => `${nodeByAddress(swarm, peer.address)} ${peer.address}`).join(', ')}`});
	}

	if (cluster.vips.length > 0) {
		lines.push({text: `    VIPs: ${cluster.vips.map(vip => `${vip.service} ${vip.address}`).join(', ')}`});
	}

	appendAll(lines, plumbingLines(snapshot, cluster.networkId));

	if (cluster.endpoints.length === 0) {
		lines.push({text: '    no endpoint on any node', tone: 'muted'});
		return lines;
	}

	const nodeWidth = hostnameWidth(swarm);
	lines.push({text: row([['ENDPOINT', 34], ['KIND', 9], ['NODE', nodeWidth], ['IPV4', 15], ['MAC', 17]]), tone: 'muted'});
	const sorted = [...cluster.endpoints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	// Overlay endpoints have no MAC in the cluster's list except on this node.
	for (const endpoint of sorted) {
		lines.push({
			text: row([
				[`  ${endpointLabel(snapshot, endpoint)}`, 34],
				[endpoint.kind, 9],
				[nodeByAddress(swarm, endpoint.nodeAddress), nodeWidth],
				[endpoint.ipv4 ?? '', 15],
				[endpoint.mac ?? '', 17],
			]),
		});
	}

	return lines;
}

/** This node's plumbing of an overlay: its hidden namespace, br0, vxlan0 and the fdb. */
function plumbingLines(snapshot: EngineSnapshot, networkId: string): SwarmLine[] {
	const {swarm} = snapshot;
	const plumbing = swarm.plumbing.get(networkId);
	if (plumbing === undefined) {
		return swarm.plumbingNote === undefined ? [] : [{text: `    plumbing on this node unknown: ${swarm.plumbingNote}`, tone: 'muted'}];
	}

	if (plumbing.error !== undefined) {
		return [{text: `    plumbing on this node unreadable: netns ${plumbing.namespace}: ${plumbing.error}`, tone: 'warn'}];
	}

	const vxlan = plumbing.vxlan === undefined ? 'no vxlan' : `${plumbing.vxlan.name} VNI ${plumbing.vxlan.vni} udp/${plumbing.vxlan.port}`;
	const fdb = plumbing.fdb.map(entry => `${entry.mac} → ${nodeByAddress(swarm, entry.address)} ${entry.address}`);
	return [
		{text: `    on this node: netns ${plumbing.namespace} · ${plumbing.bridge || 'no bridge'} · ${vxlan} · fdb ${plumbing.fdb.length === 0 ? 'empty' : fdb.join(', ')}`},
	];
}

/** The swarm screen's lines for this engine's view of its cluster. */
/** The other nodes' engines, and the key that opens them here. */
function nodeEngineLines(offers: readonly NodeEngineOffer[]): SwarmLine[] {
	if (offers.length === 0) return [];
	const lines: SwarmLine[] = [{text: ''}, {text: `Other nodes' engines (${offers.length} not open here)`, heading: true}];
	for (const offer of offers) {
		lines.push({text: `  ${offer.hostname} (${offer.address})${offer.context === undefined ? '' : `: context ${offer.context}`}`});
	}

	lines.push(
		{text: "  o asks your docker contexts which of them are these nodes and opens those here: each node's containers, bridges and local networks, each row with its engine.", tone: 'accent'},
		{text: `  For a node no context reaches: docker context create <name> --docker host=ssh://<user>@<address>`, tone: 'muted'},
	);
	return lines;
}

export function swarmLines(snapshot: EngineSnapshot, offers: readonly NodeEngineOffer[] = []): SwarmLine[] {
	const {swarm, engine} = snapshot;
	if (swarm.role === 'none') {
		return [
			{text: `This engine (${engine?.hostname ?? 'unknown'}) is not part of a swarm (state: ${engine?.swarm ?? 'unknown'}).`},
			{text: 'Nodes, services, tasks and overlay networks across a cluster show here on a swarm node.', tone: 'muted'},
		];
	}

	const lines: SwarmLine[] = [];
	const self = swarm.nodes.find(node => node.id === swarm.selfId);
	lines.push({
		text: `${swarm.role === 'worker' ? 'Worker' : swarm.role === 'manager' ? 'Manager' : 'Swarm node'} ${self?.hostname ?? engine?.hostname ?? ''} · ${swarm.nodes.length} nodes · ${swarm.services.length} services · ${swarm.tasks.filter(task => task.desiredState === 'running').length} tasks`,
	});
	if (swarm.error !== undefined) lines.push({text: `The swarm could not be read: ${swarm.error}`, tone: 'bad'});
	if (swarm.role === 'worker') {
		lines.push({text: 'A worker knows no nodes, services or tasks (only managers do); open a manager for the whole cluster.', tone: 'muted'});
	}

	if (swarm.nodes.length > 0) {
		lines.push({text: ''}, {text: `Nodes (${swarm.nodes.length})`, heading: true});
		const width = hostnameWidth(swarm);
		lines.push({text: row([['HOSTNAME', width], ['ROLE', 8], ['AVAIL', 7], ['STATE', 8], ['ADDRESS', 15], ['ENGINE', 16], ['MANAGER', 11]]), tone: 'muted'});
		for (const node of swarm.nodes) {
			lines.push({
				text: row([
					[`${node.hostname}${node.id === swarm.selfId ? ' *' : ''}`, width],
					[node.role, 8],
					[node.availability, 7],
					[node.state === 'ready' ? 'Ready' : node.state === 'down' ? 'Down' : node.state, 8],
					[node.address, 15],
					[node.engineVersion, 16],
					[node.managerStatus, 11],
				]),
				tone: nodeTone(node.state),
			});
		}
	}

	appendAll(lines, nodeEngineLines(offers));
	if (swarm.services.length > 0) {
		lines.push({text: ''}, {text: `Services (${swarm.services.length})`, heading: true});
		const networkName = new Map(snapshot.networks.map(network => [network.id, network.name]));
		for (const service of swarm.services) {
			const vips = service.vips.map(vip => `${networkName.get(vip.networkId) ?? vip.networkId.slice(0, 12)} ${vip.address}`).join(', ');
			lines.push({text: `  ${service.name}  ${service.mode}  ${service.image}${vips === '' ? '' : `  VIP ${vips}`}`, tone: 'accent'});
			const tasks = swarm.tasks.filter(task => task.serviceId === service.id && (task.desiredState === 'running' || task.state === 'running'));
			if (tasks.length === 0) lines.push({text: '    no task', tone: 'muted'});
			for (const task of tasks) {
				const addresses = task.attachments.map(attachment => `${attachment.networkName} ${attachment.addresses.join(' ')}`).join(', ');
				lines.push({
					text: row([[`  ${task.name}`, 30], [task.state, 9], [addresses, 40], [task.state === 'running' ? '' : task.message, 30]]),
					tone: taskTone(task.state),
				});
			}
		}
	}

	const overlays = snapshot.networks.filter(network => swarm.networks.has(network.id));
	if (overlays.length > 0) {
		lines.push({text: ''}, {text: `Networks across the cluster (${overlays.length})`, heading: true});
		for (const network of overlays) {
			const cluster = swarm.networks.get(network.id);
			if (cluster !== undefined) appendAll(lines, networkLines(snapshot, network, cluster));
		}
	}

	return lines;
}

/** A network's details with the cluster's view added: VNI, peers, VIPs, and every endpoint on every node. */
export function withCluster(details: Details, snapshot: EngineSnapshot, network: DockerNetwork, cluster: NetworkCluster): Details {
	const {swarm} = snapshot;
	const use = clusterUse(cluster);
	const extra = [
		{text: `${'Cluster'.padEnd(14)} ${use.members} containers and tasks, ${use.used} addresses in use on all nodes (load balancers and VIPs included)`},
		...(cluster.vni === '' ? [] : [{text: `${'VNI'.padEnd(14)} ${cluster.vni}`}]),
		...(cluster.peers.length === 0 ? [] : [{text: `${'Peers'.padEnd(14)} ${cluster.peers.map(peer => `${nodeByAddress(swarm, peer.address)} ${peer.address}`).join(', ')}`}]),
		...(cluster.vips.length === 0 ? [] : [{text: `${'VIPs'.padEnd(14)} ${cluster.vips.map(vip => `${vip.service} ${vip.address}`).join(', ')}`}]),
	];
	return {
		...details,
		lines: [...details.lines, ...extra],
		table: {
			title: `Endpoints on every node (${cluster.endpoints.length})`,
			columns: ['endpoint', 'kind', 'node', 'ipv4', 'mac'],
			rows: cluster.endpoints.map(endpoint => ({
				endpoint: endpointLabel(snapshot, endpoint),
				kind: endpoint.kind,
				node: nodeByAddress(swarm, endpoint.nodeAddress),
				ipv4: endpoint.ipv4 ?? '–',
				mac: endpoint.mac ?? '–',
			})),
			emptyText: 'No endpoint on any node.',
		},
	};
}
