#!/usr/bin/env node
// Bundles source/cli.tsx into one ESM file, dist/docknet.js. One bundled file starts in about
// half the time of the same code loaded module by module (ink alone costs ~300 ms unbundled).
// Usage: node scripts/build.mjs [--entry=<file>] [--outfile=<file>] [--minify] [--verbose]
// Silent on success: `npm start` builds right before the app takes over the terminal.
import {chmod, readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The bundle is ESM (yoga-layout uses top-level await), but ssh2 and friends are CommonJS and
// use require, __dirname and __filename; the banner gives them those.
const banner = [
	'#!/usr/bin/env node',
	"import {createRequire as __docknetCreateRequire} from 'node:module';",
	"import {fileURLToPath as __docknetFileURLToPath} from 'node:url';",
	"import {dirname as __docknetDirname} from 'node:path';",
	'const require = __docknetCreateRequire(import.meta.url);',
	'const __filename = __docknetFileURLToPath(import.meta.url);',
	'const __dirname = __docknetDirname(__filename);',
].join('\n');

// Ink imports react-devtools-core only when DEV=true; it is not installed, and never needed in
// the bundle.
const emptyDevtools = {
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
const unusedBuildKit = {
	name: 'empty-buildkit-deps',
	setup(build) {
		build.onResolve({filter: /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)$/}, args => ({path: args.path, namespace: 'docknet-unused'}));
		build.onLoad({filter: /.*/, namespace: 'docknet-unused'}, () => ({contents: 'module.exports = {};', loader: 'js'}));
	},
};

// Ink measures every text node on every render with widest-line and no cache; the same rows
// come back frame after frame, so the bundle uses a remembering stand-in.
const cachedWidestLine = {
	name: 'cached-widest-line',
	setup(build) {
		build.onResolve({filter: /^widest-line$/}, () => ({path: path.join(root, 'source', 'terminal', 'widest-line-cached.ts')}));
	},
};

// Ink paints each frame onto a fresh grid of per-cell objects and re-tokenizes every text;
// source/terminal/ink-output.ts does the same job row by row, reusing unchanged rows.
const rowCachingOutput = {
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
const lazySsh2 = {
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

function option(name) {
	const prefix = `--${name}=`;
	return process.argv.find(arg => arg.startsWith(prefix))?.slice(prefix.length);
}

export async function build({
	entry = path.join(root, 'source', 'cli.tsx'),
	outfile = path.join(root, 'dist', 'docknet.js'),
	minify = false,
} = {}) {
	const result = await esbuild.build({
		entryPoints: [entry],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		banner: {js: banner},
		// cpu-features is an optional native speed-up of ssh2; native addons cannot be bundled.
		external: ['cpu-features', '*.node'],
		plugins: [emptyDevtools, unusedBuildKit, cachedWidestLine, rowCachingOutput, lazySsh2],
		define: {'process.env.NODE_ENV': '"production"'},
		// Lets an entry outside the repository (benchmarks, experiments) use its packages.
		nodePaths: [path.join(root, 'node_modules')],
		jsx: 'automatic',
		minify,
		legalComments: 'none',
		logLevel: 'warning',
		metafile: true,
	});
	// An Ink release that moves its output module would silently bring the slow path back.
	if (!Object.keys(result.metafile.inputs).some(input => input.endsWith(path.join('source', 'terminal', 'ink-output.ts')))) {
		throw new Error("Ink's renderer no longer imports ./output.js: scripts/build.mjs cannot put source/terminal/ink-output.ts in its place");
	}

	await chmod(outfile, 0o755);
	return result;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const started = performance.now();
	try {
		const entry = option('entry');
		const outfile = option('outfile');
		const result = await build({
			...(entry === undefined ? {} : {entry: path.resolve(entry)}),
			...(outfile === undefined ? {} : {outfile: path.resolve(outfile)}),
			minify: process.argv.includes('--minify'),
		});
		if (process.argv.includes('--verbose')) {
			const [output, info] = Object.entries(result.metafile.outputs)[0] ?? [];
			const size = info === undefined ? '' : `, ${(info.bytes / 1024 / 1024).toFixed(1)} MB`;
			process.stderr.write(`built ${output ?? 'bundle'} in ${Math.round(performance.now() - started)} ms${size}\n`);
		}
	} catch (error) {
		// esbuild has printed its diagnostics already.
		process.stderr.write(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
		process.exitCode = 1;
	}
}
