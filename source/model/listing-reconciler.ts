import type {EngineGateway} from './gateway.js';
import {mergeContainerListing, mergeNetworkListing} from './listing-merge.js';
import type {SnapshotStore} from './store.js';
import type {DockerContainer, DockerNetwork} from './types.js';

// The safety net under the events stream: some changes come with no event at all
// (docker_gwbridge and ingress on swarm init, everything on swarm leave, every network
// change on Podman), so while connected the two lists are compared with a fresh listing
// now and then, and the difference applied. Unchanged lists cost no store change.

/**
 * Network lists go out from two places (an event's flush and a reconcile round): a list sent
 * earlier must never overwrite one applied later.
 */
export class NetworkListOrder {
	private sent = 0;
	private applied = 0;

	/** Takes a ticket before sending a list. */
	send(): number {
		return ++this.sent;
	}

	/** Whether the list sent with `ticket` may be applied (then it is the latest applied). */
	accept(ticket: number): boolean {
		if (ticket < this.applied) return false;
		this.applied = ticket;
		return true;
	}
}

export interface ReconcilerHost {
	readonly gateway: EngineGateway;
	readonly store: SnapshotStore;
	readonly networkLists: NetworkListOrder;
	/** Connected, with the events stream open: only then is a listing compared. */
	isListening(): boolean;
	/** Containers an inspect is about to refresh: the listing leaves them to it. */
	pendingInspects(): Iterable<string>;
	/** The containers a full listing named (new ones among them are marked as new). */
	listed(containers: readonly DockerContainer[]): void;
	/** The listing found containers to inspect (new, or changed underneath). */
	inspectLater(ids: readonly string[]): void;
	/** The network list changed: the swarm state may have too. */
	networksChanged(): void;
	/** Once a round: something swarm-related may have changed with no event on this node. */
	swarmHint(): void;
}

/**
 * How long the rounds wait per network they list: reading and merging the network list
 * costs ~10 µs of CPU a network, and rounds keep to ~2 % of the time between them. Below
 * 10,000 networks the interval stands; at 200,000 the list is 60 MB of JSON and a round
 * seconds of CPU, and at the fixed interval every key pressed during one waited for it.
 */
const WAIT_PER_NETWORK_MS = 0.5;

/** The wait before the next round: the interval, stretched for long network lists. */
export function reconcileDelayMs(intervalMs: number, networkCount: number): number {
	return Math.max(intervalMs, Math.round(networkCount * WAIT_PER_NETWORK_MS));
}

/**
 * What a stopped container's list entry can say that no event announced: its state and
 * the networks it is on (its addresses are the inspect's to say).
 */
function sameStateAndNetworks(known: DockerContainer, listed: DockerContainer): boolean {
	if (known.state !== listed.state || known.endpoints.length !== listed.endpoints.length) return false;
	const names = new Set(known.endpoints.map(endpoint => endpoint.networkName));
	return listed.endpoints.every(endpoint => names.has(endpoint.networkName));
}

/**
 * After this many rounds in a row in which the store did not change at all (no event, no
 * difference found, no swarm change), the rounds come half as often until something changes:
 * an engine left alone costs half as much, and the first change brings the interval back.
 */
export const QUIET_ROUNDS_BEFORE_STRETCH = 6;

export class ListingReconciler {
	/** Containers an event named while a container listing was on its way. */
	private touchedDuringListing: Set<string> | undefined;
	private timer: NodeJS.Timeout | undefined;
	private running = false;
	private rounds = 0;
	private quietRounds = 0;
	/** The store as it was when the last round was scheduled: unchanged since means quiet. */
	private lastSeen: unknown;

	constructor(
		private readonly host: ReconcilerHost,
		private readonly intervalMs: number,
		/** The container list is compared every this many rounds (and whenever the networks changed). */
		private readonly containerRoundEvery: number,
	) {}

	/** An event named this container: a listing on its way must not undo what the event brings. */
	touched(containerId: string): void {
		this.touchedDuringListing?.add(containerId);
	}

