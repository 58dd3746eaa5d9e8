import type {DockerContainer, DockerNetwork, EngineEvent} from '../model/types.js';
import {isRecord} from '../text/json-read.js';

// Podman serves the Docker Engine API, with differences that would each break docknet in
// its own place. They are all straightened out here, in the gateway, so the rest of the app
// sees Docker's meaning and needs no Podman branches:
// - an endpoint's NetworkID is the network's name, not its id;
// - the default network is `podman` in containers and in Podman's own tools, but the Docker
//   list calls it `bridge` (same id), and its Created changes on every call;
// - the bridge's name (podman0, podman1, …) is only in Podman's own network API
//   (`network_interface`), not in the Docker one's options;
// - network create/remove send no event; connect/disconnect events name the container as
//   the actor and do not say which network;
// - a removed container's event is `remove` where Docker says `destroy`;
// - Podman 5.4 and later do send network create and remove events, with the network's id as
//   the actor, an empty name and `remove` for Docker's `destroy`: they are named from what
//   is known, and one that repeats the event docknet announced itself is dropped.

export type EngineProduct = 'Docker' | 'Podman';


/** Which product answers, from `/version`: Podman names itself in Components (or Platform). */
export function productOf(version: unknown): EngineProduct {
	if (!isRecord(version)) return 'Docker';
	const components = Array.isArray(version['Components']) ? version['Components'] : [];
	const names = components.map(component => (isRecord(component) && typeof component['Name'] === 'string' ? component['Name'] : ''));
	const platform = isRecord(version['Platform']) && typeof version['Platform']['Name'] === 'string' ? version['Platform']['Name'] : '';
	return [...names, platform].some(name => /podman/i.test(name)) ? 'Podman' : 'Docker';
}

/** What Podman's own network API adds: the real name of the default network and the bridge. */
export interface PodmanNetworkFacts {
	id: string;
	name: string;
	/** network_interface: podman0, podman1, … (the Linux bridge for bridge networks). */
	interface?: string;
}

export function toPodmanNetworkFacts(raw: unknown): PodmanNetworkFacts | undefined {
	if (!isRecord(raw) || typeof raw['id'] !== 'string' || typeof raw['name'] !== 'string') return undefined;
	const facts: PodmanNetworkFacts = {id: raw['id'], name: raw['name']};
	if (typeof raw['network_interface'] === 'string' && raw['network_interface'] !== '') facts.interface = raw['network_interface'];
	return facts;
}

/** A network-change diff seen on a container and not yet claimed by an event. */
interface PendingChange {
	action: 'connect' | 'disconnect';
	networkId: string;
	seenAt: number;
}

/** How long a membership change waits to be claimed by its connect/disconnect event. */
const CHANGE_CLAIM_MS = 10_000;

/**
 * Per-gateway memory the normalisation needs: network names to ids, first-seen creation
 * times, and each container's networks, so a connect/disconnect event can be told which
 * network it was about.
 */
export class PodmanDialect {
	private readonly idByName = new Map<string, string>();
	private readonly networkById = new Map<string, {name: string; driver: string}>();
	private readonly createdById = new Map<string, string>();
	private defaultId: string | undefined;
	private readonly networksOfContainer = new Map<string, ReadonlySet<string>>();
	private readonly pending = new Map<string, PendingChange[]>();
	/** "create <id>" / "destroy <id>" to the time a network event was last passed on, to pass on one only. */
	private readonly networkEventsSeen = new Map<string, number>();
	/** Names of networks forgotten lately, for the engine's own remove event that comes after. */
	private readonly forgottenNetworks = new Map<string, {name: string; driver: string}>();

	constructor(private readonly now: () => number = Date.now) {}

	/** The whole list: the Docker API's networks merged with Podman's own facts (by id). */
	networks(listed: readonly DockerNetwork[], facts: readonly PodmanNetworkFacts[]): DockerNetwork[] {
		const factsById = new Map(facts.map(item => [item.id, item]));
		// The Docker list shows the default network as `bridge`; Podman's own list says its name.
		const defaultNetwork = listed.find(network => network.name === 'bridge' && factsById.get(network.id)?.name !== 'bridge');
		if (defaultNetwork) this.defaultId = defaultNetwork.id;
		return listed.map(network => this.network(network, factsById.get(network.id)));
	}

	/** One network, as inspected; `facts` from Podman's own inspect when it answered. */
	network(network: DockerNetwork, facts: PodmanNetworkFacts | undefined): DockerNetwork {
		const name = facts?.name ?? network.name;
		const created = this.createdById.get(network.id) ?? network.created;
		this.createdById.set(network.id, created);
		this.idByName.set(name, network.id);
		this.networkById.set(network.id, {name, driver: network.driver});
		if (network.id === this.defaultId) this.idByName.set('bridge', network.id);
		const normalised: DockerNetwork = {...network, name, created, predefined: network.id === this.defaultId};
		if (facts?.interface !== undefined && network.driver === 'bridge') normalised.bridgeName = facts.interface;
		return normalised;
	}

	/** Network names the container's endpoints use that no listing has shown yet. */
	unknownNetworks(container: DockerContainer): string[] {
		return container.endpoints
			.map(endpoint => endpoint.networkId || endpoint.networkName)
			.filter(name => name !== '' && !this.idByName.has(name) && !this.networkById.has(name));
	}

