import {closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, statSync} from 'node:fs';
import type {Stats} from 'node:fs';
import path from 'node:path';

// Where config.yaml lives and how it is read. docknet often runs as root, and its file can
// make it change engines (readOnly off, other engines): a file someone else could write is
// refused, as ssh refuses such a config, and a symbolic link is followed only when it is
// the user's own (or root's).

export function configDirectory(env: Record<string, string | undefined>, homeDir: string): string {
	const base = env['XDG_CONFIG_HOME'];
	return path.join(base !== undefined && base !== '' && path.isAbsolute(base) ? base : path.join(homeDir, '.config'), 'docknet');
}

export function configFilePath(env: Record<string, string | undefined>, homeDir: string): string {
	return path.join(configDirectory(env, homeDir), 'config.yaml');
}

export type ConfigText =
	| {kind: 'absent'; path: string}
	| {kind: 'refused'; path: string; reason: string}
	| {kind: 'read'; path: string; text: string};

const trustedOwner = (stats: Stats, uid: number): boolean => stats.uid === uid || stats.uid === 0;
const writableByOthers = (stats: Stats): boolean => (stats.mode & 0o022) !== 0;
const mode = (stats: Stats): string => (stats.mode & 0o777).toString(8).padStart(3, '0');

/** Why `entry` (a directory or the file) may not be trusted, or undefined when it may. */
function distrust(entry: string, uid: number, what: 'directory' | 'file'): string | undefined {
	const link = lstatSync(entry);
	if (link.isSymbolicLink() && !trustedOwner(link, uid)) return `${entry} is a symbolic link owned by uid ${link.uid}, not by you`;
	const target = statSync(entry);
	if (what === 'directory' ? !target.isDirectory() : !target.isFile()) return `${entry} is not a ${what}`;
	if (target.uid !== uid) return `${entry} is owned by uid ${target.uid}, not by you (uid ${uid})`;
	if (writableByOthers(target)) return `${entry} is writable by group or others (mode ${mode(target)}): chmod go-w it`;
	return undefined;
}

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** Reads the file if it is there and safe; never throws. */
export function readConfigText(file: string, uid: number = process.getuid?.() ?? 0): ConfigText {
	const directory = path.dirname(file);
	try {
		const problem = distrust(directory, uid, 'directory') ?? distrust(file, uid, 'file');
		if (problem) return {kind: 'refused', path: file, reason: problem};
		// What is read is what was checked: the opened file is checked again, by its descriptor.
		// A link was checked above (the user's own); anything else must not turn into one meanwhile.
		const linked = lstatSync(file).isSymbolicLink();
		const descriptor = openSync(file, constants.O_RDONLY | (linked ? 0 : constants.O_NOFOLLOW));
		try {
			const opened = fstatSync(descriptor);
			if (!opened.isFile() || opened.uid !== uid || writableByOthers(opened)) return {kind: 'refused', path: file, reason: `${file} changed while it was read`};
			return {kind: 'read', path: file, text: readFileSync(descriptor, 'utf8')};
		} finally {
			closeSync(descriptor);
		}
	} catch (error) {
		if (missing(error)) return {kind: 'absent', path: file};
		return {kind: 'refused', path: file, reason: `${file} could not be read: ${(error as Error).message}`};
	}
}
