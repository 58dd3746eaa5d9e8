import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {readSwarm} from '../../source/model/swarm-sync.js';
import type {FakeSwarmState} from '../helpers/fake-gateway.js';
import {classicState, endpointOn, FakeGateway, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';

// The swarm screen and the swarm parts of the panes over a fake manager; the real 3-node
// cluster is test/swarm/swarm.engine.test.ts.

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

function managerState(): ReturnType<typeof classicState> & {swarm: FakeSwarmState} {
	const state = classicState();
	const ov = fakeNetwork({name: 'ov', driver: 'overlay', scope: 'swarm', attachable: true, pools: [{subnet: '10.0.1.0/24', gateway: '10.0.1.1'}], options: {'com.docker.network.driver.overlay.vxlanid_list': '4097'}});
	state.networks.push(ov);
	const task = fakeContainer({
		name: 'web.1.abcdefghijklmnopqrstuvwxy',
		endpoints: [endpointOn(ov, '10.0.1.3')],
		labels: {'com.docker.swarm.service.name': 'web', 'com.docker.swarm.task.name': 'web.1.abcdefghijklmnopqrstuvwxy', 'com.docker.swarm.node.id': 'node-a'},
	});
	state.containers.push(task);
	const swarm: FakeSwarmState = {
		nodes: [
			{id: 'node-a', hostname: 'alpha', role: 'manager', availability: 'active', state: 'ready', address: '192.168.91.1', engineVersion: '20.10.24', managerStatus: 'Leader'},
			{id: 'node-b', hostname: 'bravo', role: 'worker', availability: 'active', state: 'down', address: '192.168.91.2', engineVersion: '20.10.24', managerStatus: ''},
		],
		services: [{id: 'svc-web', name: 'web', mode: 'replicated 2', image: 'busybox:latest', vips: [{networkId: ov.id, address: '10.0.1.2/24'}]}],
		tasks: [
			{id: 'abcdefghijklmnopqrstuvwxy', serviceId: 'svc-web', serviceName: '', slot: 1, nodeId: 'node-a', name: '', state: 'running', desiredState: 'running', message: 'started', attachments: [{networkId: ov.id, networkName: 'ov', addresses: ['10.0.1.3/24']}]},
			{id: 'zyxwvutsrqponmlkjihgfedcb', serviceId: 'svc-web', serviceName: '', slot: 2, nodeId: 'node-b', name: '', state: 'running', desiredState: 'running', message: 'started', attachments: [{networkId: ov.id, networkName: 'ov', addresses: ['10.0.1.4/24']}]},
		],
		clusters: [{
			networkId: ov.id,
			vni: '4097',
			peers: [{name: 'g1', address: '192.168.91.1'}, {name: 'g2', address: '192.168.91.2'}],
			vips: [{service: 'web', address: '10.0.1.2'}],
			endpoints: [
				{name: 'web.1.abcdefghijklmnopqrstuvwxy', service: 'web', endpointId: task.endpoints[0]?.endpointId ?? '', ipv4: '10.0.1.3', nodeAddress: '192.168.91.1', kind: 'task'},
				{name: 'web.2.zyxwvutsrqponmlkjihgfedcb', service: 'web', endpointId: 'remote-1', ipv4: '10.0.1.4', nodeAddress: '192.168.91.2', kind: 'task'},
				{name: 'ov-endpoint', service: '', endpointId: 'lb-a', ipv4: '10.0.1.8', nodeAddress: '192.168.91.1', kind: 'lb'},
			],
		}],
	};
	return {...state, swarm};
}

describe('swarm over a fake manager', () => {
	test('s opens the swarm screen: nodes with state, services with tasks named web.N@node, the overlay across nodes; s closes it', async () => {
		app = await renderApp({gateway: new FakeGateway(managerState()), columns: 120, rows: 40});
		await app.press('s');
		const frame = await app.waitForFrame(text => text.includes('Nodes (2)'), 'the swarm screen');
		assert.match(lineWith(frame, 'bravo ') ?? '', /worker\s+active\s+Down\s+192\.168\.91\.2/);
		assert.match(lineWith(frame, 'alpha *') ?? '', /manager\s+active\s+Ready/);
		assert.match(lineWith(frame, 'web.2@bravo') ?? '', /running\s+ov 10\.0\.1\.4\/24/);
		assert.match(lineWith(frame, ' ov  overlay') ?? '', /VNI 4097\s+10\.0\.1\.0\/24\s+2 members, 5 addresses in use across the cluster/);
		assert.match(frame, /peers: alpha 192\.168\.91\.1, bravo 192\.168\.91\.2/);
		assert.match(lineWith(frame, 'ov-endpoint') ?? '', /lb\s+alpha\s+10\.0\.1\.8/);
		await app.press('s');
		await app.waitForFrame(text => text.includes('1 Networks'), 'the panes again');
	});

	test("the panes: a task's container is called by its task; an overlay counts every node's members and addresses", async () => {
		app = await renderApp({gateway: new FakeGateway(managerState()), columns: 120, rows: 40});
		const frame = await app.waitForFrame(text => text.includes('web.1@alpha'), 'the task name');
		// 2 tasks (one on bravo); addresses: two tasks, alpha's load balancer, bravo's (not in
		// alpha's view, but bravo is a peer), the VIP.
		assert.match(lineWith(frame, ' ov ') ?? '', /\s2\s+5\/254/);
		await app.press('1', 'G', keys.enter);
		const details = await app.waitForFrame(text => text.includes('Endpoints on every node'), 'the overlay details');
		assert.match(details, /VNI\s+4097/);
		assert.match(details, /web\.2@bravo/);
	});

	test('the help lists s, and the swarm screen says so outside a swarm', async () => {
		app = await renderApp({rows: 80});
		await app.press('?');
		const help = await app.waitForFrame(text => text.includes('Keys'), 'the help');
		assert.match(help, /s\s+Show the swarm/);
		await app.press(keys.escape, 's');
		const frame = await app.waitForFrame(text => text.includes('not part of a swarm'), 'the swarm screen');
		assert.match(frame, /state: inactive/);
	});

	test('readSwarm: no call outside a swarm; a manager read joins names; a failure keeps what was known, marked', async () => {
		const plain = new FakeGateway();
		const info = await plain.info();
		const before = plain.requestCount;
		assert.equal((await readSwarm(plain, info, plain.state.networks)).role, 'none');
		assert.equal(plain.requestCount, before);
		const gateway = new FakeGateway(managerState());
		const managerInfo = await gateway.info();
		const swarm = await readSwarm(gateway, managerInfo, gateway.state.networks);
		assert.equal(swarm.role, 'manager');
		assert.deepEqual(swarm.tasks.map(task => task.name), ['web.1@alpha', 'web.2@bravo']);
		assert.equal(swarm.networks.size, 1);
		gateway.state.swarm = undefined;
		const failed = await readSwarm(gateway, managerInfo, gateway.state.networks, swarm);
		assert.equal(failed.role, 'error');
		assert.match(failed.error ?? '', /not a swarm manager/);
		assert.equal(failed.nodes.length, 2, 'the last picture stays');
	});
});
