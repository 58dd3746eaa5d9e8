import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {formatIp, parseCidr} from '../../source/model/addressing.js';
import {dockerCli, TEST_LABEL, TEST_RUN_ID, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {appOnEngineTests} from '../helpers/render-app-engine.js';
import {keys, lineWith} from '../helpers/render-app.js';

// Every action as a user does it: keystrokes into the whole app, over the real test engine.
// After each, the engine itself is asked (docker inspect) and the screen is read. Subnets are
// 10.201.<n>.0/24, one per test, so nothing overlaps.

const resources = new TestResources();
const {start} = appOnEngineTests(resources, {columns: 140, rows: 40});

interface InspectedEndpoint {
	IPAddress: string;
	Aliases: string[] | null;
	IPAMConfig: {IPv4Address?: string} | null;
}

async function endpointsOf(container: string): Promise<Record<string, InspectedEndpoint>> {
	return JSON.parse(await dockerCli(['inspect', '-f', '{{json .NetworkSettings.Networks}}', container])) as Record<string, InspectedEndpoint>;
}

async function networkExists(name: string): Promise<boolean> {
	const found = await dockerCli(['network', 'ls', '-q', '--filter', `name=^${name}$`]);
	return found !== '';
}

/** The pane row of `name` (not the pane title, which shows the filter). */
function rowOf(frame: string, name: string): string | undefined {
	return frame.split('\n').find(line => line.includes(name) && !line.includes(`/${name}`) && !line.includes('✔'));
}

describe('connect through the UI', () => {
	test('with the engine defaults: the address the engine assigned is on screen and in inspect', async () => {
		const network = uniqueName('def-net');
		const container = uniqueName('def-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.1.0/24']);
		await resources.runContainer(container);
		const current = await start();
		await current.openConnectForm(container, network);
		await current.press(keys.enter);
		const frame = await current.waitForFrame(text => new RegExp(`✔ Connected ${container} to ${network} \\(10\\.201\\.1\\.\\d+\\)`).test(text), 'the status');
		const assigned = /\((10\.201\.1\.\d+)\)/.exec(lineWith(frame, '✔ Connected') ?? '')?.[1];
		const endpoints = await endpointsOf(container);
		assert.equal(endpoints[network]?.IPAddress, assigned);
		assert.equal(endpoints[network]?.IPAMConfig?.IPv4Address ?? '', '', 'nothing fixed');
		assert.ok(endpoints['bridge'], 'still on bridge');
		assert.match(rowOf(frame, container) ?? '', new RegExp(`${network} ${assigned?.replaceAll('.', '\\.') ?? ''}`));
	});

	test('with a fixed IPv4', async () => {
		const network = uniqueName('fix-net');
		const container = uniqueName('fix-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.2.0/24']);
		await resources.runContainer(container);
		const current = await start();
		await current.openConnectForm(container, network);
		await current.press('10.201.2.50', keys.enter);
		await current.waitForFrame(text => text.includes(`✔ Connected ${container} to ${network} (10.201.2.50)`), 'the status');
		const endpoint = (await endpointsOf(container))[network];
		assert.equal(endpoint?.IPAddress, '10.201.2.50');
		assert.equal(endpoint?.IPAMConfig?.IPv4Address, '10.201.2.50');
	});

	test('with aliases, from the Networks pane', async () => {
		const network = uniqueName('alias-net');
		const container = uniqueName('alias-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.3.0/24']);
		await resources.runContainer(container);
		const current = await start();
		await current.selectOnly('networks', network);
		await current.press('c');
		await current.waitForFrame(text => text.includes(`Connect which container to ${network}?`), 'the container picker');
		await current.press(container, keys.enter);
		await current.waitForFrame(text => text.includes(`Connect ${container} to ${network}`), 'the form');
		await current.press(keys.down, keys.down, 'db, cache', keys.enter);
		await current.waitForFrame(text => new RegExp(`✔ Connected ${container} to ${network} \\(10\\.201\\.3\\.\\d+; aliases db, cache\\)`).test(text), 'the status');
		const aliases = (await endpointsOf(container))[network]?.Aliases ?? [];
		assert.ok(aliases.includes('db') && aliases.includes('cache'), `aliases ${aliases.join(',')}`);
	});
});

