import {EngineError} from './gateway.js';
import type {EngineGateway} from './gateway.js';
import {keepIdentity, removeById, sortByName, upsertById} from './store.js';
import type {SnapshotStore} from './store.js';
import type {DockerContainer, DockerNetwork, EngineEvent, EngineInfo} from './types.js';

export interface EngineSyncOptions {
	now?: () => number;
	/** How long a container that appeared live stays marked as new. */
	freshForMs?: number;
	/** How many events the events strip keeps. */
	maxEvents?: number;
	/** Delay before reconnect attempt N (1-based). */
	backoffMs?: (attempt: number) => number;
	/** Parallel inspect calls; low, because Docker 20.10 deadlocks under heavy parallel load. */
	inspectConcurrency?: number;
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
// Exec, attach and similar container events change nothing docknet shows.
const containerActionsIgnored = /^(exec_|attach|resize|top|archive-path|extract-to-dir|export|commit|copy|health_status)/;

export function defaultBackoffMs(attempt: number): number {
	return Math.min(500 * 2 ** Math.max(0, attempt - 1), 10_000);
}

/** Whether docknet shows the event in its events strip. */
export function isShownEvent(event: EngineEvent): boolean {
	if (event.type === 'container') return containerActionsShown.has(event.action);
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

function sameListedFacts(inspected: DockerContainer, listed: DockerContainer): boolean {
	if (inspected.state !== listed.state || inspected.name !== listed.name) return false;
	if (inspected.endpoints.length !== listed.endpoints.length) return false;
	return listed.endpoints.every(endpoint =>
		inspected.endpoints.some(
			known =>
				known.networkId === endpoint.networkId &&
				known.ipv4 === endpoint.ipv4 &&
				known.ipv6 === endpoint.ipv6 &&
				known.mac === endpoint.mac,
		),
	);
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
	private readonly pendingContainers = new Set<string>();
	private readonly pendingNetworks = new Set<string>();
	private readonly pendingEvents: EngineEvent[] = [];
	private readonly pendingFresh = new Set<string>();
	private flushScheduled = false;
	private flushing = false;
	private listening = false;
	private freshTimer: NodeJS.Timeout | undefined;
	private settleFirstLoad!: (error?: unknown) => void;
	private firstLoadSettled = false;

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
		this.controller.abort();
		clearTimeout(this.freshTimer);
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
				this.scheduleFlush();
				void this.hydrate();
				const outcome = await streamEnded;
				if (this.signal.aborted) break;
				throw outcome instanceof Error
					? outcome
					: new EngineError('unreachable', 'the engine closed its event stream');
			} catch (error) {
				streamController.abort();
				if (this.signal.aborted) break;
				this.listening = false;
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
		const [networks, containers] = await Promise.all([
			this.gateway.listNetworks(),
			this.gateway.listContainers(),
		]);
		this.store.update(snapshot => {
			const previousNetworks = new Map(snapshot.networks.map(network => [network.id, network]));
			const previousContainers = new Map(snapshot.containers.map(container => [container.id, container]));
			return {
				...snapshot,
				loaded: true,
				networks: sortByName(networks.map(network => keepIdentity(previousNetworks.get(network.id), network))),
				containers: sortByName(
					containers.map(listed => {
						const previous = previousContainers.get(listed.id);
						if (previous?.inspected && sameListedFacts(previous, listed)) return previous;
						return keepIdentity(previous, listed);
					}),
				),
			};
		});
	}

	/** Inspects running containers the listing left incomplete (pid for the veth join, aliases). */
	private async hydrate(): Promise<void> {
		const ids = this.store
			.getSnapshot()
			.containers.filter(container => !container.inspected && container.state === 'running')
			.map(container => container.id);
		let batch: Array<[string, DockerContainer | undefined]> = [];
		const applyBatch = (): void => {
			this.applyContainers(batch);
			batch = [];
		};

		await forEachLimited(ids, this.inspectConcurrency, async id => {
			if (this.signal.aborted || !this.listening) return;
			try {
				batch.push([id, await this.gateway.inspectContainer(id)]);
			} catch {
				// Left uninspected: the next resync or event for it tries again.
			}

			if (batch.length >= 50) applyBatch();
		});
		applyBatch();
	}

	private onEvent(event: EngineEvent): void {
		if (event.type === 'container') {
			if (containerActionsIgnored.test(event.action)) return;
			this.pendingContainers.add(event.actorId);
			if ((event.action === 'create' || event.action === 'start') && this.listening) {
				this.pendingFresh.add(event.actorId);
			}
		} else if (event.type === 'network') {
			const containerId = event.attributes['container'];
			if (containerId && (event.action === 'connect' || event.action === 'disconnect')) {
				this.pendingContainers.add(containerId);
			} else {
				this.pendingNetworks.add(event.actorId);
			}
		} else {
			return;
		}

		// Shown with the refresh it causes, in one store update: one render per `docker run`
		// (create, connect, start), not one per event and another for the new row.
		if (isShownEvent(event)) this.pendingEvents.push(event);
		this.scheduleFlush();
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
			while (this.listening && (this.pendingContainers.size > 0 || this.pendingNetworks.size > 0)) {
				const containerIds = [...this.pendingContainers];
				const networkIds = [...this.pendingNetworks];
				this.pendingContainers.clear();
				this.pendingNetworks.clear();
				const containers: Array<[string, DockerContainer | undefined]> = [];
				const networks: Array<[string, DockerNetwork | undefined]> = [];
				const tasks: Array<() => Promise<void>> = [
					...containerIds.map(id => async () => {
						containers.push([id, await this.gateway.inspectContainer(id)]);
					}),
					...networkIds.map(id => async () => {
						networks.push([id, await this.gateway.inspectNetwork(id)]);
					}),
				];
				await forEachLimited(tasks, this.inspectConcurrency, async task => {
					try {
						await task();
					} catch {
						// A failed inspect during a lost connection is repaired by the resync
						// that follows the reconnect.
					}
				});
				const events = this.pendingEvents.splice(0).reverse();
				const fresh = [...this.pendingFresh];
				this.pendingFresh.clear();
				const freshUntil = this.now() + this.freshForMs;
				this.store.update(snapshot => {
					const nextNetworks = applyResults(snapshot.networks, networks);
					const nextContainers = applyResults(snapshot.containers, containers);
					if (nextNetworks === snapshot.networks && nextContainers === snapshot.containers && events.length === 0 && fresh.length === 0) {
						return snapshot;
					}

					return {
						...snapshot,
						networks: nextNetworks,
						containers: nextContainers,
						events: events.length === 0 ? snapshot.events : [...events, ...snapshot.events].slice(0, this.maxEvents),
						freshUntil: fresh.length === 0 ? snapshot.freshUntil : new Map([...snapshot.freshUntil, ...fresh.map(id => [id, freshUntil] as const)]),
					};
				});
				if (fresh.length > 0) this.scheduleFreshExpiry();
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

	private scheduleFreshExpiry(): void {
		clearTimeout(this.freshTimer);
		const marks = [...this.store.getSnapshot().freshUntil.values()];
		if (marks.length === 0 || this.signal.aborted) return;
		const wait = Math.max(0, Math.min(...marks) - this.now());
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
