import {EngineError} from './gateway.js';
import type {EngineGateway} from './gateway.js';
import {healthOfEvent} from './health.js';
import {LivenessProbe} from './liveness.js';
import type {LivenessOptions} from './liveness.js';
import {mergeContainerListing, mergeNetworkListing} from './listing-merge.js';
import {ListingReconciler, NetworkListOrder} from './listing-reconciler.js';
import {keepIdentity, removeById, upsertById} from './store.js';
import type {SnapshotStore} from './store.js';
import type {DockerContainer, DockerNetwork, EngineEvent, EngineInfo} from './types.js';
import {minOf} from './large-arrays.js';

export interface EngineSyncOptions {
	now?: () => number;
	/** How long a container first seen after the first listing stays marked as new. */
	freshForMs?: number;
	/** How many events the events strip keeps. */
	maxEvents?: number;
	/** Delay before reconnect attempt N (1-based). */
	backoffMs?: (attempt: number) => number;
	/** Parallel inspect calls; low, because Docker 20.10 deadlocks under heavy parallel load. */
	inspectConcurrency?: number;
	/** The idle liveness probe (GET /_ping while the engine is quiet); false turns it off. */
	liveness?: LivenessOptions | false;
	/**
	 * How often the two lists are compared with a fresh listing while connected. Some changes
	 * come with no event at all (docker_gwbridge and ingress on swarm init, everything on
	 * swarm leave, every network change on Podman), and status texts ("Up 2 minutes") age;
	 * 0 turns it off.
	 */
	reconcileMs?: number;
	/** The container list is compared every this many rounds (and whenever the networks changed). */
	containerRoundEvery?: number;
	/**
	 * Called when something swarm-related may have changed (node and service events, overlay
	 * and task events, a changed network list or swarm state) and once per reconcile round;
	 * SwarmSync reads the swarm then.
	 */
	onSwarmHint?: () => void;
}

const containerActionsShown = new Set([
	'create',
	'start',
	'die',
	'stop',
	'kill',
	'destroy',
	'pause',
	'unpause',
	'restart',
	'rename',
	'oom',
]);
const networkActionsShown = new Set(['create', 'connect', 'disconnect', 'destroy', 'remove']);
// Exec, attach and similar container events change nothing docknet shows. (A healthcheck
// runs as an exec: its exec_* events come at every interval, its health_status only on a change.)
const containerActionsIgnored = /^(exec_|attach|resize|top|archive-path|extract-to-dir|export|commit|copy)/;

export function defaultBackoffMs(attempt: number): number {
	return Math.min(500 * 2 ** Math.max(0, attempt - 1), 10_000);
}

/** Whether docknet shows the event in its events strip. */
export function isShownEvent(event: EngineEvent): boolean {
	if (event.type === 'container') return containerActionsShown.has(event.action) || healthOfEvent(event) !== undefined;
	if (event.type === 'network') return networkActionsShown.has(event.action);
	return false;
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) {
			const item = items[next++] as T;
			await work(item);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal.aborted) {
			resolve();
			return;
		}

		const timer = setTimeout(done, ms);
		function done(): void {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}

		signal.addEventListener('abort', done, {once: true});
	});
}

/** Inspect results into a sorted list: undefined means gone; equal objects keep identity. */
function applyResults<T extends {id: string; name: string}>(
	list: readonly T[],
	results: ReadonlyArray<[string, T | undefined]>,
): readonly T[] {
	let next = list;
	for (const [id, item] of results) {
		next =
			item === undefined
				? removeById(next, id)
				: upsertById(next, keepIdentity(next.find(existing => existing.id === id), item));
	}

	return next;
}

/**
 * Keeps the store in step with the engine: one full listing per (re)connection, then the
 * events stream as a trigger. Each event names one container or network; bursts are
 * coalesced and only the named objects are inspected again.
 */
export class EngineSync {
	/** Settles when the first full listing is in the store (or the first attempt failed). */
	readonly firstLoad: Promise<void>;

