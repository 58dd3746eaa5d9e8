import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import {membersOf} from '../../source/model/membership.js';
import {SnapshotStore} from '../../source/model/store.js';
import type {EngineEvent} from '../../source/model/types.js';
import {waitFor} from '../helpers/wait-for.js';
import {PodmanResources, podmanAddresses, podmanCli, podmanEnv, podmanInspect, requireTestPodman, uniqueName} from '../helpers/podman-harness.js';

// docknet's gateway and sync against a real Podman: what they report must match what Podman
// itself says (`podman inspect`, `podman network inspect`), live changes must show up, and
// `docknet snapshot --json` run where Podman's interfaces are must map bridges and veths.
// Subnets 10.232.<n>.0/24.

const resources = new PodmanResources();
let gateway: EngineGateway;
let network: string;
let networkId: string;
let onBoth: string;
let onDefault: string;
let info: Awaited<ReturnType<EngineGateway['info']>>;

before(async () => {
	// Podman's /version runs `dpkg -S` for each of its helpers (conmon, runc): seconds on a busy machine.
	gateway = createDockerGateway(resolveEngineEndpoint({hostFlag: requireTestPodman().dockerHost, env: {}, homeDir: '/nonexistent'}), {timeoutMs: 30_000});
	network = uniqueName('pnet');
	networkId = await resources.createNetwork(network, ['--subnet', '10.232.2.0/24']);
	onBoth = uniqueName('both');
	onDefault = uniqueName('dflt');
	await resources.runContainer(onBoth, {network});
	await podmanCli(['network', 'connect', 'podman', onBoth]);
	await resources.runContainer(onDefault);
	// Once: the gateway learns from it that Podman answers (Podman's /version is slow).
	info = await gateway.info();
});

after(() => resources.cleanup());

