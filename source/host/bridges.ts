import type {NetworkCluster} from '../model/swarm-types.js';
import type {DockerContainer, DockerNetwork, HostInterface, VethPeer} from '../model/types.js';
import {networkForMac} from '../model/host-source.js';

// Pure joins between what the engine says (networks, containers) and what the host shows
// (bridges, veths). The result feeds the host pane's labels and cross-highlighting.

export interface NetworkRef {
	id: string;
	name: string;
}

/** What docknet knows about one host interface beyond the interface itself. */
export interface InterfaceLinks {
	/** For a bridge: the Docker network it implements. */
	network?: NetworkRef;
	/** For a bridge: names of the interfaces enslaved to it, sorted. Empty otherwise. */
	members: string[];
	/** For a veth: the container end (container, its interface, the network by MAC). */
	peer?: VethPeer;
	/** For an interface enslaved to a bridge: that bridge's Docker network. */
	bridgeNetwork?: NetworkRef;
	/** For a veth whose other end is on the host too (`ip link add par0 type veth peer name par0p`): that end. */
	localPeer?: string;
	/** For a macvlan, ipvlan or vlan interface: the interface it sits on. */
	parent?: string;
	/** macvlan/ipvlan networks whose `parent` option names this interface. */
	parentOf?: NetworkRef[];
	/**
	 * For a veth on a network only the engine's own endpoint list describes (docker_gwbridge
	 * in a swarm): the container end's address there, found by its MAC.
	 */
	peerAddress?: string;
	/**
	 * For a veth with no container at its other end but an engine sandbox (the swarm's
	 * ingress sandbox on docker_gwbridge): that endpoint's name and address.
	 */
	sandbox?: {name: string; ipv4?: string};
}

/** Host-side footprint of one Docker network. */
export interface NetworkHostSide {
	/** The network's bridge interface, when it exists on the host. */
	bridge?: string;
	/** Host veths of containers on this network, sorted. */
	veths: string[];
	/** For a macvlan/ipvlan network: its parent interface, when it exists on the host. */
	parent?: string;
}

export interface HostView {
	/** Interface name → links; every scanned interface has an entry. */
	interfaces: ReadonlyMap<string, InterfaceLinks>;
	/** Container id → names of its host veths, sorted; containers without veths absent. */
	vethsByContainer: ReadonlyMap<string, readonly string[]>;
	/** Network id → bridge and veths; networks without host footprint absent. */
	byNetwork: ReadonlyMap<string, NetworkHostSide>;
	/** Bridge name → network id, for turning a `master` into a network. */
	networkByBridge: ReadonlyMap<string, string>;
}

const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';
const SUB_INTERFACE_KINDS = new Set(['macvlan', 'ipvlan', 'vlan']);

/** The host interface a macvlan or ipvlan network sits on (its `parent` option). */
export function parentOfNetwork(network: DockerNetwork): string | undefined {
	return network.driver === 'macvlan' || network.driver === 'ipvlan' ? network.options['parent'] || undefined : undefined;
}

/**
 * The Linux bridge behind a bridge-driver network: the one the engine names (Podman's
 * podman0, podman1, …), the name the user or engine fixed (docker0, docker_gwbridge), or
 * `br-` plus the first 12 characters of the id.
 */
export function bridgeNameForNetwork(network: DockerNetwork): string | undefined {
	if (network.driver !== 'bridge') return undefined;
	if (network.bridgeName) return network.bridgeName;
	const fixed = network.options[BRIDGE_NAME_OPTION];
	if (fixed) return fixed;
	return `br-${network.id.slice(0, 12)}`;
}

export function emptyHostView(): HostView {
	return {interfaces: new Map(), vethsByContainer: new Map(), byNetwork: new Map(), networkByBridge: new Map()};
}

function pushUnique(map: Map<string, string[]>, key: string, value: string): void {
	const list = map.get(key);
	if (list) {
		if (!list.includes(value)) list.push(value);
	} else {
		map.set(key, [value]);
	}
}

