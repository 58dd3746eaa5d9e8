import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {findProgram, run} from '../../source/playground/linux-host.js';
import {podmanRemainsInRootNamespace} from '../helpers/private-podman.js';
import {PodmanResources, requireTestPodman, uniqueName} from '../helpers/podman-harness.js';

// The private Podman must keep all of its networking in its own namespace: with a container
// running on a user network (bridge, veth and NETAVARK chains exist), the machine's own
// namespace has none of them, and the private one has them all.

const resources = new PodmanResources();
after(() => resources.cleanup());

test('Podman networking stays inside its namespace', async () => {
	const {netns} = requireTestPodman();
	const network = uniqueName('ns');
	await resources.createNetwork(network, ['--subnet', '10.232.1.0/24']);
	await resources.runContainer(uniqueName('ns-ctr'), {network});

	assert.deepEqual(await podmanRemainsInRootNamespace(), []);

	const ip = findProgram('ip') ?? 'ip';
	const inside = await run(ip, ['-n', netns, '-j', 'link', 'show']);
	const names = (JSON.parse(inside.stdout) as Array<{ifname: string; master?: string}>).map(link => `${link.ifname}${link.master ? `@${link.master}` : ''}`);
	assert.ok(names.some(name => /^podman\d+$/.test(name)), `no podman bridge in ${netns}: ${names.join(' ')}`);
	assert.ok(names.some(name => /^veth\d+@podman\d+$/.test(name)), `no veth on a podman bridge in ${netns}: ${names.join(' ')}`);
	const rules = await run(ip, ['netns', 'exec', netns, 'iptables', '-t', 'nat', '-S']);
	assert.match(rules.stdout, /NETAVARK/, `no NETAVARK chains in ${netns}`);
});
