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

const portCount = 60;

function manyPortsGateway(): FakeGateway {
	const state = classicState();
	const bridge = state.networks.find(network => network.name === 'bridge');
	assert.ok(bridge);
	const ports = Array.from({length: portCount}, (_, index) => ({containerPort: 10_000 + index, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 10_000 + index}));
	state.containers.unshift(fakeContainer({name: 'aaa-ports', ports, endpoints: [endpointOn(bridge, '172.17.0.9')]}));
	return new FakeGateway(state);
}

const positionOf = (frame: string): RegExpMatchArray | null => /rows (\d+)–(\d+) of (\d+)/.exec(frame);

describe('long screens scroll and say where they are', () => {
	for (const [columns, rows] of [
		[80, 24],
		[200, 50],
	] as const) {
		test(`details of 60 published ports scroll from the first line to the endpoints table at ${columns}x${rows}`, async () => {
			app = await renderApp({gateway: manyPortsGateway(), columns, rows});
			await app.press('2', keys.enter);
			let frame = await app.waitForFrame(text => text.includes('Container aaa-ports'), 'the details');
			assert.ok(frame.split('\n').length <= rows, 'the screen is not taller than the terminal');
			let position = positionOf(frame);
			assert.ok(position, `a rows line: ${frame}`);
			const total = Number(position[3]);
			// ID, state, image, network mode, one line per port, host veths: and the endpoint row.
			assert.ok(total >= portCount + 5, `counts every line: ${total}`);
			assert.equal(position[1], '1');
			assert.match(frame, /↓ more/);
			assert.match(frame, /0\.0\.0\.0:10000/);
			assert.doesNotMatch(frame, /0\.0\.0\.0:10059/);

			await app.press('j');
			frame = await app.waitForFrame(text => positionOf(text)?.[1] === '2', 'one row down');
			assert.doesNotMatch(frame, /^ID /m, 'the first line scrolled away');

			await app.press(keys.end);
			frame = await app.waitForFrame(text => /rows \d+–(\d+) of \1(?!\d)/.test(text), 'the last page');
			position = positionOf(frame);
			assert.equal(position?.[2], String(total));
			assert.match(frame, /0\.0\.0\.0:10059/);
			assert.match(frame, /Endpoints \(1\)/);
			assert.match(frame, /172\.17\.0\.9/);
			assert.doesNotMatch(frame, /↓ more/);
			assert.ok(frame.split('\n').length <= rows);

			await app.press('g');
			frame = await app.waitForFrame(text => positionOf(text)?.[1] === '1', 'back at the top');
			await app.press(keys.pageDown);
			frame = await app.waitForFrame(text => Number(positionOf(text)?.[1]) > 2, 'a page down');
			const paged = Number(positionOf(frame)?.[1]);
			await app.press(keys.pageUp);
			await app.waitForFrame(text => positionOf(text)?.[1] === '1', 'a page up, back at the top');
			assert.ok(paged > 2);
		});
	}

	test('details that fit show no rows line', async () => {
		app = await renderApp({columns: 120, rows: 50});
		await app.press('2', keys.enter);
		const frame = await app.waitForFrame(text => text.includes('Container ctn1'), 'the details');
		assert.doesNotMatch(frame, /rows \d+–\d+ of/);
		assert.match(frame, /Endpoints \(1\)/);
	});
});
