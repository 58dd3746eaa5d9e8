import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Script} from 'node:vm';
import {after, before, describe, test} from 'node:test';
import {bundleDigest, codeCacheContents, codeCacheName, commonJsWrapper} from '../../source/startup/code-cache.js';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {disposeAllDocknets, docknetBundle, keys, startDocknet} from '../helpers/pty-app.js';
import {openConnectForm} from '../helpers/pty-steps.js';
import {runProcess} from '../helpers/run-process.js';

// The attack as another local user would make it: `nobody` owns the cache and state directories
// root's docknet is pointed at (XDG_CACHE_HOME, XDG_STATE_HOME), and plants a compiled-code
// cache made from an edited bundle (one that writes a marker file) plus links from journal.jsonl
// and the next minutes' commands-<time>.sh to files of root's. The built docknet runs as root,
// against the real engine: it loads none of it, writes through none of it, and says so in one
// line. A control run shows the planted cache is real: in a directory of root's, it would run.

const nobody = 65534;
const asNobody = ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups'];
const victimText = 'root owns this; nobody may change it\n';

let engine: TestEngine;
const resources = new TestResources();
let base: string;
let marker: string;
let cacheHome: string;
let stateHome: string;
let victims: string[];

/** The main bundle with a statement that writes the marker put over its longest top-level path comment, same length. */
function editedBundle(original: string, markerFile: string): string {
	const statement = `require("fs").writeFileSync(${JSON.stringify(markerFile)},"ran");`;
	const comments = original.match(/^\/\/ \S+$/gm) ?? [];
	const comment = comments.reduce((longest, line) => (line.length > longest.length ? line : longest), '');
	assert.ok(comment.length >= statement.length, `a top-level path comment of ${statement.length} characters or more`);
	const at = original.indexOf(`\n${comment}\n`) + 1;
	const edited = `${original.slice(0, at)}${statement.padEnd(comment.length, ' ')}${original.slice(at + comment.length)}`;
	assert.equal(edited.length, original.length);
	return edited;
}

/** What a directory holds, with each entry's owner, to compare before and after. */
function listing(directory: string): string[] {
	return readdirSync(directory, {recursive: true, encoding: 'utf8'})
		.map(name => `${name} uid=${lstatSync(path.join(directory, name)).uid}`)
		.sort();
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) => runProcess(command, args, {env, timeoutMs: 30_000});

const attackEnv = (): Record<string, string> => ({XDG_CACHE_HOME: cacheHome, XDG_STATE_HOME: stateHome});
const cacheRefusal = (): string => `docknet: compiled-code cache not used: ${cacheHome}/docknet is owned by uid ${nobody}, not by uid 0 that docknet runs as`;

