import * as fs from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

// Where docknet's ssh control sockets live: one private directory per user.

const MAX_SOCKET_PATH = 100;

export function defaultControlDirectory(): string {
	return path.join(tmpdir(), `docknet-ssh-${process.getuid?.() ?? 'user'}`);
}

/**
 * Makes (or reuses) the socket directory; undefined when it cannot be used safely. In a
 * shared /tmp another user could have made it first: it must be a real directory, ours,
 * closed to group and others.
 */
export async function prepareControlDirectory(directory: string): Promise<string | undefined> {
	// %C expands to 40 characters; unix socket paths must stay short.
	if (directory.length + 41 > MAX_SOCKET_PATH) return undefined;
	try {
		await fs.mkdir(directory, {mode: 0o700});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
	}
	try {
		const info = await fs.lstat(directory);
		const uid = process.getuid?.();
		if (!info.isDirectory() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o077) !== 0) return undefined;
		return directory;
	} catch {
		return undefined;
	}
}
