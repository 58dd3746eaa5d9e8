import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {EngineActions, pruneCandidates} from '../../source/model/engine-actions.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {EngineError} from '../../source/model/gateway.js';
import {SnapshotStore} from '../../source/model/store.js';
import {endpointOn, fakeContainer, fakeNetwork, FakeGateway} from '../helpers/fake-gateway.js';
import {waitFor} from '../helpers/wait-for.js';

let stop: (() => void) | undefined;
afterEach(() => {
	stop?.();
	stop = undefined;
});

async function setup(gateway = new FakeGateway()) {
	const store = new SnapshotStore();
	const sync = new EngineSync(gateway, store, {backoffMs: () => 30});
	sync.start();
	await sync.firstLoad;
	stop = () => sync.stop();
	const actions = new EngineActions(gateway, store, {settleTimeoutMs: 1000});
	const ids = {
		network: (name: string) => gateway.network(name).id,
		container: (name: string) => gateway.container(name).id,
	};
	const endpoint = (container: string, network: string) =>
		store
			.getSnapshot()
			.containers.find(item => item.name === container)
			?.endpoints.find(item => item.networkName === network);
	return {gateway, store, actions, ids, endpoint};
}

const callsOf = (gateway: FakeGateway, method: string) => gateway.calls.filter(call => call.method === method);

describe('connect and disconnect', () => {
	test('connect waits for the engine event and reports the assigned address from the store', async () => {
		const {actions, ids, endpoint} = await setup();
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {aliases: ['db']}});
		assert.equal(result.ok, true, result.message);
		const assigned = endpoint('ctn1', 'front');
		assert.ok(assigned?.ipv4, 'the store has the endpoint when the action resolves');
		assert.equal(result.message, `Connected ctn1 to front (${assigned.ipv4}; aliases db)`);
	});

	test('a fixed address is sent as given', async () => {
		const {gateway, actions, ids} = await setup();
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {ipv4: '10.88.0.77'}});
		assert.equal(result.message, 'Connected ctn1 to front (10.88.0.77)');
		assert.deepEqual(callsOf(gateway, 'connect')[0]?.args[2], {ipv4: '10.88.0.77'});
	});

	test('the same connect twice while the first is in flight is sent once', async () => {
		const {gateway, actions, ids} = await setup();
		const release = gateway.hold();
		const request = {networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}};
		const first = actions.connect(request);
		const second = await actions.connect(request);
		assert.equal(second.busy, true);
		assert.match(second.message, /Already connecting ctn1 to front/);
		// A disconnect of the same pair is the same target.
		assert.equal((await actions.disconnect({...request, force: false})).busy, true);
		assert.deepEqual(actions.pending(), ['connecting ctn1 to front']);
		release();
		assert.equal((await first).ok, true);
		assert.equal(callsOf(gateway, 'connect').length, 1);
		assert.deepEqual(actions.pending(), []);
	});

	test('a refusal keeps the engine message, explains it and names the field', async () => {
		const {actions, ids} = await setup();
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {ipv4: '10.88.0.2'}});
		assert.equal(result.ok, false);
		assert.equal(result.refusal?.field, 'ipv4');
		assert.match(result.message, /^Could not connect ctn1 to front: that address is taken on front .*\(engine: Address already in use\)$/);
		assert.equal(actions.nextUndo(), undefined, 'a refused action leaves nothing to undo');
	});

	test('a stopped container is read back at once (the engine sends no event for it)', async () => {
		const {actions, ids, endpoint} = await setup();
		const started = Date.now();
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('old'), options: {}});
		assert.ok(Date.now() - started < 500);
		assert.ok(endpoint('old', 'front'), 'in the store');
		assert.match(result.message, /^Connected old to front/);
	});

	test('disconnect reports the old address; force is passed through', async () => {
		const {gateway, actions, ids, endpoint} = await setup();
		const result = await actions.disconnect({networkId: ids.network('bridge'), containerId: ids.container('ctn2'), force: true});
		assert.equal(result.message, 'Force-disconnected ctn2 from bridge (was 172.17.0.3) — u undoes');
		assert.equal(endpoint('ctn2', 'bridge'), undefined);
		assert.deepEqual(callsOf(gateway, 'disconnect')[0]?.args, [ids.network('bridge'), ids.container('ctn2'), true]);
	});

	test('the engine gone mid-action is a refusal, never a throw', async () => {
		const {gateway, actions, ids} = await setup();
		gateway.failure = new EngineError('unreachable', 'connection refused');
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		gateway.failure = undefined;
		assert.equal(result.ok, false);
		assert.match(result.message, /engine cannot be reached/);
	});
});