/**
 * Joins interfaces, veth peers, networks and containers. Peers of containers that are
 * no longer listed are dropped; peers found by an older scan get the container's and
 * network's current names; a peer whose MAC matched no endpoint is matched again against
 * current endpoints and else falls back to the network of the bridge its veth hangs on.
 */
export function joinHostView(input: {
	interfaces: readonly HostInterface[];
	peers: readonly VethPeer[];
	networks: readonly DockerNetwork[];
	containers: readonly DockerContainer[];
	/** Endpoint lists the engine keeps per network (swarm: overlays and docker_gwbridge). */
	endpointLists?: ReadonlyMap<string, NetworkCluster>;
}): HostView {
	const {interfaces, peers, networks, containers, endpointLists = new Map<string, NetworkCluster>()} = input;
	const present = new Set(interfaces.map((item) => item.name));
	const networksById = new Map(networks.map((network) => [network.id, network]));
	const containersById = new Map(containers.map((container) => [container.id, container]));

	const networkByBridge = new Map<string, string>();
	for (const network of networks) {
		const bridge = bridgeNameForNetwork(network);
		if (bridge && present.has(bridge)) networkByBridge.set(bridge, network.id);
	}
	const refFor = (id: string | undefined): NetworkRef | undefined => {
		const network = id ? networksById.get(id) : undefined;
		return network ? {id: network.id, name: network.name} : undefined;
	};

	const members = new Map<string, string[]>();
	for (const item of interfaces) if (item.master) pushUnique(members, item.master, item.name);

	const peerByIfindex = new Map<number, VethPeer>();
	for (const peer of peers) {
		const container = containersById.get(peer.containerId);
		if (!container) continue;
		// Current endpoints win over what the (possibly older) peer scan matched.
		const byMac = networkForMac(container, peer.containerMac);
		const staleRef = peer.networkId === undefined ? undefined : {id: peer.networkId, name: peer.networkName ?? peer.networkId};
		const network = refFor(byMac?.id ?? peer.networkId) ?? byMac ?? staleRef;
		peerByIfindex.set(peer.hostIfindex, {
			...peer,
			containerName: container.name,
			networkId: network?.id,
			networkName: network?.name,
		});
	}

	const view = new Map<string, InterfaceLinks>();
	const vethsByContainer = new Map<string, string[]>();
	const byNetwork = new Map<string, NetworkHostSide>();
	const sideOf = (networkId: string): NetworkHostSide => {
		let side = byNetwork.get(networkId);
		if (!side) {
			side = {veths: []};
			byNetwork.set(networkId, side);
		}
		return side;
	};

	const byIfindex = new Map(interfaces.map(item => [item.ifindex, item]));
	const parentNetworks = new Map<string, NetworkRef[]>();
	for (const network of networks) {
		const parent = parentOfNetwork(network);
		if (!parent || !present.has(parent)) continue;
		parentNetworks.set(parent, [...(parentNetworks.get(parent) ?? []), {id: network.id, name: network.name}]);
		sideOf(network.id).parent = parent;
	}

	for (const item of interfaces) {
		const links: InterfaceLinks = {members: []};
		const parentOf = parentNetworks.get(item.name);
		if (parentOf) links.parentOf = parentOf;
		const ownNetworkId = networkByBridge.get(item.name);
		if (ownNetworkId) {
			links.network = refFor(ownNetworkId);
			sideOf(ownNetworkId).bridge = item.name;
		}
		if (item.kind === 'bridge' || ownNetworkId) links.members = [...(members.get(item.name) ?? [])].sort();
		const masterNetwork = item.master ? refFor(networkByBridge.get(item.master)) : undefined;
		if (masterNetwork) links.bridgeNetwork = masterNetwork;

		const peer = item.kind === 'veth' ? peerByIfindex.get(item.ifindex) : undefined;
		if (peer) {
			// The bridge the veth hangs on is the host's own truth; the MAC match is the
			// container's. They agree unless a scan raced a connect/disconnect.
			const withFallback: VethPeer =
				peer.networkId === undefined && links.bridgeNetwork
					? {...peer, networkId: links.bridgeNetwork.id, networkName: links.bridgeNetwork.name}
					: peer;
			links.peer = withFallback;
			pushUnique(vethsByContainer, withFallback.containerId, item.name);
		}
		// Both ends here and pointing at each other, and neither end a container's: a pair made
		// on the host itself. (A container end's ifindex may equal a host ifindex by chance, so
		// the pointing back and the missing container peer both count.)
		const other = item.kind === 'veth' && !peer ? byIfindex.get(item.iflink) : undefined;
		if (other && other !== item && other.kind === 'veth' && other.iflink === item.ifindex && !peerByIfindex.has(other.ifindex)) links.localPeer = other.name;
		if (SUB_INTERFACE_KINDS.has(item.kind) && item.iflink !== item.ifindex) {
			const parent = byIfindex.get(item.iflink);
			if (parent) links.parent = parent.name;
		}

		const vethNetworkId = item.kind === 'veth' ? (links.bridgeNetwork?.id ?? links.peer?.networkId) : undefined;
		if (vethNetworkId && networksById.has(vethNetworkId)) sideOf(vethNetworkId).veths.push(item.name);
		view.set(item.name, links);
	}

	nameEngineEnds(view, interfaces, endpointLists);
	for (const list of vethsByContainer.values()) list.sort();
	for (const side of byNetwork.values()) side.veths.sort();
	return {interfaces: view, vethsByContainer, byNetwork, networkByBridge};
}

