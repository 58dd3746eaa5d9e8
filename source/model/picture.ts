import {noSwarm} from './swarm-types.js';
import type {NetworkCluster, SwarmSnapshot} from './swarm-types.js';
import {initialHostSnapshot, removeById, upsertById} from './store.js';
import type {ConnectionState, EngineOwnership, EngineSlotState, EngineSnapshot, SnapshotStore} from './store.js';
import type {DockerContainer, DockerNetwork, EngineEvent} from './types.js';
import {engineAddressLabel} from './picture-selectors.js';

// One picture of several engines. Each engine keeps its own store, written by its own
// EngineSync; the picture is what the UI reads: every engine's networks and containers in
// one sorted list, each item owned by the engine it came from. One engine is the same path
// with one key: its lists pass through as they are.

export interface PictureSlot {
	key: string;
	/** A fixed label (a context's name), or undefined to name the engine by its hostname. */
	fixedLabel?: string;
	endpoint: string;
	/** The docker CLI's flags that reach this engine. */
	commandFlags?: readonly string[];
	store: SnapshotStore;
}

export interface Picture extends EngineSnapshot {
	engines: readonly EngineSlotState[];
	owners: EngineOwnership;
	/** The engine whose host the interfaces pane shows (the first, until the user picks another). */
	hostEngine: string;
}

export {commandFlagsOf, engineForNew, engineAddressLabel, isMultiEngine, onSameEngine, onShownHost, ownerLabel} from './picture-selectors.js';

const byName = (a: {name: string}, b: {name: string}): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Several sorted lists into one sorted list; stable, so on equal names the earlier engine comes first. */
function mergeSorted<T extends {id: string; name: string}>(lists: ReadonlyArray<readonly T[]>, seen?: Set<string>): readonly T[] {
	if (lists.length === 1 && seen === undefined) return lists[0] ?? [];
	const all: T[] = [];
	for (const list of lists) {
		for (const item of list) {
			if (seen?.has(item.id)) continue;
			seen?.add(item.id);
			all.push(item);
		}
	}

	return all.sort(byName);
}

// With several engines, an event says whose it is; tagged copies are kept per event so the
// events strip's rows keep their identity between pictures.
const taggedEvents = new WeakMap<EngineEvent, EngineEvent>();
function tagEvent(event: EngineEvent, label: string): EngineEvent {
	let tagged = taggedEvents.get(event);
	if (tagged?.engine !== label) {
		tagged = {...event, engine: label};
		taggedEvents.set(event, tagged);
	}

	return tagged;
}

/** Connected engines first: the picture is live while any engine is, and says which are not. */
function pictureConnection(states: readonly EngineSlotState[]): ConnectionState {
	const shown = states.filter(state => state.sameAs === undefined);
	if (shown.length === 1 && shown[0]) return shown[0].connection;
	const live = shown.find(state => state.connection.status === 'live');
	return live?.connection ?? shown[0]?.connection ?? {status: 'connecting', attempt: 0};
}

/**
 * What the user reads for each engine: a context's name, else the engine's hostname, else the
 * endpoint. Engines on one machine share a hostname: those are named by endpoint, and what
 * still clashes gets #2, #3.
 */
function engineLabels(slots: ReadonlyArray<{slot: PictureSlot; snapshot: EngineSnapshot}>): string[] {
	const named = slots.map(({slot, snapshot}) => slot.fixedLabel ?? (snapshot.engine?.hostname || engineAddressLabel(slot.endpoint)));
	const clashes = (label: string): boolean => named.filter(other => other === label).length > 1;
	const distinct = named.map((label, index) => {
		const slot = slots[index]?.slot;
		return slot !== undefined && slot.fixedLabel === undefined && clashes(label) ? engineAddressLabel(slot.endpoint) : label;
	});
	const counts = new Map<string, number>();
	return distinct.map(label => {
		const count = (counts.get(label) ?? 0) + 1;
		counts.set(label, count);
		return count === 1 ? label : `${label}#${count}`;
	});
}

/**
 * Tells one daemon reached twice (a socket and ssh://localhost) from two daemons. The
 * engine's ID alone does not: engines started from one image or one /etc/docker share it.
 * The ids of their local networks are made at random by each daemon.
 */
function daemonIdentity(snapshot: EngineSnapshot): string | undefined {
	const id = snapshot.engine?.engineId;
	if (id === undefined || !snapshot.loaded) return undefined;
	const local = localNetworkIds(snapshot.networks);
	return local === '' ? undefined : `${id} ${local}`;
}

// Kept per list: the picture is merged again on every change of any store (a rate tick, a
// status), and a list of 200,000 networks must not be sorted each time.
const localNetworkIdCache = new WeakMap<readonly DockerNetwork[], string>();

function localNetworkIds(networks: readonly DockerNetwork[]): string {
	let ids = localNetworkIdCache.get(networks);
	if (ids === undefined) {
		ids = networks.filter(network => network.scope === 'local').map(network => network.id).sort().join(',');
		localNetworkIdCache.set(networks, ids);
	}

	return ids;
}

