import {lstatSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {privateDirectory, readPrivateFile, runningUid} from '../runtime/private-files.js';

// Where config.yaml lives and how it is read. docknet often runs as root, and its file can
// change what docknet does (readOnly off, other engines): it is read under the same rule as
// docknet's other own files (runtime/private-files.ts: nobody else can change it or any
// directory above it). One addition: a symbolic link of the user's own, or root's (a
// dotfiles checkout), is followed to what it names; a link of anyone else's never is.

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

/** A config file is a few kilobytes; anything far bigger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** The file's real path once the links to it are known to be trusted ones, or why not. */
function followTrustedLinks(file: string, uid: number): {real: string} | {refused: string} | 'absent' {
	try {
		for (const entry of [path.dirname(file), file]) {
			const stats = lstatSync(entry);
			if (stats.isSymbolicLink() && stats.uid !== uid && stats.uid !== 0) return {refused: `${entry} is a symbolic link owned by uid ${stats.uid}, not by uid ${uid} that docknet runs as`};
		}

		return {real: realpathSync(file)};
	} catch (error) {
		if (missing(error)) return 'absent';
		throw error;
	}
}

/** Reads the file if it is there and safe; never throws. */
export function readConfigText(file: string, uid: number | undefined = runningUid()): ConfigText {
	const refused = (reason: string): ConfigText => ({kind: 'refused', path: file, reason});
	if (uid === undefined) return refused('this system has no file owners to check');
	try {
		const followed = followTrustedLinks(file, uid);
		if (followed === 'absent') return {kind: 'absent', path: file};
		if ('refused' in followed) return refused(followed.refused);
		const directory = privateDirectory(path.dirname(followed.real), {create: false, uid});
		if (directory.state === 'absent') return {kind: 'absent', path: file};
		if (directory.state !== 'private') return refused(directory.problem);
		const read = readPrivateFile(followed.real, MAX_CONFIG_BYTES, uid);
		if (read.state === 'absent') return {kind: 'absent', path: file};
		if (read.state !== 'read') return refused(read.problem);
		return {kind: 'read', path: file, text: read.data.toString('utf8')};
	} catch (error) {
		return refused(`${file} could not be read: ${error instanceof Error ? error.message : String(error)}`);
	}
}
