import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {staleLinks} from '../../source/model/stale-links.js';
import {classicState, endpointOn, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

describe('stale links', () => {
	const state = classicState();
	const owner = state.containers.find(container => container.name === 'ctn1');
	assert.ok(owner);
	const removed = fakeNetwork({name: 'removed-net', pools: [{subnet: '10.77.0.0/24', gateway: '10.77.0.1'}]});

	test('a sidecar of a live owner, and a running container, raise nothing', () => {
		const sidecar = fakeContainer({name: 'side', networkMode: `container:${owner.id}`});
		assert.deepEqual(staleLinks(sidecar, [...state.containers, sidecar], state.networks), []);
		// A running container's endpoints are live, even on a network not listed (yet).
		const running = fakeContainer({name: 'run', endpoints: [endpointOn(removed, '10.77.0.2')]});
		assert.deepEqual(staleLinks(running, [running], state.networks), []);
	});

	test('an owner id no container has any more, and a stopped container on a removed network', () => {
		const orphan = fakeContainer({name: 'orphan', networkMode: `container:${'f'.repeat(64)}`});
		assert.deepEqual(staleLinks(orphan, [...state.containers, orphan], state.networks).map(link => link.kind), ['owner-gone']);
		const parked = fakeContainer({name: 'parked', state: 'exited', endpoints: [endpointOn(removed)]});
		const links = staleLinks(parked, [parked], state.networks);
		assert.deepEqual(links.map(link => link.kind), ['network-gone']);
		assert.match(links[0]?.text ?? '', /removed-net, which was removed/);
		assert.deepEqual(staleLinks(parked, [parked], [...state.networks, removed]), [], 'the same network listed: nothing to say');
	});
});
