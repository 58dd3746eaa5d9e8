import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parsePlumbing} from '../../source/host/overlay-plumbing.js';

// `ip -j -d link` and `bridge -j fdb` as iproute2 6.1 prints them inside an overlay's
// namespace (trimmed to the fields docknet reads).

const links = JSON.stringify([
	{ifindex: 1, ifname: 'lo', linkinfo: undefined},
	{ifindex: 2, ifname: 'br0', linkinfo: {info_kind: 'bridge', info_data: {stp_state: 0}}},
	{ifindex: 3, ifname: 'vxlan0', master: 'br0', linkinfo: {info_kind: 'vxlan', info_data: {id: 4097, port: 4789, proxy: true, l2miss: true}, info_slave_kind: 'bridge'}},
	{ifindex: 5, ifname: 'veth0', master: 'br0', linkinfo: {info_kind: 'veth', info_slave_kind: 'bridge'}},
]);

const fdb = JSON.stringify([
	{mac: '02:42:0a:00:01:04', dev: 'vxlan0', dst: '192.168.91.3', link_netnsid: 0, flags: ['self'], state: 'permanent'},
	{mac: '02:42:0a:00:01:04', dev: 'vxlan0', master: 'br0', state: 'permanent'},
	{mac: '02:42:0a:00:01:09', dev: 'vxlan0', dst: '192.168.91.2', link_netnsid: 0, flags: ['self'], state: 'permanent'},
	{mac: '33:33:00:00:00:01', dev: 'br0', flags: ['self'], state: 'permanent'},
]);

describe('overlay plumbing', () => {
	test('br0, vxlan0 with VNI and port, and the fdb entries that point at other nodes', () => {
		assert.deepEqual(parsePlumbing('sh6tzb3beyblucnkdujhzeo7q', '1-sh6tzb3bey', links, fdb), {
			networkId: 'sh6tzb3beyblucnkdujhzeo7q',
			namespace: '1-sh6tzb3bey',
			bridge: 'br0',
			vxlan: {name: 'vxlan0', vni: '4097', port: '4789'},
			fdb: [
				{mac: '02:42:0a:00:01:04', address: '192.168.91.3'},
				{mac: '02:42:0a:00:01:09', address: '192.168.91.2'},
			],
		});
	});

	test('an empty namespace has no vxlan and no entries', () => {
		const plumbing = parsePlumbing('x', '1-x', '[]', '[]');
		assert.equal(plumbing.vxlan, undefined);
		assert.equal(plumbing.bridge, '');
		assert.deepEqual(plumbing.fdb, []);
	});
});
