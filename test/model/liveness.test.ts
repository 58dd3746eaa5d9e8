import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {EngineSync} from '../../source/model/engine-sync.js';
import {EngineError} from '../../source/model/gateway.js';
import {LivenessProbe} from '../../source/model/liveness.js';
import {SnapshotStore} from '../../source/model/store.js';
import {FakeGateway} from '../helpers/fake-gateway.js';
import {waitFor} from '../helpers/wait-for.js';

let sync: EngineSync | undefined;
let probe: LivenessProbe | undefined;
afterEach(() => {
	sync?.stop();
	probe?.stop();
});

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

describe('LivenessProbe', () => {
	test('sends no probe while the engine keeps answering, one per interval while it is quiet', async () => {
		const gateway = new FakeGateway();
		const stalls: number[] = [];
		probe = new LivenessProbe(gateway, {onStall: since => stalls.push(since), onAnswer: () => undefined}, {intervalMs: 40, timeoutMs: 20});
		gateway.lastAnswerAt = Date.now();
		probe.start();
		// Busy: something answers every 10 ms.
		const busy = setInterval(() => {
			gateway.lastAnswerAt = Date.now();
		}, 10);
		await sleep(200);
		clearInterval(busy);
		assert.equal(gateway.pings, 0, 'no probe while answers keep coming');
		await sleep(220);
		assert.ok(gateway.pings >= 2 && gateway.pings <= 6, `about one probe per 40 ms of quiet, got ${gateway.pings}`);
		assert.deepEqual(stalls, []);
	});

	test('a probe without an answer reports a stall with the time it was sent, an answer reports the recovery once', async () => {
		const gateway = new FakeGateway();
		const events: string[] = [];
		let since = 0;
		probe = new LivenessProbe(gateway, {
			onStall: at => {
				since = at;
				events.push('stall');
			},
			onAnswer: () => events.push('answer'),
		}, {intervalMs: 30, timeoutMs: 20});
		probe.start();
		const frozenAt = Date.now();
		gateway.freeze();
		await waitFor(() => events.includes('stall'), 'the stall');
		assert.ok(since >= frozenAt && since <= Date.now(), 'since is when the unanswered probe went out');
		await sleep(150);
		assert.deepEqual(events, ['stall'], 'reported once, however long it lasts');
		gateway.thaw();
		await waitFor(() => events.includes('answer'), 'the recovery');
		await sleep(100);
		assert.deepEqual(events, ['stall', 'answer']);
	});

	test('a refused connection or an error status is no stall (the events stream handles those)', async () => {
		const gateway = new FakeGateway();
		const stalls: number[] = [];
		probe = new LivenessProbe(gateway, {onStall: since => stalls.push(since), onAnswer: () => undefined}, {intervalMs: 20, timeoutMs: 10});
		probe.start();
		gateway.failure = new EngineError('unreachable', 'connection refused');
		await sleep(80);
		gateway.failure = new EngineError('engine', 'boom', 500);
		await sleep(80);
		assert.ok(gateway.pings >= 3, `probes went out (${gateway.pings})`);
		assert.deepEqual(stalls, []);
	});
});

describe('EngineSync with the liveness probe', () => {
	test('a frozen engine turns the connection to stalled; once it answers it is listed again and live', async () => {
		const gateway = new FakeGateway();
		const store = new SnapshotStore();
		sync = new EngineSync(gateway, store, {backoffMs: () => 20, liveness: {intervalMs: 30, timeoutMs: 30}});
		sync.start();
		await sync.firstLoad;
		assert.equal(store.getSnapshot().connection.status, 'live');
		gateway.freeze(30);
		await waitFor(() => store.getSnapshot().connection.status === 'stalled', 'stalled');
		// Something changed while frozen that no event reports (the stream was quiet).
		gateway.state.containers = gateway.state.containers.filter(container => container.name !== 'old');
		const listsBefore = gateway.calls.filter(call => call.method === 'listContainers').length;
		gateway.thaw();
		await waitFor(() => store.getSnapshot().connection.status === 'live', 'live again');
		assert.equal(gateway.calls.filter(call => call.method === 'listContainers').length, listsBefore + 1, 'one resync');
		assert.ok(!store.getSnapshot().containers.some(container => container.name === 'old'), 'the resync brought the change');
	});

	test('liveness: false sends no probe', async () => {
		const gateway = new FakeGateway();
		const store = new SnapshotStore();
		sync = new EngineSync(gateway, store, {liveness: false});
		sync.start();
		await sync.firstLoad;
		await sleep(100);
		assert.equal(gateway.pings, 0);
	});
});
