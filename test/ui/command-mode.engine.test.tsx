import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {dockerCli, TEST_LABEL, TEST_RUN_ID, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {appOnEngineTests} from '../helpers/render-app-engine.js';
import {keys, lineWith} from '../helpers/render-app.js';

// Every `:` command as a user types it, into the whole app over the real test engine; the
// engine itself is asked afterwards. Subnets are 10.202.<n>.0/24, one per test.

const resources = new TestResources();
const {start} = appOnEngineTests(resources, {columns: 140, rows: 40});

interface InspectedEndpoint {
	IPAddress: string;
	Aliases: string[] | null;
}

async function endpointsOf(container: string): Promise<Record<string, InspectedEndpoint>> {
	return JSON.parse(await dockerCli(['inspect', '-f', '{{json .NetworkSettings.Networks}}', container])) as Record<string, InspectedEndpoint>;
}

async function networkExists(name: string): Promise<boolean> {
	return (await dockerCli(['network', 'ls', '-q', '--filter', `name=^${name}$`])) !== '';
}

/** A network with this subnet and a running container, both in the app's store. */
async function networkAndContainer(prefix: string, subnet: string) {
	const network = uniqueName(`${prefix}-n`);
	const container = uniqueName(`${prefix}-c`);
	await resources.createNetwork(network, ['--subnet', subnet]);
	await resources.runContainer(container);
	const app = await start();
	await app.waitForStore(snapshot => snapshot.networks.some(item => item.name === network) && snapshot.containers.some(item => item.name === container), 'both in the store');
	return {network, container, app};
}

const label = `--label ${TEST_LABEL}=${TEST_RUN_ID}`;

describe('command mode against the engine', () => {
	test('the screen commands: :containers, :host, :networks, :topology, :swarm, :log, :help, :filter', async () => {
		const container = uniqueName('cm-scr');
		await resources.runContainer(container);
		const app = await start();
		await app.waitForStore(snapshot => snapshot.containers.some(item => item.name === container), 'the container');
		await app.press(':containers', keys.enter);
		await app.waitForFrame(text => /▸?\s*2 Containers/.test(text) && !text.includes(':containers'), 'the line closed');
		await app.press(`:filter ${container}`, keys.enter);
		await app.waitForFrame(text => text.includes('2 Containers (1 of'), 'the containers filtered by :filter');
		await app.press(':filter', keys.enter);
		await app.waitForFrame(text => !text.includes('2 Containers (1 of'), 'the filter cleared');
		await app.press(':topology', keys.enter);
		await app.waitForFrame(text => text.includes('Topology'), 'the topology');
		await app.press(':swarm', keys.enter);
		await app.waitForFrame(text => text.includes('Swarm — nodes'), 'the swarm screen');
		await app.press(':log', keys.enter);
		await app.waitForFrame(text => text.includes('Command log'), 'the command log');
		await app.press(':help', keys.enter);
		const help = await app.waitForFrame(text => text.includes('Keys — ? or Esc closes'), 'the help');
		assert.ok(help.length > 0);
		await app.press(':host', keys.enter);
		await app.waitForFrame(text => text.includes('3 Host interfaces') && !text.includes('Keys —'), 'the panes back, host focused');
		await app.press(':networks', keys.enter);
		await app.press(':nope', keys.enter);
		const rejected = await app.waitForFrame(text => text.includes('unknown command ":nope"'), 'the unknown command named');
		assert.ok(lineWith(rejected, ':nope'), 'the line stays open with what was typed');
		await app.press(keys.escape);
		await app.waitForFrame(text => !text.includes(':nope'), 'Esc closes the line');
		await app.press(':q', keys.enter);
		assert.equal(app.quitCount, 1);
	});

	test(':connect with --ip and --alias, then :disconnect, :undo — through the same flow as the keys', async () => {
		const {network, container, app} = await networkAndContainer('cm-net', '10.202.1.0/24');
		await app.press(`:connect ${container} ${network} --ip 10.202.1.40 --alias db --alias=cache`, keys.enter);
		await app.waitForFrame(text => text.includes(`✔ Connected ${container} to ${network} (10.202.1.40; aliases db, cache)`), 'the status');
		const endpoint = (await endpointsOf(container))[network];
		assert.equal(endpoint?.IPAddress, '10.202.1.40');
		assert.ok(['db', 'cache'].every(alias => endpoint?.Aliases?.includes(alias)));
		const logged = app.commands?.log.entries().map(entry => entry.command) ?? [];
		assert.ok(logged.some(line => line.includes(`docker network connect --ip 10.202.1.40 --alias db --alias cache -- ${network} ${container}`)), logged.join('\n'));

		// Network first, as docker takes them; -f is --force.
		await app.press(`:disconnect ${network} ${container} -f`, keys.enter);
		await app.waitForFrame(text => text.includes(`✔ Force-disconnected ${container} from ${network}`), 'the disconnect, forced');
		assert.equal((await endpointsOf(container))[network], undefined);
		await app.press(':undo', keys.enter);
		await app.waitForFrame(text => text.includes('✔') && text.includes(network) && text.includes('10.202.1.40'), 'the undo');
		assert.equal((await endpointsOf(container))[network]?.IPAddress, '10.202.1.40', 'back with the same address');
	});

	test(':connect with an address outside the subnet: the form, with the error at the IPv4 field, and nothing sent', async () => {
		const {network, container, app} = await networkAndContainer('cm-bad', '10.202.2.0/24');
		const before = app.calls.filter(call => call === 'connect').length;
		await app.press(`:connect ${network} ${container} --ip 10.9.9.9`, keys.enter);
		const frame = await app.waitForFrame(text => text.includes(`Connect ${container} to ${network}`) && text.includes('10.9.9.9'), 'the form, filled in');
		const ipLine = frame.split('\n').findIndex(line => line.includes('IPv4 address'));
		const nearby = frame.split('\n').slice(ipLine, ipLine + 3).join('\n');
		assert.match(nearby, /not in.*10\.202\.2\.0\/24|outside/i, 'the error next to the field');
		assert.equal(app.calls.filter(call => call === 'connect').length, before, 'nothing sent');
		// The form is the key's form: fix the field and Enter sends.
		await app.press('\u0015', '10.202.2.9', keys.enter);
		await app.waitForFrame(text => text.includes(`✔ Connected ${container} to ${network} (10.202.2.9)`), 'sent once fixed');
	});

	test(':create with flags, a bad one pointed at in the form, :rm, :prune, and read-only refusal', async () => {
		const name = uniqueName('cm-new');
		const app = await start();
		await app.press(`:create ${name} --subnet 10.202.3.0/24 --gateway 10.202.3.254 --internal ${label}`, keys.enter);
		await app.waitForFrame(text => text.includes(`✔`) && text.includes(name), 'the create');
		resources.track('network', name);
		const inspected = JSON.parse(await dockerCli(['network', 'inspect', '-f', '{{json .}}', name])) as {Internal: boolean; IPAM: {Config: Array<{Subnet: string; Gateway: string}>}};
		assert.equal(inspected.Internal, true);
		assert.deepEqual(inspected.IPAM.Config.map(pool => [pool.Subnet, pool.Gateway]), [['10.202.3.0/24', '10.202.3.254']]);

		const clash = uniqueName('cm-clash');
		await app.press(`:create ${clash} --subnet 10.202.3.300/24`, keys.enter);
		const form = await app.waitForFrame(text => text.includes('Create a network') && text.includes('10.202.3.300/24'), 'the form, with the subnet');
		const subnetLine = form.split('\n').findIndex(line => line.includes('Subnet'));
		assert.match(form.split('\n')[subnetLine] ?? '', /✖ "10\.202\.3\.300\/24" is not a subnet/, 'the error at the Subnet field, as the form puts it');
		await app.press(keys.escape);
		assert.equal(await networkExists(clash), false);

		// This engine's API has no EnableIPv4: refused on the line, never a dual-stack network instead.
		const v6only = uniqueName('cm-v6');
		await app.press(`:create ${v6only} --ipv4=false --ipv6 --subnet fd00:202:3::/64`, keys.enter);
		await app.waitForFrame(text => /--ipv4=false needs Engine API 1\.47 or later \(this engine: 1\.\d+\)/.test(text), 'the refusal on the line');
		assert.equal(await networkExists(v6only), false);
		await app.press(keys.escape);

		await app.press(`:rm ${name}`, keys.enter);
		await app.waitForFrame(text => text.includes(`✔ Removed network ${name}`), 'the removal');
		assert.equal(await networkExists(name), false);

		const unused = uniqueName('cm-unused');
		await resources.createNetwork(unused, ['--subnet', '10.202.4.0/24']);
		await app.waitForStore(snapshot => snapshot.networks.some(item => item.name === unused), 'the unused network');
		await app.press(`:filter ${unused}`, keys.enter, ':prune', keys.enter);
		await app.waitForFrame(text => text.includes('Prune 1 unused network?') && text.includes(unused), 'the prune confirmation, as p shows it');
		await app.press('y');
		await app.waitForStore(snapshot => !snapshot.networks.some(item => item.name === unused), 'pruned');
		assert.equal(await networkExists(unused), false);
	});

	test('read-only: engine commands are refused with one line, screen commands work', async () => {
		const name = uniqueName('cm-ro');
		const app = await start({readOnly: true});
		await app.press(`:create ${name}`, keys.enter);
		await app.waitForFrame(text => text.includes('read-only mode: :create is off'), 'the refusal');
		await app.press(keys.escape, ':topology', keys.enter);
		await app.waitForFrame(text => text.includes('Topology'), 'the topology');
		assert.equal(await networkExists(name), false);
	});

	test('Tab completes commands and the engine\'s names; ↑ recalls the last command', async () => {
		const container = uniqueName('cm-tabctn');
		await resources.runContainer(container);
		const app = await start();
		await app.waitForStore(snapshot => snapshot.containers.some(item => item.name === container), 'the container');
		await app.press(':conn', keys.tab);
		await app.waitForFrame(text => /^:connect\s*$/m.test(text), 'the command completed');
		await app.press(container.slice(0, -3), keys.tab);
		await app.waitForFrame(text => text.split('\n').some(line => line.trimEnd() === `:connect ${container}`), 'the container completed');
		await app.press('--al', keys.tab);
		await app.waitForFrame(text => text.split('\n').some(line => line.trimEnd() === `:connect ${container} --alias`), 'the flag completed');
		await app.press(keys.escape, ':containers', keys.enter, ':', keys.up);
		await app.waitForFrame(text => text.includes(':containers'), 'the history');
	});
});
