import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {SnapshotStore, upsertById} from '../../source/model/store.js';

describe('SnapshotStore', () => {
	test('a lone change notifies on the next turn; a burst is one notification', async () => {
		const store = new SnapshotStore(undefined, 50);
		let notified = 0;
		store.subscribe(() => notified++);
		for (let index = 0; index < 10; index++) store.update(snapshot => ({...snapshot, loaded: index % 2 === 0}));
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(notified, 1);
	});

	test('a few changes in a row show at once; a storm is rationed to one per interval', async t => {
		// The store's clock and timers are the test's: what is measured is when the store lets
		// a notification go, not how late a loaded machine gets round to running it.
		let clock = 0;
		t.mock.method(performance, 'now', () => clock);
		t.mock.timers.enable({apis: ['setTimeout']});
		const store = new SnapshotStore(undefined, 50, 3);
		const times: number[] = [];
		store.subscribe(() => times.push(clock));
		for (let index = 0; index < 6; index++) {
			store.update(snapshot => ({...snapshot, loaded: index % 2 === 0}));
			// A notification within the budget goes on the next turn of the event loop.
			await new Promise(resolve => setImmediate(resolve));
			// One that is rationed waits for its timer: time moves on 1 ms at a time until it fires.
			for (let waited = 0; times.length <= index && waited < 1000; waited++) {
				clock += 1;
				t.mock.timers.tick(1);
			}
		}

		assert.deepEqual(times, [0, 0, 0, 50, 100, 150], 'three at once, then one per 50 ms');
	});

	test('an update that returns the same snapshot notifies nobody', async () => {
		const store = new SnapshotStore(undefined, 0);
		let notified = 0;
		store.subscribe(() => notified++);
		store.update(snapshot => snapshot);
		// Without spacing a notification goes on the next turn: after that turn there is none.
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(notified, 0);
		// The same wait is long enough to see one: a real change is notified within it.
		store.update(snapshot => ({...snapshot, loaded: !snapshot.loaded}));
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(notified, 1);
	});

	test('upsert keeps the list sorted by name and leaves equal items in place', () => {
		const a = {id: '1', name: 'alpha'};
		const c = {id: '3', name: 'charlie'};
		const list = upsertById(upsertById([a, c], {id: '2', name: 'bravo'}), a);
		assert.deepEqual(list.map(item => item.name), ['alpha', 'bravo', 'charlie']);
		assert.equal(list[0], a);
	});
});
