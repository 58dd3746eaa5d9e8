import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {EngineSync} from '../../source/model/engine-sync.js';
import {EngineError} from '../../source/model/gateway.js';
import {DEFAULT_LIVENESS, LivenessProbe} from '../../source/model/liveness.js';
import {SnapshotStore} from '../../source/model/store.js';
import {FakeGateway} from '../helpers/fake-gateway.js';
import {useFakeClock} from '../helpers/fake-clock.js';
import type {FakeClock} from '../helpers/fake-clock.js';
import {waitFor} from '../helpers/wait-for.js';

let sync: EngineSync | undefined;
let probe: LivenessProbe | undefined;
let clock: FakeClock | undefined;
afterEach(() => {
	sync?.stop();
	probe?.stop();
	clock?.restore();
	clock = undefined;
});

// The probe's timers and clock are fake: each count below is exact, not "about", however
// loaded the machine is.
describe('LivenessProbe', () => {
	test('sends no probe while the engine keeps answering, one per interval while it is quiet', async () => {
		clock = useFakeClock();
		const gateway = new FakeGateway();
		const stalls: number[] = [];
		probe = new LivenessProbe(gateway, {onStall: since => stalls.push(since), onAnswer: () => undefined}, {intervalMs: 40, timeoutMs: 20});
		gateway.lastAnswerAt = Date.now();
		probe.start();
		// Busy: something answers every 10 ms for 200 ms.
		for (let step = 0; step < 20; step++) {
			await clock.advance(10);
			gateway.lastAnswerAt = Date.now();
		}

		assert.equal(gateway.pings, 0, 'no probe while answers keep coming');
		// Quiet from here: a probe 40 ms after the last answer, then one each 40 ms (each answered at once).
		await clock.advance(220);
		assert.equal(gateway.pings, 5, 'one probe per 40 ms of quiet');
		assert.deepEqual(stalls, []);
	});

	test('a probe without an answer reports a stall with the time it was sent, an answer reports the recovery once', async () => {
		clock = useFakeClock();
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
		gateway.lastAnswerAt = Date.now();
		probe.start();
		const frozenAt = Date.now();
		gateway.freeze();
		await clock.advanceUntil(() => events.includes('stall'), 'the stall');
		// The first probe goes out after 30 ms of quiet and is given 20 ms.
		assert.equal(since, frozenAt + 30, 'since is when the unanswered probe went out');
		assert.equal(Date.now(), frozenAt + 50);
		const pingsWhileStalled = gateway.pings;
		await clock.advance(150);
		assert.deepEqual(events, ['stall'], 'reported once, however long it lasts');
		assert.ok(gateway.pings > pingsWhileStalled, 'probes kept going out while stalled');
		gateway.thaw();
		await clock.advanceUntil(() => events.includes('answer'), 'the recovery');
		await clock.advance(100);
		assert.deepEqual(events, ['stall', 'answer']);
	});

	test('a refused connection or an error status is no stall (the events stream handles those)', async () => {
		clock = useFakeClock();
		const gateway = new FakeGateway();
		const stalls: number[] = [];
		probe = new LivenessProbe(gateway, {onStall: since => stalls.push(since), onAnswer: () => undefined}, {intervalMs: 20, timeoutMs: 10});
		probe.start();
		gateway.failure = new EngineError('unreachable', 'connection refused');
		await clock.advance(80);
		assert.equal(gateway.pings, 4, 'a refused probe every 20 ms');
		gateway.failure = new EngineError('engine', 'boom', 500);
		await clock.advance(80);
		assert.equal(gateway.pings, 8, 'an error status every 20 ms');
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
		// Three default intervals of a quiet engine, in fake time: a probe would have gone out.
		clock = useFakeClock();
		await clock.advance(3 * DEFAULT_LIVENESS.intervalMs, 100);
		assert.equal(gateway.pings, 0);
		assert.equal(store.getSnapshot().connection.status, 'live');
	});
});