describe('a stopped container', () => {
	test('connects although the engine sends no event for it; the pane shows it at once', async () => {
		const network = uniqueName('stop-net');
		const container = uniqueName('stop-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.18.0/24']);
		await resources.runContainer(container);
		await dockerCli(['stop', '-t', '0', container]);
		const current = await start();
		await current.openConnectForm(container, network);
		const sent = Date.now();
		await current.press(keys.enter);
		// The status comes with the action's answer and the row with the store's next
		// notification, which the store paces: a frame may show the first alone.
		await current.waitForFrame(
			text => text.includes(`✔ Connected ${container} to ${network} (no address until it runs)`) && new RegExp(network).test(rowOf(text, container) ?? ''),
			'the status, and the network on the container row',
		);
		assert.ok(Date.now() - sent < 3000, 'no wait for an event that never comes');
		assert.ok((await endpointsOf(container))[network]);
	});
});

describe('disconnect and undo through the UI', () => {
	test('d picks the network, confirms, disconnects; u reconnects with the same address and aliases', async () => {
		const network = uniqueName('undo-net');
		const container = uniqueName('undo-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.4.0/24']);
		await resources.runContainer(container);
		await dockerCli(['network', 'connect', '--ip', '10.201.4.20', '--alias', 'web4', network, container]);
		const current = await start();
		await current.waitForStore(
			snapshot => snapshot.containers.some(item => item.name === container && item.endpoints.some(endpoint => endpoint.networkName === network)),
			'the second network in the store',
		);
		await current.selectOnly('containers', container);
		await current.press('d');
		await current.waitForFrame(text => text.includes(`Disconnect ${container} from which network?`), 'the picker');
		await current.press(network, keys.enter);
		const confirm = await current.waitForFrame(text => text.includes(`Disconnect ${container} from ${network}?`), 'the confirmation');
		assert.match(confirm, /loses its address 10\.201\.4\.20 there/);
		assert.match(confirm, /Its aliases there: web4/);
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Disconnected ${container} from ${network} (was 10.201.4.20) — u undoes`), 'disconnected');
		assert.equal((await endpointsOf(container))[network], undefined);

		await current.press('u');
		const frame = await current.waitForFrame(text => text.includes(`✔ Undone: connected ${container} to ${network} (10.201.4.20; aliases web4)`), 'undone');
		const endpoint = (await endpointsOf(container))[network];
		assert.equal(endpoint?.IPAddress, '10.201.4.20');
		assert.ok(endpoint?.Aliases?.includes('web4'));
		assert.match(rowOf(frame, container) ?? '', /10\.201\.4\.20/);
	});

	test('D force-disconnects after confirmation', async () => {
		const network = uniqueName('force-net');
		const container = uniqueName('force-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.5.0/24']);
		await resources.runContainer(container, {network});
		const current = await start();
		await current.selectOnly('networks', network);
		await current.press('D');
		await current.waitForFrame(text => text.includes(`Force-disconnect ${container} from ${network}?`), 'the confirmation');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Force-disconnected ${container} from ${network}`), 'done');
		assert.equal((await endpointsOf(container))[network], undefined);
	});
});

