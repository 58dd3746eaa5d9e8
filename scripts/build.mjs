#!/usr/bin/env node
// Bundles docknet. Loaded module by module, Ink alone costs ~300 ms; bundled, the whole app
// loads in a fraction of that. Two files in dist/:
//   docknet.js        the launcher (source/launcher.ts): arguments, --help, --version; small,
//                     so those answer at node's own speed. CommonJS (dist/package.json says
//                     so), which node starts ~8 ms faster than an ES module
//   docknet-main.cjs  everything else (source/cli.tsx), CommonJS so the launcher can load it
//                     through V8's code cache (source/startup/code-cache.ts)
// With --sea, one CommonJS file with both (dist/sea/docknet.cjs) for the single executable
// (scripts/build-exe.mjs).
// Usage: node scripts/build.mjs [--sea] [--minify] [--verbose]
// Silent on success: `npm start` builds right before the app takes over the terminal.
import {chmod, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as esbuild from 'esbuild';
import {bundlePlugins} from './bundle-plugins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distDir = path.join(root, 'dist');
export const mainBundleName = 'docknet-main.cjs';

const common = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	// cpu-features is an optional native speed-up of ssh2; native addons cannot be bundled.
	external: ['cpu-features', '*.node'],
	define: {'process.env.NODE_ENV': '"production"'},
	jsx: 'automatic',
	legalComments: 'none',
	logLevel: 'warning',
	metafile: true,
};

function checkInkOutputReplaced(result) {
	// An Ink release that moves its output module would silently bring the slow path back.
	if (!Object.keys(result.metafile.inputs).some(input => input.endsWith(path.join('source', 'terminal', 'ink-output.ts')))) {
		throw new Error("Ink's renderer no longer imports ./output.js: scripts/bundle-plugins.mjs cannot put source/terminal/ink-output.ts in its place");
	}
}

// V8 keeps the main bundle's source for as long as docknet runs (it compiles functions on
// first call). One character beyond Latin-1 anywhere (esbuild escapes strings, but not
// comments or regular expressions) makes it a two-byte string: 4.9 MB instead of 2.5 MB.
function checkMainIsAscii(file, source) {
	const offset = source.search(/[\u0080-\uFFFF]/);
	if (offset === -1) return;
	const line = source.slice(0, offset).split('\n').length;
	throw new Error(`${path.basename(file)} line ${line} has a non-ASCII character (${JSON.stringify(source.slice(Math.max(0, offset - 30), offset + 10))}): write it as an escape (\\u00B7) or in ASCII; the launcher reads the bundle as Latin-1`);
}

// In the two-file build the launcher must not bundle the main part it loads from beside it.
const mainStaysOutside = {
	name: 'main-stays-outside',
	setup(build) {
		build.onResolve({filter: /^\.\/cli\.js$/}, () => ({path: './cli.js', external: true}));
	},
};

export async function build({minify = false} = {}) {
	const mainFile = path.join(distDir, mainBundleName);
	const main = await esbuild.build({
		...common,
		entryPoints: [path.join(root, 'source', 'cli.tsx')],
		outfile: mainFile,
		format: 'cjs',
		plugins: bundlePlugins,
		minify,
	});
	checkInkOutputReplaced(main);
	const mainSource = await readFile(mainFile);
	checkMainIsAscii(mainFile, mainSource.toString('latin1'));
	const launcherFile = path.join(distDir, 'docknet.js');
	// How the installed command starts node. At idle with 200 containers these cut 35.5 to 27 MB
	// of private memory (80 to 71 MB resident): one V8 worker thread instead of four (each
	// gets its own malloc arena), at most two malloc arenas, and large allocations (V8's
	// compiler zones while starting) mapped on their own so that freeing them gives the pages
	// back instead of leaving them in the main heap. `node dist/docknet.js` runs without them.
	const lowMemoryStart = 'MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=65536 MALLOC_TRIM_THRESHOLD_=131072 node --v8-pool-size=1';
	const launcher = await esbuild.build({
		...common,
		entryPoints: [path.join(root, 'source', 'launcher.ts')],
		outfile: launcherFile,
		format: 'cjs',
		banner: {js: `#!/usr/bin/env -S ${lowMemoryStart}`},
		define: {...common.define, DOCKNET_MAIN_BUNDLE: JSON.stringify(mainBundleName)},
		plugins: [mainStaysOutside],
		minify,
	});
	const bundled = Object.keys(launcher.metafile.inputs);
	if (bundled.some(input => /node_modules[\\/](ink|react|dockerode)[\\/]/.test(input))) {
		throw new Error('the launcher bundles Ink, React or dockerode: --version would load them');
	}

	await chmod(launcherFile, 0o755);
	await writeFile(path.join(distDir, 'package.json'), `${JSON.stringify({type: 'commonjs'}, null, 2)}\n`);
	return {launcherFile, mainFile, main};
}

/** One CommonJS file holding launcher and app, as Node's single executable wants it. */
export async function buildSea({outfile = path.join(distDir, 'sea', 'docknet.cjs'), minify = false} = {}) {
	const result = await esbuild.build({
		...common,
		entryPoints: [path.join(root, 'source', 'launcher.ts')],
		outfile,
		format: 'cjs',
		plugins: bundlePlugins,
		minify,
	});
	checkInkOutputReplaced(result);
	checkMainIsAscii(outfile, await readFile(outfile, 'latin1'));
	return {outfile, result};
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const started = performance.now();
	try {
		const minify = process.argv.includes('--minify');
		const result = process.argv.includes('--sea') ? await buildSea({minify}) : await build({minify});
		if (process.argv.includes('--verbose')) {
			const metafile = result.main?.metafile ?? result.result.metafile;
			const [output, info] = Object.entries(metafile.outputs)[0] ?? [];
			const size = info === undefined ? '' : `, ${(info.bytes / 1024 / 1024).toFixed(1)} MB`;
			process.stderr.write(`built ${output ?? 'bundle'} in ${Math.round(performance.now() - started)} ms${size}\n`);
		}
	} catch (error) {
		// esbuild has printed its diagnostics already.
		process.stderr.write(`build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
		process.exitCode = 1;
	}
}
