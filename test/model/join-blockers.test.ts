import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {networkJoinBlocker} from '../../source/model/refusals.js';
import {networksToJoin} from '../../source/ui/presentation/action-dialogs.js';
import {fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

// The engine refuses a by-hand connect to a swarm overlay made without --attachable
// ("not manually attachable"): the picker does not offer it, and asking for it says why.

describe('connecting to a swarm overlay', () => {
	const closed = fakeNetwork({name: 'svc-only', driver: 'overlay', scope: 'swarm', attachable: false});
	const open = fakeNetwork({name: 'ov', driver: 'overlay', scope: 'swarm', attachable: true});
	const local = fakeNetwork({name: 'front'});
	const container = fakeContainer({name: 'plain'});

	test('a non-attachable overlay is refused with the reason; an attachable one is not', () => {
		assert.match(networkJoinBlocker(closed) ?? '', /svc-only is a swarm network created without --attachable: only services can join it/);
		assert.equal(networkJoinBlocker(open), undefined);
		assert.equal(networkJoinBlocker(local), undefined);
	});

	test("the connect picker offers the attachable overlay and the local network, and says why the other is missing", () => {
		const {items, note} = networksToJoin(container, {networks: [closed, open, local], containers: [container]});
		assert.deepEqual(items.map(item => item.cells[0]).sort(), ['front', 'ov']);
		assert.match(note ?? '', /Not offered: svc-only .*without --attachable takes services only/);
	});
});
