import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {classicState, endpointOn, fakeContainer, FakeGateway} from '../helpers/fake-gateway.js';
import {keys, renderApp} from '../helpers/render-app.js';

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

async function openTopology(options: Parameters<typeof renderApp>[0] = {}): Promise<Rendered> {
	const rendered = await renderApp({withHost: true, columns: 80, rows: 24, ...options});
	await rendered.waitForFrame(text => text.includes('live'), 'the engine');
	await rendered.press('t');
	await rendered.waitForFrame(text => text.includes('Topology') && text.includes('└─ docker0'), 'the topology, with the host read');
	return rendered;
}

describe('topology search', () => {
	test('/ lists only the matching rows, and Enter on a match selects exactly that item in its pane', async () => {
		app = await openTopology();
		await app.press('/', 'w', 'e', 'b');
		const frame = await app.waitForFrame(text => text.includes('/web▏'), 'the query being typed');
		assert.match(frame, /2 of 10 match/);
		assert.match(frame, /vethweb0/);
		assert.match(frame, /web:eth0/);
		assert.doesNotMatch(frame, /ctn1:eth0|docker0/);

		// Enter keeps the search; the second row is the container's endpoint.
		await app.press(keys.enter, 'j', keys.enter);
		await app.waitForFrame(text => text.includes('2 Containers') && !text.includes('Topology'), 'the panes, after the jump');
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('Container web'), 'the details of web: the selected row is web');
	});

	test('the first match is selected as the query changes: Enter goes to the veth typed, not where the cursor was', async () => {
		app = await openTopology();
		await app.press('G');
		await app.press('/', 'v', 'e', 't', 'h', 'c', 't', 'n', '2');
		await app.waitForFrame(text => text.includes('1 of 10 match'), 'one match');
		await app.press(keys.enter, keys.enter);
		await app.waitForFrame(text => !text.includes('Topology'), 'the panes, after the jump');
		await app.press(keys.enter);
		const frame = await app.waitForFrame(text => /Interface \S+/.test(text), 'interface details');
		assert.match(frame, /Interface vethctn20\b/, 'the veth matched, not the one under the cursor');
	});

	test('Esc clears a kept search first, then closes; a search with no match says so', async () => {
		app = await openTopology();
		await app.press('/', 'z', 'z', 'q');
		await app.waitForFrame(text => text.includes('Nothing matches the search.'), 'no match');
		await app.press(keys.enter);
		// Enter on nothing goes nowhere.
		await app.press(keys.enter);
		await app.waitForFrame(text => text.includes('/zzq ') && text.includes('Nothing matches'), 'still the topology');
		await app.press(keys.escape);
		const cleared = await app.waitForFrame(text => text.includes('/ search, Enter jumps') && text.includes('ctn1:eth0'), 'the whole tree again');
		assert.match(cleared, /Topology/, 'the first Esc keeps the topology open');
		assert.doesNotMatch(cleared, /\/zzq|Nothing matches/, 'the search is cleared');
		await app.press(keys.escape);
		const closed = await app.waitForFrame(text => !text.includes('Topology') && text.includes('Networks'), 'the panes');
		assert.match(closed, /1 Networks/);
	});

	test('a tree taller than the screen says rows a–b of n and End reaches its last row', async () => {
		const state = classicState();
		const bridge = state.networks.find(network => network.name === 'bridge');
		assert.ok(bridge);
		for (let index = 0; index < 30; index++) {
			state.containers.push(fakeContainer({name: `many-${String(index).padStart(2, '0')}`, endpoints: [endpointOn(bridge, `172.17.1.${index + 1}`)]}));
		}

		app = await openTopology({gateway: new FakeGateway(state)});
		let frame = await app.waitForFrame(text => /rows 1–\d+ of \d+ · ↓ more/.test(text), 'the position line');
		assert.ok(frame.split('\n').length <= 24);
		const total = /rows 1–\d+ of (\d+)/.exec(frame)?.[1];
		await app.press(keys.end);
		frame = await app.waitForFrame(text => new RegExp(`rows \\d+–${total} of ${total}(?!\\d)`).test(text), 'the last page');
		assert.doesNotMatch(frame, /↓ more/);
		assert.match(frame, /web:eth0/, 'the last network is at the bottom');
		await app.press('g');
		await app.waitForFrame(text => /rows 1–/.test(text), 'back at the top');
	});
});
