import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import * as esbuild from 'esbuild';
import type {Plugin} from 'esbuild';
import * as originalInk from 'ink';
import React from 'react';
import originalWidestLine from 'widest-line';
import {bundlePlugins, cachedWidestLine, inkWithoutDevtools, lazySsh2, unusedBuildKit} from '../../scripts/bundle-plugins.mjs';
import cachedWidest from '../../source/terminal/widest-line-cached.js';
import {repoRoot} from '../helpers/pty-app.js';

// Each bundle plugin against the original package (string-width and yoga: bundle-plugins.test.ts).
// Ink as the bundle ships it (every plugin: no devtools, the row-caching output, the cached
// widest-line, synchronous yoga, lazy width tables) draws the same frames as the Ink that unit
// tests and `npm run dev` use; docker-modem loads ssh2 only when an ssh:// request is made;
// dockerode works without its BuildKit dependencies. Colours are off here (no terminal): the
// row-caching output spells a colour as a full SGR state where Ink writes the shortest change,
// which the frame writer reads alike (test/ui/ink-output.test.ts).

let dir: string;
const load = createRequire(import.meta.url);

before(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'docknet-patches-'));
});

after(() => {
	rmSync(dir, {recursive: true, force: true});
});

/** Leaves these packages to the test's own require: the bundle gets their absolute paths, so both share one instance. */
function sharedWithTest(names: string[]): Plugin {
	return {
		name: 'shared-with-test',
		setup(build) {
			build.onResolve({filter: new RegExp(`^(${names.map(name => name.replace('/', '\\/')).join('|')})$`)}, args => ({path: load.resolve(args.path), external: true}));
		},
	};
}

async function bundle(name: string, contents: string, plugins: Plugin[], shared: string[] = []): Promise<{file: string; inputs: string[]}> {
	const outfile = path.join(dir, `${name}.cjs`);
	const result = await esbuild.build({
		stdin: {contents, resolveDir: repoRoot, loader: 'js'},
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		outfile,
		plugins: shared.length === 0 ? plugins : [sharedWithTest(shared), ...plugins],
		// As scripts/build.mjs: ssh2's optional native speed-up cannot be bundled.
		external: ['cpu-features', '*.node'],
		// NODE_ENV as the test's own: React, shared with the test, runs its development build, and a production reconciler does not work with that.
		metafile: true,
		logLevel: 'error',
	});
	return {file: outfile, inputs: Object.keys(result.metafile.inputs)};
}

/** A terminal that keeps every frame Ink writes. */
class FakeTerminal extends EventEmitter {
	readonly frames: string[] = [];
	columns = 70;
	rows = 30;
	isTTY = true;
	write(chunk: string): boolean {
		this.frames.push(chunk);
		return true;
	}
}

type InkModule = Pick<typeof originalInk, 'render' | 'Box' | 'Text'>;

/** A screen of docknet's kind: bordered panes, colours, wide and combining text, a row that changes. */
function screens(ink: InkModule): React.ReactElement[] {
	const {Box, Text} = ink;
	const pane = (title: string, rows: string[], selected: number): React.ReactElement => (
		<Box borderStyle="round" flexDirection="column" width={34} key={title}>
			<Text bold>{title}</Text>
			{rows.map((row, index) => (
				<Text key={row} color={index === selected ? 'cyan' : undefined} inverse={index === selected} wrap="truncate-end">
					{index === selected ? `› ${row}` : `  ${row}`}
				</Text>
			))}
		</Box>
	);
	const frame = (selected: number, status: string): React.ReactElement => (
		<Box flexDirection="column">
			<Box>
				{pane('Networks', ['bridge  bridge  local', 'host    host    local', 'net-日本  bridge  172.18.0.0/16', 'café e\u0301  macvlan  a very long row that is cut short'], selected)}
				{pane('Containers', ['c-0000  running  👍', 'c-0001  exited (0)', 'c-0002  running  ok'], 2 - selected)}
			</Box>
			<Text dimColor>{status}</Text>
		</Box>
	);
	return [frame(0, 'Tab next pane · Enter details'), frame(1, 'Tab next pane · Enter details'), frame(1, '● live · 3 containers'), frame(2, '● live · 3 containers')];
}

async function framesOf(ink: InkModule): Promise<string[]> {
	const terminal = new FakeTerminal();
	const stdin = Object.assign(new EventEmitter(), {isTTY: false, setRawMode() {}, setEncoding() {}, read: () => null, ref() {}, unref() {}});
	const [first, ...rest] = screens(ink);
	const app = ink.render(first as React.ReactElement, {stdout: terminal as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, debug: true, patchConsole: false, exitOnCtrlC: false});
	for (const next of rest) {
		app.rerender(next);
		await new Promise(resolve => setImmediate(resolve));
	}

	app.unmount();
	return terminal.frames;
}

