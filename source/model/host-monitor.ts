import type {HostInterfaceSource, VethPeerScan} from './host-source.js';
import {computeRates} from './rates.js';
import type {ForwardingScan} from './forwarding.js';
import type {InsideView} from './inside.js';
import {RateBudget} from './rate-budget.js';
import {deepEqual, keepIdentity} from './store.js';
import type {EngineSnapshot, SnapshotStore} from './store.js';
import type {DockerContainer, HostInterface, InterfaceRates, InterfaceStats, VethPeer} from './types.js';

export interface HostMonitorOptions {
	rateIntervalMs?: number;
	/** The clock for rates and for the rescan budget (tests give a fake one). */
	now?: () => number;
	/** Delay between a container change and the rescan it causes; a burst costs one scan. */
	rescanDelayMs?: number;
	/** While changes keep coming, at most one rescan per this many ms (after two at once). */
	sustainedRescanMs?: number;
}

function runningWithPid(containers: readonly DockerContainer[]): DockerContainer[] {
	return containers.filter(container => container.state === 'running' && (container.pid ?? 0) > 0);
}

/**
 * Feeds host interfaces into the store: a full scan whenever containers or networks
 * change (veths come and go with them), and counters once a second while someone looks at
 * the interfaces pane. Nothing is written to the store when nothing changed, so an idle
 * host costs no renders.
 */
export class HostMonitor {
	private readonly rateIntervalMs: number;
	private readonly rescanDelayMs: number;
	private readonly now: () => number;
	private unsubscribe: (() => void) | undefined;
	private lastContainers: EngineSnapshot['containers'] | undefined;
	private lastNetworks: EngineSnapshot['networks'] | undefined;
	private rescanTimer: NodeJS.Timeout | undefined;
	private rateTimer: NodeJS.Timeout | undefined;
	private scanning: Promise<void> | undefined;
	private rescanAgain = false;
	private readonly rescanBudget: RateBudget;
	private previousStats = new Map<string, {stats: InterfaceStats; at: number}>();
	private watched: ReadonlySet<string> | undefined;
	private readonly peerCache = new Map<string, {key: string; peers: VethPeer[]}>();
	private stopped = false;

	constructor(
		private readonly source: HostInterfaceSource | {unavailable: string},
		private readonly store: SnapshotStore,
		options: HostMonitorOptions = {},
	) {
		this.rateIntervalMs = options.rateIntervalMs ?? 1000;
		this.rescanDelayMs = options.rescanDelayMs ?? 100;
		this.now = options.now ?? Date.now;
		// A lone `docker run` (create, then start) gets both its scans at once; a storm of
		// starts gets one a second: each scan parses every interface, and the keys come first.
		this.rescanBudget = new RateBudget(options.sustainedRescanMs ?? 1000, 2, this.now);
	}

	start(): void {
		if ('unavailable' in this.source) {
			const reason = this.source.unavailable;
			this.store.updateHost(host => ({...host, status: 'unavailable', reason, origin: ''}));
			return;
		}

		this.store.updateHost(host => ({...host, origin: (this.source as HostInterfaceSource).origin}));
		this.unsubscribe = this.store.subscribe(() => this.onStoreChange());
		this.requestScan();
	}

	stop(): void {
		this.stopped = true;
		this.unsubscribe?.();
		clearTimeout(this.rescanTimer);
		clearInterval(this.rateTimer);
		// An ssh source holds a shared connection open; give it back.
		if (!('unavailable' in this.source)) void this.source.close?.();
	}

	/**
	 * Counters are read only while the interfaces pane is on screen, and only for the rows
	 * it shows (`visible`; all when omitted): on a host with a thousand veths the rest would
	 * cost CPU and renders every second for numbers nobody sees.
	 */
	setRatesActive(active: boolean, visible?: readonly string[]): void {
		if ('unavailable' in this.source || this.stopped) return;
		const watched = visible && new Set(visible);
		const watchChanged = active && !sameSet(this.watched, watched);
		this.watched = watched;
		if (watchChanged && this.rateTimer !== undefined) void this.tick();
		if (active && this.rateTimer === undefined) {
			this.rateTimer = setInterval(() => void this.tick(), this.rateIntervalMs);
			this.rateTimer.unref();
		} else if (!active && this.rateTimer !== undefined) {
			clearInterval(this.rateTimer);
			this.rateTimer = undefined;
		}
	}

