// A container's network stack as seen from inside it (what `docker exec … ip addr`, `ip
// route`, `cat /etc/resolv.conf` and `cat /etc/hosts` would print), read from the engine's
// host without exec'ing into the container. Pure types.

export interface InsideInterface {
	name: string;
	ifindex: number;
	/** The `@ifN` of `ip addr`: ifindex of the peer, in another namespace (a veth's host end). */
	peerIfindex?: number;
	/** operstate: "UP", "DOWN", "UNKNOWN" (lo). */
	state: string;
	mtu: number;
	mac?: string;
	/** CIDR strings, IPv4 first. */
	addresses: string[];
}

export interface InsideRoute {
	family: 4 | 6;
	/** "default" or a CIDR. */
	destination: string;
	gateway?: string;
	device?: string;
	protocol?: string;
	scope?: string;
	source?: string;
	metric?: number;
}

export interface InsideDns {
	nameservers: string[];
	search: string[];
	options: string[];
}

export interface HostsEntry {
	address: string;
	names: string[];
}

/** How one of the container's files was read (it controls them: they may be anything). */
export interface InsideFile {
	/** The path inside the container: "/etc/hosts", "/etc/resolv.conf". */
	path: string;
	status: 'read' | 'missing' | 'refused';
	/** Its size in bytes, when it was a regular file. */
	size?: number;
	/** Bytes read: all of it, or the cap. */
	readBytes?: number;
	/** Whether only the first readBytes were read. */
	cut?: boolean;
	/** What the user should know: why it was not read, or what was left out. */
	note?: string;
}

export type InsideView =
	| {status: 'ok'; interfaces: InsideInterface[]; routes: InsideRoute[]; dns: InsideDns; hosts: HostsEntry[]; files: InsideFile[]}
	| {status: 'unavailable'; reason: string};

/** Reads one container's inside view by the pid of its main process. */
/** `containerId` says whose pid it is: with several engines open, which host to read. */
export type InsideReader = (pid: number, containerId?: string) => Promise<InsideView>;
