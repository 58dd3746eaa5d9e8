import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {joinHostView} from '../../source/host/bridges.js';
import {initialHostSnapshot} from '../../source/model/store.js';
import {buildTopology, flattenTopology, topologyText} from '../../source/ui/presentation/topology.js';
import {classicState, fakeContainer, FakeGateway} from '../helpers/fake-gateway.js';
import {FakeHostSource} from '../helpers/fake-host-source.js';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

async function classicTree() {
	const state = classicState();
	const bridge = state.networks.find(network => network.name === 'bridge');
	const front = state.networks.find(network => network.name === 'front');
	assert.ok(bridge && front);
	const ctn1 = state.containers.find(container => container.name === 'ctn1');
	assert.ok(ctn1);
	state.containers.push(
		fakeContainer({name: 'hosty', networkMode: 'host'}),
		fakeContainer({name: 'alone', networkMode: 'none'}),
		fakeContainer({name: 'sidecar', networkMode: `container:${ctn1.id}`}),
	);
	const source = new FakeHostSource(() => state.containers, {[bridge.id]: 'docker0', [front.id]: `br-${front.id.slice(0, 12)}`});
	const interfaces = await source.scan();
	const peers = await source.findVethPeers(state.containers);
	assert.equal(peers.status, 'ok');
	const host = {...initialHostSnapshot, status: 'ok' as const, interfaces, peers};
	const view = joinHostView({interfaces, peers: peers.status === 'ok' ? peers.peers : [], networks: state.networks, containers: state.containers});
	return flattenTopology(buildTopology({networks: state.networks, containers: state.containers, host}, view));
}

describe('topology', () => {
	test('bridge network → bridge → veth → container:ethN, then host, none and shared stacks', async () => {
		const text = topologyText(await classicTree());
		const lines = text.split('\n');
		const bridgeAt = lines.findIndex(line => line.startsWith('bridge '));
		assert.match(lines[bridgeAt + 1] ?? '', /^└─ docker0/);
		assert.match(text, /│ {2}└─ ctn1:eth0 {2}172\.17\.0\.2\/16/);
		assert.match(text, /└─ web:eth0 {2}10\.88\.0\.2\/24/);
		assert.match(text, /host mode[^\n]*\n└─ hosty/);
		assert.match(text, /none[^\n]*\n└─ alone/);
		assert.equal(text.match(/sidecar/g)?.length, 1, 'a shared stack is shown once, under its owner');
		assert.match(text, /ctn1:eth0[^\n]*\n[ │]+└─ sidecar {2}container:ctn1/);
	});

	test('t opens the tree, Enter jumps to the container in its pane, Esc closes', async () => {
		app = await renderApp({withHost: true, rows: 40});
		await app.waitForFrame(text => text.includes('docker0'), 'host interfaces');
		await app.press('t');
		await app.waitForFrame(text => text.includes('Topology'), 'the topology');
		// bridge, docker0, veth of ctn1, ctn1:eth0
		await app.press('j', 'j', 'j');
		await app.press(keys.enter);
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('Container ctn1'), 'the details of the container jumped to');
		await app.press(keys.escape);
		await app.waitForFrame(text => text.includes('2 Containers') && !text.includes('Container ctn1'), 'the details closed, the panes back');
		// Esc closes the topology itself too.
		await app.press('t');
		await app.waitForFrame(text => text.includes('Topology'), 'the topology again');
		await app.press(keys.escape);
		const frame = await app.waitForFrame(text => !text.includes('Topology'), 'the topology closed');
		assert.match(frame, /1 Networks/);
		assert.match(lineWith(frame, ' ctn1 ') ?? '', /ctn1/, 'the panes are back, ctn1 listed');
	});

	test('selecting a network marks its containers and bridge in the other panes', async () => {
		const gateway = new FakeGateway();
		app = await renderApp({gateway, withHost: true, columns: 120, rows: 50});
		await app.waitForFrame(text => text.includes('docker0'), 'host interfaces');
		// Networks sort bridge, front, host, none: select front.
		await app.press('1', 'j');
		const frame = await app.waitForFrame(text => /• web/.test(text), 'web marked as related');
		assert.match(lineWith(frame, ' br-') ?? '', /^• /);
		assert.doesNotMatch(lineWith(frame, ' ctn2 ') ?? '', /^• /);
		assert.doesNotMatch(lineWith(frame, 'docker0') ?? '', /^• /);
	});

	test('selecting a veth marks its container and network', async () => {
		app = await renderApp({withHost: true, columns: 120, rows: 50});
		await app.waitForFrame(text => text.includes('vethctn20'), 'the veth of ctn2');
		await app.press('3', '/', 'vethctn2', keys.enter);
		const frame = await app.waitForFrame(text => /• ctn2/.test(text), 'ctn2 marked');
		assert.ok((lineWith(frame, 'bridge ') ?? '').startsWith('• '), 'its network is marked');
		assert.doesNotMatch(lineWith(frame, ' ctn1 ') ?? '', /^• /);
	});
});
