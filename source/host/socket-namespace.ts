import * as fs from 'node:fs';
import path from 'node:path';

// Which network namespace an engine's unix socket is served from. A unix socket reaches
// across network namespaces (it is a file), so an engine on this machine may keep its
// bridges and veths in a namespace docknet does not see: dockerd started under
// `nsenter --net`, one engine per namespace. The kernel lists each listening socket only in
// its own namespace's /proc/<pid>/net/unix, so the namespace whose list has the socket's
// path is the engine's.

export type SocketNamespace =
	/** The socket listens in docknet's own network namespace: its interfaces are the engine's. */
	| {status: 'same'}
	/** It listens in exactly one other namespace, served by a process there. */
	| {status: 'other'; netns: string; pid: number}
	/** Not found, found twice, or the other processes' namespaces cannot be read (not root). */
	| {status: 'unknown'};

/** Bit of a listening socket in the Flags column of /proc/net/unix (__SO_ACCEPTCON). */
const ACCEPTING = 0x1_0000;

// Num RefCount Protocol Flags Type St Inode Path; the path may hold spaces, an unbound socket has none.
const UNIX_LINE = /^\s*\S+:\s+\S+\s+\S+\s+([\da-fA-F]+)\s+\S+\s+\S+\s+\d+\s+(.+)$/;

/** Paths of the listening sockets in one /proc/<pid>/net/unix listing. */
export function listeningSocketPaths(listing: string): string[] {
	const paths: string[] = [];
	for (const line of listing.split('\n')) {
		const match = UNIX_LINE.exec(line);
		if (match === null || (Number.parseInt(match[1]!, 16) & ACCEPTING) === 0) continue;
		paths.push(match[2]!.trimEnd());
	}

	return paths;
}

function realPathOr(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return file;
	}
}

/**
 * Whether a listing names this socket: by the path it was bound to, or by where that path
 * leads (bound as /var/run/docker.sock, asked for as /run/docker.sock).
 */
function listsSocket(listing: string, wanted: ReadonlySet<string>, name: string): boolean {
	return listeningSocketPaths(listing).some(bound => wanted.has(bound) || (path.basename(bound) === name && wanted.has(realPathOr(bound))));
}

function readOrUndefined(read: () => string): string | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

/**
 * Where the socket at `socketPath` listens. Synchronous on purpose, like the host's own
 * sysfs reads: procfs files live in kernel memory and never block; it runs once per engine.
 */
export function locateSocketNamespace(socketPath: string, procRoot = '/proc'): SocketNamespace {
	const wanted = new Set([socketPath, realPathOr(socketPath)]);
	const name = path.basename(socketPath);
	const ours = readOrUndefined(() => fs.readlinkSync(path.join(procRoot, 'self/ns/net')));
	const ownListing = readOrUndefined(() => fs.readFileSync(path.join(procRoot, 'self/net/unix'), 'utf8'));
	if (ours === undefined || ownListing === undefined) return {status: 'unknown'};
	if (listsSocket(ownListing, wanted, name)) return {status: 'same'};

	const seen = new Set([ours]);
	const found: Array<{netns: string; pid: number}> = [];
	let pids: string[];
	try {
		pids = fs.readdirSync(procRoot).filter(entry => /^\d+$/.test(entry)).sort((a, b) => Number(a) - Number(b));
	} catch {
		return {status: 'unknown'};
	}

	for (const pid of pids) {
		// Another user's process hides its namespace unless docknet is root: then it stays unknown.
		const netns = readOrUndefined(() => fs.readlinkSync(path.join(procRoot, pid, 'ns/net')));
		if (netns === undefined || seen.has(netns)) continue;
		seen.add(netns);
		const listing = readOrUndefined(() => fs.readFileSync(path.join(procRoot, pid, 'net/unix'), 'utf8'));
		if (listing !== undefined && listsSocket(listing, wanted, name)) found.push({netns, pid: Number(pid)});
	}

	const [only] = found;
	return found.length === 1 && only !== undefined ? {status: 'other', ...only} : {status: 'unknown'};
}

/** The host pane's one line for an engine whose socket listens in another namespace. */
export function otherNamespaceReason(engineLabel: string, netns: string): string {
	return `${engineLabel}'s engine runs in another network namespace (${netns}) of this machine: its interfaces are not the ones docknet sees, so none are listed; networks, containers, addresses and actions work`;
}
