import type {EngineSlotState, EngineSnapshot} from './store.js';
import type {DockerNetwork} from './types.js';

// What the UI asks of the picture of several engines: which engine owns a row, which one a
// new network goes to, the flags that reach an engine, how to name an endpoint.

/**
 * The engine a new network goes to: the one that owns the selected row (a network, else a
 * container), else the first. Undefined with one engine.
 */
export function engineForNew(snapshot: Pick<EngineSnapshot, 'engines' | 'owners'>, selected: {networkId?: string; containerId?: string}): EngineSlotState | undefined {
	if (!isMultiEngine(snapshot) || snapshot.engines === undefined) return undefined;
	const key = (selected.networkId === undefined ? undefined : snapshot.owners?.networks.get(selected.networkId))
		?? (selected.containerId === undefined ? undefined : snapshot.owners?.containers.get(selected.containerId));
	const shown = snapshot.engines.filter(engine => engine.sameAs === undefined);
	return shown.find(engine => engine.key === key) ?? shown[0];
}

/** Whether the picture holds more than one engine (then rows say whose they are). */
export function isMultiEngine(snapshot: Pick<EngineSnapshot, 'engines'>): boolean {
	return (snapshot.engines?.length ?? 1) > 1;
}

/**
 * The docker CLI's flags that send a command to this engine, with several engines open: a
 * command pasted from the log or a form then acts where docknet acted. None with one engine,
 * whose commands go where the user's shell would send them.
 */
export function commandFlagsOf(snapshot: Pick<EngineSnapshot, 'engines'>, key: string | undefined): readonly string[] {
	if (!isMultiEngine(snapshot) || key === undefined) return [];
	return snapshot.engines?.find(engine => engine.key === key)?.commandFlags ?? [];
}

/** The label of the engine that owns a container or network row; undefined with one engine. */
export function ownerLabel(snapshot: EngineSnapshot, kind: 'containers' | 'networks', id: string): string | undefined {
	if (!isMultiEngine(snapshot) || snapshot.owners === undefined) return undefined;
	const key = snapshot.owners[kind].get(id);
	return key === undefined ? undefined : snapshot.owners.labels.get(key);
}

/**
 * Whether a container can join or leave a network as far as engines go: a local network lives
 * on one engine; a swarm network (an overlay) spans the cluster. Always true with one engine.
 */
export function onSameEngine(snapshot: Pick<EngineSnapshot, 'engines' | 'owners'>, network: DockerNetwork, containerId: string): boolean {
	if (!isMultiEngine(snapshot) || snapshot.owners === undefined || network.scope === 'swarm') return true;
	const networkOwner = snapshot.owners.networks.get(network.id);
	const containerOwner = snapshot.owners.containers.get(containerId);
	return networkOwner === undefined || containerOwner === undefined || networkOwner === containerOwner;
}

/**
 * The networks and containers of the engine whose host the interfaces pane shows: its
 * bridges and veths are joined with these only (every engine has a `bridge` on docker0).
 * The whole lists with one engine.
 */
export function onShownHost(snapshot: Pick<EngineSnapshot, 'networks' | 'containers' | 'engines' | 'owners' | 'hostEngine'>): Pick<EngineSnapshot, 'networks' | 'containers'> {
	const {owners, hostEngine} = snapshot;
	if (!isMultiEngine(snapshot) || owners === undefined || hostEngine === undefined) return {networks: snapshot.networks, containers: snapshot.containers};
	return {
		networks: snapshot.networks.filter(network => network.scope === 'swarm' || owners.networks.get(network.id) === hostEngine),
		containers: snapshot.containers.filter(container => owners.containers.get(container.id) === hostEngine),
	};
}

/**
 * A short readable name for an endpoint before its engine answered, or when hostnames clash:
 * the host; for a socket its file, or the folder that holds a docker.sock or podman.sock.
 */
export function engineAddressLabel(url: string): string {
	const match = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(url);
	if (match?.[1] && !url.startsWith('unix:') && !url.startsWith('npipe:')) return match[1];
	const path = url.replace(/^[a-z]+:\/\//i, '');
	if (path === '/var/run/docker.sock' || path === '/run/docker.sock') return 'local';
	const parts = path.split('/').filter(Boolean);
	const file = parts.at(-1) ?? url;
	const folder = parts.at(-2);
	return /^(docker|podman)\.sock$/.test(file) && folder !== undefined && folder !== 'run' && folder !== 'podman' ? folder : file;
}
