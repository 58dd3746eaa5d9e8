import assert from 'node:assert/strict';
import {after, describe, test} from 'node:test';
import {createInsideReader} from '../../source/host/inside-view.js';
import type {InsideView} from '../../source/model/inside.js';
import {dockerCli, TestResources, uniqueName} from '../helpers/engine-harness.js';

// The inside view, read from the host without exec, against what the container itself
// says through `docker exec` (busybox ip and cat): the same interfaces, addresses, routes, DNS.

const resources = new TestResources();
after(() => resources.cleanup());

const read = createInsideReader();

async function pidOf(container: string): Promise<number> {
	return Number(await dockerCli(['inspect', '-f', '{{.State.Pid}}', container]));
}

function ok(view: InsideView): Extract<InsideView, {status: 'ok'}> {
	assert.equal(view.status, 'ok', view.status === 'unavailable' ? view.reason : '');
	return view as Extract<InsideView, {status: 'ok'}>;
}

/** busybox `ip addr` → interface name (without @ifN) → its inet/inet6 addresses. */
function execAddresses(output: string): Map<string, string[]> {
	const found = new Map<string, string[]>();
	let current = '';
	for (const line of output.split('\n')) {
		const header = /^\d+: ([^:@]+)[@:]/.exec(line);
		if (header?.[1]) {
			current = header[1];
			found.set(current, []);
		}

		const address = /^\s+inet6? (\S+)/.exec(line);
		if (address?.[1]) found.get(current)?.push(address[1]);
	}

	return found;
}

describe('inside view', () => {
	test("a container on a user network: interfaces, routes and DNS as the container itself shows them", async () => {
		const network = uniqueName('inside-net');
		const container = uniqueName('inside-ctn');
		await resources.createNetwork(network, ['--subnet', '10.214.3.0/24']);
		await resources.runContainer(container, {network});
		const view = ok(await read(await pidOf(container)));

		const expected = execAddresses(await dockerCli(['exec', container, 'ip', 'addr']));
		assert.deepEqual(
			view.interfaces.map(item => item.name).sort(),
			[...expected.keys()].sort(),
		);
		for (const item of view.interfaces) assert.deepEqual([...item.addresses].sort(), [...(expected.get(item.name) ?? [])].sort(), item.name);
		const eth0 = view.interfaces.find(item => item.name === 'eth0');
		assert.ok(eth0?.peerIfindex, 'eth0@ifN names its peer');
		assert.equal(eth0?.state, 'UP');
		const lo = view.interfaces.find(item => item.name === 'lo');
		assert.ok(lo?.addresses.includes('127.0.0.1/8'));

		const routes = await dockerCli(['exec', container, 'ip', 'route']);
		assert.match(routes, /default via 10\.214\.3\.1 dev eth0/);
		assert.ok(view.routes.some(route => route.family === 4 && route.destination === 'default' && route.gateway === '10.214.3.1' && route.device === 'eth0'));
		assert.ok(view.routes.some(route => route.family === 4 && route.destination === '10.214.3.0/24' && route.device === 'eth0'));

		assert.match(await dockerCli(['exec', container, 'cat', '/etc/resolv.conf']), /nameserver 127\.0\.0\.11/);
		assert.deepEqual(view.dns.nameservers, ['127.0.0.11']);
		const hostname = await dockerCli(['exec', container, 'hostname']);
		assert.ok(view.hosts.some(entry => entry.names.includes(hostname)), 'its own name in /etc/hosts');
	});

	test('none shows only lo; container:<x> shows its owner\'s stack', async () => {
		const isolated = uniqueName('inside-none');
		const owner = uniqueName('inside-owner');
		const sidecar = uniqueName('inside-side');
		await resources.runContainer(isolated, {network: 'none'});
		await resources.runContainer(owner);
		await resources.runContainer(sidecar, {network: `container:${owner}`});
		const none = ok(await read(await pidOf(isolated)));
		assert.deepEqual(none.interfaces.map(item => item.name), ['lo']);
		assert.deepEqual(none.routes.filter(route => route.family === 4), []);
		const shared = ok(await read(await pidOf(sidecar)));
		const own = ok(await read(await pidOf(owner)));
		assert.deepEqual(shared.interfaces, own.interfaces);
	});
});
