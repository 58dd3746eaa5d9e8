import {createHash} from 'node:crypto';
import {readFileSync, realpathSync, renameSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import path from 'node:path';
import {Script} from 'node:vm';
import {createPrivateFile, privateDirectory, readPrivateFile, removeOwnFiles} from '../runtime/private-files.js';

// Loads the main bundle (CommonJS) through vm.Script with V8's compiled-code cache: V8 then
// skips parsing and compiling the ~2.5 MB of JavaScript it would otherwise redo on every start.
//
// A code cache is code: V8 checks only that it was made for a source of the same length and the
// same V8 flags, then runs what it holds. So a cache is used only
// - from a directory of docknet's own and a file of its own (runtime/private-files.ts: owned by
//   the running user, nobody else can change it or a directory above it, no symbolic link);
// - when the SHA-256 of the bundle as read now, stored at the head of the cache when it was
//   made, matches: a cache of another build never meets this one, whatever their lengths. The
//   hash is of the bytes compiled, taken after reading them (~1.5 ms for the 2.5 MB bundle).
// A directory someone else could change is not used at all (the launcher says so in one line on
// stderr); any other failure to read or write the cache only costs the time it would have saved.
// With `write: false` (--read-only) nothing is written or made on disk.

/** Where the cache goes: $XDG_CACHE_HOME/docknet, else ~/.cache/docknet. */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
	const base = env['XDG_CACHE_HOME'] !== undefined && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(home, '.cache');
	return path.join(base, 'docknet');
}

/** The SHA-256 of a bundle's bytes, as the cache's head stores it. */
export function bundleDigest(bytes: Uint8Array): Buffer {
	return createHash('sha256').update(bytes).digest();
}

/** The cache's name: each build, node version and architecture has one of its own. */
export function codeCacheName(digest: Buffer): string {
	return `main-${digest.toString('hex').slice(0, 32)}-node${process.versions.node}-${process.arch}.v8cache`;
}

const cacheNamePattern = /^main-[0-9a-f]+-node[^/]*\.v8cache$/;

// The head of a cache file: a magic string, then the bundle's SHA-256. 48 bytes keep V8's data
// after it 8-byte aligned.
const magic = Buffer.from('docknet-v8code1\n', 'latin1');
export const codeCacheHeadLength = magic.length + 32;

export function codeCacheContents(digest: Buffer, v8Data: Buffer): Buffer {
	return Buffer.concat([magic, digest, v8Data]);
}

/** V8's data in a cache file, or undefined when the file was made for other bytes (or is no cache). */
export function cachedDataFor(contents: Buffer, digest: Buffer): Buffer | undefined {
	if (contents.length <= codeCacheHeadLength || !contents.subarray(0, magic.length).equals(magic)) return undefined;
	if (!contents.subarray(magic.length, codeCacheHeadLength).equals(digest)) return undefined;
	return contents.subarray(codeCacheHeadLength);
}

// Far more than the ~0.5-1 MB a cache of this bundle takes; a bigger file is not ours to read.
const maxCacheBytes = 64 * 1024 * 1024;

export type CacheUse =
	/** V8 took it. */
	| 'accepted'
	/** V8 refused it (another V8 build or flags); it is rewritten. */
	| 'rejected'
	/** Made for other bytes than the bundle read now; it is rewritten. */
	| 'other-bundle'
	/** There was none (or it could not be read). */
	| 'none'
	/** The directory or file could be changed by someone else: not read, nothing written. */
	| 'refused';

export interface LoadedBundle<T> {
	exports: T;
	cache: CacheUse;
	/** Why a cache directory or file was refused, one line, for stderr. */
	problem?: string;
}

export interface CodeCacheOptions {
	directory: string;
	/** Write a cache when there was no usable one (false: nothing touches the disk). */
	write: boolean;
}

interface CacheRead {
	use: CacheUse;
	v8Data?: Buffer;
	problem?: string;
}

