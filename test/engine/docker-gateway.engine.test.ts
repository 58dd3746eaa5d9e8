import {createServer} from 'node:net';
import type {Server, Socket} from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {EngineError} from '../../source/model/gateway.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import type {DockerContainer, DockerNetwork, EngineEvent} from '../../source/model/types.js';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {chosenAliases} from '../../source/model/selectors.js';
import {waitFor} from '../helpers/wait-for.js';
import {
	TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources, dockerCli, requireTestEngine, uniqueName,
} from '../helpers/engine-harness.js';

// Subnets unlikely to be used by other test files sharing the engine.
const LIST_SUBNET = '10.231.7.0/24';
const CONNECT_SUBNET = '10.231.8.0/24';
const CREATE_SUBNET = '10.231.9.0/24';

type Json = Record<string, unknown>;

async function inspectJson(kind: 'network' | 'container', id: string): Promise<Json> {
	const parsed = JSON.parse(await dockerCli([kind, 'inspect', id])) as Json[];
	const first = parsed[0];
	assert.ok(first !== undefined, `docker ${kind} inspect ${id} returned nothing`);
	return first;
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
		return error;
	}

	assert.fail('expected the call to fail');
}

/** What `docker network inspect` says, in docknet's terms, to compare with the gateway. */
function expectedNetwork(raw: Json): DockerNetwork {
	const ipam = raw['IPAM'] as {Driver: string; Config: Array<Record<string, unknown>> | null};
	return {
		id: raw['Id'] as string,
		name: raw['Name'] as string,
		driver: raw['Driver'] as string,
		scope: raw['Scope'] as string,
		internal: raw['Internal'] as boolean,
		attachable: raw['Attachable'] as boolean,
		ingress: raw['Ingress'] as boolean,
		enableIPv6: raw['EnableIPv6'] as boolean,
		ipamDriver: ipam.Driver,
		pools: (ipam.Config ?? []).map(config => {
			const pool: DockerNetwork['pools'][number] = {subnet: config['Subnet'] as string};
			if (typeof config['Gateway'] === 'string' && config['Gateway'] !== '') {
				pool.gateway = config['Gateway'];
			}

			if (typeof config['IPRange'] === 'string' && config['IPRange'] !== '') {
				pool.ipRange = config['IPRange'];
			}

			const aux = config['AuxiliaryAddresses'] as Record<string, string> | undefined;
			if (aux !== undefined && Object.keys(aux).length > 0) {
				pool.auxAddresses = aux;
			}

			return pool;
		}),
		options: (raw['Options'] ?? {}) as Record<string, string>,
		labels: (raw['Labels'] ?? {}) as Record<string, string>,
		created: raw['Created'] as string,
	};
}

function endpointOf(container: DockerContainer | undefined, networkName: string) {
	return container?.endpoints.find(endpoint => endpoint.networkName === networkName);
}