	private readonly controller = new AbortController();
	private readonly now: () => number;
	private readonly freshForMs: number;
	private readonly maxEvents: number;
	private readonly backoffMs: (attempt: number) => number;
	private readonly inspectConcurrency: number;
	private readonly onSwarmHint: () => void;
	private readonly pendingContainers = new Set<string>();
	/**
	 * Network events lead to a fresh network list rather than an inspect of the id they name:
	 * on a swarm node `update` events carry swarm-scope ids, and inspecting one of those
	 * answers with a network of another id (the swarm's own bridge or host) that would show
	 * as a duplicate row. A list is one call too, and always says what exists.
	 */
	private networksWanted = false;
	/** Swarm state (info) to read again: node and service events, a network list that changed. */
	private infoWanted = false;
	/** A network list sent earlier never overwrites a later one (events and reconcile both list). */
	private readonly networkLists = new NetworkListOrder();
	private readonly reconciler: ListingReconciler;
	private readonly pendingEvents: EngineEvent[] = [];
	/**
	 * Every container id this session has seen. New means first seen here after the first
	 * listing: not created recently, and not started again (a restart loop starts the same
	 * container every few seconds).
	 */
	private readonly seenContainers = new Set<string>();
	private firstListingSeen = false;
	private flushScheduled = false;
	private flushing = false;
	private listening = false;
	private freshTimer: NodeJS.Timeout | undefined;
	private settleFirstLoad!: (error?: unknown) => void;
	private firstLoadSettled = false;
	private readonly liveness: LivenessProbe | undefined;

	constructor(
		private readonly gateway: EngineGateway,
		private readonly store: SnapshotStore,
		options: EngineSyncOptions = {},
	) {
		this.now = options.now ?? Date.now;
		this.freshForMs = options.freshForMs ?? 5000;
		this.maxEvents = options.maxEvents ?? 200;
		this.backoffMs = options.backoffMs ?? defaultBackoffMs;
		this.inspectConcurrency = options.inspectConcurrency ?? 6;
		this.liveness = options.liveness === false
			? undefined
			: new LivenessProbe(gateway, {onStall: since => this.onStall(since), onAnswer: () => void this.recover()}, {now: this.now, ...options.liveness});
		this.onSwarmHint = options.onSwarmHint ?? (() => undefined);
		this.reconciler = new ListingReconciler(
			{
				gateway,
				store,
				networkLists: this.networkLists,
				isListening: () => this.listening && !this.signal.aborted,
				pendingInspects: () => this.pendingContainers,
				inspectLater: ids => {
					for (const id of ids) this.pendingContainers.add(id);
					this.scheduleFlush();
				},
				listed: containers => this.markFresh(this.firstSeen(containers.map(container => container.id))),
				networksChanged: () => {
					this.infoWanted = true;
					this.scheduleFlush();
				},
				swarmHint: () => this.onSwarmHint(),
			},
			options.reconcileMs ?? 5000,
			Math.max(1, options.containerRoundEvery ?? 12),
		);
		this.firstLoad = new Promise<void>((resolve, reject) => {
			this.settleFirstLoad = error => {
				if (this.firstLoadSettled) return;
				this.firstLoadSettled = true;
				if (error === undefined) resolve();
				else reject(error);
			};
		});
		// Callers that never await firstLoad must not see an unhandled rejection.
		this.firstLoad.catch(() => undefined);
	}

	/**
	 * Starts syncing; `knownInfo` (or its promise) stands in for the first info call when the
	 * caller made it already.
	 */
	start(knownInfo?: EngineInfo | Promise<EngineInfo>): void {
		void this.run(knownInfo);
	}

	stop(): void {
		this.liveness?.stop();
		this.controller.abort();
		clearTimeout(this.freshTimer);
		this.reconciler.stop();
	}

	private get signal(): AbortSignal {
		return this.controller.signal;
	}

