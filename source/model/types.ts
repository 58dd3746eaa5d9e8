// Pure domain types shared by the engine gateway, the host reader, the store and the UI.
// Nothing here knows about dockerode or Ink.

export type ContainerState = 'running' | 'paused' | 'exited' | 'restarting' | 'created' | 'removing' | 'dead';

/** What the container's healthcheck says; only while it runs, as `docker ps` shows it. */
export type ContainerHealth = 'starting' | 'healthy' | 'unhealthy';

export interface IpamPool {
	subnet: string;
	gateway?: string;
	ipRange?: string;
	auxAddresses?: Record<string, string>;
}

export interface DockerNetwork {
	id: string;
	name: string;
	driver: string;
	scope: string;
	internal: boolean;
	attachable: boolean;
	ingress: boolean;
	enableIPv6: boolean;
	ipamDriver: string;
	pools: IpamPool[];
	options: Record<string, string>;
	labels: Record<string, string>;
	/** ISO date the engine reports. */
	created: string;
	/**
	 * The Linux bridge the engine reports for it (Podman's network_interface: podman0, …);
	 * absent when the engine does not say, and docknet derives it as Docker does.
	 */
	bridgeName?: string;
	/**
	 * The engine made it and will not remove it (Podman's default network). Absent from
	 * engines that do not say: then Docker's bridge, host and none are.
	 */
	predefined?: boolean;
	/** False for an IPv6-only network (EnableIPv4, API 1.47+); absent from engines that do not say (IPv4 on). */
	enableIPv4?: boolean;
	/** A configuration-only network (ConfigOnly): a template for others, with no endpoints of its own. */
	configOnly?: boolean;
	/** The configuration-only network this one takes its configuration from (ConfigFrom.Network). */
	configFrom?: string;
	/** Address use the engine counted per subnet (Status.IPAM, API 1.52+); absent from engines that do not say. */
	subnetStatus?: SubnetStatus[];
}

export interface SubnetStatus {
	subnet: string;
	/** Addresses in use or reserved (the engine saturates these at 2^64 − 1). */
	inUse: bigint;
	/** Addresses of the pool's range still free for dynamic allocation. */
	dynamicAvailable: bigint;
}

/** One attachment of a container to a network, as the container sees it. */
export interface ContainerEndpoint {
	networkName: string;
	networkId: string;
	endpointId: string;
	/** Bare address without prefix, e.g. "172.17.0.2". */
	ipv4?: string;
	ipv4PrefixLength?: number;
	ipv6?: string;
	ipv6PrefixLength?: number;
	gateway?: string;
	ipv6Gateway?: string;
	mac?: string;
	aliases: string[];
	links: string[];
	/** Addresses the user fixed with --ip/--ip6 (IPAMConfig), kept so undo can restore them. */
	requestedIpv4?: string;
	requestedIpv6?: string;
	/** The MAC address the user asked for (EndpointSettings MacAddress in the request), kept for undo. */
	requestedMac?: string;
	/** Which endpoint gives the container its default gateway: the highest wins (GwPriority, API 1.48+). */
	gwPriority?: number;
	/** The names this endpoint answers to in the network's DNS (DNSNames, API 1.44+). */
	dnsNames?: string[];
	/** DriverOpts of the endpoint (com.docker.network.endpoint.ifname, sysctls), kept for undo. */
	driverOptions?: Record<string, string>;
}

export interface PortBinding {
	containerPort: number;
	protocol: string;
	hostIp?: string;
	hostPort?: number;
}

export interface DockerContainer {
	id: string;
	/** Without the leading slash. */
	name: string;
	image: string;
	state: ContainerState;
	/** Human status from the engine, e.g. "Up 3 minutes", as of when it was read. */
	status: string;
	/** Set after an inspect: what makes the status text again for any moment (statusAt). */
	statusClock?: StatusClock;
	/** Set while it runs with a healthcheck; absent without one. */
	health?: ContainerHealth;
	/** Unix seconds. */
	created: number;
	/**
	 * HostConfig.NetworkMode: "default", "bridge", "host", "none", "container:<id>" or a
	 * network name.
	 */
	networkMode: string;
	endpoints: ContainerEndpoint[];
	ports: PortBinding[];
	labels: Record<string, string>;
	/** The command it runs, as `docker ps` shows it (entrypoint and arguments); absent when the engine does not say. */
	command?: string;
	/** Main process id on the engine host; only known after inspect, 0 when not running. */
	pid?: number;
	/** After inspect: its network namespace file (NetworkSettings.SandboxKey), under the engine's exec-root. */
	sandboxKey?: string;
	/** True once the container was inspected (aliases, pid and ports are then complete). */
	inspected: boolean;
}

