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

	test('changes right after a notification wait for the interval, so storms render at a bounded rate', async () => {
		const store = new SnapshotStore(undefined, 50);
		const times: number[] = [];
		store.subscribe(() => times.push(performance.now()));
		store.update(snapshot => ({...snapshot, loaded: true}));
		await new Promise(resolve => setImmediate(resolve));
		store.update(snapshot => ({...snapshot, loaded: false}));
		while (times.length < 2) await new Promise(resolve => setTimeout(resolve, 5));
		assert.ok((times[1] ?? 0) - (times[0] ?? 0) >= 45, `second notification after ${(times[1] ?? 0) - (times[0] ?? 0)} ms`);
	});

	test('an update that returns the same snapshot notifies nobody', async () => {
		const store = new SnapshotStore(undefined, 0);
		let notified = 0;
		store.subscribe(() => notified++);
		store.update(snapshot => snapshot);
		await new Promise(resolve => setTimeout(resolve, 5));
		assert.equal(notified, 0);
	});

	test('upsert keeps the list sorted by name and leaves equal items in place', () => {
		const a = {id: '1', name: 'alpha'};
		const c = {id: '3', name: 'charlie'};
		const list = upsertById(upsertById([a, c], {id: '2', name: 'bravo'}), a);
		assert.deepEqual(list.map(item => item.name), ['alpha', 'bravo', 'charlie']);
		assert.equal(list[0], a);
	});
});
