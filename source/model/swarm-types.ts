// What a swarm manager says about its cluster, as docknet shows it. Nothing here knows about
// dockerode; source/engine/swarm-mapping.ts fills these from the engine's JSON.

export interface SwarmNode {
	id: string;
	hostname: string;
	/** "manager" or "worker". */
	role: string;
	/** "active", "pause", "drain". */
	availability: string;
	/** "ready", "down", "unknown", "disconnected". */
	state: string;
	/** The node's address in the cluster (Status.Addr). */
	address: string;
	engineVersion: string;
	/** "Leader", "Reachable", "Unreachable" for managers; "" for workers. */
	managerStatus: string;
}

export interface ServiceVip {
	networkId: string;
	/** CIDR, e.g. "10.0.1.2/24". */
	address: string;
}

export interface SwarmService {
	id: string;
	name: string;
	/** "replicated 3", "global", "replicated-job", … */
	mode: string;
	image: string;
	vips: ServiceVip[];
}

export interface TaskAttachment {
	networkId: string;
	networkName: string;
	/** CIDRs. */
	addresses: string[];
}

export interface SwarmTask {
	id: string;
	serviceId: string;
	serviceName: string;
	/** 0 for global services. */
	slot: number;
	nodeId: string;
	/** "web.2@node-b": what a person calls the task. */
	name: string;
	/** "running", "pending", "shutdown", "failed", … */
	state: string;
	desiredState: string;
	message: string;
	containerId?: string;
	attachments: TaskAttachment[];
}

/** One endpoint of an overlay network somewhere in the cluster (network inspect, verbose). */
export interface ClusterEndpoint {
	/** Task or container name as the engine gives it ("web.1.jmkrey…", "ct-b"). */
	name: string;
	/** The service it belongs to; "" for a container attached by hand. */
	service: string;
	endpointId: string;
	/** Bare address. */
	ipv4?: string;
	mac?: string;
	/** Address of the node that holds it. */
	nodeAddress: string;
	/**
	 * "task", "container" (attached by hand), "lb" (a node's load balancer: `<net>-endpoint`,
	 * `ingress-endpoint`), "gateway" (a container's way out on docker_gwbridge: `gateway_<id>`).
	 */
	kind: 'task' | 'container' | 'lb' | 'gateway';
}

export interface OverlayPeer {
	/** The node's gossip name (not its hostname). */
	name: string;
	address: string;
}

export interface NetworkCluster {
	networkId: string;
	/** VXLAN network identifier(s). */
	vni: string;
	peers: OverlayPeer[];
	/** Service name → VIP (CIDR or bare address). */
	vips: Array<{service: string; address: string}>;
	endpoints: ClusterEndpoint[];
}

/** An overlay's plumbing on this node (its hidden namespace), read by source/host/overlay-plumbing.ts. */
export interface OverlayPlumbing {
	networkId: string;
	/** "1-<10 characters of the network id>". */
	namespace: string;
	/** The bridge inside, normally br0. */
	bridge: string;
	vxlan?: {name: string; vni: string; port: string};
	/** Remote endpoints: MAC → address of the node that holds it. */
	fdb: Array<{mac: string; address: string}>;
	/** Why this one namespace could not be read (the others are read all the same). */
	error?: string;
}

export type PlumbingScan =
	| {status: 'ok'; overlays: OverlayPlumbing[]}
	| {status: 'unavailable'; reason: string};

/** Reads the plumbing of these overlays from the engine's netns folder (host/overlay-plumbing.ts). */
export type PlumbingReader = (netnsDir: string, networkIds: readonly string[]) => Promise<PlumbingScan>;

export interface SwarmSnapshot {
	/**
	 * 'none': not in a swarm; 'manager' / 'worker': data below is what that role can see
	 * (a worker has no nodes, services or tasks); 'error': the last read failed.
	 */
	role: 'none' | 'manager' | 'worker' | 'error';
	error?: string;
	/** This engine's own node id. */
	selfId?: string;
	nodes: readonly SwarmNode[];
	services: readonly SwarmService[];
	tasks: readonly SwarmTask[];
	/** Overlay network id → the cluster's view of it. */
	networks: ReadonlyMap<string, NetworkCluster>;
	/**
	 * Overlay network id → its plumbing on this node; `plumbingNote` says why there is none
	 * (engine on another machine, not root).
	 */
	plumbing: ReadonlyMap<string, OverlayPlumbing>;
	plumbingNote?: string;
}

export const noSwarm: SwarmSnapshot = {role: 'none', nodes: [], services: [], tasks: [], networks: new Map(), plumbing: new Map()};

/** `web.2@node-b` (replicated), `agent@node-b` (global), `web.2` before it is placed. */
export function taskDisplayName(serviceName: string, slot: number, nodeName: string | undefined): string {
	const base = slot > 0 ? `${serviceName}.${slot}` : serviceName;
	return nodeName === undefined || nodeName === '' ? base : `${base}@${nodeName}`;
}

/**
 * The engine names a task's container `<service>.<slot>.<task id>` (global:
 * `<service>.<node id>.<task id>`): the readable form for a container, when it is a task.
 */
export function readableTaskContainerName(
	containerName: string,
	labels: Readonly<Record<string, string>>,
	nodeName: (nodeId: string) => string | undefined,
): string | undefined {
	const service = labels['com.docker.swarm.service.name'];
	const taskName = labels['com.docker.swarm.task.name'];
	const nodeId = labels['com.docker.swarm.node.id'];
	if (service === undefined || taskName === undefined) return undefined;
	const rest = taskName.startsWith(`${service}.`) ? taskName.slice(service.length + 1) : '';
	const slotText = rest.split('.')[0] ?? '';
	const slot = /^\d+$/.test(slotText) ? Number(slotText) : 0;
	return taskDisplayName(service, slot, nodeId === undefined ? undefined : (nodeName(nodeId) ?? undefined)) || containerName;
}
