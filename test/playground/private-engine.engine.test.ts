import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, describe, test} from 'node:test';
import {
	cleanupStaleEngines,
	ensureTestImage,
	findRunningEngine,
	startPrivateEngine,
	type PrivateEngine,
} from '../../source/playground/private-engine.js';
import {engineRequest} from '../../source/playground/engine-api.js';

const privateEngineModule = new URL('../../source/playground/private-engine.ts', import.meta.url).href;
import {requireTestEngine} from '../helpers/engine-harness.js';
import {NOTHING_LEFT, processesUsing, remainsOf} from './engine-remains.js';
import {waitFor} from '../helpers/wait-for.js';

async function answers(socketPath: string): Promise<boolean> {
	try {
		return (await engineRequest(socketPath, 'GET', '/_ping', {timeoutMs: 2000})).status === 200;
	} catch {
		return false;
	}
}

async function runSleeper(engine: PrivateEngine, name: string): Promise<void> {
	const created = await engineRequest(engine.socketPath, 'POST', `/containers/create?name=${name}`, {
		body: {Image: 'docknet-test/busybox:latest', Cmd: ['sleep', '100000'], Labels: {'docknet.test': 'private-engine'}},
	});
	assert.equal(created.status, 201, created.body);
	const started = await engineRequest(engine.socketPath, 'POST', `/containers/${name}/start`);
	assert.equal(started.status, 204, started.body);
}

describe('private engine', () => {
	const testEngine = requireTestEngine();
	const started: PrivateEngine[] = [];
	after(async () => {
		for (const engine of started) {
			await engine.stop();
		}
	});

	test('a second engine runs beside the test engine and leaves nothing behind', async () => {
		const engine = await startPrivateEngine({name: `dn-second-${process.pid}`});
		started.push(engine);
		assert.notEqual(engine.netns, testEngine.netns);
		assert.ok(await answers(engine.socketPath), 'the second engine answers');
		assert.ok(await answers(testEngine.socketPath), 'the test engine still answers');

		// A running container gives it shims, mounts and a veth to clean up.
		await ensureTestImage(engine.dockerHost);
		await runSleeper(engine, 'sleeper');
		assert.ok(processesUsing(engine.dir).length >= 3, 'dockerd, containerd and a shim run');

		// Nothing of a live engine is "stale", even when its prefix is asked for.
		assert.deepEqual(await cleanupStaleEngines(engine.name), []);
		assert.ok(await answers(engine.socketPath), 'cleanup left the live engine alone');

		const found = findRunningEngine(engine.name);
		assert.equal(found?.pid, engine.pid);
		assert.equal(found?.dockerHost, engine.dockerHost);

		const stopStarted = Date.now();
		await engine.stop();
		assert.ok(Date.now() - stopStarted < 8000, `stop took ${Date.now() - stopStarted} ms`);
		assert.deepEqual(remainsOf(engine.name, engine.dir), NOTHING_LEFT);
		assert.ok(await answers(testEngine.socketPath), 'the test engine survived');

		await engine.stop(); // Idempotent.
		assert.equal(findRunningEngine(engine.name), undefined);
	});

	test("cleanupStaleEngines removes a SIGKILLed dockerd's remains", async () => {
		const prefix = `dn-stale-${process.pid}`;
		const engine = await startPrivateEngine({name: `${prefix}-a`});
		started.push(engine);
		await ensureTestImage(engine.dockerHost);
		await runSleeper(engine, 'orphan');

		process.kill(engine.pid, 'SIGKILL');
		await waitFor(() => !processesUsing(engine.dir).some(line => line.includes('dockerd')), 'dockerd to die', 5000);
		// The shim and its container outlive dockerd: the remains are real.
		assert.ok(processesUsing(engine.dir).some(line => line.includes('containerd-shim')), 'the shim survived dockerd');

		const removed = await cleanupStaleEngines(prefix);
		assert.ok(removed.includes(`network namespace ${engine.name}`), removed.join('; '));
		assert.ok(removed.includes(`directory ${engine.dir}`), removed.join('; '));
		assert.deepEqual(remainsOf(engine.name, engine.dir), NOTHING_LEFT);
		assert.deepEqual(await cleanupStaleEngines(prefix), [], 'a second cleanup finds nothing');
		assert.ok(await answers(testEngine.socketPath), 'the test engine survived');
	});

	test('a kept engine outlives the process that started it and is not stale', async () => {
		const name = `dn-kept-${process.pid}`;
		// Another process starts the engine, keeps it and exits, like `docknet --playground --keep`.
		const script = `const {startPrivateEngine} = await import(${JSON.stringify(privateEngineModule)});
			const engine = await startPrivateEngine({name: ${JSON.stringify(name)}});
			await engine.keep();
			process.stdout.write(String(engine.pid));`;
		const pid = Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'}));
		const kept = findRunningEngine(name);
		assert.ok(kept, 'the engine still runs');
		started.push(kept);
		assert.equal(kept.pid, pid);
		assert.deepEqual(await cleanupStaleEngines(name), []);
		assert.ok(await answers(kept.socketPath));

		await kept.stop();
		assert.deepEqual(remainsOf(kept.name, kept.dir), NOTHING_LEFT);
	});
});