	/** A container's stack as seen inside it, read on demand (its details), where the host can be read. */
	readInside(pid: number): Promise<InsideView> {
		if ('unavailable' in this.source) return Promise.resolve({status: 'unavailable', reason: this.source.unavailable});
		if (!this.source.readInside) return Promise.resolve({status: 'unavailable', reason: `the inside view is read only for an engine on this machine, not over ${this.source.origin}`});
		return this.source.readInside(pid);
	}

	/** The NAT rules and docker-proxies of published ports, read on demand (a container's details). */
	readForwarding(): Promise<ForwardingScan> {
		if ('unavailable' in this.source) return Promise.resolve({status: 'unavailable', reason: this.source.unavailable});
		if (!this.source.readForwarding) return Promise.resolve({status: 'unavailable', reason: `NAT rules are read only for an engine on this machine, not over ${this.source.origin}`});
		return this.source.readForwarding();
	}

	/** Resolves when any scan in progress is done (tests). */
	async idle(): Promise<void> {
		while (this.scanning) await this.scanning;
	}

	private onStoreChange(): void {
		const {containers, networks} = this.store.getSnapshot();
		if (containers === this.lastContainers && networks === this.lastNetworks) return;
		this.lastContainers = containers;
		this.lastNetworks = networks;
		this.scheduleRescan();
	}

	/**
	 * Throttled, not debounced: during a storm of starts a scan still runs now and then
	 * (within the budget) instead of waiting for the storm to end.
	 */
	private scheduleRescan(): void {
		if (this.rescanTimer !== undefined) return;
		this.rescanTimer = setTimeout(() => {
			this.rescanTimer = undefined;
			this.requestScan();
		}, Math.max(this.rescanDelayMs, this.rescanBudget.wait()));
	}

	private requestScan(): void {
		if (this.stopped) return;
		if (this.scanning) {
			this.rescanAgain = true;
			return;
		}

		const started = this.now();
		this.rescanBudget.spend();
		this.scanning = this.scan().finally(() => {
			this.scanning = undefined;
			if (this.rescanAgain) {
				this.rescanAgain = false;
				// Back-to-back scans during a storm would keep the CPU (and keys) busy: leave
				// at least twice the last scan's time free before the next one.
				const pause = Math.max(2 * (this.now() - started), this.rescanBudget.wait());
				setTimeout(() => this.requestScan(), pause).unref();
			}
		});
	}

	private async scan(): Promise<void> {
		const source = this.source as HostInterfaceSource;
		try {
			const containers = runningWithPid(this.store.getSnapshot().containers);
			// Interfaces first: the veth join then takes the host's side from them instead of
			// reading every host interface's sysfs files again.
			const interfaces = await source.scan();
			const peers = await this.findPeers(source, containers, interfaces);
			if (this.stopped) return;
			const at = this.now();
			this.previousStats = new Map(interfaces.map(item => [item.name, {stats: item.stats, at}]));
			this.store.updateHost(host => {
				const previousByName = new Map(host.interfaces.map(item => [item.name, item]));
				// Counters change on every scan; compare without them so rows keep identity.
				const next = interfaces.map(item => {
					const previous = previousByName.get(item.name);
					return previous && sameApartFromCounters(previous, item) ? previous : item;
				});
				const unchanged =
					host.status === 'ok' &&
					next.length === host.interfaces.length &&
					next.every((item, index) => item === host.interfaces[index]);
				const nextPeers = keepIdentity(host.peers, peers);
				if (unchanged && nextPeers === host.peers) return host;
				return {...host, status: 'ok', reason: undefined, interfaces: unchanged ? host.interfaces : next, peers: nextPeers};
			});
		} catch (error) {
			if (this.stopped) return;
			const reason = error instanceof Error ? error.message : String(error);
			this.store.updateHost(host => ({...host, status: 'unavailable', reason}));
		}
	}

