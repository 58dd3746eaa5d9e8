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

	test('a few changes in a row show at once; a storm is rationed to one per interval', async () => {
		const store = new SnapshotStore(undefined, 50, 3);
		const times: number[] = [];
		store.subscribe(() => times.push(performance.now()));
		const started = performance.now();
		for (let index = 0; index < 6; index++) {
			store.update(snapshot => ({...snapshot, loaded: index % 2 === 0}));
			await new Promise(resolve => setImmediate(resolve));
			while (times.length <= index && performance.now() - started < 2000) await new Promise(resolve => setTimeout(resolve, 2));
		}

		const gaps = times.slice(1).map((at, index) => at - (times[index] ?? 0));
		assert.equal(times.length, 6);
		assert.ok(gaps.slice(0, 2).every(gap => gap < 25), `the first three at once: gaps ${gaps.join(', ')}`);
		assert.ok(gaps.slice(2).every(gap => gap >= 40), `then one per 50 ms: gaps ${gaps.join(', ')}`);
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
