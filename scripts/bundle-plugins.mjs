// The esbuild plugins behind docknet's bundle: each swaps or patches one piece of a
// dependency, and fails the build when the dependency no longer looks the way the patch
// expects (a silent miss would bring the slow path back). Used by scripts/build.mjs and
// the tests that check a patched module against the original.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Ink imports react-devtools-core only when DEV=true; it is not installed, and never needed in
// the bundle.
export const emptyDevtools = {
	name: 'empty-react-devtools-core',
	setup(build) {
		build.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'docknet-empty'}));
		build.onLoad({filter: /.*/, namespace: 'docknet-empty'}, () => ({
			contents: 'export default {initialize() {}, connectToDevTools() {}};',
			loader: 'js',
		}));
	},
};

// dockerode requires gRPC and protobufjs for BuildKit sessions (image builds), which docknet
// never starts: its session module only touches them inside functions. Left out, the bundle
// loses about 1 MB of code to parse on every start.
export const unusedBuildKit = {
	name: 'empty-buildkit-deps',
	setup(build) {
		build.onResolve({filter: /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)$/}, args => ({path: args.path, namespace: 'docknet-unused'}));
		build.onLoad({filter: /.*/, namespace: 'docknet-unused'}, () => ({contents: 'module.exports = {};', loader: 'js'}));
	},
};

// Ink measures every text node on every render with widest-line and no cache; the same rows
// come back frame after frame, so the bundle uses a remembering stand-in.
export const cachedWidestLine = {
	name: 'cached-widest-line',
	setup(build) {
		build.onResolve({filter: /^widest-line$/}, () => ({path: path.join(root, 'source', 'terminal', 'widest-line-cached.ts')}));
	},
};

// Ink paints each frame onto a fresh grid of per-cell objects and re-tokenizes every text;
// source/terminal/ink-output.ts does the same job row by row, reusing unchanged rows.
export const rowCachingOutput = {
	name: 'row-caching-ink-output',
	setup(build) {
		build.onResolve({filter: /^\.\/output\.js$/}, args =>
			/[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer)
				? {path: path.join(root, 'source', 'terminal', 'ink-output.ts')}
				: undefined,
		);
	},
};

// docker-modem loads ssh2 (its crypto, and a WebAssembly module with 16 MB of memory) as soon
// as it loads, for ssh:// engines only. Required on first use instead, it costs nothing to
// everyone else: about 10 MB of memory and 20 ms of start-up.
export const lazySsh2 = {
	name: 'lazy-ssh2',
	setup(build) {
		build.onLoad({filter: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const eager = "ssh = require('./ssh'),";
			if (!source.includes(eager)) throw new Error(`docker-modem changed: "${eager}" not found in ${args.path}`);
			return {contents: source.replace(eager, "ssh = options => require('./ssh')(options),"), loader: 'js'};
		});
	},
};

// yoga-layout fetches its WebAssembly from a data: URL (which loads undici, Node's fetch:
// 60-105 ms) and makes its module wait on it with a top-level await. Instantiated
// synchronously from the same bytes it is ready in ~13 ms, and the await goes away (the
// main bundle is CommonJS, for V8's code cache and the single executable).
export const syncYoga = {
	name: 'sync-yoga',
	setup(build) {
		const dataUrl = /H="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/;
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const match = dataUrl.exec(source);
			if (match === null) throw new Error(`yoga-layout changed: its WebAssembly data URL was not found in ${args.path}`);
			// The bytes move to an export; the loader keeps an empty URL it never reads.
			const contents = source.replace(match[0], 'H="data:application/octet-stream;base64,"') + `\nexport const wasmBase64 = ${JSON.stringify(match[1])};\n`;
			return {contents, loader: 'js'};
		});
		build.onLoad({filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const eager = 'const Yoga = wrapAssembly(await loadYoga());';
			if (!source.includes(eager)) throw new Error(`yoga-layout changed: "${eager}" not found in ${args.path}`);
			const sync = [
				"import {wasmBase64} from '../binaries/yoga-wasm-base64-esm.js';",
				// Emscripten calls instantiateWasm and, with the instance handed back at once,
				// finishes its start-up before loadYoga returns; the module object is then ready.
				'const yogaModule = {instantiateWasm(imports, ready) {',
				"  const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasmBase64, 'base64')), imports);",
				'  ready(instance);',
				'  return instance.exports;',
				'}};',
				'loadYoga(yogaModule);',
				"if (typeof yogaModule.Node !== 'function') throw new Error('yoga-layout did not start synchronously');",
				'const Yoga = wrapAssembly(yogaModule);',
			].join('\n');
			return {contents: source.replace(eager, sync), loader: 'js'};
		});
	},
};

