import * as fs from 'node:fs';
import path from 'node:path';

// Which network namespace an engine's unix socket is served from. A unix socket reaches
// across network namespaces (it is a file), so an engine on this machine may keep its
// bridges and veths in a namespace docknet does not see: dockerd started under
// `nsenter --net`, one engine per namespace. The kernel lists each listening socket only in
// its own namespace's /proc/<pid>/net/unix; the process holding that socket (its
// /proc/<pid>/fd names `socket:[inode]`) says whether it is the engine or a forwarder
// (ssh -L, socat), behind which the engine may run on another machine.

export type SocketNamespace =
	/** The socket listens in docknet's own network namespace: its interfaces are the engine's. */
	| {status: 'same'}
	/** The engine's daemon itself listens in another network namespace of this machine. */
	| {status: 'other'; netns: string; pid: number; command: string}
	/** Some other program holds it (ssh -L, socat, a proxy): the engine may be anywhere. */
	| {status: 'forwarded'; pid: number; command: string}
	/** Not found, found twice, or other processes cannot be read (not root). */
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

/**
 * The process holding the socket of this inode open, with its command name: the engine's
 * daemon when it is among them (systemd's socket activation holds it too), else the first.
 */
function holderOf(inode: number, pids: readonly string[], procRoot: string): {pid: number; command: string} | undefined {
	const link = `socket:[${inode}]`;
	const holders: Array<{pid: number; command: string}> = [];
	for (const pid of pids) {
		const fdDirectory = path.join(procRoot, pid, 'fd');
		let fds: string[];
		try {
			fds = fs.readdirSync(fdDirectory);
		} catch {
			continue;
		}

		if (!fds.some(fd => readOrUndefined(() => fs.readlinkSync(path.join(fdDirectory, fd))) === link)) continue;
		const command = readOrUndefined(() => fs.readFileSync(path.join(procRoot, pid, 'comm'), 'utf8').trim());
		if (command !== undefined) holders.push({pid: Number(pid), command});
	}

	return holders.find(holder => ENGINE_DAEMONS.has(holder.command)) ?? holders[0];
}

/**
 * Where the socket at `socketPath` is served from. Synchronous on purpose, like the host's
 * own sysfs reads: procfs files live in kernel memory and never block; it runs once per engine.
 */
export function locateSocketNamespace(socketPath: string, procRoot = '/proc'): SocketNamespace {
	const ours = readOrUndefined(() => fs.readlinkSync(path.join(procRoot, 'self/ns/net')));
	const ownListing = readOrUndefined(() => fs.readFileSync(path.join(procRoot, 'self/net/unix'), 'utf8'));
	if (ours === undefined || ownListing === undefined) return {status: 'unknown'};
	const pidsByNamespace = processesByNamespace(procRoot);
	const ownInode = socketInode(ownListing, socketPath);
	if (ownInode !== undefined) {
		// Unless docknet is root the holder stays unseen, and the socket is taken for the engine's.
		const holder = holderOf(ownInode, pidsByNamespace.get(ours) ?? [], procRoot);
		return holder !== undefined && !ENGINE_DAEMONS.has(holder.command) ? {status: 'forwarded', ...holder} : {status: 'same'};
	}

	const found: Array<{netns: string; pids: string[]; inode: number}> = [];
	for (const [netns, pids] of pidsByNamespace) {
		if (netns === ours) continue;
		const listing = readOrUndefined(() => fs.readFileSync(path.join(procRoot, pids[0]!, 'net/unix'), 'utf8'));
		const inode = listing === undefined ? undefined : socketInode(listing, socketPath);
		if (inode !== undefined) found.push({netns, pids, inode});
	}

	const [only] = found;
	if (found.length !== 1 || only === undefined) return {status: 'unknown'};
	const holder = holderOf(only.inode, only.pids, procRoot);
	if (holder === undefined) return {status: 'unknown'};
	return ENGINE_DAEMONS.has(holder.command) ? {status: 'other', netns: only.netns, ...holder} : {status: 'forwarded', ...holder};
}

/** Every process docknet may look at, by its network namespace; another user's is hidden unless docknet is root. */
function processesByNamespace(procRoot: string): Map<string, string[]> {
	const pidsByNamespace = new Map<string, string[]>();
	let entries: string[];
	try {
		entries = fs.readdirSync(procRoot).filter(entry => /^\d+$/.test(entry)).sort((a, b) => Number(a) - Number(b));
	} catch {
		return pidsByNamespace;
	}

	for (const pid of entries) {
		const netns = readOrUndefined(() => fs.readlinkSync(path.join(procRoot, pid, 'ns/net')));
		if (netns === undefined) continue;
		const pids = pidsByNamespace.get(netns);
		if (pids === undefined) pidsByNamespace.set(netns, [pid]);
		else pids.push(pid);
	}

	return pidsByNamespace;
}

/**
 * The one line for an engine whose socket is forwarded here and whose own name for its host
 * is not this machine's: this machine's interfaces would be taken for that host's.
 */
export function forwardedReason(engineLabel: string, engineHost: string, thisHost: string, holder: {pid: number; command: string}): string {
	return `${engineLabel}'s engine calls its host "${engineHost}", not this machine's "${thisHost}": its socket is forwarded here by ${holder.command} (pid ${holder.pid}), so this machine's interfaces are not its own and none are listed`;
}

/** The host pane's one line for an engine whose daemon listens in another namespace. */
export function otherNamespaceReason(engineLabel: string, netns: string): string {
	return `${engineLabel}'s engine runs in another network namespace (${netns}) of this machine: its interfaces are not the ones docknet sees, so none are listed`;
}
