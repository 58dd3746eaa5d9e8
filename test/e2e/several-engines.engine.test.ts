import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {engineAddressLabel} from '../../source/model/picture.js';
import {ensureTestImage, startPrivateEngine} from '../../source/playground/private-engine.js';
import type {PrivateEngine} from '../../source/playground/private-engine.js';
import {auxEngineName, dockerOn} from '../helpers/aux-engine.js';
import {runProcess} from '../helpers/run-process.js';
import {requireTestEngine, TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources} from '../helpers/engine-harness.js';
import {disposeAllDocknets, docknetBundle, keys, startDocknet} from '../helpers/pty-app.js';

// Several engines in one picture, against real engines: the shared test engine, a second
// private engine started here, and an endpoint where nothing listens. Rows say whose they
// are, a container is connected by keys on its own engine, and an engine killed mid-session
// is named in a banner while the other one stays live.

const main = requireTestEngine();
const resources = new TestResources();
let aux: PrivateEngine | undefined;
const nowhere = `unix:///tmp/${auxEngineName('nowhere')}/docker.sock`;
// Short names: at 200 columns, with an ENGINE column, the NAME column has ~18 of them.
const mainNetwork = `mn-${TEST_RUN_ID}`;
const mainContainer = `mc-${TEST_RUN_ID}`;
const auxNetwork = `an-${TEST_RUN_ID}`;
const auxContainer = `ac-${TEST_RUN_ID}`;

function auxEngine(): PrivateEngine {
	if (aux === undefined) throw new Error('the second engine did not start');
	return aux;
}

async function onAux(args: string[]): Promise<string> {
	return dockerOn(auxEngine().dockerHost, args);
}