/**
 * Turns top-level `const name = <expression>;` declarations into values made on first use.
 * Every later mention of the name becomes a call that returns the one value. Pure, for tests.
 */
export function makeLazy(source, names, file) {
	let result = source;
	for (const name of names) {
		const declaration = new RegExp(`^const ${name} = (.+);$`, 'm');
		const match = declaration.exec(result);
		if (match === null) throw new Error(`${file} changed: "const ${name} = …;" not found`);
		const getter = `${name}__lazy`;
		const before = result.slice(0, match.index);
		const after = result.slice(match.index + match[0].length).replace(new RegExp(`\\b${name}\\b`, 'g'), `${getter}()`);
		if (after === result.slice(match.index + match[0].length)) throw new Error(`${file} changed: ${name} is never used`);
		result = `${before}let ${name}__value;\nconst ${getter} = () => (${name}__value ??= (${match[1]}));${after}`;
	}

	return result;
}

// string-width 8 builds an Intl.Segmenter and a /^\p{RGI_Emoji}$/v RegExp (37 ms) when it
// loads, and wrap-ansi's string-width 7 another Segmenter (14 ms); printable ASCII never
// needs them (string-width 8 answers it with a fast path), so they are made on first use.
export const lazyWidthTables = {
	name: 'lazy-width-tables',
	setup(build) {
		build.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const manifest = JSON.parse(await readFile(path.join(path.dirname(args.path), 'package.json'), 'utf8'));
			const major = Number(String(manifest.version).split('.')[0]);
			const names = {
				8: ['segmenter', 'visibleCharacterRegex', 'spacingMarkRegex', 'rgiEmojiRegex', 'extendedPictographicRegex'],
				7: ['segmenter', 'defaultIgnorableCodePointRegex'],
			}[major];
			// Other majors (cliui's, in dev tools only) are left as they are.
			if (names === undefined) return undefined;
			return {contents: makeLazy(source, names, args.path), loader: 'js'};
		});
	},
};

// Ink's reconciler connects to React DevTools when DEV=true, with two top-level awaits; the
// bundle has no DevTools (see emptyDevtools) and, being CommonJS, can have no top-level await.
export const inkWithoutDevtools = {
	name: 'ink-without-devtools',
	setup(build) {
		build.onLoad({filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/}, async args => {
			let source = await readFile(args.path, 'utf8');
			for (const [from, to] of [
				["await import('./devtools.js');", 'void 0;'],
				['? await loadPackageJson()', '? undefined'],
			]) {
				if (!source.includes(from)) throw new Error(`Ink changed: "${from}" not found in ${args.path}`);
				source = source.replace(from, to);
			}

			return {contents: source, loader: 'js'};
		});
	},
};

export const bundlePlugins = [inkWithoutDevtools, emptyDevtools, unusedBuildKit, cachedWidestLine, rowCachingOutput, lazySsh2, syncYoga, lazyWidthTables];

/**
 * What each plugin swaps or patches, as installed paths in package-lock.json. Each of these is
 * pinned to one exact version (package.json's devDependencies or overrides): a patch checked
 * against one release must not meet another on a fresh install. test/startup/pinned-patches.test.ts
 * holds the list, the pins and the lockfile to each other.
 */
export const patchedPackages = {
	'ink-without-devtools': ['node_modules/ink'],
	'empty-react-devtools-core': ['node_modules/ink'],
	'empty-buildkit-deps': ['node_modules/dockerode'],
	'cached-widest-line': ['node_modules/widest-line'],
	'row-caching-ink-output': ['node_modules/ink'],
	'lazy-ssh2': ['node_modules/docker-modem'],
	'sync-yoga': ['node_modules/yoga-layout'],
	'lazy-width-tables': ['node_modules/string-width', 'node_modules/wrap-ansi', 'node_modules/wrap-ansi/node_modules/string-width'],
};
