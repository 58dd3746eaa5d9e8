import type {VethPeerScan} from './host-source.js';
import type {
	DockerContainer,
	DockerNetwork,
	EngineEvent,
	EngineInfo,
	HostInterface,
	InterfaceRates,
} from './types.js';
import {RateBudget} from './rate-budget.js';
import {noSwarm} from './swarm-types.js';
import type {SwarmSnapshot} from './swarm-types.js';

export type ConnectionState =
	| {status: 'connecting'; attempt: number}
	| {status: 'live'; since: number}
	/** Connected, but the engine stopped answering (frozen, hung): `since` is the first unanswered probe. */
	| {status: 'stalled'; since: number}
	| {status: 'lost'; error: string; attempt: number; retryAt: number};

/** What the picture knows of one engine besides its data: the header and banners show it. */
export interface EngineSlotState {
	/** Stable for the session: routes actions and owns rows. */
	key: string;
	/** What the user reads in the ENGINE column and the banners: a context name or the host. */
	label: string;
	/** The endpoint as the user gave it. */
	endpoint: string;
	/** The docker CLI's flags that reach this engine (`--context node-b`, `-H ssh://…`). */
	commandFlags?: readonly string[];
	connection: ConnectionState;
	loaded: boolean;
	/**
	 * The label of an engine listed earlier that is the same daemon (two endpoints to one
	 * engine): this one's data is shown once, under the first.
	 */
	sameAs?: string;
	/** What the engine said of itself, once it answered. */
	info?: EngineInfo;
}

export interface EngineOwnership {
	/** Container id → engine key. */
	containers: ReadonlyMap<string, string>;
	/** Network id → the key of the first engine that lists it (swarm networks exist on several). */
	networks: ReadonlyMap<string, string>;
	/** Engine key → label. */
	labels: ReadonlyMap<string, string>;
}

export interface HostSnapshot {
	/** 'unavailable' when the engine's host cannot be read from here (remote engine, no ssh). */
	status: 'loading' | 'ok' | 'unavailable';
	origin: string;
	reason?: string;
	interfaces: readonly HostInterface[];
	rates: ReadonlyMap<string, InterfaceRates>;
	peers: VethPeerScan;
}

export interface EngineSnapshot {
	engine?: EngineInfo;
	connection: ConnectionState;
	/** True once the first full listing arrived; until then the panes say "loading". */
	loaded: boolean;
	/** Sorted by name. Unchanged entries keep their object identity across updates. */
	networks: readonly DockerNetwork[];
	/** Sorted by name. Unchanged entries keep their object identity across updates. */
	containers: readonly DockerContainer[];
	/** Newest first, bounded. */
	events: readonly EngineEvent[];
	/** Containers that appeared while docknet watched, until their "new" mark expires (ms). */
	freshUntil: ReadonlyMap<string, number>;
	host: HostSnapshot;
	/** Nodes, services, tasks and overlay networks across the cluster; `noSwarm` outside one. */
	swarm: SwarmSnapshot;
	/** In the picture the UI reads (picture.ts): every engine open, in the order given. */
	engines?: readonly EngineSlotState[];
	/** In the picture the UI reads: which engine each container and network came from. */
	owners?: EngineOwnership;
	/** In the picture the UI reads: the key of the engine whose host the interfaces pane shows. */
	hostEngine?: string;
}

/** What readers and the actions need of a store: one engine's, or the picture of several. */
export interface SnapshotSource {
	getSnapshot(): EngineSnapshot;
	subscribe(listener: () => void): () => void;
	update(change: (snapshot: EngineSnapshot) => EngineSnapshot): void;
}

export const initialHostSnapshot: HostSnapshot = {
	status: 'loading',
	origin: '',
	interfaces: [],
	rates: new Map(),
	peers: {status: 'ok', peers: []},
};

export const initialSnapshot: EngineSnapshot = {
	connection: {status: 'connecting', attempt: 0},
	loaded: false,
	networks: [],
	containers: [],
	events: [],
	freshUntil: new Map(),
	host: initialHostSnapshot,
	swarm: noSwarm,
};

type Listener = () => void;

/**
 * Holds the engine snapshot outside React. Writers replace the snapshot immutably; readers
 * subscribe (useSyncExternalStore). Notifications are coalesced to one per turn of the event
 * loop, and rationed during bursts, so a storm of engine events costs a bounded number of
 * renders, not one per event.
 */
export class SnapshotStore {
	private snapshot: EngineSnapshot;
	private readonly listeners = new Set<Listener>();
	private notifyScheduled = false;
	// `burst` notifications go out at once, then one per minIntervalMs: a `docker run`
	// changes the snapshot three times within ~100 ms (created, started, its veth) and each
	// shows at once; a storm of starts renders ten times a second.
	private readonly budget: RateBudget;

	constructor(
		initial: EngineSnapshot = initialSnapshot,
		minIntervalMs = 100,
		burst = 3,
	) {
		this.snapshot = initial;
		this.budget = new RateBudget(minIntervalMs, burst);
	}

	getSnapshot = (): EngineSnapshot => this.snapshot;

	subscribe = (listener: Listener): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	update(change: (snapshot: EngineSnapshot) => EngineSnapshot): void {
		const next = change(this.snapshot);
		if (next === this.snapshot) return;
		this.snapshot = next;
		this.scheduleNotify();
	}

	updateHost(change: (host: HostSnapshot) => HostSnapshot): void {
		this.update(snapshot => {
			const host = change(snapshot.host);
			return host === snapshot.host ? snapshot : {...snapshot, host};
		});
	}

	private scheduleNotify(): void {
		if (this.notifyScheduled) return;
		this.notifyScheduled = true;
		const wait = this.budget.wait();
		const notify = (): void => {
			this.notifyScheduled = false;
			this.budget.spend();
			for (const listener of [...this.listeners]) listener();
		};

		if (wait > 0) setTimeout(notify, wait);
		else setImmediate(notify);
	}
}

const byName = (a: {name: string}, b: {name: string}): number =>
	a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** Inserts or replaces one item by id, keeping the list sorted by name. */
export function upsertById<T extends {id: string; name: string}>(list: readonly T[], item: T): readonly T[] {
	const index = list.findIndex(existing => existing.id === item.id);
	if (index >= 0 && list[index] === item) return list;
	const next = index >= 0 ? list.filter((_, i) => i !== index) : [...list];
	let insertAt = next.findIndex(existing => byName(item, existing) < 0);
	if (insertAt < 0) insertAt = next.length;
	next.splice(insertAt, 0, item);
	return next;
}

export function removeById<T extends {id: string}>(list: readonly T[], id: string): readonly T[] {
	const index = list.findIndex(existing => existing.id === id);
	return index < 0 ? list : list.filter((_, i) => i !== index);
}

export function sortByName<T extends {name: string}>(list: readonly T[]): T[] {
	return [...list].sort(byName);
}

/** Structural equality for plain JSON-like data (engine records). */
export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((value, index) => deepEqual(value, b[index]));
	}

	const aRecord = a as Record<string, unknown>;
	const bRecord = b as Record<string, unknown>;
	const aKeys = Object.keys(aRecord).filter(key => aRecord[key] !== undefined);
	const bKeys = Object.keys(bRecord).filter(key => bRecord[key] !== undefined);
	return aKeys.length === bKeys.length && aKeys.every(key => deepEqual(aRecord[key], bRecord[key]));
}

/** Returns `previous` when equal, so memoised rows skip rendering. */
export function keepIdentity<T>(previous: T | undefined, next: T): T {
	return previous !== undefined && deepEqual(previous, next) ? previous : next;
}
