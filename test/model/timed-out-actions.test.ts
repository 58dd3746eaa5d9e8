import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {EngineActions} from '../../source/model/engine-actions.js';
import type {ActionResult} from '../../source/model/engine-actions.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {EngineError} from '../../source/model/gateway.js';
import {outcomeUnknown} from '../../source/model/outcome-watch.js';
import {SnapshotStore} from '../../source/model/store.js';
import {FakeGateway} from '../helpers/fake-gateway.js';

// A request that went unanswered is never reported as "nothing changed": docknet watches for
// its effect and says what it found. The fake engine freezes like a SIGSTOPped dockerd: what
// was sent meanwhile is carried out once it runs again.

let stop: (() => void) | undefined;
afterEach(() => {
	stop?.();
	stop = undefined;
});

async function setup(gateway = new FakeGateway()) {
	const store = new SnapshotStore();
	const sync = new EngineSync(gateway, store, {backoffMs: () => 30, liveness: {intervalMs: 30, timeoutMs: 30}});
	sync.start();
	await sync.firstLoad;
	// Watches and probes never keep a process alive on their own (docknet's terminal does).
	const keepAlive = setInterval(() => undefined, 1000);
	stop = () => {
		sync.stop();
		clearInterval(keepAlive);
	};
	const actions = new EngineActions(gateway, store, {settleTimeoutMs: 500, outcomeWatch: {recheckMs: 20, graceMs: 60, lateWatchMs: 300}});
	const ids = {
		network: (name: string) => gateway.network(name).id,
		container: (name: string) => gateway.container(name).id,
	};
	return {gateway, store, actions, ids};
}

const clock = /\d\d:\d\d:\d\d/;
const timedOut = new EngineError('timeout', 'the engine did not answer within 10 s while connecting');

async function verdict(result: ActionResult): Promise<ActionResult> {
	assert.equal(result.watching, true, result.message);
	assert.ok(result.followUp, 'a verdict follows');
	const next = await result.followUp;
	assert.ok(next, 'the verdict came');
	return next;
}

describe('outcomeUnknown', () => {
	test('a time-out or a connection cut while waiting: sent, fate unknown; a refusal or no connection at all: known', () => {
		assert.equal(outcomeUnknown(timedOut), true);
		assert.equal(outcomeUnknown(new EngineError('unreachable', 'the engine closed the connection while connecting x')), true);
		assert.equal(outcomeUnknown(new EngineError('unreachable', 'no engine socket at /x')), false);
		assert.equal(outcomeUnknown(new EngineError('conflict', 'name taken', 409)), false);
		assert.equal(outcomeUnknown(new Error('boom')), false);
	});
});

