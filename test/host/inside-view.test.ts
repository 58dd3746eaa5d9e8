import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {createInsideReader, NOT_ROOT_INSIDE, parseHosts, parseIpAddr, parseIpRoute, parseResolvConf} from '../../source/host/inside-view.js';
import {routeText} from '../../source/ui/presentation/inside-details.js';

const addr = JSON.stringify([
	{ifindex: 1, ifname: 'lo', mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00', addr_info: [{family: 'inet', local: '127.0.0.1', prefixlen: 8}, {family: 'inet6', local: '::1', prefixlen: 128}]},
	{ifindex: 9, link_index: 10, ifname: 'eth0', mtu: 1500, operstate: 'UP', link_type: 'ether', address: '02:42:ac:11:00:02', addr_info: [{family: 'inet6', local: 'fe80::42:acff:fe11:2', prefixlen: 64}, {family: 'inet', local: '172.17.0.2', prefixlen: 16}]},
]);

describe('inside view parsing', () => {
	test('ip -j addr: lo and eth0@if10, IPv4 first, no MAC for lo', () => {
		assert.deepEqual(parseIpAddr(addr), [
			{name: 'lo', ifindex: 1, state: 'UNKNOWN', mtu: 65536, addresses: ['127.0.0.1/8', '::1/128']},
			{name: 'eth0', ifindex: 9, peerIfindex: 10, state: 'UP', mtu: 1500, mac: '02:42:ac:11:00:02', addresses: ['172.17.0.2/16', 'fe80::42:acff:fe11:2/64']},
		]);
	});

	test('ip -j route, as ip route prints it; nothing at all when IPv6 is off', () => {
		const routes = parseIpRoute(JSON.stringify([{dst: 'default', gateway: '172.17.0.1', dev: 'eth0', flags: []}, {dst: '172.17.0.0/16', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '172.17.0.2'}]), 4);
		assert.deepEqual(routes.map(routeText), ['default via 172.17.0.1 dev eth0', '172.17.0.0/16 dev eth0 proto kernel scope link src 172.17.0.2']);
		assert.deepEqual(parseIpRoute('', 6), []);
	});

	test('resolv.conf and hosts', () => {
		assert.deepEqual(parseResolvConf('# generated\nnameserver 127.0.0.11\nsearch a.example b\noptions ndots:0\n'), {nameservers: ['127.0.0.11'], search: ['a.example', 'b'], options: ['ndots:0']});
		assert.deepEqual(parseHosts('127.0.0.1\tlocalhost\n# x\n172.17.0.2\tabc ctn1 # me\n'), [
			{address: '127.0.0.1', names: ['localhost']},
			{address: '172.17.0.2', names: ['abc', 'ctn1']},
		]);
	});

	test('without root it says so, and runs nothing', async () => {
		let ran = false;
		let filesRead = 0;
		// Its own reads, not the process-wide helper (which would stay registered for exit).
		const containedReads = {
			readFile: async () => ((filesRead++), {status: 'missing', detail: 'unused'} as const),
			readInterfaces: async () => ((filesRead++), {status: 'refused', reason: 'unused'} as const),
			close: () => undefined,
		};
		const read = createInsideReader({isRoot: () => false, run: async () => ((ran = true), ''), containedReads});
		assert.deepEqual(await read(42), {status: 'unavailable', reason: NOT_ROOT_INSIDE});
		assert.equal(ran, false);
		assert.equal(filesRead, 0);
	});
});
