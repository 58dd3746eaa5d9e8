import {closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, unlinkSync, writeSync} from 'node:fs';
import type {Stats} from 'node:fs';
import path from 'node:path';
import {errorCode} from './error-code.js';

// docknet often runs as root, and loads back what it wrote before (compiled code) or appends to
// it (the journal). Whoever can change such a file, or the directory it is in, could make root
// run their code or write where they point. So, as ssh does for its own files, docknet uses a
// directory only when nobody but the running user (or root) can change it or any directory
// above it:
// - the directory itself is a real directory (not a symbolic link), owned by the running user,
//   with no write bit for group or others;
// - every directory above it, up to /, is owned by that user or root, and either has no write
//   bit for group or others or is sticky (like /tmp: only an entry's owner may rename or remove
//   it, and the entry below is the user's or root's). ssh stops at the home directory; going up
//   to / costs a few lstat calls and also covers an XDG directory outside home. Symbolic links
//   above the directory are resolved first and the real directories are checked;
// - a file is opened without following a symbolic link (O_NOFOLLOW), never blocks on a FIFO
//   (O_NONBLOCK), and is used only when the descriptor itself (fstat) is a regular file owned by
//   the running user with no write bit for group or others.
// Since no one else can change a directory on that path, nothing can be swapped between the check
// and the open.

export type DirectoryCheck =
	/** Safe to use; `directory` is its real path (symbolic links above it resolved). */
	| {state: 'private'; directory: string}
	/** It does not exist yet (only when it was not to be created): nothing to read there. */
	| {state: 'absent'}
	/** It exists, but someone else could change what is in it: docknet keeps out. */
	| {state: 'refused'; problem: string}
	/** It could not be read or made (a read-only home, a full disk). */
	| {state: 'failed'; problem: string};

export interface PrivateDirectoryOptions {
	/** Make the directory (and missing parents) with mode 0700 when it does not exist. */
	create: boolean;
	/** The user it must belong to; the effective uid by default. */
	uid?: number;
}

