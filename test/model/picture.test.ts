import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {createEngineRouter} from '../../source/model/engine-router.js';
import {engineAddressLabel, engineForNew, mergePicture, onSameEngine, PictureStore} from '../../source/model/picture.js';
import type {PictureSlot} from '../../source/model/picture.js';
import {initialSnapshot, SnapshotStore} from '../../source/model/store.js';
import {noSwarm} from '../../source/model/swarm-types.js';
import type {EngineSnapshot} from '../../source/model/store.js';
import type {EngineInfo} from '../../source/model/types.js';
import {parseCli} from '../../source/config/cli-args.js';
import {resolveEngineEndpoints} from '../../source/engine/endpoint.js';
import {waitFor} from '../helpers/wait-for.js';
import {endpointOn, FakeGateway, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

function info(hostname: string, engineId = `id-${hostname}`): EngineInfo {
	return {endpoint: '', source: '', product: 'Docker', version: '20.10.24', rootless: false, apiVersion: '1.41', os: 'Debian', kernel: '6', hostname, engineId, swarm: 'inactive', drivers: ['bridge']};
}

function engineSnapshot(hostname: string, build: (snapshot: EngineSnapshot) => Partial<EngineSnapshot>, engineId?: string): EngineSnapshot {
	const base: EngineSnapshot = {...initialSnapshot, engine: info(hostname, engineId), loaded: true, connection: {status: 'live', since: 1}};
	return {...base, ...build(base)};
}

function slot(key: string, endpoint: string, snapshot: EngineSnapshot, fixedLabel?: string): {slot: PictureSlot; snapshot: EngineSnapshot} {
	return {slot: {key, endpoint, store: new SnapshotStore(snapshot, 0), ...(fixedLabel === undefined ? {} : {fixedLabel})}, snapshot};
}

const flush = async (): Promise<void> => new Promise(resolve => {
	setTimeout(resolve, 5);
});

describe('the picture of several engines', () => {
	const bridgeA = fakeNetwork({name: 'bridge'});
	const bridgeB = fakeNetwork({name: 'bridge'});
	const overlay = fakeNetwork({name: 'ov', driver: 'overlay', scope: 'swarm'});
	const webA = fakeContainer({name: 'web', endpoints: [endpointOn(bridgeA, '172.17.0.2')]});
	const apiB = fakeContainer({name: 'api', endpoints: [endpointOn(bridgeB, '172.17.0.2'), endpointOn(overlay, '10.0.1.3')]});
	const a = engineSnapshot('node-a', () => ({networks: [bridgeA, overlay], containers: [webA]}));
	const b = engineSnapshot('node-b', () => ({networks: [bridgeB, overlay], containers: [apiB]}));

	test('one engine passes through: the same lists, no owners shown, its own connection', () => {
		const picture = mergePicture([slot('engine-1', 'unix:///var/run/docker.sock', a)]);
		assert.equal(picture.networks, a.networks);
		assert.equal(picture.containers, a.containers);
		assert.equal(picture.connection, a.connection);
		assert.equal(picture.engines.length, 1);
	});

	test('every engine\'s rows in one list sorted by name, each owned by its engine; a swarm network once', () => {
		const picture = mergePicture([slot('engine-1', 'ssh://me@a', a), slot('engine-2', 'ssh://me@b', b)]);
		assert.deepEqual(picture.networks.map(network => network.name), ['bridge', 'bridge', 'ov']);
		assert.deepEqual(picture.containers.map(container => container.name), ['api', 'web']);
		assert.equal(picture.owners.networks.get(bridgeB.id), 'engine-2');
		assert.equal(picture.owners.containers.get(webA.id), 'engine-1');
		assert.deepEqual(picture.engines.map(engine => engine.label), ['node-a', 'node-b']);
		assert.equal(picture.host, a.host);
	});

	test('one engine down: the picture stays live, the engine says it is lost', () => {
		const lost = {...b, connection: {status: 'lost', error: 'connect ECONNREFUSED', attempt: 2, retryAt: 9} as const};
		const picture = mergePicture([slot('engine-1', 'unix:///a.sock', a), slot('engine-2', 'unix:///b.sock', lost)]);
		assert.equal(picture.connection.status, 'live');
		assert.equal(picture.engines[1]?.connection.status, 'lost');
		assert.equal(picture.loaded, true);
	});

	test('an engine that never answered holds nothing up: the others are loaded and shown', () => {
		const never: EngineSnapshot = {...initialSnapshot, connection: {status: 'lost', error: 'no such file', attempt: 1, retryAt: 5}};
		const picture = mergePicture([slot('engine-1', 'unix:///gone.sock', never), slot('engine-2', 'unix:///b.sock', b)]);
		assert.equal(picture.loaded, true);
		assert.deepEqual(picture.containers.map(container => container.name), ['api']);
		assert.equal(picture.engines[0]?.label, 'gone.sock');
	});

	test('the same daemon through two endpoints is shown once; engines that only share an ID are not', () => {
		const twice = mergePicture([slot('engine-1', 'unix:///var/run/docker.sock', a), slot('engine-2', 'ssh://me@localhost', a)]);
		assert.equal(twice.engines[1]?.sameAs, 'local');
		assert.equal(twice.containers.length, 1);
		const sharedId = engineSnapshot('node-a', () => ({networks: [fakeNetwork({name: 'bridge'})], containers: []}), a.engine?.engineId);
		const both = mergePicture([slot('engine-1', 'unix:///run/a/docker.sock', a), slot('engine-2', 'unix:///run/b/docker.sock', sharedId)]);
		assert.equal(both.engines[1]?.sameAs, undefined);
		// One hostname for both: each is named by its socket's folder.
		assert.deepEqual(both.engines.map(engine => engine.label), ['a', 'b']);
	});

	test('a context\'s name is its label; events say whose they are, newest first', () => {
		const withEvents = (snapshot: EngineSnapshot, time: number): EngineSnapshot => ({
			...snapshot,
			events: [{type: 'container', action: 'start', actorId: 'x', attributes: {name: 'x'}, time, timeNano: String(time)}],
		});
		const picture = mergePicture([slot('engine-1', 'ssh://a', withEvents(a, 1), 'prod'), slot('engine-2', 'ssh://b', withEvents(b, 2), 'lab')]);
		assert.deepEqual(picture.events.map(event => event.engine), ['lab', 'prod']);
	});

	test('a container joins networks of its own engine and swarm networks; new networks go to the selected row\'s engine', () => {
		const picture = mergePicture([slot('engine-1', 'ssh://a', a), slot('engine-2', 'ssh://b', b)]);
		assert.equal(onSameEngine(picture, bridgeB, webA.id), false);
		assert.equal(onSameEngine(picture, bridgeA, webA.id), true);
		assert.equal(onSameEngine(picture, overlay, webA.id), true);
		assert.equal(engineForNew(picture, {containerId: apiB.id})?.label, 'node-b');
		assert.equal(engineForNew(picture, {})?.label, 'node-a');
		assert.equal(engineForNew(mergePicture([slot('engine-1', 'ssh://a', a)]), {}), undefined);
	});

	test('PictureStore: follows each engine\'s store, and writes a change back to the owner', async () => {
		const storeA = new SnapshotStore(a, 0);
		const storeB = new SnapshotStore(b, 0);
		const picture = new PictureStore([{key: 'engine-1', endpoint: 'ssh://a', store: storeA}, {key: 'engine-2', endpoint: 'ssh://b', store: storeB}]);
		let notified = 0;
		picture.subscribe(() => notified++);
		const first = picture.getSnapshot();
		assert.equal(picture.getSnapshot(), first, 'unchanged stores: the same picture');
		const db = fakeContainer({name: 'db'});
		storeB.update(snapshot => ({...snapshot, containers: [...snapshot.containers, db]}));
		await waitFor(() => notified >= 1, 'the picture to notify the change of one engine');
		assert.equal(picture.storeOf('containers', db.id), storeB);
		const renamed = {...apiB, name: 'api-2'};
		picture.update(snapshot => ({...snapshot, containers: snapshot.containers.map(item => (item.id === apiB.id ? renamed : item))}));
		assert.ok(storeB.getSnapshot().containers.includes(renamed));
		assert.ok(!storeA.getSnapshot().containers.some(item => item.id === apiB.id));

		// A change that leaves every list as it was (the host's counters, every second) keeps
		// the rows, their owners and the engine states as they were: nothing keyed on them redoes.
		await flush();
		const before = picture.getSnapshot();
		storeA.updateHost(host => ({...host, rates: new Map([['eth0', {rxBytesPerSecond: 1, txBytesPerSecond: 1, rxPacketsPerSecond: 1, txPacketsPerSecond: 1}]])}));
		await flush();
		const after = picture.getSnapshot();
		assert.notEqual(after, before);
		assert.equal(after.containers, before.containers);
		assert.equal(after.owners, before.owners);
		assert.equal(after.engines, before.engines);
	});
});

describe('the engine router', () => {
	test('each action goes to the engine that owns what it names; across engines it is refused before sending', async () => {
		const gatewayA = new FakeGateway();
		const gatewayB = new FakeGateway();
		const bridgeA = fakeNetwork({name: 'front'});
		const bridgeB = fakeNetwork({name: 'back'});
		const webA = fakeContainer({name: 'web'});
		const apiB = fakeContainer({name: 'api'});
		const storeA = new SnapshotStore(engineSnapshot('a', () => ({networks: [bridgeA], containers: [webA]})), 0);
		const storeB = new SnapshotStore(engineSnapshot('b', () => ({networks: [bridgeB], containers: [apiB]})), 0);
		const picture = new PictureStore([{key: 'engine-1', endpoint: 'ssh://a', store: storeA}, {key: 'engine-2', endpoint: 'ssh://b', store: storeB}]);
		const router = createEngineRouter([{key: 'engine-1', gateway: gatewayA}, {key: 'engine-2', gateway: gatewayB}], picture);
		await router.connect(bridgeB.id, apiB.id, {}).catch(() => undefined);
		assert.deepEqual(gatewayB.calls.filter(call => call.method === 'connect').map(call => call.args.slice(0, 2)), [[bridgeB.id, apiB.id]]);
		assert.equal(gatewayA.calls.filter(call => call.method === 'connect').length, 0);
		await assert.rejects(router.connect(bridgeA.id, apiB.id, {}), /runs on engine b and the network is on engine a/);
		await router.createNetwork({name: 'n', driver: 'bridge', engine: 'engine-2'}).catch(() => undefined);
		assert.equal(gatewayB.calls.filter(call => call.method === 'createNetwork').length, 1);
		await router.removeNetwork(bridgeA.id).catch(() => undefined);
		assert.equal(gatewayA.calls.filter(call => call.method === 'removeNetwork').length, 1);
	});
});

describe('naming several engines', () => {
	test('-H and --context repeat, in the order given', () => {
		const options = parseCli(['-H', 'ssh://a', '--context', 'lab', '-H', 'tcp://b:2375']);
		assert.ok(typeof options === 'object');
		assert.deepEqual(options.engines, [{kind: 'host', value: 'ssh://a'}, {kind: 'context', value: 'lab'}, {kind: 'host', value: 'tcp://b:2375'}]);
	});

	test('several: each as given, the same endpoint once; one or none: the docker CLI\'s rules', () => {
		const endpoints = resolveEngineEndpoints({choices: [{kind: 'host', value: 'ssh://a'}, {kind: 'host', value: 'unix:///x.sock'}, {kind: 'host', value: 'ssh://a'}], env: {}, homeDir: '/nonexistent'});
		assert.deepEqual(endpoints.map(endpoint => endpoint.url), ['ssh://a', 'unix:///x.sock']);
		const [fromEnv] = resolveEngineEndpoints({choices: [], env: {DOCKER_HOST: 'unix:///env.sock'}, homeDir: '/nonexistent'});
		assert.equal(fromEnv?.source, 'DOCKER_HOST');
	});

	test('labels before the engine answers', () => {
		assert.equal(engineAddressLabel('ssh://me@node-b:2222'), 'node-b');
		assert.equal(engineAddressLabel('tcp://10.0.0.2:2376'), '10.0.0.2');
		assert.equal(engineAddressLabel('unix:///var/run/docker.sock'), 'local');
		assert.equal(engineAddressLabel('unix:///tmp/lab/node-a/docker.sock'), 'node-a');
		assert.equal(engineAddressLabel('unix:///run/user/1000/podman/podman.sock'), 'podman.sock');
		assert.equal(engineAddressLabel('unix:///srv/engine.sock'), 'engine.sock');
	});
});

describe('the swarm in the picture', () => {
	test("a worker's own endpoint lists (its docker_gwbridge) join the manager's swarm; the manager's list wins for a shared overlay", () => {
		const cluster = (networkId: string, name: string) => ({networkId, vni: '', peers: [], vips: [], endpoints: [{name, service: '', endpointId: name, nodeAddress: '', kind: 'gateway' as const}]});
		const manager = engineSnapshot('m', () => ({swarm: {...noSwarm, role: 'manager', networks: new Map([['ov', cluster('ov', 'from-manager')], ['gw-m', cluster('gw-m', 'm')]])}}));
		const worker = engineSnapshot('w', () => ({swarm: {...noSwarm, role: 'worker', networks: new Map([['ov', cluster('ov', 'from-worker')], ['gw-w', cluster('gw-w', 'w')]])}}));
		const picture = mergePicture([slot('engine-1', 'ssh://w', worker), slot('engine-2', 'ssh://m', manager)]);
		assert.equal(picture.swarm.role, 'manager');
		assert.deepEqual([...picture.swarm.networks.keys()].sort(), ['gw-m', 'gw-w', 'ov']);
		assert.equal(picture.swarm.networks.get('ov')?.endpoints[0]?.name, 'from-manager');
		assert.equal(mergePicture([slot('engine-1', 'ssh://w', worker), slot('engine-2', 'ssh://m', manager)]).swarm, picture.swarm, 'unchanged engines: the same swarm object');
	});
});
