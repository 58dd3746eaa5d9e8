import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {TEST_LABEL, TEST_RUN_ID, TestResources, dockerCli, requireTestEngine, uniqueName} from '../helpers/engine-harness.js';

describe('engine harness', () => {
	test('points at the private test engine', async () => {
		const engine = requireTestEngine();
		assert.match(engine.dockerHost, /^unix:\/\//);
		assert.equal(await dockerCli(['info', '--format', '{{.ServerVersion}}']) !== '', true);
		assert.equal(await dockerCli(['image', 'ls', '-q', 'docknet-test/busybox:latest']) !== '', true);
	});

	test('uniqueName gives distinct, valid Docker names', () => {
		const names = new Set([uniqueName('x'), uniqueName('x'), uniqueName('y')]);
		assert.equal(names.size, 3);
		for (const name of names) {
			assert.match(name, /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
		}
	});

	test('TestResources labels what it makes and removes all of it', async () => {
		const resources = new TestResources();
		const network = uniqueName('net');
		const networkId = await resources.createNetwork(network);
		const id = await resources.runContainer(uniqueName('ctn'), {network});
		await resources.runContainer(uniqueName('ctn'), {command: ['sleep', '5000'], args: ['--hostname', 'custom']});
		assert.equal(await dockerCli(['inspect', '--format', `{{index .Config.Labels "${TEST_LABEL}"}}`, id]), TEST_RUN_ID);
		assert.equal(await dockerCli(['network', 'inspect', '--format', `{{index .Labels "${TEST_LABEL}"}}`, networkId]), TEST_RUN_ID);
		await assert.rejects(dockerCli(['inspect', 'no-such-container-here']), /no-such-container-here|No such/);

		await resources.cleanup();
		const filter = `label=${TEST_LABEL}=${TEST_RUN_ID}`;
		assert.equal(await dockerCli(['ps', '-aq', '--filter', filter]), '');
		assert.equal(await dockerCli(['network', 'ls', '-q', '--filter', filter]), '');
		await resources.cleanup(); // Twice is harmless.
	});
});