/**
 * The picture of several engines' snapshots, in the order they were given. The host pane
 * shows `hostEngine`'s host (the first engine's by default); the first swarm manager's swarm
 * is the swarm view's.
 */
export function mergePicture(
	slots: ReadonlyArray<{slot: PictureSlot; snapshot: EngineSnapshot}>,
	hostEngine?: string,
	/** The picture before and what it was made of: what did not change keeps its identity. */
	previous?: {picture: Picture; snapshots: readonly EngineSnapshot[]},
): Picture {
	const labels = engineLabels(slots);
	const firstWithIdentity = new Map<string, string>();
	const states: EngineSlotState[] = slots.map(({slot, snapshot}, index) => {
		const identity = daemonIdentity(snapshot);
		const sameAs = identity === undefined ? undefined : firstWithIdentity.get(identity);
		if (identity !== undefined && sameAs === undefined) firstWithIdentity.set(identity, labels[index] ?? slot.key);
		return {
			key: slot.key,
			label: labels[index] ?? slot.key,
			endpoint: slot.endpoint,
			...(slot.commandFlags === undefined ? {} : {commandFlags: slot.commandFlags}),
			connection: snapshot.connection,
			loaded: snapshot.loaded,
			...(sameAs === undefined ? {} : {sameAs}),
			...(snapshot.engine === undefined ? {} : {info: snapshot.engine}),
		};
	});
	const shown = slots.filter((_, index) => states[index]?.sameAs === undefined);
	const engines = previous !== undefined && sameStates(previous.picture.engines, states) ? previous.picture.engines : states;
	const shownStates = engines.filter(state => state.sameAs === undefined);
	const several = shown.length > 1;
	const first = shown[0]?.snapshot;

	// The rows and who owns them are made again only when some engine's lists changed (a rate
	// tick or a connection state changes neither): rows and joins keyed on them stay as they are.
	const listsAsBefore = previous !== undefined && engines === previous.picture.engines && previous.snapshots.length === slots.length
		&& slots.every(({snapshot}, index) => snapshot.networks === previous.snapshots[index]?.networks && snapshot.containers === previous.snapshots[index]?.containers);
	let networks: readonly DockerNetwork[];
	let containers: readonly DockerContainer[];
	let owners: EngineOwnership;
	if (listsAsBefore) {
		({networks, containers, owners} = previous.picture);
	} else {
		const containerOwners = new Map<string, string>();
		const networkOwners = new Map<string, string>();
		for (const {slot, snapshot} of shown) {
			for (const container of snapshot.containers) containerOwners.set(container.id, slot.key);
			for (const network of snapshot.networks) if (!networkOwners.has(network.id)) networkOwners.set(network.id, slot.key);
		}

		// A swarm-scope network (an overlay, ingress) is one network on every node: one row.
		networks = mergeSorted(shown.map(({snapshot}) => snapshot.networks), several ? new Set() : undefined);
		containers = mergeSorted(shown.map(({snapshot}) => snapshot.containers));
		owners = {containers: containerOwners, networks: networkOwners, labels: new Map(shownStates.map(state => [state.key, state.label]))};
	}

	const events = several
		? shown
				.flatMap(({snapshot}, index) => snapshot.events.map(event => tagEvent(event, shownStates[index]?.label ?? '')))
				.sort((a, b) => b.time - a.time)
				.slice(0, 200)
		: (first?.events ?? []);
	const freshUntil = several ? new Map(shown.flatMap(({snapshot}) => [...snapshot.freshUntil])) : (first?.freshUntil ?? new Map());
	const swarm = pictureSwarm(shown.map(({snapshot}) => snapshot.swarm));
	return {
		...(first?.engine === undefined ? {} : {engine: first.engine}),
		connection: pictureConnection(states),
		loaded: shown.some(({snapshot}) => snapshot.loaded),
		networks,
		containers,
		events,
		freshUntil,
		host: (slots.find(({slot}) => slot.key === hostEngine) ?? shown[0])?.snapshot.host ?? initialHostSnapshot,
		hostEngine: (slots.find(({slot}) => slot.key === hostEngine) ?? shown[0])?.slot.key ?? '',
		swarm,
		engines,
		owners,
	};
}

/** Whether two lists of engine states say the same (so the earlier one can be kept). */
function sameStates(a: readonly EngineSlotState[], b: readonly EngineSlotState[]): boolean {
	return a.length === b.length && a.every((state, index) => {
		const other = b[index];
		return other !== undefined && state.key === other.key && state.label === other.label && state.endpoint === other.endpoint
			&& state.connection === other.connection && state.loaded === other.loaded && state.sameAs === other.sameAs && state.info === other.info;
	});
}

// The merged endpoint lists, kept while the engines' own maps are the same objects, so the
// rows built from them are not rebuilt for every change elsewhere.
let lastEndpointLists: {sources: ReadonlyArray<SwarmSnapshot['networks']>; main: SwarmSnapshot; swarm: SwarmSnapshot} | undefined;