	/**
	 * Looks inside only the containers that are new or changed since the last scan: reading
	 * /proc/<pid>/root for every running container on each event would cost seconds of CPU
	 * on a host with a thousand containers.
	 */
	private async findPeers(
		source: HostInterfaceSource,
		containers: readonly DockerContainer[],
		hostInterfaces: readonly HostInterface[],
	): Promise<VethPeerScan> {
		const keyOf = (container: DockerContainer): string =>
			`${container.pid}|${container.endpoints.map(endpoint => `${endpoint.networkId}/${endpoint.mac}`).join(',')}`;
		const changed = containers.filter(container => this.peerCache.get(container.id)?.key !== keyOf(container));
		if (changed.length > 0) {
			const scan = await source.findVethPeers(changed, hostInterfaces);
			if (scan.status === 'unavailable') {
				// Nothing can be read (not root): the whole mapping is unknown, not just these.
				this.peerCache.clear();
				return scan;
			}

			for (const container of changed) {
				this.peerCache.set(container.id, {
					key: keyOf(container),
					peers: scan.peers.filter(peer => peer.containerId === container.id),
				});
			}
		}

		const running = new Set(containers.map(container => container.id));
		for (const id of this.peerCache.keys()) if (!running.has(id)) this.peerCache.delete(id);
		return {status: 'ok', peers: [...this.peerCache.values()].flatMap(entry => entry.peers)};
	}

	private async tick(): Promise<void> {
		if (this.scanning || this.stopped) return;
		const source = this.source as HostInterfaceSource;
		const known = new Set(this.store.getSnapshot().host.interfaces.map(item => item.name));
		try {
			const watched = this.watched;
			const read = source.readNamesAndStats
				? await source.readNamesAndStats(watched)
				: {names: await source.listNames(), stats: undefined};
			const {names} = read;
			if (names.length !== known.size || names.some(name => !known.has(name))) {
				this.scheduleRescan();
				return;
			}

			const stats = read.stats ?? (await source.readStats(watched ? names.filter(name => watched.has(name)) : names));
			const now = this.now();
			const rates = computeRates(this.previousStats, stats, now);
			for (const [name, value] of stats) this.previousStats.set(name, {stats: value, at: now});
			this.store.updateHost(host => (sameRates(host.rates, rates) ? host : {...host, rates}));
		} catch {
			// A failed tick leaves the last rates; the next scan reports lasting failures.
		}
	}
}

// Every field but the counters and the address list; the type makes a new field of
// HostInterface a compile error here until it is compared too.
const plainFields = Object.keys({
	name: true,
	ifindex: true,
	iflink: true,
	kind: true,
	state: true,
	mac: true,
	mtu: true,
	master: true,
} satisfies Record<Exclude<keyof HostInterface, 'stats' | 'addresses'>, true>) as Array<Exclude<keyof HostInterface, 'stats' | 'addresses'>>;

/** Field by field, without copies: a thousand interfaces are compared on every scan. */
function sameApartFromCounters(a: HostInterface, b: HostInterface): boolean {
	return (
		plainFields.every(field => a[field] === b[field]) &&
		a.addresses.length === b.addresses.length &&
		a.addresses.every((address, index) => address === b.addresses[index])
	);
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
	if (a === undefined || b === undefined) return a === b;
	return a.size === b.size && [...a].every(name => b.has(name));
}

function sameRates(a: ReadonlyMap<string, InterfaceRates>, b: ReadonlyMap<string, InterfaceRates>): boolean {
	if (a.size !== b.size) return false;
	for (const [name, rate] of b) {
		if (!deepEqual(a.get(name), rate)) return false;
	}

	return true;
}