	/**
	 * The container with each endpoint's NetworkID turned from a name into the network's id.
	 * Remembers its networks; when they differ from what was known, the difference waits to
	 * be claimed by the connect/disconnect event that announces it.
	 */
	container(container: DockerContainer): DockerContainer {
		const endpoints = container.endpoints.map(endpoint => {
			const key = endpoint.networkId || endpoint.networkName;
			const id = this.networkById.has(key) ? key : (this.idByName.get(key) ?? this.idByName.get(endpoint.networkName));
			return id === undefined || id === endpoint.networkId ? endpoint : {...endpoint, networkId: id};
		});
		const ids = new Set(endpoints.map(endpoint => endpoint.networkId).filter(id => id !== ''));
		const before = this.networksOfContainer.get(container.id);
		this.networksOfContainer.set(container.id, ids);
		if (before !== undefined) {
			const seenAt = this.now();
			const changes = [
				...[...ids].filter(id => !before.has(id)).map(networkId => ({action: 'connect' as const, networkId, seenAt})),
				...[...before].filter(id => !ids.has(id)).map(networkId => ({action: 'disconnect' as const, networkId, seenAt})),
			];
			if (changes.length > 0) this.pending.set(container.id, [...this.freshPending(container.id), ...changes]);
		}

		return endpoints.every((endpoint, index) => endpoint === container.endpoints[index]) ? container : {...container, endpoints};
	}

	/** A container that is gone: forget it. */
	forgetContainer(id: string): void {
		this.networksOfContainer.delete(id);
		this.pending.delete(id);
	}

	/** A network that is gone (removed through docknet). */
	forgetNetwork(id: string): void {
		const known = this.networkById.get(id);
		if (known) this.forgottenNetworks.set(id, known);
		if (known && this.idByName.get(known.name) === id) this.idByName.delete(known.name);
		this.networkById.delete(id);
		this.createdById.delete(id);
	}

	/**
	 * Whether this event needs the container's current networks before it can be normalised
	 * (a connect/disconnect whose network no earlier inspect has revealed).
	 */
	needsInspect(event: EngineEvent): boolean {
		return isMembershipEvent(event) && this.claimable(event) === undefined;
	}

	/**
	 * The event in Docker's terms; call needsInspect first and inspect the container if it
	 * says so. Undefined for a network event already passed on (docknet's own announcement
	 * and Podman's event of the same change).
	 */
	normalise(event: EngineEvent): EngineEvent | undefined {
		if (event.type === 'container' && event.action === 'remove') return {...event, action: 'destroy'};
		if (event.type === 'network' && (event.action === 'create' || event.action === 'remove' || event.action === 'destroy')) return this.networkChange(event);
		if (!isMembershipEvent(event)) return event;
		const containerId = event.actorId;
		const change = this.claimable(event);
		if (change !== undefined) {
			const list = this.pending.get(containerId) ?? [];
			list.splice(list.indexOf(change), 1);
			if (list.length === 0) this.pending.delete(containerId);
		}

		const network = change === undefined ? undefined : this.networkById.get(change.networkId);
		const attributes: Record<string, string> = {container: containerId, name: network?.name ?? '?'};
		if (network) attributes['type'] = network.driver;
		return {...event, actorId: change?.networkId ?? '', attributes};
	}

	/** The event Docker would have sent for a network docknet itself created or removed. */
	networkEvent(action: 'create' | 'destroy', network: {id: string; name: string; driver: string}): EngineEvent {
		const time = this.now();
		return {
			type: 'network',
			action,
			actorId: network.id,
			attributes: {name: network.name, type: network.driver},
			time,
			timeNano: (BigInt(time) * 1_000_000n).toString(),
		};
	}

	private networkChange(event: EngineEvent): EngineEvent | undefined {
		const action = event.action === 'remove' ? 'destroy' : event.action;
		const now = this.now();
		for (const [key, at] of this.networkEventsSeen) if (at < now - CHANGE_CLAIM_MS) this.networkEventsSeen.delete(key);
		const key = `${action} ${event.actorId}`;
		if (this.networkEventsSeen.has(key)) return undefined;
		this.networkEventsSeen.set(key, now);
		const known = this.networkById.get(event.actorId) ?? this.forgottenNetworks.get(event.actorId);
		const attributes = {...event.attributes};
		if (!attributes['name'] && known) attributes['name'] = known.name;
		if (!attributes['type'] && known?.driver) attributes['type'] = known.driver;
		return {...event, action, attributes};
	}

	/** Name and driver of a known network id. */
	knownNetwork(id: string): {name: string; driver: string} | undefined {
		return this.networkById.get(id);
	}

	private freshPending(containerId: string): PendingChange[] {
		const oldest = this.now() - CHANGE_CLAIM_MS;
		return (this.pending.get(containerId) ?? []).filter(change => change.seenAt >= oldest);
	}

	private claimable(event: EngineEvent): PendingChange | undefined {
		return this.freshPending(event.actorId).find(change => change.action === event.action);
	}
}

/** Podman's connect/disconnect: type network, the container as actor, no `container` attribute. */
function isMembershipEvent(event: EngineEvent): boolean {
	return event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect') && event.attributes['container'] === undefined;
}
