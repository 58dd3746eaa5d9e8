import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {engineRequest} from '../../source/playground/engine-api.js';
import {ensureTestImage, startPrivateEngine, type PrivateEngine} from '../../source/playground/private-engine.js';
import {PLAYGROUND_LABEL, seedWalkthrough} from '../../source/playground/seed.js';
import {NOTHING_LEFT, remainsOf} from './engine-remains.js';

interface InspectedContainer {
	Name: string;
	State: {Running: boolean};
	Config: {Labels: Record<string, string>};
	HostConfig: {NetworkMode: string};
	NetworkSettings: {Networks: Record<string, {IPAddress: string}>};
}

// The walkthrough uses fixed names (ctn1, playnet, …), so it gets an engine of its own instead
// of the shared test engine.
describe('seedWalkthrough', () => {
	let engine: PrivateEngine | undefined;
	before(async () => {
		engine = await startPrivateEngine({name: `dn-seed-${process.pid}`});
		await ensureTestImage(engine.dockerHost);
	});
	after(async () => {
		await engine?.stop();
	});

	const inspect = async (name: string): Promise<InspectedContainer> => {
		const response = await engineRequest(engine?.socketPath ?? '', 'GET', `/containers/${name}/json`);
		assert.equal(response.status, 200, `${name}: ${response.body}`);
		return JSON.parse(response.body) as InspectedContainer;
	};

	test('creates the classic walkthrough, and running it again changes nothing', async () => {
		assert.ok(engine);
		const first = await seedWalkthrough(engine.dockerHost);
		const second = await seedWalkthrough(engine.dockerHost);
		assert.deepEqual(second, first);

		const network = JSON.parse((await engineRequest(engine.socketPath, 'GET', '/networks/playnet')).body) as {
			IPAM: {Config: Array<{Subnet: string; Gateway: string}>};
			Labels: Record<string, string>;
		};
		assert.deepEqual(network.IPAM.Config, [{Subnet: '10.77.0.0/24', Gateway: '10.77.0.1'}]);
		assert.equal(network.Labels[PLAYGROUND_LABEL], '1');

		const expected: Record<string, string> = {
			ctn1: 'bridge',
			ctn2: 'bridge',
			ctn3: 'playnet',
			'web-host': 'host',
			isolated: 'none',
			sidecar: `container:${first.containerIds['ctn1'] ?? '?'}`,
		};
		for (const [name, mode] of Object.entries(expected)) {
			const container = await inspect(name);
			assert.equal(container.State.Running, true, `${name} runs`);
			assert.equal(container.Config.Labels[PLAYGROUND_LABEL], '1');
			assert.equal(container.HostConfig.NetworkMode, mode, name);
		}

		assert.match((await inspect('ctn1')).NetworkSettings.Networks['bridge']?.IPAddress ?? '', /^172\.17\.0\.\d+$/);
		assert.match((await inspect('ctn3')).NetworkSettings.Networks['playnet']?.IPAddress ?? '', /^10\.77\.0\.\d+$/);
	});

	test('stopping the seeded engine is quick and leaves nothing', async () => {
		assert.ok(engine);
		const stopStarted = Date.now();
		await engine.stop();
		assert.ok(Date.now() - stopStarted < 8000, `stop took ${Date.now() - stopStarted} ms`);
		assert.deepEqual(remainsOf(engine.name, engine.dir), NOTHING_LEFT);
	});
});
