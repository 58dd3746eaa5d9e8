import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

describe('the live app over a fake engine', () => {
	test('shows networks, containers with their addresses, and the engine in the header', async () => {
		app = await renderApp();
		const frame = app.frame();
		assert.match(frame, /Docker 20\.10\.24/);
		assert.match(lineWith(frame, 'bridge ') ?? '', /172\.17\.0\.0\/16/);
		assert.match(lineWith(frame, ' web ') ?? frame, /front 10\.88\.0\.2/);
		assert.match(frame, /1 Networks \(4\)/);
		assert.match(frame, /2 Containers \(4\)/);
	});

	test('a container started on the engine appears without a key, marked new', async () => {
		app = await renderApp();
		await app.press('2');
		app.gateway.runContainer('fresh');
		const frame = await app.waitForFrame(text => text.includes('fresh ✚new'), 'the new container, marked');
		assert.match(lineWith(frame, 'fresh ✚new') ?? '', /running/);
		assert.match(frame, /container start fresh/);
	});

	test('j and k move the selection; Enter opens details; Esc goes back', async () => {
		app = await renderApp();
		await app.press('2');
		await app.press('j');
		await app.press(keys.enter);
		const details = await app.waitForFrame(text => text.includes('Container ctn2'), 'container details');
		assert.match(details, /172\.17\.0\.3\/16/);
		await app.press(keys.escape);
		await app.waitForFrame(text => text.includes('2 Containers'), 'the panes again');
	});

	test('Esc and the next key in one burst: details close and the key acts', async () => {
		app = await renderApp();
		await app.press('2', keys.enter);
		await app.waitForFrame(text => text.includes('Container ctn1'), 'container details');
		await app.press(`${keys.escape}1`);
		await app.waitForFrame(text => text.includes('2 Containers') && !text.includes('Container ctn1'), 'the panes again');
		await app.press(keys.enter);
		const frame = await app.waitForFrame(text => text.includes('Network bridge'), 'the 1 focused networks: Enter opens a network');
		assert.doesNotMatch(frame, /Container ctn1/, 'the details closed before the key acted');
	});

	test('selection stays on the same container when rows are added above it', async () => {
		app = await renderApp();
		await app.press('2', 'j', 'j', 'j');
		app.gateway.runContainer('aaa-first');
		await app.waitForFrame(text => text.includes('aaa-first'), 'the new row');
		await app.press(keys.enter);
		const frame = await app.waitForFrame(text => /Container \S+/.test(text), 'container details');
		assert.match(frame, /Container web\b/, 'the details of the container selected before the row was added');
	});

	test('/ filters the focused pane as you type; Esc clears it', async () => {
		app = await renderApp();
		await app.press('2', '/', 'w', 'e');
		let frame = await app.waitForFrame(text => text.includes('/we'), 'the filter text');
		assert.match(frame, /2 Containers \(1 of 4\)/);
		assert.equal(lineWith(frame, 'ctn1'), undefined);
		await app.press(keys.escape);
		frame = await app.waitForFrame(text => text.includes('2 Containers (4)'), 'the filter cleared');
		assert.ok(lineWith(frame, 'ctn1'));
	});

	test('Enter keeps the filter and returns to the list', async () => {
		app = await renderApp();
		await app.press('/', 'fr', keys.enter);
		const frame = await app.waitForFrame(text => text.includes('1 Networks (1 of 4)'), 'the kept filter');
		assert.match(frame, /c conn.*q quit/, 'the key hints are back');
	});

	test('a whole chunk typed faster than a render: filter, keep, open', async () => {
		app = await renderApp();
		await app.press('2/web\r\r');
		const frame = await app.waitForFrame(text => text.includes('Container web'), 'the details of the filtered container');
		assert.match(frame, /10\.88\.0\.2/);
	});

	test('too small a terminal says so instead of drawing', async () => {
		app = await renderApp();
		app.resize(40, 10);
		const small = await app.waitForFrame(text => text.includes('Terminal too small (40×10)'), 'the too-small message');
		assert.doesNotMatch(small, /1 Networks|2 Containers/, 'no pane drawn while too small');
		app.resize(80, 24);
		const grown = await app.waitForFrame(text => text.includes('1 Networks'), 'the panes after growing');
		assert.doesNotMatch(grown, /Terminal too small/);
	});

	test('engine lost: a banner, the data kept and marked stale, then live again', async () => {
		app = await renderApp();
		app.gateway.failure = new (await import('../../source/model/gateway.js')).EngineError('unreachable', 'connection refused');
		app.gateway.breakStreams();
		const lost = await app.waitForFrame(text => text.includes('Engine connection lost'), 'the lost banner');
		assert.match(lost, /stale/);
		assert.ok(lineWith(lost, 'ctn1'), 'the last data stays on screen');
		app.gateway.failure = undefined;
		app.gateway.runContainer('after-restart');
		await app.waitForFrame(text => text.includes('● live') && text.includes('after-restart'), 'resync after reconnect', 5000);
	});

	test('? shows help generated from the keymap', async () => {
		app = await renderApp({rows: 60});
		await app.press('?');
		const frame = await app.waitForFrame(text => text.includes('Keys —'), 'the help');
		assert.match(frame, /Filter the focused pane/);
		assert.match(frame, /Ctrl-C/);
	});

	test('q quits through the one shutdown path', async () => {
		app = await renderApp();
		await app.press('q');
		assert.equal(app.quitCount, 1);
	});

	test('at 80x24 all three panes and the footer fit in 23 lines', async () => {
		app = await renderApp({columns: 80, rows: 24, withHost: true});
		const frame = await app.waitForFrame(text => /3 Host interfaces \([1-9]/.test(text), 'host interfaces');
		const lines = frame.split('\n');
		assert.ok(lines.length <= 23, `frame has ${lines.length} lines`);
		assert.ok(lines.every(line => line.length <= 80));
		assert.match(frame, /1 Networks/);
		assert.match(frame, /3 Host interfaces/);
		assert.match(lines.at(-1) ?? '', /q quit/);
	});
});
