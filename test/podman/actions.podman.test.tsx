import assert from 'node:assert/strict';
import {test} from 'node:test';
import {appOnEngineTests} from '../helpers/render-app-engine.js';
import {keys, lineWith} from '../helpers/render-app.js';
import {PodmanResources, podmanAddresses, podmanCli, requireTestPodman, uniqueName} from '../helpers/podman-harness.js';

// Actions by keys on Podman, as a user does them, each checked with `podman inspect`:
// connect (the status names the address Podman assigned), disconnect, undo, and a network
// made with n, which Podman does not announce. Subnets 10.232.<n>.0/24.

const resources = new PodmanResources();
const {start} = appOnEngineTests(resources, {columns: 140, rows: 40});

test('connect, disconnect and undo by keys on Podman; n creates a network that shows up', async () => {
	const network = uniqueName('act-net');
	const container = uniqueName('act-ctn');
	await resources.createNetwork(network, ['--subnet', '10.232.5.0/24']);
	await resources.runContainer(container);
	// Podman's /version runs `dpkg -S` for each of its helpers (conmon, runc): seconds on a busy machine.
	const current = await start({dockerHost: requireTestPodman().dockerHost, timeoutMs: 30_000});
	assert.match(current.frame(), /Podman \d+\.\d+\.\d+ \(API 1\.\d+\)/);

	// Connect: the picker offers the user network, not the one the container is on already.
	await current.selectOnly('containers', container);
	await current.press('c');
	await current.waitForFrame(text => text.includes(`Connect ${container} to which network?`), 'the network picker');
	// Only the user network: the container is on podman already (its endpoint names it by name).
	const offered = current.frame().split('\n').filter(line => /^[› ] \S+\s+bridge\s/.test(line)).map(line => line.slice(2).split(/\s+/)[0]);
	assert.deepEqual(offered, [network]);
	await current.press(network);
	await current.waitForFrame(text => text.includes(`Filter: ${network}`), 'the picker filtered');
	await current.press(keys.enter);
	await current.waitForFrame(text => text.includes(`Connect ${container} to ${network}`) && text.includes('IPv4 address'), 'the options form');
	await current.press(keys.enter);
	const connected = await current.waitForFrame(text => new RegExp(`✔ Connected ${container} to ${network} \\(10\\.232\\.5\\.\\d+\\)`).test(text), 'the status with the address');
	const assigned = /\((10\.232\.5\.\d+)\)/.exec(lineWith(connected, '✔ Connected') ?? '')?.[1];
	assert.equal((await podmanAddresses(container))[network], assigned);
	// The events strip names both, as on Docker.
	await current.waitForFrame(text => text.includes(`network connect ${network} ← ${container}`), 'the connect event');

	// Disconnect, then undo.
	await current.press('d');
	await current.waitForFrame(text => text.includes(`Disconnect ${container} from which network?`), 'the disconnect picker');
	await current.press(network, keys.enter);
	await current.waitForFrame(text => text.includes(`Disconnect ${container} from ${network}?`), 'the confirmation');
	await current.press('y');
	await current.waitForFrame(text => text.includes(`✔ Disconnected ${container} from ${network} (was ${assigned ?? '?'}) — u undoes`), 'disconnected');
	assert.equal((await podmanAddresses(container))[network], undefined);
	const row = (text: string) => text.split('\n').find(line => line.includes(container) && line.includes('running'));
	await current.waitForFrame(text => row(text) !== undefined && !(row(text) ?? '').includes(network), 'the container row without the network');
	await current.waitForFrame(text => text.includes(`network disconnect ${network} → ${container}`), 'the disconnect event');

	await current.press('u');
	await current.waitForFrame(text => text.includes(`✔ Undone: connected ${container} to ${network} (${assigned ?? '?'})`), 'undone with the same address');
	assert.equal((await podmanAddresses(container))[network], assigned);

	// n: Podman sends no event for a network it creates; docknet shows it all the same.
	const created = uniqueName('made');
	resources.track('network', created);
	await current.press('1', '/', keys.escape, 'n');
	await current.waitForFrame(text => text.includes('Create a network'), 'the create form');
	await current.press(created, keys.down, keys.down, '10.232.6.0/24', keys.enter);
	await current.waitForFrame(text => text.includes(`✔ Created network ${created}`), 'created');
	await current.waitForStore(snapshot => snapshot.networks.some(item => item.name === created), `${created} in the store`, 3000);
	assert.match(await podmanCli(['network', 'inspect', '--format', '{{range .Subnets}}{{.Subnet}}{{end}}', created]), /10\.232\.6\.0\/24/);
});