describe('actions whose request timed out', () => {
	test('a connect sent to a frozen engine is watched and reported applied once the engine runs again; undo knows it', async () => {
		const {gateway, store, actions, ids} = await setup();
		gateway.freeze(40);
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		assert.equal(result.ok, false);
		assert.match(result.message, /^Connecting ctn1 to front timed out — the request was sent, so docknet watches whether the engine applies it$/);
		assert.doesNotMatch(result.message, /nothing/i);
		assert.ok(actions.pending().some(text => text.startsWith('watching whether connecting ctn1 to front')), 'held while watched');
		const again = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		assert.equal(again.busy, true, 'not sent twice while its fate is unknown');
		gateway.thaw();
		const next = await verdict(result);
		assert.equal(next.ok, true, next.message);
		assert.match(next.message, new RegExp(`^Connecting ctn1 to front timed out — it was applied at ${clock.source} \\(10\\.88\\.0\\.\\d+\\)$`));
		assert.ok(store.getSnapshot().containers.find(item => item.name === 'ctn1')?.endpoints.some(endpoint => endpoint.networkName === 'front'));
		assert.deepEqual(actions.pending(), []);
		assert.equal(actions.nextUndo()?.kind, 'connected', 'the applied connect can be undone');
	});

	test('a create, a disconnect and a remove sent during a freeze: each reported applied', async () => {
		const {gateway, actions, ids} = await setup();
		gateway.freeze(40);
		const [created, left, removed] = await Promise.all([
			actions.createNetwork({name: 'late-net', driver: 'bridge'}),
			actions.disconnect({networkId: ids.network('bridge'), containerId: ids.container('ctn2'), force: false}),
			actions.removeNetwork(ids.network('front')),
		]);
		gateway.thaw();
		const verdicts = await Promise.all([verdict(created), verdict(left), verdict(removed)]);
		assert.deepEqual(verdicts.map(item => item.ok), [true, true, false], verdicts.map(item => item.message).join(' | '));
		assert.match(verdicts[0]?.message ?? '', /^Creating network late-net timed out — it was applied at \d\d:\d\d:\d\d \(bridge\)$/);
		assert.ok(verdicts[0]?.networkId, 'the created network can be selected');
		assert.match(verdicts[1]?.message ?? '', /^Disconnecting ctn2 from bridge timed out — it was applied at \d\d:\d\d:\d\d$/);
		// front has web on it: the engine refused the removal once it ran again.
		assert.match(verdicts[2]?.message ?? '', /^Removing network front timed out — it was not applied \(checked at \d\d:\d\d:\d\d\)$/);
	});

	test('a connect that timed out and never reached the engine: "not applied", only after the engine answered for a while', async () => {
		const {gateway, actions, ids} = await setup();
		gateway.connect = async () => {
			throw timedOut;
		};

		const started = Date.now();
		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		const next = await verdict(result);
		assert.equal(next.ok, false);
		assert.match(next.message, /^Connecting ctn1 to front timed out — it was not applied \(checked at \d\d:\d\d:\d\d\)$/);
		assert.ok(Date.now() - started >= 60, 'the grace period passed before saying so');
		assert.equal(actions.nextUndo(), undefined);
		assert.equal(await next.followUp, undefined, 'nothing showed up later');
	});

	test('an effect that shows up after "not applied" is reported after all', async () => {
		const {gateway, actions, ids} = await setup();
		const connect = gateway.connect.bind(gateway);
		let later: (() => Promise<void>) | undefined;
		gateway.connect = async (...args) => {
			later = async () => connect(...args);
			throw timedOut;
		};

		const result = await actions.connect({networkId: ids.network('front'), containerId: ids.container('ctn1'), options: {}});
		const next = await verdict(result);
		assert.equal(next.ok, false);
		await later?.();
		const after = await next.followUp;
		assert.ok(after, 'a late word');
		assert.match(after.message, /^Connecting ctn1 to front was applied after all, at \d\d:\d\d:\d\d \(10\.88\.0\.\d+\)$/);
		assert.equal(actions.nextUndo()?.kind, 'connected');
	});

	test('a prune stops at the first unanswered removal and names what it did not send', async () => {
		const {gateway, actions} = await setup();
		const a = await actions.createNetwork({name: 'prune-a', driver: 'bridge'});
		const b = await actions.createNetwork({name: 'prune-b', driver: 'bridge'});
		const c = await actions.createNetwork({name: 'prune-c', driver: 'bridge'});
		const remove = gateway.removeNetwork.bind(gateway);
		gateway.removeNetwork = async id => {
			if (id === b.networkId) {
				// Applied, but the answer never came.
				await remove(id);
				throw timedOut;
			}

			return remove(id);
		};

		const result = await actions.prune([a.networkId ?? '', b.networkId ?? '', c.networkId ?? '']);
		assert.match(result.message, /^Pruned 1 network: prune-a; removing network prune-b timed out — the request was sent, so docknet watches whether the engine applies it; not sent: prune-c$/);
		const next = await verdict(result);
		assert.match(next.message, /^Removing network prune-b timed out — it was applied at \d\d:\d\d:\d\d$/);
		assert.ok(gateway.state.networks.some(network => network.name === 'prune-c'), 'prune-c was left alone');
	});
});