function readCache(directory: string, name: string, digest: Buffer): CacheRead {
	const place = privateDirectory(directory, {create: false});
	if (place.state === 'refused') return {use: 'refused', problem: place.problem};
	if (place.state !== 'private') return {use: 'none'};
	const read = readPrivateFile(path.join(place.directory, name), maxCacheBytes);
	if (read.state === 'refused') return {use: 'refused', problem: read.problem};
	if (read.state !== 'read') return {use: 'none'};
	const v8Data = cachedDataFor(read.data, digest);
	return v8Data === undefined ? {use: 'other-bundle'} : {use: 'none', v8Data};
}

function removeQuietly(file: string): void {
	try {
		rmSync(file, {force: true});
	} catch {
		// The directory became unwritable: the file stays, unused.
	}
}

function writeCache(directory: string, name: string, contents: Buffer): void {
	const place = privateDirectory(directory, {create: true});
	if (place.state !== 'private') return;
	const file = path.join(place.directory, name);
	// Made aside and renamed: a docknet starting meanwhile never reads half a file.
	const partial = `${file}.${process.pid}.tmp`;
	try {
		createPrivateFile(partial, contents, 0o600);
		renameSync(partial, file);
	} catch (error) {
		// A full disk: no cache this time, and no half file left. An existing file of that name
		// is not this attempt's to remove.
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') removeQuietly(partial);
		return;
	}

	removeOtherCaches(place.directory, name);
}

/** The source V8 compiles (and caches): the bundle inside CommonJS's module function. */
export function commonJsWrapper(source: string): string {
	return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

// After this long the functions start-up needs are compiled and go into the cache too.
const WRITE_AFTER_MS = 1500;

export function loadCommonJsWithCache<T>(file: string, cacheOptions: CodeCacheOptions | undefined): LoadedBundle<T> {
	const bytes = readFileSync(file);
	// The build makes the bundle pure ASCII (scripts/build.mjs), so Latin-1 reads it exactly,
	// and V8 keeps it as a one-byte string.
	const source = bytes.toString('latin1');
	const digest = bundleDigest(bytes);
	const name = codeCacheName(digest);
	const found: CacheRead = cacheOptions === undefined ? {use: 'none'} : readCache(cacheOptions.directory, name, digest);

	const script = new Script(commonJsWrapper(source), {
		filename: file,
		...(found.v8Data === undefined ? {} : {cachedData: found.v8Data}),
	});
	const cache: CacheUse = found.v8Data === undefined ? found.use : script.cachedDataRejected === true ? 'rejected' : 'accepted';
	const module = {exports: {} as T};
	const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: {exports: T}, filename: string, dirname: string) => void;
	wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));

	if (cacheOptions?.write === true && cache !== 'accepted' && cache !== 'refused') {
		let written = false;
		const write = (): void => {
			if (written) return;
			written = true;
			writeCache(cacheOptions.directory, name, codeCacheContents(digest, script.createCachedData()));
		};

		setTimeout(write, WRITE_AFTER_MS).unref();
		// A short run (snapshot) writes it on the way out.
		process.once('exit', write);
	}

	return {exports: module.exports, cache, ...(found.problem === undefined ? {} : {problem: found.problem})};
}

/**
 * Each build (and each node version) has a cache of its own, ~1 MB: once this one is written,
 * the others are of builds no longer run here, and go. Only the running user's regular files
 * named like a cache go, and only from the directory just checked as docknet's own. Another
 * docknet still running an older build keeps working: it read its cache at start.
 */
export function removeOtherCaches(directory: string, keep: string): void {
	try {
		removeOwnFiles(directory, name => name !== keep && cacheNamePattern.test(name));
	} catch {
		// Unreadable: the old caches stay.
	}
}

export interface BundledMainOptions {
	/** False in --read-only mode: no cache is written, no directory made. */
	write: boolean;
}

/** The main bundle beside this file, with its cache; DOCKNET_CODE_CACHE=0 turns the cache off. */
export function loadBundledMain<T>(bundleName: string, options: BundledMainOptions): LoadedBundle<T> {
	// argv[1] is the launcher as it was started: through npm's bin symlink, for one.
	const launcher = realpathSync(process.argv[1] ?? '.');
	const file = path.join(path.dirname(launcher), bundleName);
	const cacheOptions = process.env['DOCKNET_CODE_CACHE'] === '0' ? undefined : {directory: codeCacheDirectory(), write: options.write};
	return loadCommonJsWithCache<T>(file, cacheOptions);
}
