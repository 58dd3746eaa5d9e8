import type {EngineGateway} from './gateway.js';
import {sameItems} from './listing-merge.js';
import {deepEqual, keepIdentity} from './store.js';
import type {SnapshotStore} from './store.js';
import {noSwarm, taskDisplayName} from './swarm-types.js';
import type {NetworkCluster, PlumbingReader, SwarmSnapshot, SwarmTask} from './swarm-types.js';
import type {DockerContainer, DockerNetwork, EngineInfo} from './types.js';

export interface SwarmSyncOptions {
	/**
	 * After a change, tasks move through pending → running (or shutdown) on their nodes
	 * without an event the manager passes on; while some task has not reached the state it
	 * is meant to have, read again after these delays (ms), then stop.
	 */
	settleDelaysMs?: readonly number[];
	/**
	 * Reads each overlay's plumbing on this node (engine on this machine, root), or why it
	 * cannot be read. Read again only when the cluster's endpoints changed: its fdb follows them.
	 */
	plumbing?: PlumbingReader | {unavailable: string};
}

const FULL_READ_EVERY_ROUNDS = 6;
const DEFAULT_SETTLE_DELAYS = [500, 1000, 1000, 2000, 2000, 3000, 5000, 5000];

// A task whose state is one of these has stopped moving.
const finalTaskStates = new Set(['running', 'complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);

function unsettled(task: SwarmTask): boolean {
	if (task.desiredState === 'running') return task.state !== 'running' && !finalTaskStates.has(task.state);
	return task.state === 'running' || !finalTaskStates.has(task.state);
}

function keepList<T extends {id: string}>(previous: readonly T[], next: readonly T[]): readonly T[] {
	const known = new Map(previous.map(item => [item.id, item]));
	const merged = next.map(item => keepIdentity(known.get(item.id), item));
	return sameItems(previous, merged) ? previous : merged;
}

/**
 * Keeps the store's swarm part in step: nodes, services and tasks (a manager), and each
 * overlay network as the cluster sees it (managers and workers). EngineSync calls
 * `request()` on node and service events, overlay and task container events, when the
 * network list or the swarm state changed, and once per reconcile round (what happens on
 * other nodes reaches a manager without events); a change is then followed until its tasks
 * have settled. Outside a swarm a request costs no call.
 */
export class SwarmSync {
	private readonly settleDelays: readonly number[];
	private scheduled = false;
	private running = false;
	private again = false;
	/** Only reconcile rounds asked since the last read: what follows this node's own events can wait. */
	private roundOnly = true;
	private rounds = 0;
	private settleStep = 0;
	private settleTimer: NodeJS.Timeout | undefined;
	private stopped = false;

	private readonly plumbing: PlumbingReader | {unavailable: string} | undefined;

	constructor(
		private readonly gateway: EngineGateway,
		private readonly store: SnapshotStore,
		options: SwarmSyncOptions = {},
	) {
		this.settleDelays = options.settleDelaysMs ?? DEFAULT_SETTLE_DELAYS;
		this.plumbing = options.plumbing;
	}

	/**
	 * Something in the swarm may have changed: read it again (calls in a burst coalesce). A
	 * reconcile round ('round') reads what changes on other nodes without an event here;
	 * docker_gwbridge holds only this node's endpoints, which come with this node's events.
	 */
	request(why: 'change' | 'round' = 'change'): void {
		if (this.stopped) return;
		// Every few rounds everything is read, as a safety net under the events.
		if (why === 'round') this.rounds++;
		if (why === 'change' || this.rounds % FULL_READ_EVERY_ROUNDS === 0) this.roundOnly = false;
		this.settleStep = 0;
		if (this.running) {
			this.again = true;
			return;
		}

		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => {
			this.scheduled = false;
			void this.refresh();
		});
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.settleTimer);
	}

	/** Reads the swarm once and puts it in the store; resolves when done (tests await it). */
	async refresh(): Promise<void> {
		if (this.stopped) return;
		this.running = true;
		clearTimeout(this.settleTimer);
		try {
			const next = await this.read();
			if (this.stopped) return;
			this.store.update(snapshot => {
				const swarm = this.merge(snapshot.swarm, next);
				return swarm === snapshot.swarm ? snapshot : {...snapshot, swarm};
			});
			this.scheduleSettle(next.tasks.some(task => unsettled(task)));
		} finally {
			this.running = false;
			if (this.again && !this.stopped) {
				this.again = false;
				this.request();
			}
		}
	}

	private scheduleSettle(moving: boolean): void {
		if (!moving || this.settleStep >= this.settleDelays.length) return;
		const delay = this.settleDelays[this.settleStep++] ?? 1000;
		this.settleTimer = setTimeout(() => void this.refresh(), delay);
		this.settleTimer.unref();
	}

	private async read(): Promise<SwarmSnapshot> {
		const {engine, networks, swarm, containers} = this.store.getSnapshot();
		const localKept = this.roundOnly;
		this.roundOnly = true;
		const next = await readSwarm(this.gateway, engine, networks, swarm, localKept);
		if (this.plumbing === undefined || next.role === 'error') return next;
		const moved = next.networks.size !== swarm.networks.size || [...next.networks].some(([id, cluster]) => !deepEqual(swarm.networks.get(id), cluster));
		return moved ? withPlumbing(next, containers, this.plumbing) : next;
	}

	private merge(previous: SwarmSnapshot, next: SwarmSnapshot): SwarmSnapshot {
		const nodes = keepList(previous.nodes, next.nodes);
		const services = keepList(previous.services, next.services);
		const tasks = keepList(previous.tasks, next.tasks);
		const networks = new Map<string, NetworkCluster>();
		for (const [id, cluster] of next.networks) networks.set(id, keepIdentity(previous.networks.get(id), cluster));
		const sameNetworks =
			networks.size === previous.networks.size && [...networks].every(([id, cluster]) => previous.networks.get(id) === cluster);
		const merged: SwarmSnapshot = {
			role: next.role,
			...(next.error === undefined ? {} : {error: next.error}),
			...(next.selfId === undefined ? {} : {selfId: next.selfId}),
			nodes,
			services,
			tasks,
			networks: sameNetworks ? previous.networks : networks,
			plumbing: next.plumbing,
			...noteOf(next),
		};
		const same =
			merged.role === previous.role &&
			merged.error === previous.error &&
			merged.selfId === previous.selfId &&
			nodes === previous.nodes &&
			services === previous.services &&
			tasks === previous.tasks &&
			merged.networks === previous.networks &&
			merged.plumbing === previous.plumbing &&
			merged.plumbingNote === previous.plumbingNote;
		return same ? previous : merged;
	}
}