	private async run(knownInfo: EngineInfo | Promise<EngineInfo> | undefined): Promise<void> {
		let attempt = 0;
		let info: EngineInfo | Promise<EngineInfo> | undefined = knownInfo;
		while (!this.signal.aborted) {
			const streamController = new AbortController();
			const stopStream = (): void => streamController.abort();
			this.signal.addEventListener('abort', stopStream, {once: true});
			try {
				// The events stream opens while the engine tells its version: one round trip
				// less before the listing (the events must be open before it, the info need not).
				const [engine, {ended: streamEnded}] = await Promise.all([
					info ?? this.gateway.info(),
					this.openEvents(streamController.signal),
				]);
				info = engine;
				this.store.update(snapshot => ({...snapshot, engine}));
				await this.resync();
				attempt = 0;
				this.store.update(snapshot => ({...snapshot, connection: {status: 'live', since: this.now()}}));
				this.settleFirstLoad();
				this.listening = true;
				this.liveness?.start();
				this.scheduleFlush();
				this.reconciler.schedule();
				void this.hydrate();
				const outcome = await streamEnded;
				if (this.signal.aborted) break;
				throw outcome instanceof Error
					? outcome
					: new EngineError('unreachable', 'the engine closed its event stream');
			} catch (error) {
				streamController.abort();
				this.liveness?.stop();
				if (this.signal.aborted) break;
				this.listening = false;
				this.reconciler.stop();
				this.settleFirstLoad(error);
				attempt++;
				const wait = this.backoffMs(attempt);
				const message = error instanceof Error ? error.message : String(error);
				this.store.update(snapshot => ({
					...snapshot,
					connection: {status: 'lost', error: message, attempt, retryAt: this.now() + wait},
				}));
				info = undefined;
				await sleep(wait, this.signal);
				if (!this.signal.aborted) {
					this.store.update(snapshot => ({...snapshot, connection: {status: 'connecting', attempt}}));
				}
			} finally {
				this.signal.removeEventListener('abort', stopStream);
			}
		}
	}

	/** The engine stopped answering while connected: say so; the data on screen may be stale. */
	private onStall(since: number): void {
		if (!this.listening || this.signal.aborted) return;
		this.store.update(snapshot => ({...snapshot, connection: {status: 'stalled', since}}));
	}

	/**
	 * The engine answers again after a stall: list everything again (inspects that failed
	 * meanwhile were dropped, and changes sent during the stall may have been applied), then
	 * show it live.
	 */
	private async recover(): Promise<void> {
		if (!this.listening || this.signal.aborted) return;
		try {
			await this.resync();
		} catch {
			// Not answering after all: the probe asks again and calls back here.
			this.liveness?.suspect();
			return;
		}

		if (!this.listening || this.signal.aborted || this.liveness?.isStalled) return;
		this.store.update(snapshot => ({...snapshot, connection: {status: 'live', since: this.now()}}));
		this.scheduleFlush();
		void this.hydrate();
	}

