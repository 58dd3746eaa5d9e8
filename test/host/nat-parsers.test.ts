import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {iptablesPlaces, parseIptablesNat} from '../../source/host/nat-iptables.js';
import {parseNftRuleset} from '../../source/host/nat-nftables.js';
import {enginePlaces, portPaths} from '../../source/model/port-paths.js';
import type {DockerContainer} from '../../source/model/types.js';

const netavarkSave = `*nat
:NETAVARK-HOSTPORT-DNAT - [0:0]
:NETAVARK-DN-1D8721804F16F - [0:0]
-A NETAVARK-HOSTPORT-DNAT -p tcp -m tcp --dport 18090 -m comment --comment "dnat name: pnat id: 4f1" -j NETAVARK-DN-1D8721804F16F
-A NETAVARK-DN-1D8721804F16F -s 10.232.9.0/24 -d 127.0.0.1/32 -p tcp -m tcp --dport 18090 -j NETAVARK-HOSTPORT-SETMARK
-A NETAVARK-DN-1D8721804F16F -d 127.0.0.1/32 -p tcp -m tcp --dport 18090 -j DNAT --to-destination 10.232.9.2:80
-A OTHER -p tcp -m tcp --dport 22 -j DNAT --to-destination 10.0.0.9:22
COMMIT`;

const netavarkNft = `table inet netavark {
	chain nv_2f259bab_10_88_0_0_nm16_dnat {
		ip daddr 127.0.0.1 tcp dport 18090 dnat ip to 10.88.0.2:80
		meta l4proto udp th dport 18091 dnat ip to 10.88.0.2:53
	}
}
table ip nat {
	chain DOCKER {
		tcp dport 9 dnat to 172.17.0.9:9
	}
}`;

describe('NAT rule parsers', () => {
	test("netavark's iptables chains: only DNAT rules of engine chains, with the host address", () => {
		assert.deepEqual(
			parseIptablesNat(netavarkSave, 4).map(rule => [rule.place, rule.chain, rule.hostIp, rule.hostPort, rule.toAddress, rule.toPort]),
			[['iptables NETAVARK', 'NETAVARK-DN-1D8721804F16F', '127.0.0.1', 18090, '10.232.9.2', 80]],
		);
		assert.deepEqual(iptablesPlaces(netavarkSave, 4), ['iptables NETAVARK']);
	});

	test("netavark's nftables table, and tables that are not an engine's left alone", () => {
		const reading = parseNftRuleset(netavarkNft);
		assert.deepEqual(reading.places, ['nft inet netavark']);
		assert.deepEqual(
			reading.rules.map(rule => [rule.family, rule.protocol, rule.hostIp, rule.hostPort, rule.toAddress, rule.toPort]),
			[
				[4, 'tcp', '127.0.0.1', 18090, '10.88.0.2', 80],
				[4, 'udp', undefined, 18091, '10.88.0.2', 53],
			],
		);
	});

	test('where each engine writes its rules', () => {
		assert.deepEqual(enginePlaces({product: 'Podman'}, 4), ['iptables NETAVARK', 'nft inet netavark']);
		assert.deepEqual(enginePlaces({product: 'Docker', firewallBackend: 'nftables'}, 6), ['nft ip6 docker-bridges']);
		assert.deepEqual(enginePlaces({product: 'Docker', firewallBackend: 'iptables+firewalld'}, 4), ['iptables DOCKER']);
		assert.deepEqual(enginePlaces({product: 'Docker'}, 4), ['iptables DOCKER']);
	});

	test('a tool that could not run leaves the verdict unknown, with its reason', () => {
		const container = {
			id: 'c', name: 'c', networkMode: 'bridge', labels: {},
			endpoints: [{networkName: 'bridge', networkId: 'n', endpointId: 'e', ipv4: '172.17.0.2', aliases: [], links: []}],
			ports: [{containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080}],
		} as unknown as DockerContainer;
		const [path] = portPaths(container, {status: 'ok', rules: [], proxies: [], places: [], sources: [{tool: 'iptables-save'}, {tool: 'nft', problem: 'nft is not installed'}]}, {engine: {product: 'Docker', firewallBackend: 'nftables'}});
		assert.deepEqual(path?.verdict, {kind: 'unknown', reason: 'nft: nft is not installed'});
	});
});
