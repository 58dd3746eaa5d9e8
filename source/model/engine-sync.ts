import {EventRefresh} from './event-refresh.js';
import {FreshMarks} from './fresh-marks.js';
import {EngineError} from './gateway.js';
import type {EngineGateway} from './gateway.js';
import {forEachLimited, sleep} from './limited-work.js';
import {LivenessProbe} from './liveness.js';
import type {LivenessOptions} from './liveness.js';
import {applyInspectResults, mergeContainerListing, mergeNetworkListing} from './listing-merge.js';
import {ListingReconciler, NetworkListOrder} from './listing-reconciler.js';
import type {SnapshotStore} from './store.js';
import type {DockerContainer, EngineInfo} from './types.js';

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
	 * and task events, a changed network list or swarm state: 'change') and once per
	 * reconcile round ('round'); SwarmSync reads the swarm then.
	 */
	onSwarmHint?: (why: SwarmHint) => void;
}

export {isShownEvent} from './event-policy.js';

/** Why the swarm may have changed: something named it, or a reconcile round came. */
export type SwarmHint = 'change' | 'round';

/**
 * Delay before reconnect attempt N: quick at first, then at most 5 s, so an engine that
 * comes back (a restarted dockerd takes seconds to answer) is live again soon after.
 */
export function defaultBackoffMs(attempt: number): number {
	return Math.min(500 * 2 ** Math.max(0, attempt - 1), 5000);
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
	private readonly fresh: FreshMarks;
	private readonly backoffMs: (attempt: number) => number;
	private readonly inspectConcurrency: number;
	private readonly onSwarmHint: (why: SwarmHint) => void;
	/** A network list sent earlier never overwrites a later one (events and reconcile both list). */
	private readonly networkLists = new NetworkListOrder();
	private readonly reconciler: ListingReconciler;
	private readonly refresh: EventRefresh;
	/** A full listing is in the store: later ones may contradict what was inspected then. */
	private listedOnce = false;
	private listening = false;
	private settleFirstLoad!: (error?: unknown) => void;
	private firstLoadSettled = false;
	private readonly liveness: LivenessProbe | undefined;

	constructor(
		private readonly gateway: EngineGateway,
		private readonly store: SnapshotStore,
		options: EngineSyncOptions = {},
	) {
		this.now = options.now ?? Date.now;
		this.fresh = new FreshMarks(store, this.now, options.freshForMs ?? 5000);
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
				pendingInspects: () => this.refresh.pendingContainers,
				inspectLater: ids => this.refresh.inspectLater(ids),
				listed: containers => this.fresh.mark(this.fresh.firstSeen(containers.map(container => container.id))),
				networksChanged: () => this.refresh.infoLater(),
				swarmHint: () => this.onSwarmHint('round'),
			},
			options.reconcileMs ?? 5000,
			Math.max(1, options.containerRoundEvery ?? 12),
		);
		this.refresh = new EventRefresh({
			gateway,
			store,
			networkLists: this.networkLists,
			reconciler: this.reconciler,
			fresh: this.fresh,
			inspectConcurrency: this.inspectConcurrency,
			maxEvents: options.maxEvents ?? 200,
			isListening: () => this.listening,
			onSwarmHint: () => this.onSwarmHint('change'),
		});
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
		this.fresh.stop();
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
				this.refresh.schedule();
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
		this.refresh.schedule();
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
			.streamEvents({onEvent: event => this.refresh.onEvent(event), onOpen: () => opened()}, signal)
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

	/**
	 * Lists everything again. Once the store has data, a listing can contradict it: a
	 * restarted engine's containers have all exited, although their inspect said running.
	 * Those whose listing and inspect disagree are inspected again, and every running one
	 * (a restart gives it another pid), before the caller calls the engine live.
	 */
	private async resync(): Promise<void> {
		const again = this.listedOnce;
		const ticket = this.networkLists.send();
		const [networks, containers] = await Promise.all([
			this.gateway.listNetworks(),
			this.gateway.listContainers(),
		]);
		// A full listing is the truth at the time: the list goes in even behind a later one.
		this.networkLists.accept(ticket);
		const fresh = this.fresh.firstSeen(containers.map(container => container.id));
		let toInspect: readonly string[] = [];
		this.store.update(snapshot => {
			const merge = mergeContainerListing(snapshot.containers, containers);
			toInspect = merge.toInspect;
			return {
				...snapshot,
				loaded: true,
				networks: mergeNetworkListing(snapshot.networks, networks),
				containers: merge.containers,
			};
		});
		this.listedOnce = true;
		this.fresh.mark(fresh);
		if (again) await this.reinspect(toInspect);
		this.onSwarmHint('change');
	}

	/** Inspects these containers and every running inspected one; a failure fails the resync. */
	private async reinspect(disagreeing: readonly string[]): Promise<void> {
		const ids = new Set(disagreeing);
		for (const container of this.store.getSnapshot().containers) {
			if (container.inspected && container.state === 'running') ids.add(container.id);
		}

		const results: Array<[string, DockerContainer | undefined]> = [];
		await forEachLimited([...ids], this.inspectConcurrency, async id => {
			if (this.signal.aborted) return;
			results.push([id, await this.gateway.inspectContainer(id)]);
		});
		this.applyContainers(results);
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

	private applyContainers(results: ReadonlyArray<[string, DockerContainer | undefined]>): void {
		if (results.length === 0) return;
		this.store.update(snapshot => {
			const containers = applyInspectResults(snapshot.containers, results);
			return containers === snapshot.containers ? snapshot : {...snapshot, containers};
		});
	}
}
