import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {EngineSync, isShownEvent} from '../../source/model/engine-sync.js';
import {EngineError} from '../../source/model/gateway.js';
import {SnapshotStore} from '../../source/model/store.js';
import {mergeContainerListing} from '../../source/model/listing-merge.js';
import {classicState, FakeGateway, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';
import {waitFor} from '../helpers/wait-for.js';

let sync: EngineSync | undefined;
afterEach(() => sync?.stop());

/** The listing leaves running containers uninspected; EngineSync fills them in the background. */
async function hydrated(store: SnapshotStore): Promise<void> {
	await waitFor(
		() => store.getSnapshot().containers.every(container => container.state !== 'running' || container.inspected),
		'the background inspection',
	);
}

async function started(gateway = new FakeGateway(), reconcileMs = 0) {
	const store = new SnapshotStore();
	sync = new EngineSync(gateway, store, {backoffMs: () => 20, freshForMs: 50, reconcileMs, containerRoundEvery: 2});
	sync.start();
	await sync.firstLoad;
	return {gateway, store, sync};
}

const names = (store: SnapshotStore): string[] => store.getSnapshot().containers.map(container => container.name);

describe('EngineSync', () => {
	test('lists once, then streams: the first load is two list calls after the stream opened', async () => {
		const {gateway, store} = await started();
		const methods = gateway.calls.map(call => call.method);
		assert.deepEqual(methods.slice(0, 4), ['info', 'streamEvents', 'listNetworks', 'listContainers']);
		assert.equal(store.getSnapshot().connection.status, 'live');
		assert.deepEqual(names(store), ['ctn1', 'ctn2', 'old', 'web']);
	});

	test('an event refreshes only what it names: one inspect per container event burst', async () => {
		const {gateway, store} = await started();
		await hydrated(store);
		const before = gateway.requestCount;
		gateway.runContainer('fresh');
		await waitFor(() => names(store).includes('fresh'), 'the new container');
		const calls = gateway.calls.slice(-(gateway.requestCount - before));
		// create + connect + start for one container: coalesced into one inspect.
		assert.deepEqual(
			calls.map(call => call.method),
			['inspectContainer'],
		);
		assert.ok(store.getSnapshot().freshUntil.has(gateway.container('fresh').id), 'marked as new');
		await waitFor(() => store.getSnapshot().freshUntil.size === 0, 'the new mark to expire');
	});

	test('the background inspection reaches every container, stopped ones too, however many', async () => {
		const state = classicState();
		// More than one batch of applied results, with inspects in flight across each batch.
		for (let index = 0; index < 130; index++) state.containers.push(fakeContainer({name: `many-${index}`, state: index % 2 === 0 ? 'running' : 'exited'}));
		const {store} = await started(new FakeGateway(state));
		await waitFor(() => store.getSnapshot().containers.every(container => container.inspected), 'every container inspected', 5000);
		assert.equal(store.getSnapshot().containers.length, state.containers.length);
	});

	test('unchanged containers keep their object identity across updates', async () => {
		const {gateway, store} = await started();
		await hydrated(store);
		const ctn1 = store.getSnapshot().containers.find(container => container.name === 'ctn1');
		gateway.runContainer('another');
		await waitFor(() => names(store).includes('another'), 'the new container');
		assert.equal(store.getSnapshot().containers.find(container => container.name === 'ctn1'), ctn1);
	});

	test('a destroyed container disappears; network create and destroy are followed', async () => {
		const {gateway, store} = await started();
		gateway.removeContainer('ctn2');
		await waitFor(() => !names(store).includes('ctn2'), 'ctn2 removed');
		const id = await gateway.createNetwork({name: 'made', driver: 'bridge', subnet: '10.9.0.0/24'});
		await waitFor(() => store.getSnapshot().networks.some(network => network.id === id), 'the new network');
		assert.equal(store.getSnapshot().networks.find(network => network.id === id)?.name, 'made');
		await gateway.removeNetwork(id);
		await waitFor(() => !store.getSnapshot().networks.some(network => network.id === id), 'the network gone');
		assert.deepEqual(names(store), gateway.state.containers.map(container => container.name).sort(), 'the other containers stay');
		assert.deepEqual(store.getSnapshot().networks.map(network => network.name).sort(), gateway.state.networks.map(network => network.name).sort());
	});

	test('connect events re-inspect the container, so its endpoints and the network counts follow', async () => {
		const {gateway, store} = await started();
		const front = gateway.network('front');
		const ctn1 = gateway.container('ctn1');
		await gateway.connect(front.id, ctn1.id, {ipv4: '10.88.0.50', aliases: ['db']});
		await waitFor(
			() =>
				store
					.getSnapshot()
					.containers.find(container => container.id === ctn1.id)
					?.endpoints.some(endpoint => endpoint.networkId === front.id && endpoint.ipv4 === '10.88.0.50') ?? false,
			'the new endpoint',
		);
		assert.ok(store.getSnapshot().events.some(event => event.action === 'connect'));
	});

	test('a broken stream marks the connection lost, keeps the data, reconnects and resyncs', async () => {
		const {gateway, store} = await started();
		gateway.failure = new EngineError('unreachable', 'connection refused');
		gateway.breakStreams();
		await waitFor(() => store.getSnapshot().connection.status === 'lost', 'lost');
		assert.equal(names(store).length, 4, 'the last data stays');
		// While the engine is away a container disappears; the resync must notice.
		gateway.state.containers = gateway.state.containers.filter(container => container.name !== 'old');
		gateway.failure = undefined;
		await waitFor(() => store.getSnapshot().connection.status === 'live' && !names(store).includes('old'), 'resynced');
	});

	test('an engine that restarted: rows its listing contradicts are inspected again before it is called live', async () => {
		const {gateway, store} = await started();
		await hydrated(store);
		const running = store.getSnapshot().containers.filter(container => container.state === 'running');
		assert.ok(running.length > 0 && running.every(container => container.inspected), 'inspected running containers to begin with');
		gateway.failure = new EngineError('unreachable', 'connection refused');
		gateway.breakStreams();
		await waitFor(() => store.getSnapshot().connection.status === 'lost', 'lost');
		// The engine comes back with every container exited (no event says so: they died with it).
		for (const container of gateway.state.containers) {
			if (container.state === 'running') Object.assign(container, {state: 'exited', status: 'Exited (137) 1 second ago', pid: 0});
		}

		const runningUnderLive: string[] = [];
		const unsubscribe = store.subscribe(() => {
			const snapshot = store.getSnapshot();
			if (snapshot.connection.status !== 'live') return;
			for (const container of snapshot.containers) if (container.state === 'running') runningUnderLive.push(container.name);
		});
		try {
			gateway.failure = undefined;
			await waitFor(() => store.getSnapshot().connection.status === 'live', 'live again');
		} finally {
			unsubscribe();
		}

		assert.deepEqual(runningUnderLive, [], 'no row said running while the engine was called live');
		const after = store.getSnapshot().containers.filter(container => running.some(item => item.id === container.id));
		assert.deepEqual(after.map(container => container.state), running.map(() => 'exited'));
	});

	test('the first load fails clearly when the engine does not answer', async () => {
		const gateway = new FakeGateway();
		gateway.failure = new EngineError('unreachable', 'no engine socket at /x');
		const store = new SnapshotStore();
		sync = new EngineSync(gateway, store, {backoffMs: () => 1000});
		sync.start();
		await assert.rejects(sync.firstLoad, /no engine socket/);
		assert.equal(store.getSnapshot().connection.status, 'lost');
	});

	test('exec and similar events change nothing and cost no call', async () => {
		const {gateway, store} = await started();
		await hydrated(store);
		const before = gateway.requestCount;
		gateway.emit('container', 'exec_start: sh', gateway.container('ctn1').id);
		gateway.emit('image', 'pull', 'busybox');
		// A real event after them: once it is handled, the ignored ones would have been too.
		gateway.removeContainer('old');
		await waitFor(() => !names(store).includes('old'), 'the destroy handled');
		assert.deepEqual(gateway.calls.slice(before).map(call => call.method), ['inspectContainer']);
	});

	test('the events strip keeps container and network lifecycle events only', () => {
		const base = {actorId: 'x', attributes: {}, time: 0, timeNano: '0'};
		assert.ok(isShownEvent({...base, type: 'container', action: 'start'}));
		assert.ok(isShownEvent({...base, type: 'network', action: 'disconnect'}));
		assert.ok(!isShownEvent({...base, type: 'container', action: 'exec_create: ls'}));
		assert.ok(!isShownEvent({...base, type: 'volume', action: 'create'}));
	});

	test('network events for ids the engine lists under another id (swarm scope) add no phantom row', async () => {
		const {gateway, store} = await started();
		const bridge = gateway.network('bridge');
		// A swarm manager sends `update` for the swarm's own bridge/host records; inspecting
		// that id answers with a network named bridge.
		gateway.emit('network', 'update', 'f'.repeat(25), {name: 'bridge', type: 'bridge'});
		gateway.emit('network', 'update', bridge.id, {name: 'bridge'});
		await waitFor(() => gateway.calls.some(call => call.method === 'listNetworks' && gateway.calls.indexOf(call) > 4), 'the network list');
		// Events are handled in order: once a network created after them is shown, they are done.
		await gateway.createNetwork({name: 'marker', driver: 'bridge'});
		await waitFor(() => store.getSnapshot().networks.some(network => network.name === 'marker'), 'the network created after the updates');
		const shown = store.getSnapshot().networks.map(network => network.name);
		assert.deepEqual(shown, ['bridge', 'front', 'host', 'marker', 'none']);
	});

	test('changes that come with no event show within a reconcile round; unchanged lists cost no store change', async () => {
		const {gateway, store} = await started(new FakeGateway(), 30);
		await hydrated(store);
		const calm = store.getSnapshot();
		const listsBefore = gateway.calls.filter(call => call.method === 'listContainers').length;
		await waitFor(() => gateway.calls.filter(call => call.method === 'listContainers').length >= listsBefore + 2, 'two rounds');
		assert.equal(store.getSnapshot().networks, calm.networks, 'same network list object');
		assert.equal(store.getSnapshot().containers, calm.containers, 'same container list object');
		// docker_gwbridge appears on swarm init without any event.
		gateway.state.networks.push(fakeNetwork({name: 'docker_gwbridge', pools: [{subnet: '172.18.0.0/16', gateway: '172.18.0.1'}]}));
		await waitFor(() => store.getSnapshot().networks.some(network => network.name === 'docker_gwbridge'), 'gwbridge shown');
		// swarm leave: networks go without an event.
		gateway.state.networks = gateway.state.networks.filter(network => network.name !== 'front' && network.name !== 'docker_gwbridge');
		await waitFor(() => !store.getSnapshot().networks.some(network => network.name === 'front' || network.name === 'docker_gwbridge'), 'gone');
		// A container that went without an event, and a status text that aged.
		gateway.state.containers = gateway.state.containers.filter(container => container.name !== 'old');
		gateway.container('ctn1').status = 'Up 3 minutes';
		await waitFor(() => !names(store).includes('old'), 'old gone');
		await waitFor(() => store.getSnapshot().containers.find(container => container.name === 'ctn1')?.status === 'Up 3 minutes', 'status current');
		const ctn1 = store.getSnapshot().containers.find(container => container.name === 'ctn1');
		assert.equal(ctn1?.inspected, true, 'the inspected facts stay');
	});

	test('a reconcile listing never undoes a change an event brought in while it was on its way', () => {
		const state = classicState();
		const inspected = state.containers;
		const late = fakeContainer({name: 'late'});
		const ctn1 = inspected.find(container => container.name === 'ctn1');
		assert.ok(ctn1);
		// The listing was taken before `late` started and while ctn1 still ran.
		const listed = inspected.map(container => ({...container, inspected: false, state: container === ctn1 ? 'exited' as const : container.state}));
		const store = [...inspected, late];
		const skip = new Set([late.id, ctn1.id]);
		const merged = mergeContainerListing(store, listed, skip);
		assert.ok(merged.containers.includes(late), 'late stays');
		assert.ok(merged.containers.includes(ctn1), 'ctn1 keeps the state its event brought');
		const unskipped = mergeContainerListing(store, listed);
		assert.ok(!unskipped.containers.includes(late), 'without the skip a container the listing lacks is gone');
		// A listing that disagrees with an inspect does not overwrite it: an inspect decides.
		assert.ok(unskipped.containers.includes(ctn1));
		assert.deepEqual(unskipped.toInspect, [ctn1.id]);
	});

	test('node and service events read the swarm state again', async () => {
		const {gateway} = await started();
		const before = gateway.calls.filter(call => call.method === 'info').length;
		gateway.emit('node', 'update', 'n'.repeat(25), {name: 'dn11-b'});
		await waitFor(() => gateway.calls.filter(call => call.method === 'info').length > before, 'info again');
		const afterNode = gateway.calls.filter(call => call.method === 'info').length;
		assert.equal(afterNode, before + 1, 'one read of the swarm state for one node event');
		gateway.emit('service', 'update', 's'.repeat(25), {name: 'web'});
		await waitFor(() => gateway.calls.filter(call => call.method === 'info').length > afterNode, 'info again after a service event');
	});
});