describe('networks through the UI', () => {
	test('n creates a network with a subnet and a gateway', async () => {
		const name = uniqueName('created');
		resources.track('network', name);
		const current = await start();
		await current.press('1', 'n');
		await current.waitForFrame(text => text.includes('Create a network'), 'the form');
		await current.press(name, keys.down, keys.down, '10.201.6.0/24', keys.down, '10.201.6.254');
		// Gateway → IP range, Aux addresses.
		await current.press(keys.down, keys.down, 'router=10.201.6.5');
		// → IPv6, IPv6 subnet, IPv6 gateway, Internal, Attachable, Labels.
		for (let step = 0; step < 6; step++) await current.press(keys.down);
		await current.press(`${TEST_LABEL}=${TEST_RUN_ID}`);
		await current.waitForFrame(text => text.includes(`› Labels`), 'on the labels field');
		await current.press(keys.enter);
		const frame = await current.waitForFrame(text => text.includes(`✔ Created network ${name} (bridge, 10.201.6.0/24, gateway 10.201.6.254)`), 'created');
		const ipam = JSON.parse(await dockerCli(['network', 'inspect', '-f', '{{json .IPAM.Config}}', name])) as Array<{Subnet: string; Gateway: string}>;
		assert.deepEqual(ipam, [{Subnet: '10.201.6.0/24', Gateway: '10.201.6.254', AuxiliaryAddresses: {router: '10.201.6.5'}}]);
		assert.equal(await dockerCli(['network', 'inspect', '-f', `{{index .Labels "${TEST_LABEL}"}}`, name]), TEST_RUN_ID);
		assert.match(rowOf(frame, name) ?? '', /10\.201\.6\.0\/24\s+10\.201\.6\.254/);
		// Selected: x offers to remove the new network.
		await current.press('x');
		await current.waitForFrame(text => text.includes(`Remove network ${name}?`), 'the new network selected');
		await current.press(keys.escape);
	});

	test('n creates an IPv6 network with its own gateway', async () => {
		const name = uniqueName('created6');
		resources.track('network', name);
		const current = await start();
		await current.press('1', 'n');
		await current.waitForFrame(text => text.includes('Create a network'), 'the form');
		// Name → Driver, Subnet, Gateway, IP range, Aux addresses, IPv6 (Space), IPv6 subnet, IPv6 gateway.
		await current.press(name, keys.down, keys.down, keys.down, keys.down, keys.down, keys.down, ' ', keys.down, 'fd00:d0c:9::/64', keys.down, 'fd00:d0c:9::fe');
		// → Internal, Attachable, Labels.
		for (let step = 0; step < 3; step++) await current.press(keys.down);
		await current.press(`${TEST_LABEL}=${TEST_RUN_ID}`);
		await current.waitForFrame(text => text.includes(`› Labels`), 'on the labels field');
		await current.press(keys.enter);
		await current.waitForFrame(text => text.includes(`✔ Created network ${name}`), 'created');
		const ipam = JSON.parse(await dockerCli(['network', 'inspect', '-f', '{{json .IPAM.Config}}', name])) as Array<{Subnet: string; Gateway?: string}>;
		assert.ok(
			ipam.some(pool => pool.Subnet === 'fd00:d0c:9::/64' && pool.Gateway === 'fd00:d0c:9::fe'),
			`the IPv6 pool with its gateway: ${JSON.stringify(ipam)}`,
		);
		assert.equal(await dockerCli(['network', 'inspect', '-f', '{{.EnableIPv6}}', name]), 'true');
	});

	test('x removes a network after confirmation', async () => {
		const name = uniqueName('removed');
		await resources.createNetwork(name, ['--subnet', '10.201.7.0/24']);
		const current = await start();
		await current.selectOnly('networks', name);
		await current.press('x');
		await current.waitForFrame(text => text.includes(`Remove network ${name}?`), 'the confirmation');
		await current.press('y');
		const frame = await current.waitForFrame(text => text.includes(`✔ Removed network ${name}`), 'removed');
		assert.equal(await networkExists(name), false);
		assert.match(frame, /1 Networks \(0 of/);
	});

	test('p shows exactly which networks would go, then removes only those', async () => {
		const unusedA = uniqueName('prune-a');
		const unusedB = uniqueName('prune-b');
		const used = uniqueName('prune-c');
		const user = uniqueName('prune-user');
		await resources.createNetwork(unusedA, ['--subnet', '10.201.10.0/24']);
		await resources.createNetwork(unusedB, ['--subnet', '10.201.11.0/24']);
		await resources.createNetwork(used, ['--subnet', '10.201.12.0/24']);
		await resources.runContainer(user, {network: used});
		const current = await start();
		await current.waitForStore(snapshot => snapshot.containers.some(item => item.name === user), 'the user container');
		await current.press('1', '/', `prune- ${TEST_RUN_ID}`, keys.enter);
		await current.waitForFrame(text => text.includes('1 Networks (3 of'), 'the three networks');
		await current.press('p');
		const confirm = await current.waitForFrame(text => text.includes('Prune 2 unused networks?'), 'the list');
		assert.ok(lineWith(confirm, unusedA));
		assert.ok(lineWith(confirm, unusedB));
		assert.equal(lineWith(confirm, used), undefined, 'a network in use is not listed');
		// Created while the list is on screen: never removed unseen.
		const late = uniqueName('prune-late');
		await resources.createNetwork(late, ['--subnet', '10.201.13.0/24']);
		await current.waitForStore(snapshot => snapshot.networks.some(item => item.name === late), 'the late network in the store');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Pruned 2 networks: ${unusedA} and ${unusedB}`), 'pruned');
		assert.equal(await networkExists(unusedA), false);
		assert.equal(await networkExists(unusedB), false);
		assert.equal(await networkExists(used), true);
		assert.equal(await networkExists(late), true);
	});
});

describe('refusals, with the message the user sees', () => {
	test('removing bridge: predefined, explained without asking; the engine says the same', async () => {
		const current = await start();
		await current.press('1', 'g', 'x');
		await current.waitForFrame(text => text.includes("✖ bridge is one of the engine's predefined networks (bridge, host, none): it cannot be removed"), 'the refusal');
		assert.ok(!current.calls.includes('removeNetwork'));
		// What the engine itself answers, mapped to the same reason.
		const bridge = current.store.getSnapshot().networks.find(network => network.name === 'bridge');
		const result = await current.actions?.removeNetwork(bridge?.id ?? 'bridge');
		assert.equal(
			result?.message,
			"Could not remove network bridge: bridge is one of the engine's own networks (bridge, host, none): it cannot be removed or recreated (engine: bridge is a pre-defined network and cannot be removed)",
		);
	});

	test('removing a network with a container attached names who is attached', async () => {
		const network = uniqueName('busy-net');
		const container = uniqueName('busy-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.14.0/24']);
		await resources.runContainer(container, {network});
		const current = await start();
		await current.waitForStore(snapshot => snapshot.containers.some(item => item.name === container), 'the container');
		await current.selectOnly('networks', network);
		await current.press('x');
		await current.waitForFrame(text => text.includes(`✖ ${network} has a container attached: ${container} — disconnect it first (d)`), 'the refusal');
		const id = current.store.getSnapshot().networks.find(item => item.name === network)?.id ?? network;
		const result = await current.actions?.removeNetwork(id);
		assert.match(result?.message ?? '', new RegExp(`containers are still attached to ${network}: ${container} — disconnect them first`));
		assert.match(result?.message ?? '', /\(engine: error while removing network: .* has active endpoints\)$/);
		assert.equal(await networkExists(network), true);
	});

	test('a container on host or none cannot join: said at c; the engine refusals are explained too', async () => {
		const hostMode = uniqueName('host-ctn');
		const noneMode = uniqueName('none-ctn');
		const plain = uniqueName('plain-ctn');
		const network = uniqueName('join-net');
		await resources.createNetwork(network, ['--subnet', '10.201.15.0/24']);
		await resources.runContainer(hostMode, {network: 'host'});
		await resources.runContainer(noneMode, {network: 'none'});
		await resources.runContainer(plain);
		const current = await start();
		await current.selectOnly('containers', hostMode);
		await current.press('c');
		await current.waitForFrame(text => text.includes(`✖ ${hostMode} runs with --network host: it shares the host's network stack and cannot join other networks`), 'host refused');
		await current.selectOnly('containers', noneMode);
		await current.press('c');
		await current.waitForFrame(text => text.includes(`✖ ${noneMode} runs with --network none (no networking): it cannot join other networks`), 'none refused');

		const snapshot = current.store.getSnapshot();
		const idOf = (name: string): string => snapshot.containers.find(item => item.name === name)?.id ?? name;
		const networkId = (name: string): string => snapshot.networks.find(item => item.name === name)?.id ?? name;
		const fromHost = await current.actions?.connect({networkId: networkId(network), containerId: idOf(hostMode), options: {}});
		assert.match(fromHost?.message ?? '', new RegExp(`${hostMode} shares the host's network stack, so it cannot join other networks \\(engine: container sharing network namespace`));
		const fromNone = await current.actions?.connect({networkId: networkId(network), containerId: idOf(noneMode), options: {}});
		assert.match(fromNone?.message ?? '', /was started with --network none .*\(engine: container cannot be connected to multiple networks with one of the networks in private \(none\) mode\)/);
		const toHost = await current.actions?.connect({networkId: networkId('host'), containerId: idOf(plain), options: {}});
		assert.match(toHost?.message ?? '', /a container cannot join host while it is on other networks.*\(engine: container cannot be disconnected from host network or connected to host network\)/);
	});

	test('a fixed IP outside the subnet is caught before sending; one the engine refuses keeps the form open', async () => {
		const network = uniqueName('range-net');
		const auto = uniqueName('auto-net');
		const container = uniqueName('range-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.16.0/24']);
		await resources.createNetwork(auto);
		await resources.runContainer(container);
		const current = await start();
		await current.openConnectForm(container, network);
		const before = current.calls.length;
		await current.press('10.99.0.5', keys.enter);
		let frame = await current.waitForFrame(text => text.includes(`10.99.0.5 is outside ${network}'s subnet 10.201.16.0/24`), 'the field error');
		assert.match(lineWith(frame, 'IPv4 address') ?? '', /10\.99\.0\.5▏?\s+✖/);
		assert.ok(!current.calls.slice(before).includes('connect'), 'nothing was sent');
		assert.equal((await endpointsOf(container))[network], undefined);

		// A subnet the engine picked itself takes no fixed address: only the engine knows.
		await current.press(keys.escape);
		const subnet = await dockerCli(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', auto]);
		const cidr = parseCidr(subnet);
		assert.ok(cidr);
		const address = formatIp(4, cidr.network + 77n);
		await current.openConnectForm(container, auto);
		await current.press(address, keys.down, keys.down, 'kept');
		await current.press(keys.enter);
		frame = await current.waitForFrame(text => text.includes('subnet was picked by the engine'), 'the engine refusal');
		assert.match(frame, new RegExp(`Connect ${container} to ${auto}`), 'the form stays open');
		assert.match(lineWith(frame, 'IPv4 address') ?? '', new RegExp(`${address.replaceAll('.', '\\.')}▏?\\s+✖`));
		assert.match(lineWith(frame, 'Aliases') ?? '', /kept/);
		// The full message wraps under the fields: the reason, then what the engine said.
		assert.match(frame.replace(/\s+/g, ' '), /\(engine: user specified IP address is supported only when connecting to networks with user configured subnets\)/);
	});

	test('a network removed meanwhile: the form says so and keeps its values', async () => {
		const network = uniqueName('gone-net');
		const container = uniqueName('gone-ctn');
		await resources.createNetwork(network, ['--subnet', '10.201.17.0/24']);
		await resources.runContainer(container);
		const current = await start();
		await current.openConnectForm(container, network);
		await current.press('10.201.17.9');
		await dockerCli(['network', 'rm', network]);
		await current.press(keys.enter);
		const frame = await current.waitForFrame(text => text.includes(`network ${network} is gone: it was removed meanwhile`), 'the refusal');
		assert.match(frame, new RegExp(`Connect ${container} to ${network}`));
		assert.match(lineWith(frame, 'IPv4 address') ?? '', /10\.201\.17\.9/);
	});
});