	/**
	 * Opens the events stream before listing, so nothing that happens during the listing is
	 * missed. Resolves once the stream is open, with a promise of how it ended (wrapped:
	 * an async function returning a bare promise would wait for it).
	 */
	private async openEvents(signal: AbortSignal): Promise<{ended: Promise<Error | undefined>}> {
		let opened: () => void = () => undefined;
		const open = new Promise<void>(resolve => {
			opened = resolve;
		});
		const ended = this.gateway
			.streamEvents({onEvent: event => this.onEvent(event), onOpen: () => opened()}, signal)
			.then(
				() => undefined,
				(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
			);
		const first = await Promise.race([open.then(() => 'open' as const), ended]);
		if (first !== 'open') {
			throw first ?? new EngineError('unreachable', 'the engine closed its event stream');
		}

		return {ended};
	}

	private async resync(): Promise<void> {
		const ticket = this.networkLists.send();
		const [networks, containers] = await Promise.all([
			this.gateway.listNetworks(),
			this.gateway.listContainers(),
		]);
		// A full listing is the truth at the time: the list goes in even behind a later one.
		this.networkLists.accept(ticket);
		const fresh = this.firstSeen(containers.map(container => container.id));
		this.store.update(snapshot => ({
			...snapshot,
			loaded: true,
			networks: mergeNetworkListing(snapshot.networks, networks),
			containers: mergeContainerListing(snapshot.containers, containers).containers,
		}));
		this.markFresh(fresh);
		this.onSwarmHint();
	}

	/** One reconcile round now (tests; the rounds otherwise run every reconcileMs). */
	async reconcile(): Promise<void> {
		await this.reconciler.round();
	}

	/**
	 * Inspects every container the listing left incomplete: the pid for the veth join, the
	 * aliases and exact endpoints (a stopped container's too); running ones first.
	 */
	private async hydrate(): Promise<void> {
		const uninspected = this.store.getSnapshot().containers.filter(container => !container.inspected);
		const ids = [...uninspected.filter(container => container.state === 'running'), ...uninspected.filter(container => container.state !== 'running')]
			.map(container => container.id);
		let batch: Array<[string, DockerContainer | undefined]> = [];
		const applyBatch = (): void => {
			this.applyContainers(batch);
			batch = [];
		};

		await forEachLimited(ids, this.inspectConcurrency, async id => {
			if (this.signal.aborted || !this.listening) return;
			try {
				// Awaited before the push: `batch` is another array once a full one was applied.
				const container = await this.gateway.inspectContainer(id);
				batch.push([id, container]);
			} catch {
				// Left uninspected: the next resync or event for it tries again.
			}

			if (batch.length >= 50) applyBatch();
		});
		applyBatch();
	}

	private onEvent(event: EngineEvent): void {
		if (event.type === 'container') {
			if (containerActionsIgnored.test(event.action) || this.healthAsKnown(event)) return;
			this.pendingContainers.add(event.actorId);
			this.reconciler.touched(event.actorId);
			if (event.attributes['com.docker.swarm.task.id'] !== undefined) this.onSwarmHint();
		} else if (event.type === 'network') {
			const containerId = event.attributes['container'];
			if (event.attributes['type'] === 'overlay') this.onSwarmHint();
			if (containerId && (event.action === 'connect' || event.action === 'disconnect')) {
				this.pendingContainers.add(containerId);
				this.reconciler.touched(containerId);
			} else {
				this.networksWanted = true;
			}
		} else if (event.type === 'node' || event.type === 'service') {
			// A node joining or leaving, a service created or removed: the swarm's networks
			// (ingress, overlays, their load balancers) and the swarm state change with them.
			this.networksWanted = true;
			this.infoWanted = true;
			this.onSwarmHint();
		} else {
			return;
		}

		// Shown with the refresh it causes, in one store update: one render per `docker run`
		// (create, connect, start), not one per event and another for the new row.
		if (isShownEvent(event)) this.pendingEvents.push(event);
		this.scheduleFlush();
	}

	/**
	 * A health_status event that says what the store has already: Podman sends one after
	 * every check, not only on a change; such repeats cost no inspect and no line.
	 */
	private healthAsKnown(event: EngineEvent): boolean {
		const health = healthOfEvent(event);
		if (health === undefined) return false;
		return this.store.getSnapshot().containers.find(container => container.id === event.actorId)?.health === health;
	}

	private scheduleFlush(): void {
		if (this.flushScheduled || this.flushing || !this.listening) return;
		this.flushScheduled = true;
		// One turn of the event loop gathers a burst (the engine sends several events for
		// one `docker run`) without adding a noticeable delay.
		setImmediate(() => {
			this.flushScheduled = false;
			void this.flush();
		});
	}

	private async flush(): Promise<void> {
		if (this.flushing) return;
		this.flushing = true;
		try {
			while (this.listening && (this.pendingContainers.size > 0 || this.networksWanted || this.infoWanted)) {
				const containerIds = [...this.pendingContainers];
				const wantNetworks = this.networksWanted;
				const wantInfo = this.infoWanted;
				this.pendingContainers.clear();
				this.networksWanted = false;
				this.infoWanted = false;
				const containers: Array<[string, DockerContainer | undefined]> = [];
				let networks: {sent: number; list: DockerNetwork[]} | undefined;
				let info: EngineInfo | undefined;
				const tasks: Array<() => Promise<void>> = [
					...containerIds.map(id => async () => {
						containers.push([id, await this.gateway.inspectContainer(id)]);
					}),
				];
				if (wantNetworks) {
					tasks.push(async () => {
						const sent = this.networkLists.send();
						networks = {sent, list: await this.gateway.listNetworks()};
					});
				}

				if (wantInfo) {
					tasks.push(async () => {
						info = await this.gateway.info();
					});
				}

				await forEachLimited(tasks, this.inspectConcurrency, async task => {
					try {
						await task();
					} catch {
						// A failed inspect during a lost connection is repaired by the resync
						// that follows the reconnect.
					}
				});
				const events = this.pendingEvents.splice(0).reverse();
				const fresh = this.firstSeen(containers.filter(([, item]) => item !== undefined).map(([id]) => id));
				const freshUntil = this.now() + this.freshForMs;
				const listed = networks;
				const useNetworks = listed !== undefined && this.networkLists.accept(listed.sent);
				const freshInfo = info;
				let swarmMayDiffer = false;
				this.store.update(snapshot => {
					const nextNetworks = useNetworks ? mergeNetworkListing(snapshot.networks, listed.list) : snapshot.networks;
					const nextContainers = applyResults(snapshot.containers, containers);
					const nextEngine = freshInfo === undefined ? snapshot.engine : keepIdentity(snapshot.engine, freshInfo);
					swarmMayDiffer = nextNetworks !== snapshot.networks || nextEngine !== snapshot.engine;
					if (nextNetworks === snapshot.networks && nextContainers === snapshot.containers && nextEngine === snapshot.engine && events.length === 0 && fresh.length === 0) {
						return snapshot;
					}

					return {
						...snapshot,
						engine: nextEngine,
						networks: nextNetworks,
						containers: nextContainers,
						events: events.length === 0 ? snapshot.events : [...events, ...snapshot.events].slice(0, this.maxEvents),
						freshUntil: fresh.length === 0 ? snapshot.freshUntil : new Map([...snapshot.freshUntil, ...fresh.map(id => [id, freshUntil] as const)]),
					};
				});
				if (fresh.length > 0) this.scheduleFreshExpiry();
				if (swarmMayDiffer) this.onSwarmHint();
			}
		} finally {
			this.flushing = false;
		}
	}

	private applyContainers(results: ReadonlyArray<[string, DockerContainer | undefined]>): void {
		if (results.length === 0) return;
		this.store.update(snapshot => {
			const containers = applyResults(snapshot.containers, results);
			return containers === snapshot.containers ? snapshot : {...snapshot, containers};
		});
	}

	/** Of these ids, those never seen before (none until the first listing is in); all are seen now. */
	private firstSeen(ids: readonly string[]): string[] {
		const first = this.firstListingSeen ? ids.filter(id => !this.seenContainers.has(id)) : [];
		for (const id of ids) this.seenContainers.add(id);
		this.firstListingSeen = true;
		return first;
	}

	private markFresh(ids: readonly string[]): void {
		if (ids.length === 0) return;
		const until = this.now() + this.freshForMs;
		this.store.update(snapshot => ({...snapshot, freshUntil: new Map([...snapshot.freshUntil, ...ids.map(id => [id, until] as const)])}));
		this.scheduleFreshExpiry();
	}

	private scheduleFreshExpiry(): void {
		clearTimeout(this.freshTimer);
		const marks = [...this.store.getSnapshot().freshUntil.values()];
		if (marks.length === 0 || this.signal.aborted) return;
		const wait = Math.max(0, minOf(marks) - this.now());
		this.freshTimer = setTimeout(() => {
			const now = this.now();
			this.store.update(snapshot => {
				const freshUntil = new Map([...snapshot.freshUntil].filter(([, until]) => until > now));
				return {...snapshot, freshUntil};
			});
			this.scheduleFreshExpiry();
		}, wait + 1);
		this.freshTimer.unref();
	}
}
