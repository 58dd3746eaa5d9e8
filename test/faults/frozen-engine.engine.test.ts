import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {dockerdPid, freezeEngine, resumeEngine} from '../helpers/engine-freeze.js';
import {disposeAllDocknets, keys, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';
import {openConnectForm, stackTrace} from '../helpers/pty-steps.js';

// A hung engine, as SIGSTOP makes one: it keeps its sockets open, accepts connections and
// answers nothing. docknet must notice while idle, say so, come back once the engine runs
// again, and never claim that a request it sent changed nothing. The test engine is frozen
// only inside this file (test files run one at a time) and always resumed in a finally.

let engine: TestEngine;
let pid: number;
let app: DocknetPty;
const resources = new TestResources();

before(async () => {
	engine = requireTestEngine();
	pid = dockerdPid(engine.socketPath);
	app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 120, rows: 32});
	await app.waitForText('● live', 20_000);
});

after(async () => {
	resumeEngine(pid);
	await disposeAllDocknets();
	await resources.cleanup();
});

/** The status line: the last line above the footer. */
const screenText = (): string => app.text();

describe('a frozen engine (SIGSTOP of dockerd)', () => {
	test('is noticed while idle within 10 s, and docknet is live again with fresh data once it answers', async t => {
		const frozenAt = Date.now();
		let noticedAfter: number;
		freezeEngine(pid);
		try {
			await app.waitForText(/not answering since \d\d:\d\d:\d\d/, 12_000);
			noticedAfter = Date.now() - frozenAt;
			assert.match(screenText(), /Engine not answering since \d\d:\d\d:\d\d: data shown is stale/);
		} finally {
			resumeEngine(pid);
		}

		t.diagnostic(`freeze noticed after ${noticedAfter} ms`);
		assert.ok(noticedAfter <= 10_000, `noticed after ${noticedAfter} ms`);
		await app.waitForText('● live', 15_000);
		// Fresh data: a network made after the freeze shows up (events and the resync work).
		const name = uniqueName('after-freeze');
		await resources.createNetwork(name);
		await app.waitForText(name, 10_000);
		assert.doesNotMatch(app.rawOutput(), stackTrace);
	});

	test('a network created while it is frozen: the form says it was sent and is watched; the verdict names when it was applied', async () => {
		const name = uniqueName('frozen-create');
		resources.track('network', name);
		app.press('1');
		await app.waitFor(() => app.highlighted().some(text => text.startsWith('1 Networks')), 'the networks pane focused');
		app.press('n');
		await app.waitForText('Create a network');
		app.press(name);
		await app.waitForText(name);
		freezeEngine(pid);
		try {
			app.press(keys.enter);
			await app.waitForText(`Creating network ${name} timed out — the request was sent`, 20_000);
			app.press(keys.escape);
			await app.waitFor(lines => !lines.some(line => line.includes('Create a network')), 'the form closed');
		} finally {
			resumeEngine(pid);
		}

		await app.waitForText(new RegExp(`Creating network ${name} timed out — it was applied at \\d\\d:\\d\\d:\\d\\d`), 20_000);
		assert.ok((await dockerCli(['network', 'ls', '--format', '{{.Name}}'])).split('\n').includes(name), 'the engine has it');
		assert.ok(!app.rawOutput().includes('nothing was changed'), 'never claimed that nothing changed');
	});

	test('a connect sent while it is frozen, form closed with Esc: the watch goes on and reports it applied', async () => {
		const network = uniqueName('frozen-net');
		const container = uniqueName('frozen-ctn');
		await resources.createNetwork(network, ['--subnet', '10.213.7.0/24']);
		await resources.runContainer(container);
		await openConnectForm(app, container, network, '10.213.7.0/24');
		freezeEngine(pid);
		try {
			app.press(keys.enter);
			await app.waitForText(`Connecting ${container} to ${network} timed out — the request was sent`, 20_000);
			app.press(keys.escape);
			await app.waitFor(lines => !lines.some(line => line.includes(`Connect ${container} to ${network}`)), 'the form closed');
		} finally {
			resumeEngine(pid);
		}

		await app.waitForText(new RegExp(`Connecting ${container} to ${network} timed out — it was applied at \\d\\d:\\d\\d:\\d\\d \\(10\\.213\\.7\\.\\d+\\)`), 20_000);
		const ip = await dockerCli(['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container]);
		assert.match(ip, /^10\.213\.7\.\d+$/);
		assert.ok(!app.rawOutput().includes('nothing was changed'), 'never claimed that nothing changed');
		assert.doesNotMatch(app.rawOutput(), stackTrace);
		app.press('/');
		app.press(keys.escape);
	});
});