describe('undo', () => {
	test('undo restores the gateway priority and driver options the endpoint had', async () => {
		const {gateway, actions, ids, endpoint} = await setup();
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {gwPriority: 7, driverOptions: {'com.docker.network.endpoint.ifname': 'eth9'}}});
		await waitFor(() => endpoint('ctn1', 'front')?.gwPriority === 7, 'ctn1 on front, inspected');
		await actions.disconnect({networkId: ids.network('front'), containerId: ids.container('ctn1'), force: false});
		await actions.undo();
		const sent = callsOf(gateway, 'connect').at(-1)?.args[2] as {gwPriority?: number; driverOptions?: Record<string, string>} | undefined;
		assert.equal(sent?.gwPriority, 7);
		assert.deepEqual(sent?.driverOptions, {'com.docker.network.endpoint.ifname': 'eth9'});
	});

	test('undo of a disconnect reconnects with the same address and aliases', async () => {
		const {gateway, actions, ids, endpoint} = await setup();
		await waitFor(() => (endpoint('web', 'front')?.aliases.length ?? 0) > 0, 'web inspected');
		const mac = endpoint('web', 'front')?.mac;
		await actions.disconnect({networkId: ids.network('front'), containerId: ids.container('web'), force: false});
		assert.equal(actions.nextUndo()?.kind, 'disconnected');
		const result = await actions.undo();
		assert.equal(result.ok, true, result.message);
		assert.equal(result.message, 'Undone: connected web to front (10.88.0.2; aliases www)');
		// The MAC address the endpoint had goes too (the gateway sends it only to engines that apply it).
		assert.deepEqual(callsOf(gateway, 'connect').at(-1)?.args[2], {ipv4: '10.88.0.2', aliases: ['www'], ...(mac ? {mac} : {})});
		assert.equal(actions.nextUndo(), undefined);
	});

	test('undo of a disconnect from the default bridge reconnects without fixing the address', async () => {
		const {gateway, actions, ids, endpoint} = await setup();
		const mac = endpoint('ctn1', 'bridge')?.mac;
		await actions.disconnect({networkId: ids.network('bridge'), containerId: ids.container('ctn1'), force: false});
		await actions.undo();
		assert.deepEqual(callsOf(gateway, 'connect').at(-1)?.args[2], mac ? {mac} : {});
	});

	test('undo of a connect disconnects; undo is a stack; nothing left says so', async () => {
		const {gateway, actions, ids, endpoint} = await setup();
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn2'), options: {}});
		const first = await actions.undo();
		assert.match(first.message, /^Undone: disconnected ctn2 from front \(was 10\.88\.0\.\d+\)$/);
		assert.equal(endpoint('ctn2', 'front'), undefined);
		assert.ok(endpoint('ctn1', 'front'));
		await actions.undo();
		assert.equal(endpoint('ctn1', 'front'), undefined);
		const none = await actions.undo();
		assert.equal(none.ok, false);
		assert.equal(none.message, 'Nothing left to undo: of the 2 connects or disconnects this session made, 2 were undone.');
		assert.equal(callsOf(gateway, 'disconnect').length, 2);
	});

	test('with nothing left, u says what became of the changes: undone, or dropped as gone', async () => {
		const {gateway, actions, ids} = await setup();
		assert.equal((await actions.undo()).message, 'Nothing to undo: no connect or disconnect in this session yet.');
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn2'), options: {}});
		gateway.removeContainer('ctn2');
		const dropped = await actions.undo();
		assert.match(dropped.message, /dropped from the undo list/);
		assert.ok((await actions.undo()).ok);
		const none = await actions.undo();
		assert.equal(
			none.message,
			'Nothing left to undo: of the 2 connects or disconnects this session made, 1 was undone and 1 was dropped because its container or network is gone.',
		);
	});

	test('a failed undo stays on the stack', async () => {
		const {gateway, actions, ids} = await setup();
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		// A refusal, not a time-out: a request that went unanswered is watched instead (timed-out-actions.test.ts).
		gateway.failure = new EngineError('engine', 'driver failed programming external connectivity', 500);
		assert.equal((await actions.undo()).ok, false);
		gateway.failure = undefined;
		assert.equal(actions.nextUndo()?.kind, 'connected');
		assert.equal((await actions.undo()).ok, true);
	});

	test('an undo whose network is gone is dropped, so older ones stay reachable', async () => {
		const {gateway, actions, ids, endpoint} = await setup();
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		const spare = fakeNetwork({name: 'spare'});
		gateway.state.networks.push(spare);
		gateway.emit('network', 'create', spare.id);
		gateway.container('ctn2').endpoints.push(endpointOn(spare, '10.9.0.2'));
		gateway.emit('network', 'connect', spare.id, {container: ids.container('ctn2')});
		await waitFor(() => endpoint('ctn2', 'spare') !== undefined, 'ctn2 on spare');
		await actions.disconnect({networkId: spare.id, containerId: ids.container('ctn2'), force: false});
		gateway.state.networks = gateway.state.networks.filter(network => network !== spare);
		const result = await actions.undo();
		assert.match(result.message, /is gone.*dropped from the undo list$/);
		assert.equal(actions.nextUndo()?.kind, 'connected');
	});

	test('u pressed twice while the first undo is in flight undoes once', async () => {
		const {gateway, actions, ids} = await setup();
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn2'), options: {}});
		const release = gateway.hold();
		const first = actions.undo();
		assert.equal((await actions.undo()).busy, true);
		release();
		await first;
		assert.equal(callsOf(gateway, 'disconnect').length, 1);
		assert.equal(actions.nextUndo()?.kind, 'connected');
	});
});

