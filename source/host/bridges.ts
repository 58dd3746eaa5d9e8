import type {DockerContainer, DockerNetwork, HostInterface, VethPeer} from '../model/types.js';
import {networkForMac} from './host-source.js';

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
}

/** Host-side footprint of one Docker network. */
export interface NetworkHostSide {
	/** The network's bridge interface, when it exists on the host. */
	bridge?: string;
	/** Host veths of containers on this network, sorted. */
	veths: string[];
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
}): HostView {
	const {interfaces, peers, networks, containers} = input;
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

	for (const item of interfaces) {
		const links: InterfaceLinks = {members: []};
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
		const vethNetworkId = item.kind === 'veth' ? (links.bridgeNetwork?.id ?? links.peer?.networkId) : undefined;
		if (vethNetworkId && networksById.has(vethNetworkId)) sideOf(vethNetworkId).veths.push(item.name);
		view.set(item.name, links);
	}

	for (const list of vethsByContainer.values()) list.sort();
	for (const side of byNetwork.values()) side.veths.sort();
	return {interfaces: view, vethsByContainer, byNetwork, networkByBridge};
}
