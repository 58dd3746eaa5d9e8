import type * as NodeFs from 'node:fs';

// Reading a file that a container controls (its /etc/hosts, its sysfs, anything under
// /proc/<pid>/root) as root, without letting the container turn the read against docknet.
//
// What a container can put at such a path, and what this does about it:
// - An absolute symlink (/etc/hosts -> /etc/shadow): the kernel would resolve it against
//   docknet's own root, i.e. the host. Here no symlink is ever followed by the kernel: the
//   path is walked one component at a time, each opened with O_PATH|O_NOFOLLOW relative to
//   the directory opened before it (through /proc/self/fd/<fd>/<name>, Node's stand-in for
//   openat), and a link's target is resolved by us inside the container's root, as openat2's
//   RESOLVE_IN_ROOT would: an absolute target starts again at that root, `..` stops at it.
//   Because every step hangs off an fd already held, nothing swapped in between two steps
//   can redirect the walk (no check-then-use gap), and at most 40 links are followed.
// - A FIFO, a device, a socket, a directory: the last component is opened with O_PATH first,
//   which runs no driver code and cannot block, and fstat decides; only a regular file is
//   then opened for reading, through its O_PATH fd (so the very same inode), with
//   O_NONBLOCK|O_NOCTTY. A device node is never opened (a watchdog or tape device acts on open).
// - A file on procfs (/etc/hosts -> /proc/self/environ, meaningful when the container shares
//   the host's pid namespace): the environment or memory of a host process read as root
//   would be a confused deputy. The file system is checked on the opened file (statfs of
//   /proc/self/fd/<fd>), and procfs is refused; sysfs attributes must come from sysfs.
// - A huge file (a 20 MB hosts file, a sparse 1 TB one): at most capBytes are read, and the
//   caller learns the size to say "cut at N KB of M".
// - A directory with a million entries: listings stop at maxEntries.
//
// These functions take Node's fs as a parameter and use nothing else from their module,
// because they also run in a helper process started from their source text
// (contained-reader.ts): a file system that hangs (an autofs or NFS mount the container
// made) hangs only that helper, which is killed, never docknet's main thread.

/** What reading one contained file gave. */
export type ContainedFile =
	| {status: 'read'; text: string; size: number; cut: boolean}
	| {status: 'missing'; detail: string}
	| ContainedRefusal;

/** `code` is the errno of a read that failed (EACCES: not root, or a security module). */
export type ContainedRefusal = {status: 'refused'; reason: string; code?: string};

export type ContainedFiles = {status: 'read'; files: ContainedFile[]} | {status: 'missing'; detail: string} | ContainedRefusal;

export type ContainedListing = {status: 'listed'; names: string[]; cut: boolean} | {status: 'missing'; detail: string} | ContainedRefusal;

export interface ContainedReadOptions {
	/** Read at most this many bytes. */
	capBytes: number;
	/** 'sysfs': the file must be a sysfs attribute. Default: anything but procfs. */
	filesystem?: 'sysfs';
}

export interface ContainedFileReader {
	/** `inside` is a path inside the container ("/etc/hosts"); `root` its root (/proc/<pid>/root). */
	readFile(root: string, inside: string, options: ContainedReadOptions): ContainedFile;
	/** Files `names` of `directory`, which is resolved once; each file is checked as readFile does. */
	readFilesIn(root: string, directory: string, names: readonly string[], options: ContainedReadOptions): ContainedFiles;
	listDirectory(root: string, inside: string, maxEntries: number): ContainedListing;
}

/** Node's fs, or the part of it the reader uses (tests inject failures). */
export type ContainedFs = Pick<
	typeof NodeFs,
	'openSync' | 'closeSync' | 'fstatSync' | 'readSync' | 'readlinkSync' | 'statfsSync' | 'opendirSync' | 'constants'
>;