describe('Ink as the bundle ships it', () => {
	let patched: InkModule;
	let inputs: string[];

	before(async () => {
		// React stays outside: the bundle's Ink and this test must share one React.
		const built = await bundle('ink', "module.exports = require('ink');", bundlePlugins, ['react', 'react/jsx-runtime']);
		inputs = built.inputs;
		patched = load(built.file) as InkModule;
	});

	it('is built from the stand-ins, without the devtools import', () => {
		assert.ok(inputs.some(input => input.endsWith(path.join('source', 'terminal', 'ink-output.ts'))), 'row-caching output');
		assert.ok(inputs.some(input => input.endsWith(path.join('source', 'terminal', 'widest-line-cached.ts'))), 'cached widest-line');
		assert.ok(!inputs.some(input => /node_modules[\\/]widest-line[\\/]/.test(input)), 'no original widest-line');
		assert.ok(!inputs.some(input => /devtools/.test(input) && !input.startsWith('docknet-empty')), inputs.filter(input => /devtools/.test(input)).join(', '));
	});

	it('draws the same frames as the original Ink, a changed row and a changed line included', async () => {
		const expected = await framesOf(originalInk);
		const actual = await framesOf(patched);
		assert.ok(expected.length >= 4, `frames written: ${expected.length}`);
		assert.deepEqual(actual, expected);
		assert.match(expected.join(''), /c-0000/);
	});

	it('the reconciler patch fails the build when Ink no longer looks as expected', async () => {
		const changed = path.join(dir, 'changed', 'ink', 'build');
		mkdirSync(changed, {recursive: true});
		writeFileSync(path.join(changed, 'reconciler.js'), "export const devtools = await import('./other-devtools.js');\n");
		await assert.rejects(bundle('reconciler', `require(${JSON.stringify(path.join(changed, 'reconciler.js'))});`, [inkWithoutDevtools]), /Ink changed/);
	});
});

describe('the cached widest-line', () => {
	it('measures every sample as widest-line does, the second time from its cache', () => {
		const samples = ['', 'a', 'two\nlines longer', '\u001B[31mred\u001B[39m\nx', '日本語\nab', 'e\u0301\u0301', '👍👍\n1', 'tab\there', ' \n  \n   '];
		for (const text of samples) {
			assert.equal(cachedWidest(text), originalWidestLine(text), JSON.stringify(text));
			assert.equal(cachedWidest(text), originalWidestLine(text), `${JSON.stringify(text)} again`);
		}
	});

	it('takes the place of widest-line in the bundle', async () => {
		const built = await bundle('widest', "module.exports = require('widest-line');", [cachedWidestLine]);
		const replaced = load(built.file) as {default: (text: string) => number};
		assert.equal(replaced.default('ab\n日本語'), originalWidestLine('ab\n日本語'));
	});
});

describe('docker-modem with ssh2 loaded on first use', () => {
	// Counts evaluations of ssh2's entry module, in either bundle.
	const countSsh2: Plugin = {
		name: 'count-ssh2',
		setup(build) {
			build.onLoad({filter: /[\\/]node_modules[\\/]ssh2[\\/]lib[\\/]index\.js$/}, args => ({
				contents: `globalThis.__docknetSsh2Loads = (globalThis.__docknetSsh2Loads ?? 0) + 1;\n${readFileSync(args.path, 'utf8')}`,
				loader: 'js',
				resolveDir: path.dirname(args.path),
			}));
		},
	};
	const loads = (): number => (globalThis as {__docknetSsh2Loads?: number}).__docknetSsh2Loads ?? 0;
	type ModemClass = new (options: Record<string, unknown>) => {dial(options: Record<string, unknown>, callback: (error: Error | null) => void): void};
	const dialFails = async (Modem: ModemClass): Promise<string> => new Promise(resolve => {
		// Port 1 on the loopback: refused at once, no traffic leaves the machine.
		new Modem({protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody', timeout: 5000}).dial({path: '/_ping', method: 'GET', statusCodes: {200: true}}, error => resolve(error?.message ?? 'no error'));
	});

	it('the original loads ssh2 with docker-modem; the patched one at the first ssh:// request, and fails the same way', async () => {
		const original = await bundle('modem-original', "module.exports = require('docker-modem');", [countSsh2]);
		const patched = await bundle('modem-patched', "module.exports = require('docker-modem');", [lazySsh2, countSsh2]);
		const before = loads();
		const OriginalModem = load(original.file) as ModemClass;
		assert.equal(loads() - before, 1, 'the original loads ssh2 at once');
		const PatchedModem = load(patched.file) as ModemClass;
		assert.equal(loads() - before, 1, 'the patched one does not');
		const patchedError = await dialFails(PatchedModem);
		assert.equal(loads() - before, 2, 'ssh2 loaded for the ssh:// request');
		assert.equal(patchedError, await dialFails(OriginalModem));
		assert.match(patchedError, /ECONNREFUSED/);
	});
});

describe('dockerode without its BuildKit dependencies', () => {
	it('bundles no gRPC or protobufjs and answers as the original does', async () => {
		const entry = "const Docker = require('dockerode'); module.exports = async () => new Docker({socketPath: '/nonexistent/docknet.sock'}).listNetworks().then(() => 'answered', error => error.code);";
		const original = await bundle('dockerode-original', entry, []);
		const patched = await bundle('dockerode-patched', entry, [unusedBuildKit]);
		assert.ok(original.inputs.some(input => /@grpc|protobufjs/.test(input)), 'the original bundles them');
		assert.ok(!patched.inputs.some(input => /node_modules[\\/](@grpc|protobufjs)[\\/]/.test(input)), patched.inputs.filter(input => /grpc|protobuf/.test(input)).join(', '));
		const answer = await (load(patched.file) as () => Promise<string>)();
		assert.equal(answer, await (load(original.file) as () => Promise<string>)());
		assert.equal(answer, 'ENOENT');
	});
});