describe('docker gateway against the test engine', () => {
	const resources = new TestResources();
	let gateway: EngineGateway;
	let dockerHost: string;

	before(() => {
		dockerHost = requireTestEngine().dockerHost;
		const endpoint = resolveEngineEndpoint({hostFlag: dockerHost, env: {}, homeDir: '/nonexistent'});
		gateway = createDockerGateway(endpoint);
	});

	after(async () => resources.cleanup());

	test('info reports the engine and how it was chosen, in two requests', async () => {
		const before = gateway.requestCount;
		const info = await gateway.info();
		assert.equal(gateway.requestCount - before, 2);
		assert.equal(info.endpoint, dockerHost);
		assert.equal(info.source, '--host');
		assert.equal(info.version, await dockerCli(['version', '--format', '{{.Server.Version}}']));
		assert.equal(info.apiVersion, await dockerCli(['version', '--format', '{{.Server.APIVersion}}']));
		assert.equal(info.hostname, await dockerCli(['info', '--format', '{{.Name}}']));
		assert.equal(info.swarm, await dockerCli(['info', '--format', '{{.Swarm.LocalNodeState}}']));
		assert.equal(info.kernel, await dockerCli(['version', '--format', '{{.Server.KernelVersion}}']));
		assert.ok(info.os !== '');
		for (const driver of ['bridge', 'host', 'null']) {
			assert.ok(info.drivers.includes(driver), `drivers ${info.drivers.join(',')} lack ${driver}`);
		}
	});

	test('networks are listed and inspected as docker network inspect shows them', async () => {
		const name = uniqueName('gw-list');
		const id = await resources.createNetwork(name, [
			'--subnet', LIST_SUBNET, '--gateway', '10.231.7.1', '--ip-range', '10.231.7.128/25', '--aux-address', 'router=10.231.7.5',
			'--ipv6', '--subnet', 'fd00:d0c:7::/64',
			'--label', 'purpose=listing', '-o', 'com.docker.network.driver.mtu=1400', '--attachable',
		]);

		const networks = await gateway.listNetworks();
		const listed = networks.find(network => network.id === id);
		const expected = expectedNetwork(await inspectJson('network', id));
		assert.deepEqual(listed, expected);
		assert.deepEqual(listed?.pools[0], {subnet: LIST_SUBNET, gateway: '10.231.7.1', ipRange: '10.231.7.128/25', auxAddresses: {router: '10.231.7.5'}});
		assert.equal(listed?.enableIPv6, true);
		assert.equal(listed?.attachable, true);
		assert.equal(listed?.labels['purpose'], 'listing');

		assert.deepEqual(await gateway.inspectNetwork(name), expected);
		assert.deepEqual(await gateway.inspectNetwork(id), expected);

		for (const predefined of ['bridge', 'host', 'none']) {
			const network = networks.find(item => item.name === predefined);
			assert.ok(network !== undefined, `${predefined} is listed`);
			assert.deepEqual(network, expectedNetwork(await inspectJson('network', predefined)));
		}
	});

	test('inspecting a network that does not exist gives undefined', async () => {
		assert.equal(await gateway.inspectNetwork(uniqueName('gw-missing')), undefined);
	});

	test('containers are listed and inspected with their endpoints, ports, pid and modes', async () => {
		const mainName = uniqueName('gw-main');
		const mainId = await resources.runContainer(mainName, {args: ['-p', '127.0.0.1::80/tcp', '--expose', '53/udp', '--label', 'role=main']});
		const sharedId = await resources.runContainer(uniqueName('gw-shared'), {network: `container:${mainId}`});
		const isolatedId = await resources.runContainer(uniqueName('gw-none'), {network: 'none'});
		const createdName = uniqueName('gw-created');
		const createdId = await dockerCli(['create', '--name', createdName, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, TEST_IMAGE]);
		resources.track('container', createdId);

		const list = await gateway.listContainers();
		const byId = (id: string) => list.find(container => container.id === id);
		const main = byId(mainId);
		const raw = await inspectJson('container', mainId);
		const settings = raw['NetworkSettings'] as {Networks: Record<string, Json>; Ports: Record<string, Array<{HostIp: string; HostPort: string}> | null>};
		const bridge = settings.Networks['bridge'];
		assert.ok(main !== undefined && bridge !== undefined);
		assert.equal(main.name, mainName);
		const configuredImage = (raw['Config'] as {Image: string}).Image;
		assert.equal(main.image, configuredImage);
		assert.equal(main.state, 'running');
		assert.match(main.status, /^Up /);
		assert.equal(main.networkMode, 'default');
		assert.equal(main.labels['role'], 'main');
		assert.equal(main.inspected, false);
		assert.equal(main.pid, undefined);
		assert.equal(main.created, Math.floor(Date.parse(raw['Created'] as string) / 1000));
		assert.deepEqual(main.endpoints, [{
			networkName: 'bridge',
			networkId: bridge['NetworkID'],
			endpointId: bridge['EndpointID'],
			ipv4: bridge['IPAddress'],
			ipv4PrefixLength: bridge['IPPrefixLen'],
			gateway: bridge['Gateway'],
			mac: bridge['MacAddress'],
			aliases: [],
			links: [],
		}]);
		const hostPort = Number(settings.Ports['80/tcp']?.[0]?.HostPort);
		assert.ok(hostPort > 0);
		assert.deepEqual(
			main.ports.filter(port => port.containerPort === 80),
			[{containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort}],
		);

		const inspected = await gateway.inspectContainer(mainName);
		assert.ok(inspected !== undefined);
		assert.equal(inspected.inspected, true);
		assert.equal(inspected.pid, (raw['State'] as {Pid: number}).Pid);
		assert.ok((inspected.pid ?? 0) > 0);
		assert.equal(inspected.image, configuredImage);
		assert.match(inspected.status, /^Up /);
		assert.deepEqual(inspected.endpoints, main.endpoints);
		assert.deepEqual(
			[...inspected.ports].sort((a, b) => a.containerPort - b.containerPort),
			[{containerPort: 53, protocol: 'udp'}, {containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort}],
		);
		// Inspect-only facts: when the state began (status texts are made as they are drawn)
		// and the network namespace file under the engine's exec-root.
		assert.equal(inspected.statusClock?.prefix, 'Up ');
		assert.ok(Math.abs((inspected.statusClock?.since ?? 0) - Date.parse((raw['State'] as {StartedAt: string}).StartedAt)) < 1000);
		assert.match(inspected.sandboxKey ?? '', /\/netns\/[0-9a-f]{12}$/);
		const {status: _inspectedStatus, pid: _pid, inspected: _inspected, ports: _inspectedPorts, statusClock: _clock, sandboxKey: _sandbox, ...inspectedRest} = inspected;
		const {status: _listedStatus, inspected: _listed, ports: _listedPorts, ...listedRest} = main;
		assert.deepEqual(inspectedRest, listedRest);

		const shared = byId(sharedId);
		assert.equal(shared?.networkMode, `container:${mainId}`);
		assert.deepEqual(shared?.endpoints, []);
		assert.deepEqual((await gateway.inspectContainer(sharedId))?.endpoints, []);

		const isolated = byId(isolatedId);
		assert.equal(isolated?.networkMode, 'none');
		assert.deepEqual(isolated?.endpoints.map(endpoint => endpoint.networkName), ['none']);
		assert.equal(isolated?.endpoints[0]?.ipv4, undefined);

		const created = byId(createdId);
		assert.equal(created?.state, 'created');
		const createdInspect = await gateway.inspectContainer(createdId);
		assert.equal(createdInspect?.status, 'Created');
		assert.equal(createdInspect?.pid, 0);
	});

	test('inspecting a container that does not exist gives undefined', async () => {
		assert.equal(await gateway.inspectContainer(uniqueName('gw-missing')), undefined);
	});

	test('connect with a fixed IPv4 and aliases, then disconnect', async () => {
		const networkName = uniqueName('gw-connect');
		const networkId = await resources.createNetwork(networkName, ['--subnet', CONNECT_SUBNET]);
		const containerId = await resources.runContainer(uniqueName('gw-joiner'));

		await gateway.connect(networkId, containerId, {ipv4: '10.231.8.50', aliases: ['alpha', 'beta']});

		const joined = endpointOf(await gateway.inspectContainer(containerId), networkName);
		const raw = (await inspectJson('container', containerId))['NetworkSettings'] as {Networks: Record<string, Json>};
		const engineView = raw.Networks[networkName];
		assert.ok(joined !== undefined && engineView !== undefined);
		assert.equal(joined.ipv4, '10.231.8.50');
		assert.equal(joined.ipv4PrefixLength, 24);
		assert.equal(joined.requestedIpv4, '10.231.8.50');
		// Exactly as the engine has them, its own short-id alias included; chosenAliases tells the user's.
		assert.deepEqual(joined.aliases, engineView['Aliases']);
		assert.deepEqual(chosenAliases(joined, containerId), ['alpha', 'beta']);
		assert.equal(joined.networkId, networkId);
		assert.equal(joined.endpointId, engineView['EndpointID']);
		assert.equal(joined.mac, engineView['MacAddress']);
		assert.ok((engineView['Aliases'] as string[]).includes(containerId.slice(0, 12)));

		const listed = endpointOf((await gateway.listContainers()).find(container => container.id === containerId), networkName);
		assert.equal(listed?.ipv4, '10.231.8.50');
		assert.equal(listed?.requestedIpv4, '10.231.8.50');

		await gateway.disconnect(networkId, containerId, false);
		assert.equal(endpointOf(await gateway.inspectContainer(containerId), networkName), undefined);
		const after = (await inspectJson('container', containerId))['NetworkSettings'] as {Networks: Record<string, Json>};
		assert.equal(after.Networks[networkName], undefined);
	});

	test('create and remove a network', async () => {
		const name = uniqueName('gw-create');
		const id = await gateway.createNetwork({
			name,
			driver: 'bridge',
			subnet: CREATE_SUBNET,
			gateway: '10.231.9.254',
			ipRange: '10.231.9.0/25',
			internal: true,
			attachable: true,
			labels: {[TEST_LABEL]: TEST_RUN_ID, purpose: 'create'},
			options: {'com.docker.network.driver.mtu': '1300'},
		});
		resources.track('network', id);

		const raw = await inspectJson('network', id);
		assert.equal(raw['Name'], name);
		assert.equal(raw['Internal'], true);
		assert.equal(raw['Attachable'], true);
		assert.equal(raw['EnableIPv6'], false);
		assert.deepEqual((raw['IPAM'] as {Config: unknown}).Config, [{Subnet: CREATE_SUBNET, IPRange: '10.231.9.0/25', Gateway: '10.231.9.254'}]);
		assert.deepEqual(raw['Labels'], {[TEST_LABEL]: TEST_RUN_ID, purpose: 'create'});
		assert.equal((raw['Options'] as Record<string, string>)['com.docker.network.driver.mtu'], '1300');
		assert.deepEqual(await gateway.inspectNetwork(id), expectedNetwork(raw));

		await gateway.removeNetwork(id);
		assert.equal(await gateway.inspectNetwork(id), undefined);
	});

	test('a network without a subnet lets the engine choose', async () => {
		const name = uniqueName('gw-auto');
		const id = await gateway.createNetwork({name, driver: 'bridge', labels: {[TEST_LABEL]: TEST_RUN_ID}});
		resources.track('network', id);
		const network = await gateway.inspectNetwork(id);
		assert.equal(network?.pools.length, 1);
		await gateway.removeNetwork(id);
	});

	test('removing a predefined network is forbidden, with the engine\'s words', async () => {
		const error = await rejection(gateway.removeNetwork('bridge'));
		assert.equal(error.kind, 'forbidden');
		assert.equal(error.statusCode, 403);
		assert.equal(error.message, 'bridge is a pre-defined network and cannot be removed');
	});

	test('connecting to a network that vanished is not-found', async () => {
		const name = uniqueName('gw-vanish');
		const networkId = await resources.createNetwork(name);
		await dockerCli(['network', 'rm', networkId]);
		const containerId = await resources.runContainer(uniqueName('gw-orphan'));
		const error = await rejection(gateway.connect(networkId, containerId, {}));
		assert.equal(error.kind, 'not-found');
		assert.match(error.message, /not found/);
		assert.doesNotMatch(error.message, /HTTP code/);
	});

	test('a duplicate network name is a conflict', async () => {
		const name = uniqueName('gw-dup');
		await resources.createNetwork(name);
		const error = await rejection(gateway.createNetwork({name, driver: 'bridge', labels: {[TEST_LABEL]: TEST_RUN_ID}}));
		assert.equal(error.kind, 'conflict');
		assert.equal(error.message, `network with name ${name} already exists`);
	});

	test('the events stream delivers a network create and resolves when aborted', async () => {
		const controller = new AbortController();
		const events: EngineEvent[] = [];
		let opened = false;
		const done = gateway.streamEvents({
			onEvent(event) {
				events.push(event);
			},
			onOpen() {
				opened = true;
			},
		}, controller.signal);

		await waitFor(() => opened, 'the stream to open', 10_000);
		const name = uniqueName('gw-events');
		const id = await resources.createNetwork(name);
		await waitFor(() => events.some(event => event.type === 'network' && event.action === 'create' && event.actorId === id), 'the network create event', 10_000);
		const created = events.find(event => event.actorId === id);
		assert.equal(created?.attributes['name'], name);
		assert.equal(created?.attributes['type'], 'bridge');
		assert.ok(Math.abs((created?.time ?? 0) - Date.now()) < 60_000);
		assert.match(created?.timeNano ?? '', /^\d{19}$/);

		controller.abort();
		await done;
		assert.ok(events.every(event => event.type === 'network' || event.type === 'container'));
	});

	test('an already aborted signal returns at once', async () => {
		const controller = new AbortController();
		controller.abort();
		const before = gateway.requestCount;
		await gateway.streamEvents({onEvent() {}}, controller.signal);
		assert.equal(gateway.requestCount, before);
	});
});