/** `gateway_ingress-sbox` → `ingress-sbox`: the engine's name for the sandbox, without the role prefix. */
function sandboxName(endpointName: string): string {
	return endpointName.replace(/^gateway_/, '');
}

/**
 * On a bridge whose endpoints only the engine lists (docker_gwbridge): a container's veth
 * gets its address there by MAC; a veth with no container behind it is the engine's own
 * sandbox (the ingress sandbox) when exactly one endpoint of that network has no container
 * veth either — pairing by elimination, so never a guess between several.
 */
function nameEngineEnds(view: Map<string, InterfaceLinks>, interfaces: readonly HostInterface[], endpointLists: ReadonlyMap<string, NetworkCluster>): void {
	if (endpointLists.size === 0) return;
	const orphans = new Map<string, string[]>();
	const matchedMacs = new Map<string, Set<string>>();
	for (const item of interfaces) {
		const links = view.get(item.name);
		const networkId = links?.bridgeNetwork?.id;
		if (item.kind !== 'veth' || links === undefined || networkId === undefined || !endpointLists.has(networkId)) continue;
		const mac = links.peer?.containerMac?.toLowerCase();
		if (links.peer === undefined) {
			if (links.localPeer === undefined) pushUnique(orphans, networkId, item.name);
			continue;
		}

		if (mac === undefined) continue;
		if (!matchedMacs.has(networkId)) matchedMacs.set(networkId, new Set());
		matchedMacs.get(networkId)?.add(mac);
		const endpoint = endpointLists.get(networkId)?.endpoints.find(candidate => candidate.mac?.toLowerCase() === mac);
		if (endpoint?.ipv4 !== undefined) links.peerAddress = endpoint.ipv4;
	}

	for (const [networkId, veths] of orphans) {
		const matched = matchedMacs.get(networkId) ?? new Set<string>();
		const unclaimed = (endpointLists.get(networkId)?.endpoints ?? []).filter(endpoint => endpoint.mac === undefined || !matched.has(endpoint.mac.toLowerCase()));
		const [veth] = veths;
		const [endpoint] = unclaimed;
		const links = veth === undefined ? undefined : view.get(veth);
		if (veths.length === 1 && unclaimed.length === 1 && links !== undefined && endpoint !== undefined) {
			links.sandbox = {name: sandboxName(endpoint.name), ...(endpoint.ipv4 === undefined ? {} : {ipv4: endpoint.ipv4})};
		}
	}
}
