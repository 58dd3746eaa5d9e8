import * as fs from 'node:fs';
import path from 'node:path';

// Which network namespace an engine's unix socket is served from. A unix socket reaches
// across network namespaces (it is a file), so an engine on this machine may keep its
// bridges and veths in a namespace docknet does not see: dockerd started under
// `nsenter --net`, one engine per namespace. The kernel lists each listening socket only in
// its own namespace's /proc/<pid>/net/unix; the process holding that socket (its
// /proc/<pid>/fd names `socket:[inode]`) says whether it is the engine or a forwarder.

export type SocketNamespace =
	/** The socket listens in docknet's own network namespace: its interfaces are the engine's. */
	| {status: 'same'}
	/** The engine's daemon itself listens in another network namespace of this machine. */
	| {status: 'other'; netns: string; pid: number; command: string}
	/**
	 * Not found, found twice, served by some other program (a forwarder: where the engine
	 * runs is not known), or other processes cannot be read (not root).
	 */
	| {status: 'unknown'};

/** Bit of a listening socket in the Flags column of /proc/net/unix (__SO_ACCEPTCON). */
const ACCEPTING = 0x1_0000;

/** Programs that serve the Docker API themselves; anything else holding the socket forwards it. */
const ENGINE_DAEMONS: ReadonlySet<string> = new Set(['dockerd', 'podman']);

// Num RefCount Protocol Flags Type St Inode Path; the path may hold spaces, an unbound socket has none.
const UNIX_LINE = /^\s*\S+:\s+\S+\s+\S+\s+([\da-fA-F]+)\s+\S+\s+\S+\s+(\d+)\s+(.+)$/;

/** The listening sockets with a path in one /proc/<pid>/net/unix listing. */
export function listeningSockets(listing: string): Array<{path: string; inode: number}> {
	const sockets: Array<{path: string; inode: number}> = [];
	for (const line of listing.split('\n')) {
		const match = UNIX_LINE.exec(line);
		if (match === null || (Number.parseInt(match[1]!, 16) & ACCEPTING) === 0) continue;
		sockets.push({path: match[3]!.trimEnd(), inode: Number(match[2])});
	}

	return sockets;
}

function realPathOr(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return file;
	}
}

function readOrUndefined(read: () => string): string | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

/**
 * The inode of the listening socket bound to this path in a listing: by the path it was
 * bound to, or by where that path leads (bound as /var/run/docker.sock, asked as /run/…).
 */
function socketInode(listing: string, socketPath: string): number | undefined {
	const wanted = new Set([socketPath, realPathOr(socketPath)]);
	const name = path.basename(socketPath);
	return listeningSockets(listing).find(socket => wanted.has(socket.path) || (path.basename(socket.path) === name && wanted.has(realPathOr(socket.path))))?.inode;
}

/** The first of these processes holding the socket of this inode open. */
function holderOf(inode: number, pids: readonly string[], procRoot: string): string | undefined {
	const link = `socket:[${inode}]`;
	return pids.find(pid => {
		const fdDirectory = path.join(procRoot, pid, 'fd');
		let fds: string[];
		try {
			fds = fs.readdirSync(fdDirectory);
		} catch {
			return false;
		}

		return fds.some(fd => readOrUndefined(() => fs.readlinkSync(path.join(fdDirectory, fd))) === link);
	});
}

/**
 * Where the socket at `socketPath` is served from. Synchronous on purpose, like the host's
 * own sysfs reads: procfs files live in kernel memory and never block; it runs once per engine.
 */
export function locateSocketNamespace(socketPath: string, procRoot = '/proc'): SocketNamespace {
	const ours = readOrUndefined(() => fs.readlinkSync(path.join(procRoot, 'self/ns/net')));
	const ownListing = readOrUndefined(() => fs.readFileSync(path.join(procRoot, 'self/net/unix'), 'utf8'));
	if (ours === undefined || ownListing === undefined) return {status: 'unknown'};
	if (socketInode(ownListing, socketPath) !== undefined) return {status: 'same'};

	let entries: string[];
	try {
		entries = fs.readdirSync(procRoot).filter(entry => /^\d+$/.test(entry)).sort((a, b) => Number(a) - Number(b));
	} catch {
		return {status: 'unknown'};
	}

	// Another user's process hides its namespace unless docknet is root: it is left out.
	const pidsByNamespace = new Map<string, string[]>();
	for (const pid of entries) {
		const netns = readOrUndefined(() => fs.readlinkSync(path.join(procRoot, pid, 'ns/net')));
		if (netns === undefined || netns === ours) continue;
		const pids = pidsByNamespace.get(netns);
		if (pids === undefined) pidsByNamespace.set(netns, [pid]);
		else pids.push(pid);
	}

	const found: Array<{netns: string; pids: string[]; inode: number}> = [];
	for (const [netns, pids] of pidsByNamespace) {
		const listing = readOrUndefined(() => fs.readFileSync(path.join(procRoot, pids[0]!, 'net/unix'), 'utf8'));
		const inode = listing === undefined ? undefined : socketInode(listing, socketPath);
		if (inode !== undefined) found.push({netns, pids, inode});
	}

	const [only] = found;
	if (found.length !== 1 || only === undefined) return {status: 'unknown'};
	const holder = holderOf(only.inode, only.pids, procRoot);
	const command = holder === undefined ? undefined : readOrUndefined(() => fs.readFileSync(path.join(procRoot, holder, 'comm'), 'utf8').trim());
	if (holder === undefined || command === undefined || !ENGINE_DAEMONS.has(command)) return {status: 'unknown'};
	return {status: 'other', netns: only.netns, pid: Number(holder), command};
}

/** The host pane's one line for an engine whose daemon listens in another namespace. */
export function otherNamespaceReason(engineLabel: string, netns: string): string {
	return `${engineLabel}'s engine runs in another network namespace (${netns}) of this machine: its interfaces are not the ones docknet sees, so none are listed`;
}
