import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {dockerCli, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {appOnEngineTests} from '../helpers/render-app-engine.js';
import {keys, lineWith} from '../helpers/render-app.js';

// What a realistic host holds: a container publishing a range of 60 ports, a sidecar whose
// owner was recreated under the same name, and a stopped container whose network was removed
// (the engine allows `docker network rm` while a stopped container still lists it).

const resources = new TestResources();
const {start} = appOnEngineTests(resources, {columns: 80, rows: 24});

describe('long screens and stale links on the real engine', () => {
	test('60 published ports: the details say rows a–b of n and End shows the last port and the endpoints', async () => {
		const name = uniqueName('ports');
		await resources.runContainer(name, {args: ['-p', '10000-10059:10000-10059']});
		const app = await start();
		await app.selectOnly('containers', name);
		await app.press(keys.enter);
		let frame = await app.waitForFrame(text => text.includes(`Container ${name}`) && /rows 1–\d+ of \d+ · ↓ more/.test(text), 'the details, with the rows line');
		assert.ok(frame.split('\n').length <= 24);
		await app.press(keys.end);
		frame = await app.waitForFrame(text => /rows \d+–(\d+) of \1(?!\d)/.test(text), 'the last page');
		assert.match(frame, /:10059/);
		assert.match(frame, /Endpoints \(1\)/);
		assert.match(frame, /bridge/);
	});

	test('a sidecar whose owner was recreated under the same name is marked, and its details say why', async () => {
		const owner = uniqueName('owner');
		const sidecar = uniqueName('sidecar');
		await resources.runContainer(owner);
		await resources.runContainer(sidecar, {network: `container:${owner}`});
		await dockerCli(['rm', '-f', owner]);
		await resources.runContainer(owner);
		// The engine keeps the old owner's id, and the sidecar runs on in the old stack.
		assert.match(await dockerCli(['inspect', '-f', '{{.State.Status}} {{.HostConfig.NetworkMode}}', sidecar]), /^running container:[0-9a-f]{64}$/);
		const app = await start({columns: 200, rows: 50});
		await app.waitForStore(snapshot => snapshot.containers.filter(item => item.name === owner || item.name === sidecar).length === 2, 'both in the store');
		const frame = await app.waitForFrame(text => /⚠ container:[0-9a-f]{12}/.test(lineWith(text, sidecar) ?? ''), 'the sidecar marked');
		assert.doesNotMatch(lineWith(frame, `${owner} `) ?? '', /⚠/);
		await app.selectOnly('containers', sidecar);
		await app.press(keys.enter);
		await app.waitForFrame(text => /Warning +shares the stack of container [0-9a-f]{12}, which is gone/.test(text), 'the warning in the details');
	});

	test('a stopped container still listing a removed network is marked, and its details say starting fails', async () => {
		const network = uniqueName('gone');
		const name = uniqueName('parked');
		await resources.createNetwork(network);
		await resources.runContainer(name, {network});
		await dockerCli(['stop', '-t', '0', name]);
		await dockerCli(['network', 'rm', network]);
		// What the warning promises, checked against the engine.
		await assert.rejects(dockerCli(['start', name]), /not found/);
		const app = await start({columns: 200, rows: 50});
		await app.waitForStore(snapshot => snapshot.containers.some(item => item.name === name) && !snapshot.networks.some(item => item.name === network), 'the store');
		await app.waitForFrame(text => new RegExp(`⚠ ${network}`).test(lineWith(text, name) ?? ''), 'the container marked');
		await app.selectOnly('containers', name);
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes(`Warning        lists network ${network}, which was removed: starting it fails`), 'the warning in the details');
	});
});
