import type {SwarmSnapshot} from './swarm-types.js';

// On a swarm manager, the other nodes' own engines can join the picture: each node's
// containers, bridges and local networks live there, not on the manager. docknet offers
// the docker contexts that point at them.

export interface DockerContextRef {
	name: string;
	/** The context's Docker endpoint, e.g. "ssh://me@node-b". */
	host: string;
}

export interface NodeEngineOffer {
	nodeId: string;
	hostname: string;
	address: string;
	/** A context whose endpoint names this node's hostname or address; undefined when none does. */
	context?: string;
}

/** The host part of an engine address: "ssh://me@node-b:22" → "node-b". */
function hostOf(endpoint: string): string | undefined {
	const match = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(endpoint);
	return match?.[1]?.replace(/^\[(.*)]$/, '$1');
}

/** Whether an engine that answered is one of the nodes offered (its swarm node id). */
export function isOfferedNode(offers: readonly NodeEngineOffer[], swarmNodeId: string | undefined): boolean {
	return swarmNodeId !== undefined && offers.some(offer => offer.nodeId === swarmNodeId);
}

/**
 * The swarm's other nodes whose engines are not open yet, each with the context that reaches
 * it, if there is one. `openHosts` are the hostnames of the engines already in the picture.
 */
export function nodeEngineOffers(swarm: SwarmSnapshot, contexts: readonly DockerContextRef[], openHosts: ReadonlySet<string>): NodeEngineOffer[] {
	if (swarm.role !== 'manager') return [];
	return swarm.nodes
		.filter(node => node.id !== swarm.selfId && !openHosts.has(node.hostname))
		.map(node => {
			const context = contexts.find(candidate => {
				const host = hostOf(candidate.host);
				return host !== undefined && (host === node.hostname || host === node.address);
			});
			return {nodeId: node.id, hostname: node.hostname, address: node.address, ...(context === undefined ? {} : {context: context.name})};
		});
}
