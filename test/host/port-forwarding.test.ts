import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseDockerNat, parseProxyCommandLine} from '../../source/host/port-forwarding.js';
import {portPaths, portPathText} from '../../source/model/port-paths.js';
import type {DockerContainer} from '../../source/model/types.js';

const save = `*nat
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 5353 -j DNAT --to-destination 172.17.0.2:53
COMMIT`;

const container = {
	id: 'c1',
	name: 'web',
	networkMode: 'bridge',
	endpoints: [{networkName: 'bridge', networkId: 'n1', endpointId: 'e', ipv4: '172.17.0.2', aliases: [], links: []}],
	ports: [
		{containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080},
		{containerPort: 53, protocol: 'udp', hostIp: '127.0.0.1', hostPort: 5353},
		{containerPort: 443, protocol: 'tcp'},
	],
} as unknown as DockerContainer;

describe('published ports end to end', () => {
	test('DNAT rules of the DOCKER chain, with the host address they are limited to', () => {
		const rules = parseDockerNat(save, 4);
		assert.deepEqual(
			rules.map(rule => [rule.protocol, rule.hostIp, rule.hostPort, rule.toAddress, rule.toPort]),
			[
				['tcp', undefined, 8080, '172.17.0.2', 80],
				['udp', '127.0.0.1', 5353, '172.17.0.2', 53],
			],
		);
	});

	test('docker-proxy command lines', () => {
		const cmdline = ['/usr/sbin/docker-proxy', '-proto', 'tcp', '-host-ip', '0.0.0.0', '-host-port', '8080', '-container-ip', '172.17.0.2', '-container-port', '80', ''].join('\0');
		assert.deepEqual(parseProxyCommandLine(7, cmdline), {pid: 7, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerIp: '172.17.0.2', containerPort: 80});
		assert.equal(parseProxyCommandLine(8, 'sleep\u00001000'), undefined);
	});

	test('each binding joined to its rule and proxy', () => {
		const proxy = {pid: 7, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, containerIp: '172.17.0.2', containerPort: 80};
		const paths = portPaths(container, {status: 'ok', rules: parseDockerNat(save, 4), proxies: [proxy]});
		assert.deepEqual(paths.map(portPathText), ['0.0.0.0:8080 → 172.17.0.2:80/tcp', '127.0.0.1:5353 → 172.17.0.2:53/udp']);
		assert.equal(paths[0]?.proxy?.pid, 7);
		assert.match(paths[1]?.rule?.text ?? '', /-d 127\.0\.0\.1\/32/);
		assert.equal(paths[1]?.proxy, undefined);
	});
});
