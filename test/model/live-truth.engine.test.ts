import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {SnapshotStore} from '../../source/model/store.js';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {waitFor} from '../helpers/wait-for.js';

// The live picture against a real engine whose swarm state changes under it: swarm init
// creates docker_gwbridge and ingress with no event, a leave removes them with none, and a
// swarm node sends `update` events for swarm-scope ids. After each change settles, the
// store says what a fresh listing says. The swarm is a single-node one on the shared test
// engine (test files run one at a time) and is always left again.

const engine = requireTestEngine();
const gateway = createDockerGateway(resolveEngineEndpoint({hostFlag: engine.dockerHost, env: {}, homeDir: '/nonexistent'}));
const store = new SnapshotStore();
// Ten seconds is the promise for an unevented change; the default round is 5 s.
const sync = new EngineSync(gateway, store);
const resources = new TestResources();
let inSwarm = false;

after(async () => {
	sync.stop();
	await resources.cleanup();
	if (inSwarm) await dockerCli(['swarm', 'leave', '--force']).catch(() => undefined);
});

async function storeMatchesListing(what: string): Promise<void> {
	let last = '';
	const deadline = Date.now() + 10_000;
	for (;;) {
		const [networks, listed] = await Promise.all([gateway.listNetworks(), gateway.listContainers()]);
		// As `docknet snapshot` collects them: an inspect decides where the list lags.
		const containers = await Promise.all(listed.map(async container => (await gateway.inspectContainer(container.id)) ?? container));
		const want = JSON.stringify({
			networks: networks.map(network => `${network.name} ${network.id}`).sort(),
			containers: containers.map(container => `${container.name} ${container.state} ${container.endpoints.map(endpoint => `${endpoint.networkId}=${endpoint.ipv4 ?? ''}`).sort().join(',')}`).sort(),
		});
		const snapshot = store.getSnapshot();
		const have = JSON.stringify({
			networks: snapshot.networks.map(network => `${network.name} ${network.id}`).sort(),
			containers: snapshot.containers.map(container => `${container.name} ${container.state} ${container.endpoints.map(endpoint => `${endpoint.networkId}=${endpoint.ipv4 ?? ''}`).sort().join(',')}`).sort(),
		});
		if (want === have) return;
		last = `store ${have}\nengine ${want}`;
		if (Date.now() > deadline) assert.fail(`${what}: the store did not converge within 10 s\n${last}`);
		await new Promise(resolve => setTimeout(resolve, 250));
	}
}

const names = (): string[] => store.getSnapshot().networks.map(network => network.name);

describe('the live picture converges to a fresh listing', () => {
	test('swarm init, overlays, leave and re-init: no phantom, no stale row, gwbridge and ingress shown', {timeout: 90_000}, async () => {
		sync.start();
		await sync.firstLoad;
		await dockerCli(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
		inSwarm = true;
		await waitFor(() => names().includes('ingress') && names().includes('docker_gwbridge'), 'ingress and docker_gwbridge', 12_000);
		await waitFor(() => store.getSnapshot().engine?.swarm === 'active', 'the swarm state in the header', 12_000);
		const overlay = uniqueName('ov');
		await resources.createNetwork(overlay, ['-d', 'overlay', '--attachable']);
		await resources.runContainer(uniqueName('ovc'), {network: overlay});
		await storeMatchesListing('after an overlay and a container on it');
		assert.equal(names().filter(name => name === 'bridge').length, 1, 'one bridge row');
		assert.equal(names().filter(name => name === 'host').length, 1, 'one host row');
		await resources.cleanup();
		await dockerCli(['swarm', 'leave', '--force']);
		inSwarm = false;
		await storeMatchesListing('after swarm leave');
		assert.ok(!names().includes('ingress'), 'ingress gone after leave');
		await waitFor(() => store.getSnapshot().engine?.swarm === 'inactive', 'the swarm state after leave', 12_000);
		await dockerCli(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
		inSwarm = true;
		await waitFor(() => names().includes('ingress'), 'ingress after re-init', 12_000);
		await storeMatchesListing('after re-init');
		assert.equal(names().filter(name => name === 'ingress').length, 1, 'one ingress row');
		await dockerCli(['swarm', 'leave', '--force']);
		inSwarm = false;
		await storeMatchesListing('after the second leave');
		// docker_gwbridge stays after a leave (the engine keeps it); whatever the engine keeps, the store keeps.
		await dockerCli(['network', 'rm', 'docker_gwbridge']).catch(() => undefined);
		await storeMatchesListing('after docker_gwbridge is removed');
	});
});
