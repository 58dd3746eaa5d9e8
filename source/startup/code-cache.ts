import {mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {homedir} from 'node:os';
import path from 'node:path';
import {Script} from 'node:vm';

// Loads the main bundle (CommonJS) through vm.Script with V8's compiled-code cache: V8 then
// skips parsing and compiling the ~2 MB of JavaScript it would otherwise redo on every start.
// The cache lives in the user's cache directory, keyed by the bundle's hash, node's version
// and the architecture; a cache V8 rejects (another V8 build or flags) is rewritten, and any
// failure to read or write it only costs the time it would have saved.

/** Where the cache goes: $XDG_CACHE_HOME/docknet, else ~/.cache/docknet. */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
	const base = env['XDG_CACHE_HOME'] !== undefined && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(home, '.cache');
	return path.join(base, 'docknet');
}

export function codeCacheFile(directory: string, bundleHash: string): string {
	return path.join(directory, `main-${bundleHash}-node${process.versions.node}-${process.arch}.v8cache`);
}

export interface LoadedBundle<T> {
	exports: T;
	/** Whether V8 accepted the cache it was given; undefined when there was none. */
	cacheAccepted: boolean | undefined;
}

// After this long the functions start-up needs are compiled and go into the cache too.
const WRITE_AFTER_MS = 1500;

export function loadCommonJsWithCache<T>(file: string, cacheFile: string | undefined): LoadedBundle<T> {
	// The build makes the bundle pure ASCII (scripts/build.mjs), so Latin-1 reads it exactly,
	// and V8 keeps it as a one-byte string.
	const source = readFileSync(file, 'latin1');
	let cachedData: Buffer | undefined;
	if (cacheFile !== undefined) {
		try {
			cachedData = readFileSync(cacheFile);
		} catch {
			cachedData = undefined;
		}
	}

	const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
		filename: file,
		...(cachedData === undefined ? {} : {cachedData}),
	});
	const cacheAccepted = cachedData === undefined ? undefined : !script.cachedDataRejected;
	const module = {exports: {} as T};
	const wrapper = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: {exports: T}, filename: string, dirname: string) => void;
	wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));

	if (cacheFile !== undefined && cacheAccepted !== true) {
		let written = false;
		const write = (): void => {
			if (written) return;
			written = true;
			try {
				mkdirSync(path.dirname(cacheFile), {recursive: true, mode: 0o700});
				// Written aside and renamed: a docknet starting meanwhile never reads half a file.
				const partial = `${cacheFile}.${process.pid}.tmp`;
				writeFileSync(partial, script.createCachedData(), {mode: 0o600});
				renameSync(partial, cacheFile);
				removeOtherCaches(cacheFile);
			} catch {
				// A read-only home or a full disk: docknet simply starts without the cache next time.
			}
		};

		setTimeout(write, WRITE_AFTER_MS).unref();
		// A short run (snapshot) writes it on the way out.
		process.once('exit', write);
	}

	return {exports: module.exports, cacheAccepted};
}

/**
 * Each build (and each node version) has a cache of its own, ~1 MB: once this one is written,
 * the others are of builds no longer run here, and go. Another docknet still running an older
 * build keeps working: it read its cache at start.
 */
export function removeOtherCaches(cacheFile: string): void {
	const directory = path.dirname(cacheFile);
	for (const name of readdirSync(directory)) {
		if (!/^main-.*\.v8cache$/.test(name) || name === path.basename(cacheFile)) continue;
		try {
			rmSync(path.join(directory, name), {force: true});
		} catch {
			// Not ours to remove, or gone already.
		}
	}
}

/** The main bundle beside this file, with its cache; DOCKNET_CODE_CACHE=0 turns the cache off. */
export function loadBundledMain<T>(bundleName: string, bundleHash: string): T {
	// argv[1] is the launcher as it was started: through npm's bin symlink, for one.
	const launcher = realpathSync(process.argv[1] ?? '.');
	const file = path.join(path.dirname(launcher), bundleName);
	const cacheFile = process.env['DOCKNET_CODE_CACHE'] === '0' ? undefined : codeCacheFile(codeCacheDirectory(), bundleHash);
	return loadCommonJsWithCache<T>(file, cacheFile).exports;
}