/**
 * One read of the swarm as this engine sees it: a manager answers for nodes, services and
 * tasks; managers and workers alike describe each overlay network they know across the
 * cluster. Outside a swarm this makes no call. On failure the previous picture is kept,
 * marked with the error.
 */
export async function readSwarm(
	gateway: EngineGateway,
	engine: EngineInfo | undefined,
	networks: readonly DockerNetwork[],
	previous: SwarmSnapshot = noSwarm,
	/** Take docker_gwbridge's view from `previous` when it has one (it changes only with local events). */
	keepLocal = false,
): Promise<SwarmSnapshot> {
	if (engine === undefined || engine.swarm !== 'active' || engine.swarmNodeId === undefined) return noSwarm;
	const localAddress = engine.swarmNodeAddress ?? '';
	// docker_gwbridge too: its endpoints (each overlay container's way out, the ingress
	// sandbox) are in no container's own network list.
	const overlays = networks.filter(network => network.driver === 'overlay' || network.name === 'docker_gwbridge');
	const readCluster = async (network: DockerNetwork): Promise<NetworkCluster | undefined> => {
		const known = keepLocal && network.driver !== 'overlay' ? previous.networks.get(network.id) : undefined;
		return known ?? gateway.inspectNetworkCluster(network.id, localAddress);
	};

	try {
		const clustersPromise = Promise.all(overlays.map(readCluster));
		if (!engine.swarmManager) {
			const clusters = await clustersPromise;
			return {...noSwarm, role: 'worker', selfId: engine.swarmNodeId, networks: toMap(clusters), plumbing: previous.plumbing, ...noteOf(previous)};
		}

		const [nodes, services, rawTasks, clusters] = await Promise.all([
			gateway.listSwarmNodes(),
			gateway.listSwarmServices(),
			gateway.listSwarmTasks(),
			clustersPromise,
		]);
		const serviceName = new Map(services.map(service => [service.id, service.name]));
		const hostname = new Map(nodes.map(node => [node.id, node.hostname]));
		const tasks = rawTasks
			.map(task => {
				const name = serviceName.get(task.serviceId) ?? task.serviceId.slice(0, 12);
				return {...task, serviceName: name, name: taskDisplayName(name, task.slot, hostname.get(task.nodeId))};
			})
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
		return {
			role: 'manager',
			selfId: engine.swarmNodeId,
			nodes: [...nodes].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0)),
			services: [...services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
			tasks,
			networks: toMap(clusters),
			plumbing: previous.plumbing,
			...noteOf(previous),
		};
	} catch (error) {
		// A manager that lost its quorum, or a node that left between the info and these
		// calls: say so, keep what was known.
		const message = error instanceof Error ? error.message : String(error);
		return {...previous, role: 'error', error: message};
	}
}