	schedule(): void {
		clearTimeout(this.timer);
		if (this.intervalMs <= 0 || !this.host.isListening()) return;
		const snapshot = this.host.store.getSnapshot();
		this.quietRounds = snapshot === this.lastSeen ? this.quietRounds + 1 : 0;
		this.lastSeen = snapshot;
		const interval = this.quietRounds > QUIET_ROUNDS_BEFORE_STRETCH ? this.intervalMs * 2 : this.intervalMs;
		this.timer = setTimeout(() => {
			void this.round().finally(() => this.schedule());
		}, reconcileDelayMs(interval, snapshot.networks.length));
		this.timer.unref();
	}

	stop(): void {
		clearTimeout(this.timer);
		this.quietRounds = 0;
		this.lastSeen = undefined;
	}

	/** Compares the lists with a fresh listing and applies the difference. */
	async round(): Promise<void> {
		if (this.running || !this.host.isListening()) return;
		this.running = true;
		try {
			const ticket = this.host.networkLists.send();
			const networks = await this.host.gateway.listNetworks();
			if (!this.host.isListening()) return;
			const networksChanged = this.applyNetworkList(ticket, networks);
			if (networksChanged) this.host.networksChanged();

			// On a swarm node much changes with no event here: a container attached to an
			// overlay on another node, a task failing or moving there. SwarmSync reads the
			// swarm once a round (nothing at all outside a swarm).
			this.host.swarmHint();

			// Containers come with events on Docker and Podman alike, but for one change: a
			// stopped container connected to a network (no endpoint is made, no event sent).
			// So the stopped ones are compared every round, and the whole list (the costly one:
			// ~0.1 ms of parsing per container) when the networks moved under them, and
			// otherwise only now and then, as a safety net.
			this.rounds++;
			if (networksChanged || this.rounds % this.containerRoundEvery === 0) await this.compareContainers();
			else await this.compareStopped();
		} catch {
			// The events stream notices a lost engine; the next round tries again.
		} finally {
			this.running = false;
		}
	}

	/** Applies a network list unless a later one was applied already; true when it changed the store. */
	applyNetworkList(ticket: number, networks: readonly DockerNetwork[]): boolean {
		if (!this.host.networkLists.accept(ticket)) return false;
		let changed = false;
		this.host.store.update(snapshot => {
			const next = mergeNetworkListing(snapshot.networks, networks);
			changed = next !== snapshot.networks;
			return changed ? {...snapshot, networks: next} : snapshot;
		});
		return changed;
	}

	/**
	 * The created and exited containers against the store: those whose listed facts differ
	 * (a network more or less, a state) are inspected. The list names only some containers,
	 * so it removes none; unchanged ones cost no store change.
	 */
	private async compareStopped(): Promise<void> {
		const listed = await this.host.gateway.listContainers('stopped');
		if (!this.host.isListening()) return;
		const pending = new Set(this.host.pendingInspects());
		const known = new Map(this.host.store.getSnapshot().containers.map(container => [container.id, container]));
		const differing = listed
			.filter(container => !pending.has(container.id))
			.filter(container => {
				const before = known.get(container.id);
				return before === undefined || !sameStateAndNetworks(before, container);
			})
			.map(container => container.id);
		if (differing.length > 0) this.host.inspectLater(differing);
	}

	private async compareContainers(): Promise<void> {
		const touched = new Set<string>();
		this.touchedDuringListing = touched;
		try {
			const containers = await this.host.gateway.listContainers();
			if (!this.host.isListening()) return;
			for (const id of this.host.pendingInspects()) touched.add(id);
			let toInspect: string[] = [];
			this.host.store.update(snapshot => {
				const merge = mergeContainerListing(snapshot.containers, containers, touched);
				toInspect = merge.toInspect;
				return merge.containers === snapshot.containers ? snapshot : {...snapshot, containers: merge.containers};
			});
			this.host.listed(containers);
			if (toInspect.length > 0) this.host.inspectLater(toInspect);
		} finally {
			this.touchedDuringListing = undefined;
		}
	}
}