describe("cache and state directories of another user, planted, with docknet running as root", () => {
	let plantedListing: {cache: string[]; state: string[]};

	before(() => {
		engine = requireTestEngine();
		base = mkdtempSync(path.join(tmpdir(), 'docknet-planted-'));
		chmodSync(base, 0o755);
		marker = path.join(base, 'marker');
		victims = ['journal-victim', 'script-victim'].map(name => path.join(base, name));
		for (const victim of victims) writeFileSync(victim, victimText, {mode: 0o644});
		cacheHome = path.join(base, 'cache');
		stateHome = path.join(base, 'state');
		for (const home of [cacheHome, stateHome]) {
			mkdirSync(home, {mode: 0o755});
			chownSync(home, nobody, nobody);
		}

		// The cache from the edited bundle, named and headed for the real one as docknet looks for it.
		const original = readFileSync(path.join(path.dirname(docknetBundle), 'docknet-main.cjs'));
		const edited = editedBundle(original.toString('latin1'), marker);
		const planted = path.join(base, 'planted.v8cache');
		writeFileSync(planted, codeCacheContents(bundleDigest(original), new Script(commonJsWrapper(edited)).createCachedData()), {mode: 0o644});
		const cacheName = codeCacheName(bundleDigest(original));

		// The control: the same file in a directory of root's is loaded, and the marker written.
		const control = path.join(base, 'control');
		mkdirSync(path.join(control, 'docknet'), {recursive: true, mode: 0o700});
		writeFileSync(path.join(control, 'docknet', cacheName), readFileSync(planted), {mode: 0o600});
		// It fails for want of an engine, once the bundle has run.
		spawnSync(process.execPath, [docknetBundle, 'snapshot', '--host', `unix://${base}/no-engine.sock`], {env: {...process.env, XDG_CACHE_HOME: control}, stdio: 'ignore', timeout: 30_000});
		assert.equal(readFileSync(marker, 'utf8'), 'ran', 'the control: the planted cache runs when its owner is root');
		rmSync(marker);

		// nobody plants: the cache, and links for the journal and the scripts of the next minutes.
		const stamps = Array.from({length: 600}, (_, second) => new Date(Date.now() + second * 1000).toISOString().replaceAll(':', '').replace(/\.\d+Z$/, 'Z'));
		const script = [
			`mkdir -m 0755 ${cacheHome}/docknet ${stateHome}/docknet`,
			`cp ${planted} ${cacheHome}/docknet/${cacheName}`,
			`ln -s ${victims[0]} ${stateHome}/docknet/journal.jsonl`,
			...stamps.map(stamp => `ln -s ${victims[1]} ${stateHome}/docknet/commands-${stamp}.sh`),
		].join(' && ');
		execFileSync(asNobody[0] as string, [...asNobody.slice(1), 'sh', '-c', script], {stdio: 'inherit'});
		plantedListing = {cache: listing(cacheHome), state: listing(stateHome)};
		assert.ok(plantedListing.state.length > 600);
	});

	after(async () => {
		await disposeAllDocknets();
		await resources.cleanup();
		rmSync(base, {recursive: true, force: true});
	});

	const assertNothingTaken = (): void => {
		assert.equal(existsSync(marker), false, 'the planted code never ran');
		for (const victim of victims) assert.equal(readFileSync(victim, 'utf8'), victimText, `${victim} unchanged`);
		assert.deepEqual({cache: listing(cacheHome), state: listing(stateHome)}, plantedListing, 'nothing made, removed or replaced in them');
	};

	test('snapshot --json: the data as always, the planted cache not loaded, one line on stderr', async () => {
		const env = {...process.env, ...attackEnv()};
		delete env['DOCKER_HOST'];
		const result = await run(process.execPath, [docknetBundle, 'snapshot', '--json', '--host', engine.dockerHost], env);
		assert.equal(result.code, 0, result.stderr);
		assert.ok(Array.isArray((JSON.parse(result.stdout) as {networks: unknown}).networks));
		assertNothingTaken();
		assert.equal(result.stderr, `${cacheRefusal()}\n`);
	});

	test('the full-screen view: a connect by keys, the log and y write nothing through the planted links; each refusal is one clear line', async () => {
		const network = uniqueName('planted');
		const container = uniqueName('victim');
		await resources.createNetwork(network, ['--subnet', '10.231.77.0/24']);
		await resources.runContainer(container);
		const app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 200, rows: 50, env: attackEnv()});
		await app.waitForText('● live', 20_000);
		await openConnectForm(app, container, network, '10.231.77.0/24');
		app.press(keys.enter);
		await app.waitForText(new RegExp(`Connected ${container} to ${network}`), 20_000);
		const networks = JSON.parse(await dockerCli(['inspect', '--format', '{{json .NetworkSettings.Networks}}', container])) as Record<string, unknown>;
		assert.ok(network in networks, 'the connect was made: the journal had a line to write');
		assert.equal(readFileSync(victims[0] as string, 'utf8'), victimText, 'nothing appended through journal.jsonl');

		app.press('L');
		await app.waitForText(`Journal not written: ${stateHome}/docknet is owned by uid ${nobody}, not by uid 0 that docknet runs as: nothing is written there`);
		app.press('y');
		await app.waitForText('Could not write the script: ');
		assert.equal(readFileSync(victims[1] as string, 'utf8'), victimText, 'nothing written through commands-<time>.sh');
		await app.waitForText(`Could not write the script: ${stateHome}/docknet is owned by uid ${nobody}`);
		app.press(keys.escape);
		app.press('q');
		const exit = await app.exited;
		assert.equal(exit.exitCode, 0);
		// Said before the screen was taken, so it is there once the terminal is given back.
		assert.equal(app.rawOutput().split(cacheRefusal()).length - 1, 1, 'the cache refusal, once');
		assert.ok(app.text().includes(cacheRefusal()), app.text());
		assertNothingTaken();
	});

	test('--read-only writes nothing at all: no cache, no directory, in snapshot and in the full-screen view', async () => {
		const homes = path.join(base, 'read-only');
		mkdirSync(homes, {mode: 0o700});
		const env = {XDG_CACHE_HOME: path.join(homes, 'cache'), XDG_STATE_HOME: path.join(homes, 'state')};
		const result = await run(process.execPath, [docknetBundle, 'snapshot', '--read-only', '--json', '--host', engine.dockerHost], {...process.env, ...env});
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stderr, '');
		const app = startDocknet({args: ['--read-only', '--host', engine.dockerHost], netns: engine.netns, columns: 80, rows: 24, env});
		await app.waitForText('● live', 20_000);
		app.press('q');
		assert.equal((await app.exited).exitCode, 0);
		assert.deepEqual(readdirSync(homes), []);
	});
});