function noteOf(swarm: SwarmSnapshot): {plumbingNote?: string} {
	return swarm.plumbingNote === undefined ? {} : {plumbingNote: swarm.plumbingNote};
}

/** Where the engine keeps network namespaces: beside any inspected container's own. */
function netnsDirOf(containers: readonly DockerContainer[]): string {
	const key = containers.find(container => container.sandboxKey !== undefined)?.sandboxKey;
	return key === undefined ? '/var/run/docker/netns' : key.slice(0, key.lastIndexOf('/'));
}

/** The swarm with each overlay's plumbing on this node read again (or why it cannot be). */
export async function withPlumbing(
	swarm: SwarmSnapshot,
	containers: readonly DockerContainer[],
	reader: PlumbingReader | {unavailable: string},
): Promise<SwarmSnapshot> {
	if (swarm.role === 'none' || swarm.networks.size === 0) return swarm;
	if ('unavailable' in reader) return {...swarm, plumbing: new Map(), plumbingNote: reader.unavailable};
	const ids = [...swarm.networks.keys()];
	const scan = await reader(netnsDirOf(containers), ids);
	if (scan.status === 'unavailable') return {...swarm, plumbing: new Map(), plumbingNote: scan.reason};
	const {plumbingNote: _dropped, ...rest} = swarm;
	return {...rest, plumbing: new Map(scan.overlays.map(item => [item.networkId, item]))};
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The cluster's view in a fixed order. The engine lists services, tasks and peers from Go
 * maps, in another order at every call: unsorted, every read looked like a change, and each
 * one re-read every overlay's plumbing and redrew the swarm screen.
 */
function inOrder(cluster: NetworkCluster): NetworkCluster {
	return {
		...cluster,
		peers: cluster.peers.slice().sort((a, b) => byText(a.address, b.address) || byText(a.name, b.name)),
		vips: cluster.vips.slice().sort((a, b) => byText(a.service, b.service) || byText(a.address, b.address)),
		endpoints: cluster.endpoints
			.slice()
			.sort((a, b) => byText(a.nodeAddress, b.nodeAddress) || byText(a.name, b.name) || byText(a.endpointId, b.endpointId)),
	};
}

function toMap(clusters: ReadonlyArray<NetworkCluster | undefined>): Map<string, NetworkCluster> {
	const map = new Map<string, NetworkCluster>();
	for (const cluster of clusters) if (cluster !== undefined) map.set(cluster.networkId, inOrder(cluster));
	return map;
}

/** Whether two swarm pictures say the same (tests compare the store with a fresh read). */
export function sameSwarm(a: SwarmSnapshot, b: SwarmSnapshot): boolean {
	return deepEqual({...a, networks: [...a.networks]}, {...b, networks: [...b.networks]});
}