const groupOrOtherWrite = 0o022;
// The sticky bit (S_ISVTX, which node's fs.constants leaves out).
const sticky = 0o1000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The effective uid, or undefined where there are no uids (Windows). */
export function runningUid(): number | undefined {
	return process.geteuid?.();
}

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8)}`;

/** Why `entry` may not hold docknet's files, or undefined when it may. */
function ownDirectoryProblem(entry: string, stats: Stats, uid: number): string | undefined {
	if (stats.isSymbolicLink()) return `${entry} is a symbolic link`;
	if (!stats.isDirectory()) return `${entry} is not a directory`;
	if (stats.uid !== uid) return `${entry} is owned by uid ${stats.uid}, not by uid ${uid} that docknet runs as`;
	if ((stats.mode & groupOrOtherWrite) !== 0) return `${entry} is writable by its group or others (mode ${octal(stats.mode)})`;
	return undefined;
}

/** Why a directory above docknet's may let someone else swap what is below it. */
function ancestorProblem(entry: string, stats: Stats, uid: number): string | undefined {
	if (!stats.isDirectory()) return `${entry} is not a directory`;
	if (stats.uid !== uid && stats.uid !== 0) return `${entry} is owned by uid ${stats.uid}, neither root nor uid ${uid} that docknet runs as`;
	if ((stats.mode & groupOrOtherWrite) !== 0 && (stats.mode & sticky) === 0) {
		return `${entry} is writable by its group or others (mode ${octal(stats.mode)})`;
	}

	return undefined;
}

/** Checks `real` (a path without symbolic links) and every directory above it. */
function ancestorsProblem(real: string, uid: number): string | undefined {
	for (let entry = real; ; entry = path.dirname(entry)) {
		const problem = ancestorProblem(entry, lstatSync(entry), uid);
		if (problem) return problem;
		if (path.dirname(entry) === entry) return undefined;
	}
}

/** Whether `directory` may hold docknet's files, made first when asked (see the rule above). */
export function privateDirectory(directory: string, options: PrivateDirectoryOptions): DirectoryCheck {
	const uid = options.uid ?? runningUid();
	if (uid === undefined) return {state: 'failed', problem: 'this system has no file owners to check'};
	const wanted = path.resolve(directory);
	try {
		// The deepest part of the path that exists, and the names below it still to be made.
		const missing: string[] = [];
		let existing = wanted;
		for (;;) {
			try {
				lstatSync(existing);
				break;
			} catch (error) {
				if (errorCode(error) !== 'ENOENT') throw error;
			}

			missing.unshift(path.basename(existing));
			existing = path.dirname(existing);
		}

		if (missing.length === 0) {
			const problem = ownDirectoryProblem(wanted, lstatSync(wanted), uid);
			if (problem) return {state: 'refused', problem};
		} else if (!options.create) {
			return {state: 'absent'};
		}

		let current = realpathSync(existing);
		const problem = ancestorsProblem(current, uid);
		if (problem) return {state: 'refused', problem};
		for (const name of missing) {
			current = path.join(current, name);
			try {
				mkdirSync(current, {mode: 0o700});
			} catch (error) {
				// Made meanwhile by someone: it is checked like any other.
				if (errorCode(error) !== 'EEXIST') throw error;
			}

			const made = ownDirectoryProblem(current, lstatSync(current), uid);
			if (made) return {state: 'refused', problem: made};
		}

		return {state: 'private', directory: current};
	} catch (error) {
		return {state: 'failed', problem: errorText(error)};
	}
}

/** Why an open file may not be used as docknet's own, or undefined when it may. */
function ownFileProblem(file: string, stats: Stats, uid: number): string | undefined {
	if (!stats.isFile()) return `${file} is not a regular file`;
	if (stats.uid !== uid) return `${file} is owned by uid ${stats.uid}, not by uid ${uid} that docknet runs as`;
	if ((stats.mode & groupOrOtherWrite) !== 0) return `${file} is writable by its group or others (mode ${octal(stats.mode)})`;
	return undefined;
}

/** Opens without following a symbolic link or waiting on a FIFO; a link reads as refused. */
function openOwnFile(file: string, flags: number, mode?: number): {fd: number} | {refused: string} {
	try {
		return {fd: openSync(file, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode)};
	} catch (error) {
		if (errorCode(error) === 'ELOOP') return {refused: `${file} is a symbolic link`};
		throw error;
	}
}

export type FileRead = {state: 'read'; data: Buffer} | {state: 'absent'} | {state: 'refused'; problem: string} | {state: 'failed'; problem: string};

/** Reads a file of docknet's own (see the rule above), at most `maxBytes` of it. */
export function readPrivateFile(file: string, maxBytes: number, uid = runningUid()): FileRead {
	if (uid === undefined) return {state: 'failed', problem: 'this system has no file owners to check'};
	let fd: number | undefined;
	try {
		const opened = openOwnFile(file, constants.O_RDONLY);
		if ('refused' in opened) return {state: 'refused', problem: opened.refused};
		fd = opened.fd;
		const stats = fstatSync(fd);
		const problem = ownFileProblem(file, stats, uid);
		if (problem) return {state: 'refused', problem};
		if (stats.size > maxBytes) return {state: 'failed', problem: `${file} is larger than ${maxBytes} bytes`};
		const data = Buffer.allocUnsafe(stats.size);
		let filled = 0;
		while (filled < data.length) {
			const count = readSync(fd, data, filled, data.length - filled, null);
			if (count === 0) break;
			filled += count;
		}

		return {state: 'read', data: data.subarray(0, filled)};
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return {state: 'absent'};
		return {state: 'failed', problem: errorText(error)};
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

function writeAll(fd: number, data: Uint8Array): void {
	for (let written = 0; written < data.length; ) written += writeSync(fd, data, written);
}

/**
 * Appends to a file of docknet's own, making it (mode 0600) when there is none; returns why
 * not, or undefined once written. A symbolic link, a FIFO, or a file of someone else's gets
 * nothing.
 */
export function appendPrivateFile(file: string, text: string, uid = runningUid()): string | undefined {
	if (uid === undefined) return 'this system has no file owners to check';
	let fd: number | undefined;
	try {
		const opened = openOwnFile(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
		if ('refused' in opened) return opened.refused;
		fd = opened.fd;
		const problem = ownFileProblem(file, fstatSync(fd), uid);
		if (problem) return problem;
		writeAll(fd, Buffer.from(text));
		return undefined;
	} catch (error) {
		return errorText(error);
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

/** Makes a new file (O_EXCL: never one that exists, nor through a link); throws EEXIST and the like. */
export function createPrivateFile(file: string, data: string | Uint8Array, mode: number): void {
	const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
	try {
		writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
	} finally {
		closeSync(fd);
	}
}

/** Removes the regular files of the running user in `directory` whose names `remove` picks. */
export function removeOwnFiles(directory: string, remove: (name: string) => boolean, uid = runningUid()): void {
	if (uid === undefined) return;
	for (const name of readdirSync(directory)) {
		if (!remove(name)) continue;
		const file = path.join(directory, name);
		try {
			const stats = lstatSync(file);
			if (stats.isFile() && stats.uid === uid) unlinkSync(file);
		} catch {
			// Gone already.
		}
	}
}
