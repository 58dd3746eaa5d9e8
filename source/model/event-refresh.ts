import {isIgnoredContainerAction, isShownEvent} from './event-policy.js';
import type {FreshMarks} from './fresh-marks.js';
import type {EngineGateway} from './gateway.js';
import {healthOfEvent} from './health.js';
import {forEachLimited} from './limited-work.js';
import {applyInspectResults, mergeNetworkListing} from './listing-merge.js';
import type {ListingReconciler, NetworkListOrder} from './listing-reconciler.js';
import {keepIdentity} from './store.js';
import type {SnapshotStore} from './store.js';
import type {DockerContainer, DockerNetwork, EngineEvent, EngineInfo} from './types.js';

// Events are triggers: each names one container or network, a burst is gathered in one turn
// of the event loop, and only what it names is read again, in one store update.

export interface EventRefreshHost {
	readonly gateway: EngineGateway;
	readonly store: SnapshotStore;
	readonly networkLists: NetworkListOrder;
	readonly reconciler: Pick<ListingReconciler, 'touched'>;
	readonly fresh: FreshMarks;
	readonly inspectConcurrency: number;
	/** How many events the events strip keeps. */
	readonly maxEvents: number;
	/** Connected, with the events stream open: refreshes wait until then. */
	isListening(): boolean;
	onSwarmHint(): void;
}

export class EventRefresh {
	/** Containers to inspect again. */
	readonly pendingContainers = new Set<string>();
	/**
	 * Network events lead to a fresh network list rather than an inspect of the id they name:
	 * on a swarm node `update` events carry swarm-scope ids, and inspecting one of those
	 * answers with a network of another id (the swarm's own bridge or host) that would show
	 * as a duplicate row. A list is one call too, and always says what exists.
	 */
	private networksWanted = false;
	/** Swarm state (info) to read again: node and service events, a network list that changed. */
	private infoWanted = false;
	private readonly pendingEvents: EngineEvent[] = [];
	private flushScheduled = false;
	private flushing = false;

	constructor(private readonly host: EventRefreshHost) {}

	/** These containers are to be inspected again. */
	inspectLater(ids: Iterable<string>): void {
		for (const id of ids) this.pendingContainers.add(id);
		this.schedule();
	}

	/** The swarm state (info) is to be read again. */
	infoLater(): void {
		this.infoWanted = true;
		this.schedule();
	}

	onEvent(event: EngineEvent): void {
		if (event.type === 'container') {
			if (isIgnoredContainerAction(event.action) || this.healthAsKnown(event)) return;
			this.pendingContainers.add(event.actorId);
			this.host.reconciler.touched(event.actorId);
			if (event.attributes['com.docker.swarm.task.id'] !== undefined) this.host.onSwarmHint();
		} else if (event.type === 'network') {
			const containerId = event.attributes['container'];
			// docker_gwbridge too: a container joining or leaving an overlay gets or loses its
			// way out there, with an event of its own a moment later.
			if (event.attributes['type'] === 'overlay' || event.attributes['name'] === 'docker_gwbridge') this.host.onSwarmHint();
			if (containerId && (event.action === 'connect' || event.action === 'disconnect')) {
				this.pendingContainers.add(containerId);
				this.host.reconciler.touched(containerId);
			} else {
				this.networksWanted = true;
			}
		} else if (event.type === 'node' || event.type === 'service') {
			// A node joining or leaving, a service created or removed: the swarm's networks
			// (ingress, overlays, their load balancers) and the swarm state change with them.
			this.networksWanted = true;
			this.infoWanted = true;
			this.host.onSwarmHint();
		} else {
			return;
		}

		// Shown with the refresh it causes, in one store update: one render per `docker run`
		// (create, connect, start), not one per event and another for the new row.
		if (isShownEvent(event)) this.pendingEvents.push(event);
		this.schedule();
	}

	/**
	 * A health_status event that says what the store has already: Podman sends one after
	 * every check, not only on a change; such repeats cost no inspect and no line.
	 */
	private healthAsKnown(event: EngineEvent): boolean {
		const health = healthOfEvent(event);
		if (health === undefined) return false;
		return this.host.store.getSnapshot().containers.find(container => container.id === event.actorId)?.health === health;
	}

	/** Refreshes what is wanted on the next turn of the event loop. */
	schedule(): void {
		if (this.flushScheduled || this.flushing || !this.host.isListening()) return;
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
			while (this.host.isListening() && (this.pendingContainers.size > 0 || this.networksWanted || this.infoWanted)) {
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
						containers.push([id, await this.host.gateway.inspectContainer(id)]);
					}),
				];
				if (wantNetworks) {
					tasks.push(async () => {
						const sent = this.host.networkLists.send();
						networks = {sent, list: await this.host.gateway.listNetworks()};
					});
				}

				if (wantInfo) {
					tasks.push(async () => {
						info = await this.host.gateway.info();
					});
				}

				await forEachLimited(tasks, this.host.inspectConcurrency, async task => {
					try {
						await task();
					} catch {
						// A failed inspect during a lost connection is repaired by the resync
						// that follows the reconnect.
					}
				});
				const events = this.pendingEvents.splice(0).reverse();
				const fresh = this.host.fresh.firstSeen(containers.filter(([, item]) => item !== undefined).map(([id]) => id));
				const listed = networks;
				const useNetworks = listed !== undefined && this.host.networkLists.accept(listed.sent);
				const freshInfo = info;
				let swarmMayDiffer = false;
				this.host.store.update(snapshot => {
					const nextNetworks = useNetworks ? mergeNetworkListing(snapshot.networks, listed.list) : snapshot.networks;
					const nextContainers = applyInspectResults(snapshot.containers, containers);
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
						events: events.length === 0 ? snapshot.events : [...events, ...snapshot.events].slice(0, this.host.maxEvents),
						freshUntil: fresh.length === 0 ? snapshot.freshUntil : this.host.fresh.withMarks(snapshot.freshUntil, fresh),
					};
				});
				if (fresh.length > 0) this.host.fresh.scheduleExpiry();
				if (swarmMayDiffer) this.host.onSwarmHint();
			}
		} finally {
			this.flushing = false;
		}
	}
}