describe('Podman through the gateway', () => {
	test('names the product, its version and API version', async () => {
		assert.equal(info.product, 'Podman');
		assert.equal(info.version, await podmanCli(['version', '--format', '{{.Server.Version}}']));
		assert.match(info.apiVersion, /^1\.\d+$/);
	});

	test('lists networks under their Podman names and ids, with their bridges', async () => {
		const networks = await gateway.listNetworks();
		for (const name of ['podman', network]) {
			const own = await podmanInspect('network', name);
			const listed = networks.find(item => item.id === own['id']);
			assert.ok(listed, `${name} listed`);
			assert.equal(listed.name, name);
			assert.equal(listed.bridgeName, own['network_interface']);
			const subnets = (own['subnets'] as Array<{subnet: string}>).map(item => item.subnet);
			assert.deepEqual(listed.pools.map(pool => pool.subnet), subnets);
		}

		assert.ok(!networks.some(item => item.name === 'bridge'), 'the default network appears once, as podman');
		assert.equal(networks.find(item => item.name === 'podman')?.predefined, true);
	});

	test('membership matches podman inspect, by network id', async () => {
		const [networks, containers] = await Promise.all([gateway.listNetworks(), gateway.listContainers()]);
		const ours = containers.filter(container => container.name === onBoth || container.name === onDefault);
		for (const name of ['podman', network]) {
			const listed = networks.find(item => item.name === name);
			assert.ok(listed);
			const members = membersOf(listed, ours);
			const expected: Record<string, string> = {};
			for (const container of [onBoth, onDefault]) {
				const address = (await podmanAddresses(container))[name];
				if (address !== undefined) expected[container] = address;
			}

			assert.deepEqual(Object.fromEntries(members.map(member => [member.container.name, member.endpoint.ipv4 ?? ''])), expected, `members of ${name}`);
		}

		const inspected = await gateway.inspectContainer(onBoth);
		assert.deepEqual(inspected?.endpoints.map(endpoint => endpoint.networkId).sort(), [networks.find(item => item.name === 'podman')?.id, networkId].sort());
	});

	test('live: containers, connects, disconnects and networks docknet did not make', async () => {
		const store = new SnapshotStore();
		const sync = new EngineSync(gateway, store);
		sync.start();
		try {
			await sync.firstLoad;
			const snapshot = () => store.getSnapshot();
			const late = uniqueName('late');
			await resources.runContainer(late);
			await waitFor(() => snapshot().containers.some(item => item.name === late && item.state === 'running'), `${late} running`, 10_000);

			await podmanCli(['network', 'connect', network, late]);
			await waitFor(() => {
				const listed = snapshot().networks.find(item => item.id === networkId);
				return listed !== undefined && membersOf(listed, snapshot().containers).some(member => member.container.name === late);
			}, `${late} on ${network}`, 10_000);
			// The membership may show through a listing before the event is in: wait for the event
			// that names both, as the events strip shows it.
			const namesBoth = (event: EngineEvent): boolean =>
				event.action === 'connect' && event.attributes['name'] === network && snapshot().containers.find(item => item.id === event.attributes['container'])?.name === late;
			await waitFor(() => snapshot().events.some(event => namesBoth(event)), `a connect event naming ${network} and ${late}`, 10_000);

			await podmanCli(['network', 'disconnect', network, late]);
			await waitFor(() => !snapshot().containers.find(item => item.name === late)?.endpoints.some(endpoint => endpoint.networkId === networkId), `${late} off ${network}`, 10_000);
			await waitFor(() => snapshot().events.some(event => event.action === 'disconnect' && event.attributes['name'] === network), `a disconnect event naming ${network}`, 10_000);

			// Podman sends no event for these: they must show up within the live-view bound anyway.
			const unannounced = uniqueName('quiet');
			const quietId = await resources.createNetwork(unannounced, ['--subnet', '10.232.3.0/24']);
			await waitFor(() => snapshot().networks.some(item => item.id === quietId), `${unannounced} listed`, 10_000);
			await podmanCli(['network', 'rm', unannounced]);
			await waitFor(() => !snapshot().networks.some(item => item.id === quietId), `${unannounced} gone`, 10_000);
		} finally {
			sync.stop();
		}
	});

	test('snapshot --json where Podman runs: members, bridges and veths mapped', async () => {
		const {netns} = requireTestPodman();
		const output = await new Promise<string>((resolve, reject) => {
			execFile('ip', ['netns', 'exec', netns, process.execPath, 'dist/docknet.js', 'snapshot', '--json'], {env: {...podmanEnv(), DOCKER_CLIENT_TIMEOUT: '30'}, timeout: 90_000, maxBuffer: 8 * 1024 * 1024}, (error, stdout, stderr) => {
				if (error) reject(new Error(`snapshot --json: ${stderr || error.message}`));
				else resolve(stdout);
			});
		});
		interface Shot {
			engine: {product: string};
			networks: Array<{id: string; name: string; bridge: string | null; containers: Array<{name: string; ipv4: string | null}>}>;
			interfaces: {items: Array<{name: string; kind: string; master: string | null; peer: {container: string; network: string | null} | null; bridge: {network: string} | null}>};
		}
		const shot = JSON.parse(output) as Shot;
		assert.equal(shot.engine.product, 'Podman');
		const ours = shot.networks.find(item => item.id === networkId);
		assert.ok(ours);
		const addresses = await podmanAddresses(onBoth);
		assert.deepEqual(ours.containers.map(item => [item.name, item.ipv4]), [[onBoth, addresses[network]]]);
		const podmanNetwork = shot.networks.find(item => item.name === 'podman');
		assert.ok(podmanNetwork?.containers.some(item => item.name === onDefault));
		assert.ok(podmanNetwork?.containers.some(item => item.name === onBoth));

		const bridge = shot.interfaces.items.find(item => item.name === ours.bridge);
		assert.equal(bridge?.kind, 'bridge');
		assert.equal(bridge?.bridge?.network, network);
		const veths = shot.interfaces.items.filter(item => item.kind === 'veth' && item.peer?.container === onBoth);
		assert.deepEqual(veths.map(item => item.peer?.network).sort(), [network, 'podman'].sort());
		assert.ok(veths.every(item => item.master === (item.peer?.network === network ? ours.bridge : podmanNetwork?.bridge)));
	});
});
