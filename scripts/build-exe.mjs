#!/usr/bin/env node
// `npm run build:exe`: docknet as one executable file for servers without Node.js —
// dist/docknet-linux-x64 (for the architecture of the node that runs this). Node's single
// executable applications: the whole app as one CommonJS script, with V8's code cache made
// at build time (useCodeCache), injected into a copy of this node binary with postject.
// Usage: node scripts/build-exe.mjs [--verbose]
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {buildSea, distDir} from './build.mjs';

const require = createRequire(import.meta.url);
const verbose = process.argv.includes('--verbose');
const say = message => {
	if (verbose) process.stderr.write(`${message}\n`);
};

// The fuse Node's binary carries for SEA (documented in Node's single-executable docs).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export async function buildExe() {
	if (process.platform !== 'linux') throw new Error('build:exe makes a Linux executable; run it on Linux');
	const seaDir = path.join(distDir, 'sea');
	rmSync(seaDir, {recursive: true, force: true});
	mkdirSync(seaDir, {recursive: true});
	const {outfile: script} = await buildSea({outfile: path.join(seaDir, 'docknet.cjs')});
	say(`bundled ${script}`);
	const blob = path.join(seaDir, 'docknet.blob');
	const config = path.join(seaDir, 'sea-config.json');
	writeFileSync(config, `${JSON.stringify({main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true}, null, 2)}\n`);
	execFileSync(process.execPath, ['--experimental-sea-config', config], {stdio: verbose ? 'inherit' : 'pipe'});
	say(`prepared ${blob}`);

	const executable = path.join(distDir, `docknet-linux-${process.arch}`);
	rmSync(executable, {force: true});
	copyFileSync(process.execPath, executable);
	chmodSync(executable, 0o755);
	const postject = path.join(path.dirname(require.resolve('postject/package.json')), 'dist', 'cli.js');
	execFileSync(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], {stdio: verbose ? 'inherit' : 'pipe'});
	rmSync(seaDir, {recursive: true, force: true});
	return {executable, bytes: statSync(executable).size};
}

try {
	const started = performance.now();
	const {executable, bytes} = await buildExe();
	process.stderr.write(`built ${path.relative(process.cwd(), executable)}: ${(bytes / 1024 / 1024).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
} catch (error) {
	process.stderr.write(`build:exe failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
}
