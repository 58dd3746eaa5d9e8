import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {createForwardingReader} from '../../source/host/port-forwarding.js';
import {PodmanResources, podmanAddresses, podmanEnv, requireTestPodman, uniqueName} from '../helpers/podman-harness.js';

// Published ports of a real Podman (netavark) are joined with the DNAT rules netavark wrote
// in its own chains, read where Podman runs, and never reported as "no NAT rule found".
// Subnet 10.232.9.0/24.

const resources = new PodmanResources();
let container: string;
let network: string;

const inPodmanNamespace = async (program: string, args: readonly string[]): Promise<string> =>
	new Promise((resolve, reject) => {
		execFile('ip', ['netns', 'exec', requireTestPodman().netns, program, ...args], {timeout: 10_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error) reject(new Error(stderr.trim() || error.message));
			else resolve(stdout);
		});
	});

before(async () => {
	network = uniqueName('pnat');
	await resources.createNetwork(network, ['--subnet', '10.232.9.0/24']);
	container = uniqueName('pub');
	await resources.runContainer(container, {network, args: ['-p', '127.0.0.1:18090:80', '-p', '18091:53/udp']});
});

after(() => resources.cleanup());

interface Published {
	hostIp: string | null;
	hostPort: number | null;
	protocol: string;
	containerIp: string | null;
	nat: string | null;
	natPlace: string | null;
	forwarded: string;
}

describe('NAT of Podman published ports (netavark)', () => {
	test("the reader finds netavark's DNAT rules in its namespace", async () => {
		const scan = await createForwardingReader({run: inPodmanNamespace, isRoot: () => true})();
		assert.equal(scan.status, 'ok');
		if (scan.status !== 'ok') return;
		const address = (await podmanAddresses(container))[network];
		const tcp = scan.rules.find(rule => rule.hostPort === 18090);
		const dump = await inPodmanNamespace('iptables-save', ['-t', 'nat']);
		assert.ok(tcp, `a rule for 18090 among:\n${dump}`);
		assert.equal(tcp.protocol, 'tcp');
		assert.equal(tcp.toAddress, address);
		assert.equal(tcp.toPort, 80);
		assert.equal(tcp.hostIp, '127.0.0.1');
		assert.ok(tcp.place === 'iptables NETAVARK' || tcp.place === 'nft inet netavark', tcp.place);
		assert.ok(scan.places?.includes(tcp.place));
	});

	test('snapshot --json where Podman runs: each published port carried by its netavark rule', async () => {
		const output = await new Promise<string>((resolve, reject) => {
			execFile('ip', ['netns', 'exec', requireTestPodman().netns, process.execPath, 'dist/docknet.js', 'snapshot', '--json'], {env: {...podmanEnv(), DOCKER_CLIENT_TIMEOUT: '30'}, timeout: 90_000, maxBuffer: 8 * 1024 * 1024}, (error, stdout, stderr) => {
				if (error) reject(new Error(`snapshot --json: ${stderr || error.message}`));
				else resolve(stdout);
			});
		});
		const shot = JSON.parse(output) as {containers: Array<{name: string; published: Published[]}>};
		const published = shot.containers.find(item => item.name === container)?.published ?? [];
		const address = (await podmanAddresses(container))[network];
		assert.deepEqual(
			published.map(item => [item.hostPort, item.protocol, item.containerIp, item.forwarded]).sort(),
			[
				[18090, 'tcp', address, 'nat'],
				[18091, 'udp', address, 'nat'],
			],
		);
		assert.ok(published.every(item => item.natPlace?.includes('NETAVARK') === true || item.natPlace === 'nft inet netavark'));
		assert.match(published.find(item => item.hostPort === 18090)?.nat ?? '', /--to-destination 10\.232\.9\.\d+:80/);
	});
});
