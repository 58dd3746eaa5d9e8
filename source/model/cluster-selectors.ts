import type {EngineSnapshot} from './store.js';
import type {Attachment} from './selectors.js';
import type {NetworkCluster, SwarmSnapshot} from './swarm-types.js';
import {readableTaskContainerName} from './swarm-types.js';
import type {DockerContainer, EngineInfo} from './types.js';

// Derived facts about a swarm: what an overlay holds across the cluster, and what to call a
// task's container. Pure; the UI and `snapshot` share them.

export interface ClusterUse {
	/** Containers and tasks on the network on every node. */
	members: number;
	/** IPv4 addresses taken across the cluster: endpoints (tasks, containers, load balancers, ingress) and VIPs. */
	used: number;
}

const bare = (address: string): string => address.split('/')[0] ?? address;

export function clusterUse(cluster: NetworkCluster, local: readonly Attachment[] | undefined): ClusterUse {
	const members = new Set<string>();
	const addresses = new Set<string>();
	for (const endpoint of cluster.endpoints) {
		if (endpoint.kind === 'task' || endpoint.kind === 'container') members.add(endpoint.endpointId);
		if (endpoint.ipv4 !== undefined) addresses.add(endpoint.ipv4);
	}

	for (const {endpoint} of local ?? []) {
		members.add(endpoint.endpointId);
		if (endpoint.ipv4 !== undefined) addresses.add(endpoint.ipv4);
	}

	for (const vip of cluster.vips) addresses.add(bare(vip.address));
	return {members: members.size, used: addresses.size};
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