/**
 * The swarm as the first manager sees it, with every engine's endpoint lists: a worker's
 * docker_gwbridge (a local network, an id of its own) is listed only by that worker. Where
 * two engines list the same network (an overlay), the manager's list wins.
 */
function pictureSwarm(swarms: readonly SwarmSnapshot[]): SwarmSnapshot {
	const main = swarms.find(swarm => swarm.role === 'manager') ?? swarms[0] ?? noSwarm;
	const sources = swarms.map(swarm => swarm.networks).filter(networks => networks.size > 0);
	if (sources.length <= 1) return main;
	const last = lastEndpointLists;
	if (last !== undefined && last.main === main && last.sources.length === sources.length && last.sources.every((networks, index) => networks === sources[index])) return last.swarm;
	const merged = new Map<string, NetworkCluster>();
	for (const networks of sources) for (const [id, cluster] of networks) if (!merged.has(id)) merged.set(id, cluster);
	for (const [id, cluster] of main.networks) merged.set(id, cluster);
	const swarm = {...main, networks: merged};
	lastEndpointLists = {sources, main, swarm};
	return swarm;
}

type Listener = () => void;

/**
 * What the UI reads when several engines (or one) are open: each engine's own store, merged
 * when read. Merging happens once per change of any engine's store; each of those stores
 * already coalesces and rations its notifications, so the picture adds no renders of its own.
 */
export class PictureStore {
	private readonly listeners = new Set<Listener>();
	private picture: Picture;
	private readonly seen: EngineSnapshot[] = [];
	private readonly slots: PictureSlot[] = [];
	private stale = false;
	private hostEngine: string | undefined;

	constructor(slots: readonly PictureSlot[]) {
		if (slots.length === 0) throw new Error('a picture needs at least one engine');
		for (const slot of slots) this.follow(slot);
		this.picture = this.merge();
	}

	/** Opens one more engine in the picture (the other nodes of a swarm, asked for on screen). */
	add(slot: PictureSlot): void {
		this.follow(slot);
		this.changed();
	}

	private follow(slot: PictureSlot): void {
		this.slots.push(slot);
		this.seen.push(slot.store.getSnapshot());
		slot.store.subscribe(() => this.changed());
	}

	private changed(): void {
		this.stale = true;
		for (const listener of [...this.listeners]) listener();
	}

	getSnapshot = (): Picture => {
		if (this.stale) {
			this.stale = false;
			const current = this.slots.map(slot => slot.store.getSnapshot());
			if (current.length !== this.picture.engines.length || this.picture.hostEngine !== (this.hostEngine ?? this.picture.hostEngine) || current.some((snapshot, index) => snapshot !== this.seen[index])) {
				current.forEach((snapshot, index) => {
					this.seen[index] = snapshot;
				});
				this.picture = this.merge();
			}
		}

		return this.picture;
	};

	subscribe = (listener: Listener): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	/** The store of the engine that owns a container or network (the first engine when none does). */
	storeOf(kind: 'containers' | 'networks', id: string): SnapshotStore {
		const key = this.getSnapshot().owners[kind].get(id);
		return (this.slots.find(slot => slot.key === key) ?? this.slots[0])!.store;
	}

	/**
	 * Writes a change made on the picture (an action reading back a container after the engine
	 * answered) into the stores of the engines that own what changed.
	 */
	update(change: (snapshot: EngineSnapshot) => EngineSnapshot): void {
		const before = this.getSnapshot();
		const after = change(before);
		if (after === before) return;
		this.writeBack('containers', before.containers, after.containers);
		this.writeBack('networks', before.networks, after.networks);
	}

	private writeBack<T extends DockerContainer | DockerNetwork>(kind: 'containers' | 'networks', before: readonly T[], after: readonly T[]): void {
		if (before === after) return;
		const afterIds = new Set(after.map(item => item.id));
		for (const item of before) {
			if (afterIds.has(item.id)) continue;
			this.storeOf(kind, item.id).update(snapshot => ({...snapshot, [kind]: removeById(snapshot[kind] as readonly T[], item.id)}));
		}

		const previous = new Set(before);
		for (const item of after) {
			if (previous.has(item)) continue;
			this.storeOf(kind, item.id).update(snapshot => {
				const list = upsertById(snapshot[kind] as readonly T[], item);
				return list === snapshot[kind] ? snapshot : {...snapshot, [kind]: list};
			});
		}
	}

	/** Shows another engine's host in the interfaces pane. */
	showHostOf(key: string): void {
		if (this.hostEngine === key || !this.slots.some(slot => slot.key === key)) return;
		this.hostEngine = key;
		this.changed();
	}

	private merged: readonly EngineSnapshot[] = [];

	private merge(): Picture {
		const snapshots = this.slots.map((slot, index) => this.seen[index] ?? slot.store.getSnapshot());
		const previous = this.merged.length === 0 ? undefined : {picture: this.picture, snapshots: this.merged};
		this.merged = snapshots;
		return mergePicture(this.slots.map((slot, index) => ({slot, snapshot: snapshots[index]!})), this.hostEngine, previous);
	}
}