before(async () => {
	aux = await startPrivateEngine({name: auxEngineName('multi')});
	await ensureTestImage(aux.dockerHost);
	await resources.createNetwork(mainNetwork, ['--subnet', '10.231.1.0/24']);
	await resources.runContainer(mainContainer, {network: mainNetwork});
	await onAux(['network', 'create', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--subnet', '10.231.2.0/24', auxNetwork]);
	await onAux(['run', '-d', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--name', auxContainer, TEST_IMAGE, 'sleep', '100000']);
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
	// The second engine goes with everything in it.
	await aux?.stop();
});

describe('several engines in one picture', () => {
	test('snapshot --json: each engine\'s picture in the order given; one that cannot be reached is reported and the others still print', async () => {
		const result = await runProcess(process.execPath, [docknetBundle, 'snapshot', '--json', '-H', main.dockerHost, '-H', auxEngine().dockerHost, '-H', nowhere]);
		assert.equal(result.code, 1, 'an engine failed: the exit status says so');
		const parsed = JSON.parse(result.stdout) as {schema: string; engines: Array<{endpoint: string; error?: string; snapshot?: {containers: Array<{name: string}>; networks: Array<{name: string}>}}>};
		assert.equal(parsed.schema, 'docknet.snapshot/1');
		assert.deepEqual(parsed.engines.map(engine => engine.endpoint), [main.dockerHost, auxEngine().dockerHost, nowhere]);
		const [first, second, third] = parsed.engines;
		assert.ok(first?.snapshot?.containers.some(container => container.name === mainContainer));
		assert.ok(!first?.snapshot?.containers.some(container => container.name === auxContainer));
		assert.ok(second?.snapshot?.containers.some(container => container.name === auxContainer));
		assert.ok(second?.snapshot?.networks.some(network => network.name === auxNetwork));
		assert.match(third?.error ?? '', /tmp\/.*docker\.sock/);
		assert.match(result.stderr, /docknet: /);
		assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
	});

	test(':ctx opens a docker context at run time, makes it the current engine (host pane, :create), and switches back', async () => {
		// A docker context naming the second engine, in a docker config folder of this test's own.
		const dockerConfig = mkdtempSync(path.join(tmpdir(), 'docknet-ctx-'));
		const hash = createHash('sha256').update('auxctx').digest('hex');
		mkdirSync(path.join(dockerConfig, 'contexts', 'meta', hash), {recursive: true});
		writeFileSync(path.join(dockerConfig, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify({Name: 'auxctx', Metadata: {}, Endpoints: {docker: {Host: auxEngine().dockerHost}}}));
		const created = `ax-${TEST_RUN_ID}`;
		const app = startDocknet({args: ['-H', main.dockerHost], netns: main.netns, columns: 200, rows: 50, env: {DOCKER_CONFIG: dockerConfig}});
		try {
			await app.waitForText('● live', 30_000);
			app.press(':ctx\r');
			await app.waitForText(/Engines open: .*\(current\) · docker contexts: auxctx/);
			app.press(':ctx nosuch\r');
			await app.waitForText('No open engine and no docker context named "nosuch"');
			app.press(':ctx aux\t');
			await app.waitForText(/^:ctx auxctx/m);
			app.press('\r');
			await app.waitForText(/Opened auxctx: its host in the interfaces pane/, 20_000);
			await app.waitFor(lines => lines.some(line => line.includes(auxContainer)) && lines.some(line => line.includes('3 Host interfaces') && line.includes("of auxctx's host")), "the second engine's rows and host", 20_000);
			app.press(`:create ${created} --subnet 10.231.3.0/24 --label ${TEST_LABEL}=${TEST_RUN_ID}\r`);
			await app.waitForText(new RegExp(`Created network ${created}`), 20_000);
			assert.notEqual(await onAux(['network', 'ls', '-q', '--filter', `name=^${created}$`]), '', 'created on the current engine: the second');
			const onMain = await runProcess('docker', ['-H', main.dockerHost, 'network', 'ls', '-q', '--filter', `name=^${created}$`]);
			assert.equal(onMain.stdout.trim(), '', 'not on the first');
			// An engine is also named by its endpoint (its label is the machine's name here).
			app.press(`:ctx ${main.dockerHost}\r`);
			await app.waitForText(/Now on \S+: its host in the interfaces pane/);
			await app.waitFor(lines => lines.some(line => line.includes('3 Host interfaces') && line.includes("'s host") && !line.includes('auxctx')), 'the first engine current again', 10_000);
			app.press('q');
			assert.equal((await app.exited).exitCode, 0);
		} finally {
			await app.dispose();
			rmSync(dockerConfig, {recursive: true, force: true});
			await onAux(['network', 'rm', created]).catch(() => undefined);
		}
	});

	test('on screen: rows of both engines with their engine, live events from each, a connect by keys on the container\'s own engine, then one engine killed while the other stays live', async () => {
		// The engines share this machine's hostname: each is named by its socket's folder.
		const auxName = engineAddressLabel(auxEngine().dockerHost);
		// The ENGINE column is cut at 16 columns; the first ten tell these two apart.
		const mainLabel = engineAddressLabel(main.dockerHost).slice(0, 10);
		const auxLabel = auxName.slice(0, 10);
		assert.notEqual(mainLabel, auxLabel);
		const app = startDocknet({args: ['-H', main.dockerHost, '-H', auxEngine().dockerHost], netns: main.netns, columns: 200, rows: 50});
		// A pane's row, not its title (which shows the filter).
		const rowOf = (lines: string[], name: string): string | undefined => lines.find(line => line.includes(name) && !line.includes(`/${name}`));
		await app.waitFor(
			lines => (lines[0] ?? '').includes('● 2 engines live') && (rowOf(lines, mainContainer)?.includes(mainLabel) ?? false) && (rowOf(lines, auxContainer)?.includes(auxLabel) ?? false),
			'both engines live, each container with its engine',
			30_000,
		);
		assert.ok(app.text().includes('ENGINE'));
		assert.ok(rowOf(app.screen(), auxNetwork)?.includes(auxLabel));

		// A container started on the second engine appears live, as that engine's.
		const late = `al-${TEST_RUN_ID}`;
		await onAux(['run', '-d', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--name', late, TEST_IMAGE, 'sleep', '100000']);
		await app.waitFor(lines => rowOf(lines, late)?.includes(auxLabel) ?? false, `${late} on ${auxLabel}`, 15_000);
		await app.waitFor(lines => lines.some(line => line.includes(`${auxName}: container start ${late}`)), 'the event, named with its engine', 10_000);

		// Connect by keys: the picker offers the second engine's network, never the first's.
		app.press('2');
		app.press(`/${auxContainer}`);
		app.press(keys.enter);
		await app.waitFor(lines => lines.some(line => line.includes(' 2 Containers (1 of')), 'the container filtered');
		app.press('c');
		await app.waitForText(`Connect ${auxContainer} to which network?`);
		assert.ok(app.text().includes(auxNetwork), 'its own engine\'s network offered');
		assert.ok(!app.text().includes(mainNetwork), 'the other engine\'s network not offered');
		assert.match(app.text(), /networks? of other engines not offered/);
		app.press(auxNetwork);
		app.press(keys.enter);
		await app.waitForText('IPv4 address');
		app.press(keys.enter);
		await app.waitForText(new RegExp(`Connected ${auxContainer} to ${auxNetwork} \\(10\\.231\\.2\\.\\d+`), 20_000);
		const networks = JSON.parse(await onAux(['inspect', '--format', '{{json .NetworkSettings.Networks}}', auxContainer])) as Record<string, unknown>;
		assert.ok(auxNetwork in networks, 'connected on the second engine');
		app.press(keys.escape);

		// h: the interfaces pane shows the next engine's host, then the first's again.
		app.press('h');
		await app.waitFor(lines => lines.some(line => line.includes(`3 Host interfaces`) && line.includes(`of ${auxName}'s host`)), "the second engine's host");
		app.press('h');
		await app.waitFor(lines => lines.some(line => line.includes(`3 Host interfaces`) && line.includes(`of ${engineAddressLabel(main.dockerHost)}'s host`)), "the first engine's host again");

		// The second engine dies: it is named as down, its rows stay marked, the first stays live.
		process.kill(auxEngine().pid, 'SIGKILL');
		await app.waitFor(
			lines => lines.some(line => line.includes(`Engine ${auxName} lost, its rows stale, others live`)) && (lines[0] ?? '').includes('1/2 engines live'),
			'the banner naming the lost engine',
			20_000,
		);
		await app.waitFor(lines => rowOf(lines, auxContainer)?.includes(`✖ ${auxName.slice(0, 8)}`) ?? false, 'its rows marked', 5000);
		const afterKill = `mk-${TEST_RUN_ID}`;
		await resources.runContainer(afterKill);
		await app.waitFor(lines => rowOf(lines, afterKill)?.includes(mainLabel) ?? false, `${afterKill} on the live engine`, 15_000);
		assert.equal(app.hasExited, false);
		assert.doesNotMatch(app.rawOutput(), /^\s+at .+:\d+:\d+\)?$/m);
		app.press('q');
		const exit = await app.exited;
		assert.equal(exit.exitCode, 0);
	});
});