describe('networks', () => {
	test('create waits for the network to appear and describes it', async () => {
		const {actions, store} = await setup();
		const result = await actions.createNetwork({name: 'back', driver: 'bridge', subnet: '10.201.9.0/24', gateway: '10.201.9.1'});
		assert.equal(result.message, 'Created network back (bridge, 10.201.9.0/24, gateway 10.201.9.1)');
		assert.ok(store.getSnapshot().networks.some(network => network.id === result.networkId));
	});

	test('create refused: the field is named', async () => {
		const {actions} = await setup();
		const result = await actions.createNetwork({name: 'front', driver: 'bridge'});
		assert.equal(result.refusal?.field, 'name');
	});

	test('remove, and the refusals: predefined, containers attached (named)', async () => {
		const {gateway, actions, ids, store} = await setup();
		gateway.state.networks.push(fakeNetwork({name: 'spare'}));
		gateway.emit('network', 'create', gateway.network('spare').id);
		await waitFor(() => store.getSnapshot().networks.some(network => network.name === 'spare'), 'spare in the store');
		assert.equal((await actions.removeNetwork(ids.network('spare'))).message, 'Removed network spare');
		assert.ok(!store.getSnapshot().networks.some(network => network.name === 'spare'));
		assert.match((await actions.removeNetwork(ids.network('bridge'))).message, /one of the engine's own networks/);
		assert.match((await actions.removeNetwork(ids.network('front'))).message, /still attached to front: web/);
	});

	test('prune candidates: not predefined, nobody on them, stopped containers included', () => {
		const used = fakeNetwork({name: 'used'});
		const sleeping = fakeNetwork({name: 'sleeping'});
		const free = fakeNetwork({name: 'free'});
		const bridge = fakeNetwork({name: 'bridge'});
		const containers = [
			fakeContainer({name: 'a', endpoints: [endpointOn(used, '10.0.0.2')]}),
			fakeContainer({name: 'b', state: 'exited', endpoints: [endpointOn(sleeping, undefined, {networkId: ''})]}),
		];
		const snapshot = {networks: [bridge, used, sleeping, free], containers};
		assert.deepEqual(pruneCandidates(snapshot).map(network => network.name), ['free']);
		assert.deepEqual(pruneCandidates(snapshot, [used.id]), []);
	});

	test('prune removes exactly the networks shown, one at a time, and reports refusals', async () => {
		const {gateway, actions, store} = await setup();
		for (const name of ['p1', 'p2', 'p3']) {
			gateway.state.networks.push(fakeNetwork({name}));
			gateway.emit('network', 'create', gateway.network(name).id);
		}

		await waitFor(() => store.getSnapshot().networks.some(network => network.name === 'p3'), 'the networks in the store');
		const shown = pruneCandidates(store.getSnapshot()).map(network => network.id);
		assert.equal(shown.length, 3);
		// After the list was shown: one more network appears, one goes away by itself.
		gateway.state.networks.push(fakeNetwork({name: 'p4-late'}));
		gateway.state.networks = gateway.state.networks.filter(network => network.name !== 'p2');
		const result = await actions.prune(shown);
		assert.deepEqual(result.removed, ['p1', 'p3']);
		assert.equal(result.refused.length, 1);
		assert.equal(result.refused[0]?.name, 'p2');
		assert.match(result.message, /^Pruned 2 networks: p1 and p3; kept p2 \(network p2 is gone/);
		assert.ok(gateway.state.networks.some(network => network.name === 'p4-late'), 'the late network was never touched');
		assert.deepEqual(
			callsOf(gateway, 'removeNetwork').map(call => call.args[0]),
			shown,
		);
	});
});
