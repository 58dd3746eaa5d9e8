import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {emptyHostView} from '../../source/host/bridges.js';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {SnapshotStore} from '../../source/model/store.js';
import {buildTopology, flattenTopology} from '../../source/ui/presentation/topology.js';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {waitFor} from '../helpers/wait-for.js';

// A `--network container:<owner>` sidecar whose owner is recreated under the same name (what
// `docker compose up` does to a changed service) keeps the old owner's id: it is in no stack
// the engine lists. The topology gives it a marked branch of its own.

const engine = requireTestEngine();
const resources = new TestResources();
let sync: EngineSync | undefined;

after(async () => {
	sync?.stop();
	await resources.cleanup();
});

describe('an orphaned sidecar in the topology', () => {
	test('owner recreated: the sidecar is under "orphaned sidecars" with the old id; with its owner alive it is not', {timeout: 90_000}, async () => {
		const owner = uniqueName('owner');
		const sidecar = uniqueName('sidecar');
		const oldId = await resources.runContainer(owner);
		await resources.runContainer(sidecar, {args: ['--network', `container:${owner}`]});
		const store = new SnapshotStore();
		sync = new EngineSync(createDockerGateway(resolveEngineEndpoint({hostFlag: engine.dockerHost, env: {}, homeDir: '/nonexistent'})), store);
		sync.start();
		await sync.firstLoad;
		const tree = () => {
			const {networks, containers, host} = store.getSnapshot();
			return flattenTopology(buildTopology({networks, containers, host}, emptyHostView()));
		};

		await waitFor(() => tree().some(row => row.label === sidecar), 'the sidecar in the tree', 20_000);
		assert.ok(!tree().some(row => row.label.includes('orphaned')), 'its owner is alive: under the owner, no warning');
		await dockerCli(['rm', '-f', owner]);
		const newId = await resources.runContainer(owner);
		assert.notEqual(newId, oldId);
		await waitFor(() => tree().some(row => row.label === '⚠ orphaned sidecars'), 'the orphan branch', 20_000);
		const rows = tree();
		const branch = rows.findIndex(row => row.label === '⚠ orphaned sidecars');
		const child = rows[branch + 1];
		assert.equal(child?.label, sidecar);
		assert.match(child?.detail ?? '', new RegExp(`container:${oldId.slice(0, 12)} gone`));
		const inspected = JSON.parse(await dockerCli(['inspect', sidecar])) as Array<{HostConfig: {NetworkMode: string}}>;
		assert.equal(inspected[0]?.HostConfig.NetworkMode, `container:${oldId}`, 'the engine still names the old owner');
	});
});
