import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import v8 from 'node:v8';
import {startIdleMemoryTrim} from '../../source/runtime/idle-memory-trim.js';
import {useFakeClock} from '../helpers/fake-clock.js';
import {waitFor} from '../helpers/wait-for.js';

const MB = 1024 * 1024;

/** A store stand-in: change() calls every listener, as the snapshot store does. */
function fakeStore(): {subscribe: (listener: () => void) => () => void; change: () => void; listeners: () => number} {
	const listeners = new Set<() => void>();
	return {
		subscribe: listener => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		change: () => {
			for (const listener of listeners) listener();
		},
		listeners: () => listeners.size,
	};
}

/** A collect() that resolves `collected` the first time it runs. */
function recordingCollect(): {collect: () => Promise<void>; collected: Promise<number>; calls: () => number} {
	let calls = 0;
	let resolve: (at: number) => void = () => undefined;
	const collected = new Promise<number>(done => {
		resolve = done;
	});
	return {
		collect: async () => {
			calls++;
			resolve(performance.now());
		},
		collected,
		calls: () => calls,
	};
}

describe('idle memory trim', () => {
	// The trim's timers never hold a process open (unref); this one keeps the test's open.
	let keepAlive: NodeJS.Timeout | undefined;
	before(() => {
		keepAlive = setInterval(() => undefined, 1000);
	});
	after(() => clearInterval(keepAlive));

	it('trims once the store has been quiet, when the young generation has grown', async () => {
		const store = fakeStore();
		const recorder = recordingCollect();
		const started = performance.now();
		const trim = startIdleMemoryTrim({subscribe: store.subscribe, quietMs: 30, maxWaitMs: 1000, youngGenerationBytes: () => 32 * MB, collect: recorder.collect});
		const at = await recorder.collected;
		assert.ok(at - started >= 25, 'not before the quiet time');
		assert.equal(trim.trims, 1);
		trim.stop();
		assert.equal(store.listeners(), 0, 'stop() unsubscribes');
	});

	it('does nothing while the young generation is at its initial size', async () => {
		const store = fakeStore();
		const recorder = recordingCollect();
		let measured = 0;
		const trim = startIdleMemoryTrim({
			subscribe: store.subscribe,
			quietMs: 10,
			youngGenerationBytes: () => {
				measured++;
				return 2 * MB;
			},
			collect: recorder.collect,
		});
		await waitFor(() => measured > 0, 'the young generation measured');
		assert.equal(recorder.calls(), 0);
		trim.stop();
	});

	it('does nothing while the heap is larger than the limit (the whole heap would be collected)', async () => {
		const store = fakeStore();
		const recorder = recordingCollect();
		let measured = 0;
		const heap = {bytes: 900 * MB};
		const trim = startIdleMemoryTrim({
			subscribe: store.subscribe,
			quietMs: 5,
			youngGenerationBytes: () => 32 * MB,
			heapLimitBytes: 256 * MB,
			heapUsedBytes: () => {
				measured++;
				return heap.bytes;
			},
			collect: recorder.collect,
		});
		await waitFor(() => measured > 0, 'the heap measured');
		assert.equal(recorder.calls(), 0);
		// Once the heap is back under the limit, the next quiet stretch trims.
		heap.bytes = 100 * MB;
		store.change();
		await recorder.collected;
		assert.equal(recorder.calls(), 1);
		trim.stop();
	});

	it('trims at the latest maxWaitMs after a change, even when changes keep coming', async () => {
		const store = fakeStore();
		const recorder = recordingCollect();
		const trim = startIdleMemoryTrim({subscribe: store.subscribe, quietMs: 200, maxWaitMs: 60, youngGenerationBytes: () => 32 * MB, collect: recorder.collect});
		// A change every 20 ms: never a quiet 200 ms.
		const ticker = setInterval(store.change, 20);
		const started = performance.now();
		const at = await recorder.collected;
		clearInterval(ticker);
		assert.ok(at - started < 200, `trimmed after ${Math.round(at - started)} ms, before any quiet stretch`);
		trim.stop();
	});

	it('stops trying after the collection fails (a node without the inspector)', async () => {
		const store = fakeStore();
		let calls = 0;
		let failed: () => void = () => undefined;
		const failure = new Promise<void>(resolve => {
			failed = resolve;
		});
		const trim = startIdleMemoryTrim({
			subscribe: store.subscribe,
			quietMs: 5,
			youngGenerationBytes: () => 32 * MB,
			collect: async () => {
				calls++;
				failed();
				throw new Error('inspector not available');
			},
		});
		await failure;
		await new Promise(resolve => setImmediate(resolve));
		// In fake time, a trim armed by this change would run within its quiet 5 ms: it is not armed.
		const clock = useFakeClock();
		try {
			store.change();
			await clock.advance(50);
			assert.equal(calls, 1);
		} finally {
			clock.restore();
			trim.stop();
		}
	});

	it("gives V8's young generation back (the real collection)", async () => {
		// Grow the young generation the way start-up does: many short-lived objects, some kept a while.
		let kept: Array<{index: number; pair: number[]}> = [];
		for (let index = 0; index < 2_000_000; index++) {
			const item = {index, pair: [index, index + 1]};
			if (index % 50 === 0) kept.push(item);
			if (kept.length > 20_000) kept = [];
		}

		const young = (): number => v8.getHeapSpaceStatistics().find(space => space.space_name === 'new_space')?.space_size ?? 0;
		assert.ok(young() > 4 * MB, `the young generation grew (${young()} bytes)`);
		const store = fakeStore();
		const trim = startIdleMemoryTrim({subscribe: store.subscribe, quietMs: 5});
		await waitFor(() => trim.trims > 0, 'the trim', 5000);
		// The collection itself finishes on a later turn.
		const deadline = performance.now() + 5000;
		while (young() > 4 * MB && performance.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
		assert.ok(young() <= 4 * MB, `the young generation shrank to ${young()} bytes`);
		trim.stop();
		// What was still referenced came through the collection whole: 40,000 kept, the first
		// 20,001 let go, the newest is item 1,999,950.
		assert.equal(kept.length, 19_999);
		assert.deepEqual(kept.at(-1), {index: 1_999_950, pair: [1_999_950, 1_999_951]});
	});
});