describe('docker gateway against engines that fail', () => {
	let dir: string;
	let server: Server | undefined;

	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'docknet-gw-'));
	});

	after(async () => {
		await new Promise<void>(resolve => {
			if (server === undefined) {
				resolve();
			} else {
				server.close(() => {
					resolve();
				});
			}
		});
		rmSync(dir, {recursive: true, force: true});
	});

	test('an engine that accepts and never answers times out', async () => {
		const socketPath = join(dir, 'hung.sock');
		const sockets: Socket[] = [];
		let closed = 0;
		server = createServer(socket => {
			sockets.push(socket);
			// A paused socket never notices the client hanging up.
			socket.resume();
			socket.on('close', () => {
				closed += 1;
			});
		});
		await new Promise<void>(resolve => {
			server?.listen(socketPath, resolve);
		});

		const endpoint = resolveEngineEndpoint({hostFlag: `unix://${socketPath}`, env: {}, homeDir: '/nonexistent'});
		const gateway = createDockerGateway(endpoint, {timeoutMs: 300});
		const started = Date.now();
		const error = await rejection(gateway.listNetworks());
		const elapsed = Date.now() - started;
		assert.equal(error.kind, 'timeout');
		assert.equal(error.message, 'the engine did not answer within 300 ms while listing networks');
		assert.ok(elapsed >= 250 && elapsed < 3000, `took ${elapsed} ms`);
		assert.equal(gateway.requestCount, 1);
		// The hung request's connection is given up, not leaked.
		await waitFor(() => closed === sockets.length && closed > 0, 'the client to close its connection', 10_000);

		const inspectError = await rejection(gateway.inspectNetwork('bridge'));
		assert.equal(inspectError.kind, 'timeout');
	});

	test('a socket path with nothing behind it is unreachable', async () => {
		const socketPath = join(dir, 'nothing-here.sock');
		const endpoint = resolveEngineEndpoint({hostFlag: `unix://${socketPath}`, env: {}, homeDir: '/nonexistent'});
		const gateway = createDockerGateway(endpoint, {timeoutMs: 2000});
		const error = await rejection(gateway.info());
		assert.equal(error.kind, 'unreachable');
		assert.match(error.message, /no engine socket at .*nothing-here\.sock/);
		const streamError = await rejection(gateway.streamEvents({onEvent() {}}, new AbortController().signal));
		assert.equal(streamError.kind, 'unreachable');
	});
});