export interface EngineInfo {
	/** What the user should read as "where": "unix:///var/run/docker.sock", "ssh://me@host". */
	endpoint: string;
	/** How the endpoint was chosen: "--host", "DOCKER_HOST", "context prod", "default". */
	source: string;
	/** Which engine answers the Docker API: "Docker" or "Podman". */
	product: 'Docker' | 'Podman';
	/** The product's own version (Podman's for Podman). */
	version: string;
	/**
	 * Runs as an ordinary user (rootless Podman or Docker): its bridges and veths live in a
	 * network namespace of its own, which cannot be seen from the user's side.
	 */
	rootless: boolean;
	apiVersion: string;
	os: string;
	kernel: string;
	hostname: string;
	/**
	 * The daemon's own id (`docker info` ID): two endpoints that reach the same daemon (a
	 * socket and ssh://localhost) show it once.
	 */
	engineId?: string;
	/** Swarm local node state: "inactive", "active", "pending", "error", "locked". */
	swarm: string;
	/** This engine's swarm node id and address, when it is in a swarm. */
	swarmNodeId?: string;
	swarmNodeAddress?: string;
	/** True on a swarm manager (ControlAvailable): only a manager answers /nodes, /services, /tasks. */
	swarmManager?: boolean;
	drivers: string[];
	/**
	 * Where the engine writes its firewall rules (`/info` FirewallBackend.Driver, Docker 28+:
	 * "iptables", "nftables", "iptables+firewalld"); absent from engines that do not say.
	 */
	firewallBackend?: string;
}

export interface EngineEvent {
	/** "container", "network", "image", "volume", ... */
	type: string;
	action: string;
	actorId: string;
	attributes: Record<string, string>;
	/** Milliseconds since the epoch. */
	time: number;
	/** The engine's timeNano, kept as a string so no precision is lost. */
	timeNano: string;
	/** With several engines open: the label of the engine that sent it. */
	engine?: string;
}

export interface InterfaceStats {
	rxBytes: number;
	txBytes: number;
	rxPackets: number;
	txPackets: number;
	rxErrors: number;
	txErrors: number;
	rxDropped: number;
	txDropped: number;
}

export interface InterfaceRates {
	rxBytesPerSecond: number;
	txBytesPerSecond: number;
	rxPacketsPerSecond: number;
	txPacketsPerSecond: number;
}

/** A network interface of the machine that runs the engine. */
export interface HostInterface {
	name: string;
	ifindex: number;
	/** Peer ifindex for veths (equal to ifindex for most others). */
	iflink: number;
	/** "loopback", "bridge", "veth", "ethernet", "vxlan", "tun", "wireguard", ... */
	kind: string;
	/** operstate: "up", "down", "unknown", "lowerlayerdown", ... */
	state: string;
	mac?: string;
	mtu: number;
	/** CIDR strings, IPv4 first. */
	addresses: string[];
	/** Name of the bridge (or bond) this interface is enslaved to. */
	master?: string;
	stats: InterfaceStats;
}

/** The container-side end of a host veth, found through /proc/<pid>/root/sys/class/net. */
export interface VethPeer {
	hostIfindex: number;
	containerId: string;
	containerName: string;
	/** Interface name inside the container, e.g. "eth0". */
	containerInterface: string;
	containerMac?: string;
	/** Network whose endpoint has this MAC; undefined when no endpoint matched. */
	networkId?: string;
	networkName?: string;
}

/** The status text around its duration: `${prefix}${humanDuration(now - since)}${suffix}`. */
export interface StatusClock {
	prefix: string;
	/** Milliseconds since the epoch. */
	since: number;
	suffix: string;
}
