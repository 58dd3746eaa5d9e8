import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {EngineInfo} from '../../source/model/types.js';
import {FakeGateway} from '../helpers/fake-gateway.js';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';

// The forms' fields of newer Engine API versions: the gateway priority of a connect and an
// IPv6-only network, offered and sent where the engine's API has them, and named as not
// sent where it does not (the fake engine answers as API 1.41 unless told).

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

class NewerEngine extends FakeGateway {
	override async info(): Promise<EngineInfo> {
		return {...(await super.info()), version: '28.0.4', apiVersion: '1.48'};
	}
}

const callsOf = (gateway: FakeGateway, method: string) => gateway.calls.filter(call => call.method === method);

async function start(gateway: FakeGateway): Promise<Rendered> {
	app = await renderApp({gateway});
	await app.waitForFrame(() => app?.store.getSnapshot().engine !== undefined && (app.store.getSnapshot().containers.every(container => container.inspected || container.state !== 'running') ?? false), 'engine known, containers inspected');
	return app;
}

const openConnectForm = async ({press, waitForFrame}: Rendered): Promise<void> => {
	await press('2', 'c');
	await waitForFrame(text => text.includes('Connect ctn1 to which network?'), 'the network picker');
	await press(keys.enter);
	await waitForFrame(text => text.includes('Connect ctn1 to front'), 'the options form');
};

describe('fields of newer engines in the forms', () => {
	test('API 1.48: a gateway priority is sent with the connect', async () => {
		const gateway = new NewerEngine();
		const rendered = await start(gateway);
		await openConnectForm(rendered);
		await rendered.press(...Array.from({length: 5}, () => keys.down), '10');
		const frame = await rendered.waitForFrame(text => /Gateway prio\s+10/.test(text), 'typed');
		assert.ok(lineWith(frame, 'Gateway prio'));
		await rendered.press(keys.enter);
		await rendered.waitForFrame(text => text.includes('✔ Connected ctn1 to front'), 'connected');
		assert.deepEqual(callsOf(gateway, 'connect')[0]?.args[2], {gwPriority: 10});
	});

	test('API 1.41: the form says the gateway priority would not be sent', async () => {
		const rendered = await start(new FakeGateway());
		await openConnectForm(rendered);
		const frame = await rendered.waitForFrame(text => text.includes('Gateway prio'), 'the field');
		assert.match(lineWith(frame, 'Gateway prio') ?? '', /not sent: engine API 1\.41, needs 1\.48/);
	});

	test('API 1.48: IPv6 "only" creates an IPv6-only network (--ipv4=false)', async () => {
		const gateway = new NewerEngine();
		const {press, waitForFrame} = await start(gateway);
		await press('1', 'n');
		await waitForFrame(text => text.includes('Create a network'), 'the form');
		// Name, then down to IPv6: Driver, Subnet, Gateway, IP range, Aux addresses, IPv6.
		await press('v6net', ...Array.from({length: 6}, () => keys.down), ' ', ' ');
		let frame = await waitForFrame(text => text.includes('only (no IPv4)'), 'IPv6 only');
		await press(keys.down, 'fd00:77::/64');
		frame = await waitForFrame(text => text.includes('fd00:77::/64'), 'typed');
		assert.match(frame, /docker network create --ipv4=false --ipv6/);
		await press(keys.enter);
		await waitForFrame(text => text.includes('✔ Created network v6net'), 'created');
		assert.deepEqual(callsOf(gateway, 'createNetwork')[0]?.args[0], {name: 'v6net', driver: 'bridge', enableIPv6: true, enableIPv4: false, ipv6Subnet: 'fd00:77::/64'});
	});

	test('API 1.48: :create --ipv4=false opens the form at IPv6 "only" and sends EnableIPv4 false', async () => {
		const gateway = new NewerEngine();
		const {press, waitForFrame} = await start(gateway);
		await press(':create v6cmd --ipv4=false --ipv6 --subnet fd00:78::/64', keys.enter);
		const frame = await waitForFrame(text => text.includes('Create a network') && text.includes('fd00:78::/64'), 'the form, filled in');
		assert.match(lineWith(frame, 'IPv6') ?? '', /only \(no IPv4\)/);
		await press(keys.enter);
		await waitForFrame(text => text.includes('✔ Created network v6cmd'), 'created');
		assert.deepEqual(callsOf(gateway, 'createNetwork')[0]?.args[0], {name: 'v6cmd', driver: 'bridge', enableIPv6: true, enableIPv4: false, ipv6Subnet: 'fd00:78::/64'});
	});

	test('API 1.41: IPv6 has no "only" state', async () => {
		const {press, waitForFrame} = await start(new FakeGateway());
		await press('1', 'n');
		await waitForFrame(text => text.includes('Create a network'), 'the form');
		await press('x', ...Array.from({length: 6}, () => keys.down), ' ', ' ');
		const frame = await waitForFrame(text => /IPv6\s+‹ off ›/.test(text), 'back to off');
		assert.doesNotMatch(frame, /only \(no IPv4\)/);
	});
});
