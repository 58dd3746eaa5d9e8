import type {ForwardingScan} from './forwarding.js';
import type {InsideView} from './inside.js';
import type {DockerContainer, HostInterface, InterfaceStats, VethPeer} from './types.js';

// The contract between docknet and "the machine that runs the engine". Two
// implementations: sysfs-source.ts reads this machine's /sys and /proc; ssh-source.ts asks
// a remote engine host through the local ssh binary.

/**
 * Whether the veth ↔ container join could be made. "unavailable" is a normal outcome
 * (not root, remote host unreachable): the UI shows the reason and keeps the veths
 * unlabelled instead of failing.
 */
export type VethPeerScan = {status: 'ok'; peers: VethPeer[]} | {status: 'unavailable'; reason: string; hint?: string};

export interface HostInterfaceSource {
	/** Human label of where the interfaces come from: "this machine", "ssh me@host", "network namespace x". */
	readonly origin: string;
	/** Full scan: interfaces with kind, state, MAC, MTU, addresses, master and counters. */
	scan(): Promise<HostInterface[]>;
	/** Just the interface names, cheap, to notice when interfaces come and go. Sorted. */
	listNames(): Promise<string[]>;
	/** Counters only (for the once-a-second rates). Interfaces that are gone are left out. */
	readStats(names: readonly string[]): Promise<Map<string, InterfaceStats>>;
	/**
	 * Every interface's name and the counters of `watched` (all when omitted) in one read,
	 * where the source can do both at once (over ssh: one line to the counter stream instead
	 * of a run for the names and a read for the counters, every second).
	 */
	readNamesAndStats?(watched?: ReadonlySet<string>): Promise<{names: string[]; stats: Map<string, InterfaceStats>}>;
	/**
	 * Which container interface is behind each host veth. `hostInterfaces`, from a scan just
	 * made, spares the source reading the host's side again.
	 */
	findVethPeers(containers: readonly DockerContainer[], hostInterfaces?: readonly HostIndexes[]): Promise<VethPeerScan>;
	/** A container's network stack as seen inside it, by its pid; absent where it cannot be read. */
	readInside?(pid: number): Promise<InsideView>;
	/** The NAT rules and docker-proxy processes that carry published ports; absent where they cannot be read. */
	readForwarding?(): Promise<ForwardingScan>;
	/** Releases what the source holds open (an ssh master connection). Safe to call twice. */
	close?(): Promise<void>;
}

/**
 * A scan that could not be made at all (sysfs unreadable, ssh refused). `reason` is a
 * sentence for the status bar; `hint` says what the user can do about it.
 */
export class HostSourceError extends Error {
	readonly reason: string;
	readonly hint?: string;

	constructor(reason: string, options?: {hint?: string; cause?: unknown}) {
		super(reason, {cause: options?.cause});
		this.name = 'HostSourceError';
		this.reason = reason;
		this.hint = options?.hint;
	}
}

/** Every kind docknet distinguishes; anything else the kernel has is "other". */
export const INTERFACE_KINDS = [
	'loopback',
	'bridge',
	'veth',
	'ethernet',
	'wifi',
	'vxlan',
	'tun',
	'tap',
	'wireguard',
	'bond',
	'vlan',
	'macvlan',
	'ipvlan',
	'dummy',
	'other',
] as const;

export type InterfaceKind = (typeof INTERFACE_KINDS)[number];

export function zeroStats(): InterfaceStats {
	return {rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0};
}

/**
 * A container whose network namespace is not its own: with `--network host` its /sys shows
 * the host's interfaces, with `container:<x>` another container's. Joining either would
 * claim veths that belong to someone else.
 */
export function sharesForeignNetworkNamespace(container: DockerContainer): boolean {
	return container.networkMode === 'host' || container.networkMode.startsWith('container:');
}

/** The network whose endpoint in this container has the given MAC (case-insensitive). */
export function networkForMac(container: DockerContainer, mac: string | undefined): {id: string; name: string} | undefined {
	if (!mac) return undefined;
	const wanted = mac.toLowerCase();
	const endpoint = container.endpoints.find((candidate) => candidate.mac?.toLowerCase() === wanted);
	return endpoint ? {id: endpoint.networkId, name: endpoint.networkName} : undefined;
}

/** What the veth join needs of a host interface. */
export type HostIndexes = Pick<HostInterface, 'ifindex' | 'iflink'>;

/** One interface as seen inside a container's network namespace. */
export interface ContainerSideInterface {
	name: string;
	ifindex: number;
	iflink: number;
	mac?: string;
}

/**
 * Joins container-side interfaces to host interfaces. The container's iflink names the
 * host veth's ifindex; requiring the host veth's own iflink to point back at the
 * container interface rules out macvlan/ipvlan children (whose iflink names the parent
 * NIC) and veths whose peer lives in some third namespace (overlay sandboxes), where
 * ifindex numbers coincide by chance.
 */
export function joinVethPeers(
	host: ReadonlyMap<number, {iflink: number}>,
	sides: ReadonlyArray<{container: DockerContainer; interfaces: readonly ContainerSideInterface[]}>,
): VethPeer[] {
	const peers: VethPeer[] = [];
	for (const {container, interfaces} of sides) {
		for (const side of interfaces) {
			if (side.iflink === side.ifindex) continue;
			const hostEnd = host.get(side.iflink);
			if (!hostEnd || hostEnd.iflink !== side.ifindex) continue;
			const network = networkForMac(container, side.mac);
			peers.push({
				hostIfindex: side.iflink,
				containerId: container.id,
				containerName: container.name,
				containerInterface: side.name,
				containerMac: side.mac,
				networkId: network?.id,
				networkName: network?.name,
			});
		}
	}
	return peers.sort((a, b) => a.hostIfindex - b.hostIfindex);
}

export const NOT_ROOT_REASON = 'docknet is not running as root, so it cannot look inside containers to tell which veth belongs to which';
export const NOT_ROOT_HINT = 'run docknet with sudo to see the container behind each veth';
export const ROOT_DENIED_REASON =
	"access to the containers' /proc/<pid>/root was refused even to root (a security module or user namespace), so docknet cannot tell which veth belongs to which";
