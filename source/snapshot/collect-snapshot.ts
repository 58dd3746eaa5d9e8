import type {HostView} from '../host/bridges.js';
import {emptyHostView, joinHostView} from '../host/bridges.js';
import type {HostInterfaceSource, VethPeerScan} from '../model/host-source.js';
import type {EngineGateway} from '../model/gateway.js';
import {initialHostSnapshot, sortByName} from '../model/store.js';
import type {EngineSnapshot, HostSnapshot} from '../model/store.js';
import {readSwarm, withPlumbing} from '../model/swarm-sync.js';
import type {PlumbingReader} from '../model/swarm-types.js';
import type {ForwardingScan} from '../model/forwarding.js';
import type {InsideView} from '../model/inside.js';
import type {DockerContainer} from '../model/types.js';

export interface CollectedSnapshot {
	snapshot: EngineSnapshot;
	hostView: HostView;
	takenAt: Date;
	/** Each running container's stack as seen inside it, by container id (where the host can be read). */
	inside?: ReadonlyMap<string, InsideView>;
	/** NAT rules and docker-proxies of published ports (where the host can be read). */
	forwarding?: ForwardingScan;
}

async function inspectAll(gateway: EngineGateway, containers: readonly DockerContainer[]): Promise<DockerContainer[]> {
	const result: DockerContainer[] = [];
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < containers.length) {
			const listed = containers[next++] as DockerContainer;
			result.push((await gateway.inspectContainer(listed.id)) ?? listed);
		}
	};

	await Promise.all(Array.from({length: Math.min(6, containers.length)}, worker));
	return result;
}

/** One complete picture for `docknet snapshot`: every container inspected, host joined. */
export async function collectSnapshot(
	gateway: EngineGateway,
	host: HostInterfaceSource | {unavailable: string},
	plumbing: PlumbingReader | {unavailable: string} = {unavailable: 'not asked for'},
): Promise<CollectedSnapshot> {
	const engine = await gateway.info();
	const [networks, listed] = await Promise.all([gateway.listNetworks(), gateway.listContainers()]);
	const [containers, clusterOnly] = await Promise.all([
		inspectAll(gateway, listed).then(sortByName),
		readSwarm(gateway, engine, networks),
	]);
	const swarm = await withPlumbing(clusterOnly, containers, plumbing);
	let hostSnapshot: HostSnapshot;
	const inside = new Map<string, InsideView>();
	let forwarding: ForwardingScan | undefined;
	if ('unavailable' in host) {
		hostSnapshot = {...initialHostSnapshot, status: 'unavailable', reason: host.unavailable};
	} else {
		try {
			const running = containers.filter(container => container.state === 'running' && (container.pid ?? 0) > 0);
			const [interfaces, peers]: [HostSnapshot['interfaces'], VethPeerScan] = await Promise.all([
				host.scan(),
				host.findVethPeers(running),
			]);
			hostSnapshot = {...initialHostSnapshot, status: 'ok', origin: host.origin, interfaces, peers};
			forwarding = await host.readForwarding?.();
			const {readInside} = host;
			if (readInside) {
				for (const container of running) inside.set(container.id, await readInside(container.pid ?? 0));
			}
		} catch (error) {
			hostSnapshot = {
				...initialHostSnapshot,
				status: 'unavailable',
				origin: host.origin,
				reason: error instanceof Error ? error.message : String(error),
			};
		} finally {
			await host.close?.();
		}
	}

	const snapshot: EngineSnapshot = {
		engine,
		connection: {status: 'live', since: Date.now()},
		loaded: true,
		networks: sortByName(networks),
		containers,
		events: [],
		freshUntil: new Map(),
		host: hostSnapshot,
		swarm,
	};
	const hostView =
		hostSnapshot.status === 'ok'
			? joinHostView({
					interfaces: hostSnapshot.interfaces,
					peers: hostSnapshot.peers.status === 'ok' ? hostSnapshot.peers.peers : [],
					networks: snapshot.networks,
					containers,
					endpointLists: swarm.networks,
				})
			: emptyHostView();
	return {snapshot, hostView, takenAt: new Date(), inside, ...(forwarding ? {forwarding} : {})};
}
