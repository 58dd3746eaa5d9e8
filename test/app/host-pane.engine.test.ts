import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {disposeAllDocknets, keys, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';

// Issue 4 as a user sees it on a real engine: veths follow containers live, a container on
// two networks has two, bridges name their networks, and the topology joins it all up.

let engine: TestEngine;
let app: DocknetPty;
const resources = new TestResources();
const network = uniqueName('hp-net');
const container = uniqueName('hp-two');

before(async () => {
	engine = requireTestEngine();
	await resources.createNetwork(network, ['--subnet', '10.203.7.0/24']);
	// Wide enough that the interfaces pane shows whole peer names.
	app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 200, rows: 50});
	await app.waitForText('● live');
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
});

/** Interface rows of the host pane that name `peer` (e.g. "ctn:eth0"). */
function vethRowsFor(lines: string[], peer: string): string[] {
	const start = lines.findIndex(line => line.includes(' 3 Host interfaces'));
	return lines.slice(start).filter(line => /\bveth\s/.test(line) && line.includes(peer));
}

describe('host interfaces live, on a real engine', () => {
	test('a container on two networks gets two veths, each named with its network', async () => {
		await resources.runContainer(container);
		await dockerCli(['network', 'connect', network, container]);
		app.press('3');
		await app.waitFor(
			lines =>
				vethRowsFor(lines, `${container}:eth0 (bridge)`).length === 1 &&
				vethRowsFor(lines, `${container}:eth1 (${network})`).length === 1,
			`two veths for ${container}`,
			15_000,
		);
		const vethName = (row: string | undefined): string | undefined => /\b(veth\S*)/.exec(row ?? '')?.[1];
		const onBridge = vethName(vethRowsFor(app.screen(), `${container}:eth0 (bridge)`)[0]);
		const onNetwork = vethName(vethRowsFor(app.screen(), `${container}:eth1 (${network})`)[0]);
		assert.ok(onBridge !== undefined && onNetwork !== undefined, 'each row names its veth');
		assert.notEqual(onBridge, onNetwork, 'two veths, not one shown twice');
	});

	test('the user network bridge br-<id> names its network', async () => {
		const id = await dockerCli(['network', 'inspect', '-f', '{{.Id}}', network]);
		await app.waitFor(lines => lines.some(line => line.includes(`br-${id.slice(0, 12)}`) && line.includes(`network ${network}`)), `br-${id.slice(0, 12)} ↔ ${network}`);
		assert.ok(app.screen().some(line => /docker0\s+bridge/.test(line) && line.includes('network bridge')));
	});

	test('the topology shows network → bridge → veth → container:ethN with its address', async () => {
		const ip = await dockerCli(['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container]);
		app.press('t');
		await app.waitFor(
			lines => {
				const at = lines.findIndex(line => line.startsWith(`${network} `));
				return at >= 0 && lines.slice(at).some(line => line.includes(`└─ ${container}:eth1`) && line.includes(ip));
			},
			`${container}:eth1 with ${ip} under ${network}`,
		);
		const tree = app.screen();
		const under = tree.slice(tree.findIndex(line => line.startsWith(`${network} `)));
		assert.ok(under.find(line => line.includes(`└─ ${container}:eth1`))?.includes(ip), `${container}:eth1 shows ${ip}`);
		app.press(keys.escape);
		await app.waitForText(' 3 Host interfaces');
	});

	test('disconnecting removes one veth; stopping the container removes the other', async () => {
		await dockerCli(['network', 'disconnect', network, container]);
		await app.waitFor(lines => vethRowsFor(lines, `${container}:eth1`).length === 0 && vethRowsFor(lines, `${container}:eth0`).length === 1, 'one veth left');
		assert.equal(vethRowsFor(app.screen(), `${container}:eth1`).length, 0, 'the disconnected veth is gone');
		assert.equal(vethRowsFor(app.screen(), `${container}:eth0`).length, 1, 'the other stays');
		await dockerCli(['stop', '-t', '0', container]);
		await app.waitFor(lines => vethRowsFor(lines, container).length === 0, `no veth for the stopped ${container}`);
		assert.deepEqual(vethRowsFor(app.screen(), container), []);
	});

	test('host-mode and none containers have no veth', async () => {
		const hosty = uniqueName('hp-host');
		const alone = uniqueName('hp-none');
		await resources.runContainer(hosty, {network: 'host'});
		await resources.runContainer(alone, {network: 'none'});
		app.press('2');
		await app.waitFor(lines => lines.some(line => line.includes(hosty) && line.includes('host (shares')) && lines.some(line => line.includes(alone) && line.includes('none (loopback')), 'both containers listed');
		assert.equal(vethRowsFor(app.screen(), hosty).length, 0);
		assert.equal(vethRowsFor(app.screen(), alone).length, 0);
	});
});
