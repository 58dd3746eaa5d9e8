import type {EngineSnapshot} from './store.js';
import type {NetworkCluster, SwarmSnapshot} from './swarm-types.js';
import {readableTaskContainerName} from './swarm-types.js';
import type {DockerContainer, EngineInfo} from './types.js';

// Derived facts about a swarm: what an overlay holds across the cluster, and what to call a
// task's container. Pure; the UI and `snapshot` share them.

export interface ClusterUse {
	/** Containers and tasks on the network on every node, as the cluster's view lists them. */
	members: number;
	/**
	 * IPv4 addresses taken across the cluster: endpoints (tasks, containers, load balancers,
	 * ingress), VIPs, and one load balancer for each other node on the network.
	 */
	used: number;
}

const bare = (address: string): string => address.split('/')[0] ?? address;

/**
 * What an overlay holds across the cluster, as `docker network inspect -v` says it: only
 * endpoints that exist (a stopped task's container has no endpoint id, a container that
 * died with its engine is gone from the view). Each node on the network has a load
 * balancer endpoint of its own; the view lists this node's only, so each other peer
 * without one in view counts one address.
 */
export function clusterUse(cluster: NetworkCluster): ClusterUse {
	const members = new Set<string>();
	const addresses = new Set<string>();
	const nodesWithBalancer = new Set<string>();
	for (const endpoint of cluster.endpoints) {
		if (endpoint.endpointId === '') continue;
		if (endpoint.kind === 'task' || endpoint.kind === 'container') members.add(endpoint.endpointId);
		if (endpoint.kind === 'lb') nodesWithBalancer.add(endpoint.nodeAddress);
		if (endpoint.ipv4 !== undefined) addresses.add(endpoint.ipv4);
	}

	for (const vip of cluster.vips) addresses.add(bare(vip.address));
	let unseenBalancers = 0;
	for (const peer of new Set(cluster.peers.map(item => item.address))) {
		if (!nodesWithBalancer.has(peer)) unseenBalancers++;
	}

	return {members: members.size, used: addresses.size + unseenBalancers};
}

/** The hostname of a node id, as far as this engine knows it (a worker knows only itself). */
export function nodeNamer(swarm: SwarmSnapshot, engine: EngineInfo | undefined): (nodeId: string) => string | undefined {
	const names = new Map(swarm.nodes.map(node => [node.id, node.hostname]));
	if (engine?.swarmNodeId !== undefined && !names.has(engine.swarmNodeId)) names.set(engine.swarmNodeId, engine.hostname);
	return nodeId => names.get(nodeId);
}

/** Container id → the name the panes use for it (`web.2@node-b` for a task); undefined when unknown. */
export function containerNamer(snapshot: Pick<EngineSnapshot, 'containers' | 'swarm' | 'engine'>): (containerId: string) => string | undefined {
	const nodeName = nodeNamer(snapshot.swarm, snapshot.engine);
	const byId = new Map(snapshot.containers.map(container => [container.id, container]));
	return id => {
		const container = byId.get(id);
		return container === undefined ? undefined : containerDisplayName(container, nodeName);
	};
}

/** `web.2@node-b` for a task's container; the container's own name otherwise. */
export function containerDisplayName(container: DockerContainer, nodeName: (nodeId: string) => string | undefined): string {
	return readableTaskContainerName(container.name, container.labels, nodeName) ?? container.name;
}
