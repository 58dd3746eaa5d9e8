import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, afterEach, before, describe, test} from 'node:test';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {startFaultProxy} from '../helpers/fault-proxy.js';
import type {FaultProxy} from '../helpers/fault-proxy.js';
import {disposeAllDocknets, docknetBundle, keys, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';
import {openConnectForm, stackTrace} from '../helpers/pty-steps.js';

// docknet behind a misbehaving engine: a proxy in front of the test engine's socket answers
// in one-byte pieces, fails, sends broken or wrong-shaped JSON, answers slowly, swallows
// requests, and feeds the events stream malformed and huge lines. For each: what the user
// sees, no crash, no stack trace, the right data once the fault is gone.

let engine: TestEngine;
let proxy: FaultProxy;
let dir: string;
const resources = new TestResources();
let known: string;

const hostileMessage = 'disk on fire \u001B]0;pwned\u0007 \u001B[31mred\u001B[0m\r\nsecond line';

before(async () => {
	engine = requireTestEngine();
	dir = mkdtempSync(path.join(os.tmpdir(), 'docknet-faults-'));
	proxy = await startFaultProxy(path.join(dir, 'engine.sock'), engine.socketPath);
	known = uniqueName('known');
	await resources.createNetwork(known, ['--subnet', '10.214.1.0/24']);
});

afterEach(async () => {
	proxy.clearRules();
	proxy.dropConnections();
	await disposeAllDocknets();
});

after(async () => {
	await proxy.close();
	rmSync(dir, {recursive: true, force: true});
	await resources.cleanup();
});

function start(): DocknetPty {
	return startDocknet({args: ['--host', proxy.dockerHost], netns: engine.netns, columns: 140, rows: 32});
}

/** Alive, no stack trace and none of the hostile message's control sequences ever written. */
function assertHealthy(app: DocknetPty): void {
	assert.equal(app.hasExited, false, 'docknet is still running');
	const output = app.rawOutput();
	assert.doesNotMatch(output, stackTrace);
	assert.ok(!output.includes('node:internal'), 'no node internals on screen');
	assert.ok(!output.includes('\u001B]0;pwned'), 'no title sequence from the engine');
	assert.ok(!output.includes('\u001B[31mred'), 'no colour sequence from the engine');
}

/** Live, with the network made before the test on screen: the right data. */
async function assertRecovered(app: DocknetPty): Promise<void> {
	await app.waitFor(lines => lines.some(line => line.includes('● live')) && lines.some(line => line.includes(known) && line.includes('10.214.1.0/24')), `live with ${known}`, 30_000);
}

describe('docknet behind a faulty engine', () => {
	test('every answer in one-byte pieces (the events stream too): the same picture, live changes still arrive', async () => {
		proxy.addRule({path: /.*/, fault: {kind: 'dribble'}});
		const app = start();
		await assertRecovered(app);
		const later = uniqueName('dribbled');
		await resources.createNetwork(later);
		await app.waitForText(later, 20_000);
		assert.ok(proxy.requests.some(request => request.fault === 'dribble' && request.path.startsWith('/events')));
		assertHealthy(app);
	});

	test('500 with a hostile message on the network list: a banner with the message made visible, then recovery', async () => {
		proxy.addRule({method: 'GET', path: /^\/networks(\?|$)/, fault: {kind: 'status', status: 500, body: JSON.stringify({message: hostileMessage})}, times: 2});
		const app = start();
		await app.waitForText(/Engine connection lost: disk on fire ␛]0;pwned␇ ␛\[31mred/, 20_000);
		await assertRecovered(app);
		assertHealthy(app);
	});

	test('a cut-off container list: the banner says what is wrong, then recovery', async () => {
		proxy.addRule({method: 'GET', path: /^\/containers\/json/, fault: {kind: 'body', body: '[{"Id":"0123456789ab","Names":["/half'}, times: 1});
		const app = start();
		await app.waitForText(/Engine connection lost|lost · retry/, 20_000);
		await assertRecovered(app);
		assertHealthy(app);
	});

	test('wrong-shaped answers (an object where the network and container lists belong): banner, then recovery', async () => {
		proxy.addRule({method: 'GET', path: /^\/networks(\?|$)/, fault: {kind: 'body', body: '{"Networks":"not a list"}'}, times: 1});
		proxy.addRule({method: 'GET', path: /^\/containers\/json/, fault: {kind: 'body', body: '{"Id":"not a list either"}'}, times: 1});
		const app = start();
		await app.waitForText(/something other than the (network|container) list/, 20_000);
		await assertRecovered(app);
		assertHealthy(app);
	});

	test('slow answers (3 s each): docknet waits and shows the data, no time-out and no lost banner', async () => {
		proxy.addRule({method: 'GET', path: /^\/(networks|containers\/json)/, fault: {kind: 'slow', delayMs: 3000}, times: 2});
		const app = start();
		await assertRecovered(app);
		assert.ok(!app.rawOutput().includes('connection lost'), 'never called lost');
		assertHealthy(app);
	});

	test('malformed and 10 MB event lines: skipped or shown cut short, the stream reconnects, live changes arrive', async () => {
		const huge = 'H'.repeat(10 * 1024 * 1024);
		const event = (name: string): string => JSON.stringify({Type: 'network', Action: 'create', Actor: {ID: 'f'.repeat(64), Attributes: {name, type: 'bridge'}}, time: Math.floor(Date.now() / 1000), timeNano: Date.now() * 1_000_000});
		proxy.addRule({path: /^\/events/, fault: {kind: 'events', lines: ['{not json', '', 'null', '[1,2,3]', '{"Type":7}', event(`huge-${huge}`), '\u001B]0;pwned\u0007', event('after-the-junk')]}, times: 1});
		const app = start();
		await assertRecovered(app);
		// The events that parsed are in the strip, the huge one cut short.
		await app.waitForText('after-the-junk', 20_000);
		await app.waitFor(lines => lines.some(line => /network create huge-HHHH/.test(line)), 'the huge event, cut short');
		const later = uniqueName('after-junk');
		await resources.createNetwork(later);
		await app.waitForText(later, 20_000);
		assertHealthy(app);
	});

	test('a connect the engine never answers (the proxy swallows it): watched, then "not applied" once the engine answers otherwise', async () => {
		const network = uniqueName('swallow-net');
		const container = uniqueName('swallow-ctn');
		await resources.createNetwork(network, ['--subnet', '10.214.2.0/24']);
		await resources.runContainer(container);
		const app = start();
		await assertRecovered(app);
		proxy.addRule({method: 'POST', path: /^\/networks\/[^/]+\/connect/, fault: {kind: 'hang'}});
		await openConnectForm(app, container, network, '10.214.2.0/24');
		app.press(keys.enter);
		await app.waitForText(`Connecting ${container} to ${network} timed out — the request was sent`, 20_000);
		await app.waitForText(new RegExp(`Connecting ${container} to ${network} timed out — it was not applied \\(checked at \\d\\d:\\d\\d:\\d\\d\\)`), 20_000);
		const networks = await dockerCli(['inspect', '-f', '{{range $name, $_ := .NetworkSettings.Networks}}{{$name}} {{end}}', container]);
		assert.ok(!networks.split(' ').includes(network), 'the engine never got it');
		assertHealthy(app);
	});
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

async function snapshot(args: string[] = []): Promise<Run> {
	return new Promise(resolve => {
		execFile(process.execPath, [docknetBundle, 'snapshot', '--host', proxy.dockerHost, ...args], {timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
			resolve({code, stdout, stderr});
		});
	});
}

describe('docknet snapshot behind a faulty engine', () => {
	const faults = [
		['500 with a hostile message on the network list', {method: 'GET', path: /^\/networks(\?|$)/, fault: {kind: 'status', status: 500, body: JSON.stringify({message: hostileMessage})}}, 1],
		['a cut-off container list', {method: 'GET', path: /^\/containers\/json/, fault: {kind: 'body', body: '[{"Id":"0123456789ab","Names":["/half'}}, 3],
		['a wrong-shaped network list', {method: 'GET', path: /^\/networks(\?|$)/, fault: {kind: 'body', body: '{"Networks":"not a list"}'}}, 3],
	] as const;

	for (const [what, rule, exitCode] of faults) {
		test(`${what}: a non-zero exit, one paragraph on stderr, no stack trace, no escape byte`, async () => {
			proxy.addRule({...rule, times: 1});
			const run = await snapshot();
			assert.notEqual(run.code, 0, 'a failure exit code');
			assert.doesNotMatch(run.stderr, stackTrace);
			assert.ok(!run.stderr.includes('node:internal'), 'no node internals');
			assert.ok(!run.stderr.includes('\u001B'), 'no escape byte on stderr');
			assert.equal(run.stderr.trim().split('\n').length, 1, `one paragraph: ${run.stderr}`);
			assert.match(run.stderr, /^docknet: stopped while taking the snapshot: /);
			// 1: the engine answered with an error; 3: its answer could not be read.
			assert.equal(run.code, exitCode, run.stderr);
		});
	}

	test('every answer in one-byte pieces: the same snapshot as without the proxy', async () => {
		proxy.addRule({path: /.*/, fault: {kind: 'dribble'}});
		const run = await snapshot(['--json']);
		assert.equal(run.code, 0, run.stderr);
		const parsed = JSON.parse(run.stdout) as {networks: Array<{name: string}>};
		assert.ok(parsed.networks.some(network => network.name === known));
	});
});