export function createContainedFileReader(fs: ContainedFs): ContainedFileReader {
	// Linux's value on x86-64 and arm64 (asm-generic); Node does not export it.
	const O_PATH = 0o10_000_000;
	const {O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK, O_NOCTTY, O_RDONLY} = fs.constants;
	const PROC_SUPER_MAGIC = 0x9f_a0;
	const SYSFS_MAGIC = 0x62_65_65_72;
	const MAX_LINKS = 40;

	class Refusal extends Error {}
	class Missing extends Error {}

	const codeOf = (error: unknown): string => (typeof error === 'object' && error !== null && 'code' in error ? String((error as {code: unknown}).code) : '');
	const typeName = (stats: NodeFs.Stats): string => {
		if (stats.isFIFO()) return 'a FIFO';
		if (stats.isCharacterDevice()) return 'a character device';
		if (stats.isBlockDevice()) return 'a block device';
		if (stats.isSocket()) return 'a socket';
		if (stats.isDirectory()) return 'a directory';
		if (stats.isSymbolicLink()) return 'a symbolic link';
		return 'not a regular file';
	};
	// The names are the container's: a sentence about them stays short.
	const shown = (parts: readonly string[]): string => {
		const text = `/${parts.join('/')}`;
		return text.length > 160 ? `${text.slice(0, 159)}\u2026` : text;
	};

	/**
	 * Opens `inside` under `root` with O_PATH; the caller closes the fd. `directory` asks
	 * for a directory at the end. Returns the fd and the path as finally resolved.
	 */
	function resolve(root: string, inside: string, directory: boolean): {fd: number; resolved: string} {
		const held: number[] = [fs.openSync(root, O_PATH | O_DIRECTORY)];
		const names: string[] = [];
		const pending = inside.split('/').filter(part => part !== '' && part !== '.');
		let links = 0;
		const closeHeld = (from: number): void => {
			for (const fd of held.splice(from)) fs.closeSync(fd);
		};

		try {
			while (pending.length > 0) {
				const name = pending.shift() as string;
				if (name === '..') {
					// At the container's root, `..` is the root itself.
					if (held.length > 1) {
						closeHeld(held.length - 1);
						names.pop();
					}

					continue;
				}

				const last = pending.length === 0;
				const here = `/proc/self/fd/${held[held.length - 1] ?? -1}/${name}`;
				const wantsDirectory = !last || directory;
				let fd: number;
				let opened = false;
				try {
					fd = fs.openSync(here, O_PATH | O_NOFOLLOW | (wantsDirectory ? O_DIRECTORY : 0));
					// With O_NOFOLLOW, O_DIRECTORY succeeds on a real directory only: no fstat needed.
					opened = wantsDirectory;
				} catch (error) {
					const code = codeOf(error);
					if (code === 'ENOENT') throw new Missing(`${shown([...names, name])} does not exist inside the container`);
					if (code !== 'ENOTDIR') throw error;
					// Not a directory: either a symlink (resolved below) or a file in the middle of the path.
					fd = fs.openSync(here, O_PATH | O_NOFOLLOW);
				}

				if (opened) {
					held.push(fd);
					names.push(name);
					continue;
				}

				const stats = fs.fstatSync(fd);
				if (stats.isSymbolicLink()) {
					fs.closeSync(fd);
					links += 1;
					if (links > MAX_LINKS) throw new Refusal(`more than ${MAX_LINKS} symbolic links on the way to ${inside}`);
					let target: string;
					try {
						target = fs.readlinkSync(here);
					} catch (error) {
						// /proc/self and its kind name no process of the container's pid namespace.
						if (codeOf(error) === 'ENOENT') throw new Missing(`${shown([...names, name])} is a link that leads nowhere inside the container`);
						throw error;
					}

					if (target.startsWith('/')) {
						// Absolute: from the container's root, never the host's.
						closeHeld(1);
						names.length = 0;
					}

					const parts = target.split('/').filter(part => part !== '' && part !== '.');
					for (let index = parts.length - 1; index >= 0; index--) pending.unshift(parts[index] as string);
					continue;
				}

				if (wantsDirectory && !stats.isDirectory()) {
					fs.closeSync(fd);
					if (last) throw new Refusal(`${shown([...names, name])} is ${typeName(stats)}, not a directory`);
					throw new Missing(`${shown([...names, name])} is not a directory inside the container`);
				}

				held.push(fd);
				names.push(name);
			}

			const fd = held.pop() as number;
			closeHeld(0);
			return {fd, resolved: shown(names)};
		} catch (error) {
			closeHeld(0);
			throw error;
		}
	}

	/** A sentence for a path that was resolved somewhere other than where it was asked for. */
	const via = (inside: string, resolved: string): string => (resolved === inside ? inside : `${inside} (a link to ${resolved})`);

	function guarded<T>(work: () => T | ContainedRefusal, missing: (detail: string) => T): T | ContainedRefusal {
		try {
			return work();
		} catch (error) {
			if (error instanceof Refusal) return {status: 'refused', reason: error.message};
			if (error instanceof Missing) return missing(error.message);
			const code = codeOf(error);
			if (code === 'ENOENT' || code === 'ESRCH') return missing('the container is gone');
			if (code === 'ELOOP') return {status: 'refused', reason: 'a symbolic link changed while it was read'};
			return {status: 'refused', reason: `cannot be read (${code || (error instanceof Error ? error.message : String(error))})`, code};
		}
	}

	/** Reads the file an O_PATH fd holds, after the checks; the caller closes pathFd. */
	function readOpened(pathFd: number, inside: string, resolved: string, options: ContainedReadOptions): ContainedFile {
		const stats = fs.fstatSync(pathFd);
		if (!stats.isFile()) throw new Refusal(`${via(inside, resolved)} is ${typeName(stats)}, not read`);
		const {type} = fs.statfsSync(`/proc/self/fd/${pathFd}`);
		if (type === PROC_SUPER_MAGIC) throw new Refusal(`${via(inside, resolved)} is a file of /proc, not read`);
		if (options.filesystem === 'sysfs' && type !== SYSFS_MAGIC) throw new Refusal(`${via(inside, resolved)} is not a sysfs file, not read`);
		// Through the O_PATH fd: the inode just checked, whatever the path holds now.
		const fd = fs.openSync(`/proc/self/fd/${pathFd}`, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		try {
			const buffer = Buffer.alloc(Math.min(options.capBytes, Math.max(stats.size, 4096)) + 1);
			let length = 0;
			while (length < buffer.length) {
				const got = fs.readSync(fd, buffer, length, buffer.length - length, length);
				if (got === 0) break;
				length += got;
			}

			const cut = length > options.capBytes;
			const text = buffer.subarray(0, Math.min(length, options.capBytes)).toString('utf8');
			return {status: 'read', text, size: Math.max(stats.size, length), cut};
		} finally {
			fs.closeSync(fd);
		}
	}

	const missingFile = (detail: string): ContainedFile => ({status: 'missing', detail});

	function readFile(root: string, inside: string, options: ContainedReadOptions): ContainedFile {
		return guarded<ContainedFile>((): ContainedFile => {
			const {fd, resolved} = resolve(root, inside, false);
			try {
				return readOpened(fd, inside, resolved, options);
			} finally {
				fs.closeSync(fd);
			}
		}, missingFile);
	}

	/** Several files of one directory, which is walked to once (sysfs attributes of an interface). */
	function readFilesIn(root: string, directory: string, names: readonly string[], options: ContainedReadOptions): ContainedFiles {
		return guarded<ContainedFiles>((): ContainedFiles => {
			const {fd: directoryFd, resolved} = resolve(root, directory, true);
			try {
				const files = names.map(name =>
					guarded<ContainedFile>((): ContainedFile => {
						const inside = `${directory}/${name}`;
						let fd: number;
						try {
							fd = fs.openSync(`/proc/self/fd/${directoryFd}/${name}`, O_PATH | O_NOFOLLOW);
						} catch (error) {
							if (codeOf(error) === 'ENOENT') throw new Missing(`${inside} does not exist inside the container`);
							throw error;
						}

						try {
							// A link takes the long way, resolved inside the root like any other.
							if (fs.fstatSync(fd).isSymbolicLink()) return readFile(root, inside, options);
							return readOpened(fd, inside, `${resolved}/${name}`, options);
						} finally {
							fs.closeSync(fd);
						}
					}, missingFile),
				);
				return {status: 'read', files};
			} finally {
				fs.closeSync(directoryFd);
			}
		}, detail => ({status: 'missing', detail}));
	}

	function listDirectory(root: string, inside: string, maxEntries: number): ContainedListing {
		return guarded<ContainedListing>(
			(): ContainedListing => {
				const {fd} = resolve(root, inside, true);
				try {
					const directory = fs.opendirSync(`/proc/self/fd/${fd}`);
					const names: string[] = [];
					try {
						for (let entry = directory.readSync(); entry !== null; entry = directory.readSync()) {
							if (names.length === maxEntries) return {status: 'listed', names, cut: true};
							names.push(entry.name);
						}
					} finally {
						directory.closeSync();
					}

					return {status: 'listed', names, cut: false};
				} finally {
					fs.closeSync(fd);
				}
			},
			detail => ({status: 'missing', detail}),
		);
	}

	return {readFile, readFilesIn, listDirectory};
}
