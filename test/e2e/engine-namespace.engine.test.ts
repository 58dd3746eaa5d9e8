import assert from 'node:assert/strict';
import {readlinkSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {locateSocketNamespace} from '../../source/host/socket-namespace.js';
import {engineAddressLabel} from '../../source/model/picture.js';
import {ensureTestImage, startPrivateEngine} from '../../source/playground/private-engine.js';
import type {PrivateEngine} from '../../source/playground/private-engine.js';
import {auxEngineName, dockerOn} from '../helpers/aux-engine.js';
import {runProcess} from '../helpers/run-process.js';
import {requireTestEngine, TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources} from '../helpers/engine-harness.js';
import {disposeAllDocknets, docknetBundle, startDocknet} from '../helpers/pty-app.js';

// Two engines on this machine, each in a network namespace of its own, and docknet run
// inside the first one's: the second engine's host pane must not show the first's
// interfaces as its own, and say why; the first engine's host stays as it was.

const main = requireTestEngine();
const resources = new TestResources();
let aux: PrivateEngine | undefined;
const mainContainer = `nm-${TEST_RUN_ID}`;
const auxContainer = `na-${TEST_RUN_ID}`;

function auxEngine(): PrivateEngine {
	if (aux === undefined) throw new Error('the second engine did not start');
	return aux;
}

/** The interfaces of the first engine's namespace, as docknet sees them when run inside it. */
async function mainNamespaceInterfaces(): Promise<string[]> {
	const listed = await runProcess('ip', ['netns', 'exec', main.netns, 'ls', '/sys/class/net']);
	assert.equal(listed.code, 0, listed.stderr);
	return listed.stdout.split(/\s+/).filter(Boolean);
}

interface InterfacesJson {
	status: string;
	reason: string | null;
	items: Array<{name: string}>;
}

async function snapshotInterfaces(host: string): Promise<InterfacesJson> {
	const result = await runProcess('ip', ['netns', 'exec', main.netns, process.execPath, docknetBundle, 'snapshot', '--json', '-H', host]);
	assert.equal(result.code, 0, result.stderr);
	return (JSON.parse(result.stdout) as {interfaces: InterfacesJson}).interfaces;
}

before(async () => {
	aux = await startPrivateEngine({name: auxEngineName('netns')});
	await ensureTestImage(aux.dockerHost);
	await resources.runContainer(mainContainer);
	await dockerOn(aux.dockerHost, ['run', '-d', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--name', auxContainer, TEST_IMAGE, 'sleep', '100000']);
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
	await aux?.stop();
});

describe("another namespace's engine", () => {
	test('its socket is found served by its dockerd, in that dockerd\'s namespace, not this process\'s', () => {
		const located = locateSocketNamespace(auxEngine().socketPath);
		assert.deepEqual(located, {status: 'other', netns: readlinkSync(`/proc/${auxEngine().pid}/ns/net`), pid: auxEngine().pid, command: 'dockerd'});
		assert.notEqual(readlinkSync('/proc/self/ns/net'), readlinkSync(`/proc/${auxEngine().pid}/ns/net`));
	});

	test('snapshot --json in the first engine\'s namespace: the second\'s interfaces unavailable with the reason, the first\'s listed', async () => {
		const other = await snapshotInterfaces(auxEngine().dockerHost);
		assert.equal(other.status, 'unavailable');
		assert.match(other.reason ?? '', /engine runs in another network namespace \(net:\[\d+\]\) of this machine: its interfaces are not the ones docknet sees/);
		assert.deepEqual(other.items, []);
		const own = await snapshotInterfaces(main.dockerHost);
		assert.equal(own.status, 'ok');
		assert.deepEqual(own.items.map(item => item.name).sort(), (await mainNamespaceInterfaces()).sort());
	});

	test('on screen: h shows the second engine\'s host as another namespace\'s, listing none of the first\'s interfaces, and h brings the first\'s back', async () => {
		const ownInterfaces = await mainNamespaceInterfaces();
		const veths = ownInterfaces.filter(name => name.startsWith('veth'));
		assert.ok(veths.length > 0, 'the first engine\'s container has a veth in its namespace');
		const auxName = engineAddressLabel(auxEngine().dockerHost);
		const mainName = engineAddressLabel(main.dockerHost);
		const app = startDocknet({args: ['-H', main.dockerHost, '-H', auxEngine().dockerHost], netns: main.netns, columns: 200, rows: 50});
		try {
			await app.waitFor(lines => (lines[0] ?? '').includes('● 2 engines live') && veths.every(veth => lines.some(line => line.includes(veth))), 'both engines live, the first\'s veths listed', 30_000);
			app.press('h');
			await app.waitFor(
				lines => lines.some(line => line.includes(`of ${auxName}'s host`)) && lines.join(' ').includes('runs in another network namespace'),
				"the second engine's host, said to be another namespace's",
				15_000,
			);
			const shown = app.text();
			for (const veth of veths) assert.ok(!shown.includes(veth), `${veth} is the first engine's, not listed as the second's`);
			assert.ok(!shown.includes(`${mainContainer}:eth0`), 'no veth labelled as the first engine\'s container');
			app.press('h');
			await app.waitFor(lines => lines.some(line => line.includes(`of ${mainName}'s host`)) && veths.every(veth => lines.some(line => line.includes(veth))), "the first engine's host again", 15_000);
			app.press('q');
			assert.equal((await app.exited).exitCode, 0);
		} finally {
			await app.dispose();
		}
	});
});
