import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {
	type IpLink,
	IpJsonError,
	hostInterfaceFromIpLink,
	kindFromLinkInfo,
	parseIpLinkJson,
	parseProcNetDev,
	resolveIpKind,
} from '../../source/host/ip-json.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');

// ip-addr-docker-namespace.json: `ip -j -d -s addr show` captured in a network namespace
// holding what a Docker host has (docker0 with a veth whose peer is in a container
// namespace, a user bridge br-<id12>) plus vxlan, tun, tap, macvlan and ifb devices.
// ip-addr-machine.json: the same command on this machine (virtio NIC eth0, no linkinfo).
describe('parseIpLinkJson on captured output', () => {
	let links: Map<string, IpLink>;
	let machine: Map<string, IpLink>;
	before(async () => {
		const read = async (file: string) => parseIpLinkJson(await fs.readFile(path.join(fixtures, file), 'utf8'));
		links = new Map((await read('ip-addr-docker-namespace.json')).map((link) => [link.name, link]));
		machine = new Map((await read('ip-addr-machine.json')).map((link) => [link.name, link]));
	});

	test('kinds from linkinfo, tun and tap told apart by info_data.type', () => {
		const kinds = Object.fromEntries([...links.values()].map((link) => [link.name, link.kind]));
		assert.deepEqual(kinds, {
			lo: undefined,
			docker0: 'bridge',
			'br-3f2a9c1d4e5b': 'bridge',
			veth1a2b3c4: 'veth',
			vxlan42: 'vxlan',
			tun0: 'tun',
			tap0: 'tap',
			mv0: 'macvlan',
			ifb9: 'other',
		});
		assert.equal(machine.get('eth0')?.kind, undefined, 'a physical NIC has no linkinfo');
	});

	test('resolveIpKind fills in loopback and ethernet', () => {
		assert.equal(resolveIpKind(links.get('lo')!), 'loopback');
		assert.equal(resolveIpKind(machine.get('eth0')!), 'ethernet');
		assert.equal(resolveIpKind({kind: undefined, linkType: 'none'}), 'other');
		assert.equal(resolveIpKind({kind: 'veth', linkType: 'ether'}), 'veth');
	});

	test('the veth: peer index, master, state, MAC, MTU, link-local address, 64-bit counters', () => {
		assert.deepEqual(links.get('veth1a2b3c4'), {
			name: 'veth1a2b3c4',
			ifindex: 4,
			iflink: 2,
			kind: 'veth',
			linkType: 'ether',
			state: 'up',
			mac: '6e:1e:74:89:b5:e0',
			mtu: 1500,
			master: 'docker0',
			addresses: ['fe80::6c1e:74ff:fe89:b5e0/64'],
			stats: {rxBytes: 796, txBytes: 2000, rxPackets: 10, txPackets: 24, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0},
		});
	});

	test('a parent named instead of indexed ("link": "vxlan42") resolves to its index', () => {
		assert.equal(links.get('mv0')?.iflink, 5);
		assert.equal(links.get('docker0')?.iflink, 2, 'no link: its own index');
	});

	test('addresses IPv4 first as CIDR; tun has no MAC; states lower case', () => {
		assert.deepEqual(links.get('docker0')?.addresses, ['172.17.0.1/16', 'fe80::50dc:cbff:fe53:1633/64']);
		assert.deepEqual(links.get('lo')?.addresses, ['127.0.0.1/8', '::1/128']);
		assert.equal(links.get('tun0')?.mac, undefined);
		assert.equal(links.get('lo')?.state, 'unknown');
		assert.equal(links.get('vxlan42')?.state, 'down');
		assert.equal(links.get('docker0')?.master, undefined);
	});

	test('hostInterfaceFromIpLink gives a complete HostInterface', () => {
		assert.deepEqual(hostInterfaceFromIpLink(machine.get('lo')!).kind, 'loopback');
		const docker0 = hostInterfaceFromIpLink(links.get('docker0')!);
		assert.deepEqual(docker0, {
			name: 'docker0',
			ifindex: 2,
			iflink: 2,
			kind: 'bridge',
			state: 'up',
			mac: '6e:1e:74:89:b5:e0',
			mtu: 1500,
			addresses: ['172.17.0.1/16', 'fe80::50dc:cbff:fe53:1633/64'],
			master: undefined,
			stats: {rxBytes: 656, txBytes: 1204, rxPackets: 10, txPackets: 14, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0},
		});
		assert.equal(hostInterfaceFromIpLink(machine.get('eth0')!, {kind: 'wifi'}).kind, 'wifi');
	});
});

describe('parseIpLinkJson on other shapes', () => {
	test('kinds this machine could not create, in the same shape', () => {
		const entries = ['wireguard', 'bond', 'vlan', 'ipvlan', 'dummy', 'geneve'].map((kind, index) => ({
			ifindex: index + 10,
			ifname: `${kind}0`,
			linkinfo: {info_kind: kind},
		}));
		assert.deepEqual(
			parseIpLinkJson(JSON.stringify(entries)).map((link) => link.kind),
			['wireguard', 'bond', 'vlan', 'ipvlan', 'dummy', 'other'],
		);
	});

	test('old iproute2 writes "stats" instead of "stats64"; no -s means no counters', () => {
		const [withStats, without] = parseIpLinkJson(
			JSON.stringify([
				{ifindex: 2, ifname: 'eth0', stats: {rx: {bytes: 10, packets: 1, errors: 2, dropped: 3}, tx: {bytes: 20, packets: 2, errors: 0, dropped: 4}}},
				{ifindex: 3, ifname: 'eth1'},
			]),
		);
		assert.deepEqual(withStats?.stats, {rxBytes: 10, txBytes: 20, rxPackets: 1, txPackets: 2, rxErrors: 2, txErrors: 0, rxDropped: 3, txDropped: 4});
		assert.equal(without?.stats, undefined);
		assert.equal(without?.state, 'unknown');
	});

	test('malformed entries are skipped, malformed text throws IpJsonError', () => {
		assert.deepEqual(
			parseIpLinkJson('[{"ifindex": 1}, {"ifname": "x"}, 7, null, {"ifindex": 2, "ifname": "ok"}]').map((link) => link.name),
			['ok'],
		);
		assert.throws(() => parseIpLinkJson('Option "-j" is unknown, try "ip -help".'), IpJsonError);
		assert.throws(() => parseIpLinkJson('{"ifname": "eth0"}'), IpJsonError);
	});

	test('kindFromLinkInfo ignores what is not linkinfo', () => {
		assert.equal(kindFromLinkInfo(undefined), undefined);
		assert.equal(kindFromLinkInfo({info_slave_kind: 'bridge'}), undefined);
		assert.equal(kindFromLinkInfo({info_kind: 'tun'}), 'tun');
	});
});

test('parseProcNetDev reads the captured /proc/net/dev', async () => {
	const stats = parseProcNetDev(await fs.readFile(path.join(fixtures, 'proc-net-dev.txt'), 'utf8'));
	assert.deepEqual([...stats.keys()], ['lo', 'docker0', 'br-3f2a9c1d4e5b', 'veth1a2b3c4', 'vxlan42', 'tun0', 'tap0', 'mv0', 'ifb9']);
	assert.deepEqual(stats.get('docker0'), {rxBytes: 768, txBytes: 1344, rxPackets: 12, txPackets: 16, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0});
	assert.deepEqual(
		parseProcNetDev('eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\nbroken: 1 2\n').get('eth0'),
		{rxBytes: 1, rxPackets: 2, rxErrors: 3, rxDropped: 4, txBytes: 9, txPackets: 10, txErrors: 11, txDropped: 12},
	);
	assert.equal(parseProcNetDev('broken: 1 2\n').size, 0);
});

test('parseProcNetDev can keep only the interfaces asked for', async () => {
	const text = await fs.readFile(path.join(fixtures, 'proc-net-dev.txt'), 'utf8');
	const stats = parseProcNetDev(text, new Set(['docker0', 'tap0', 'gone0']));
	assert.deepEqual([...stats.keys()], ['docker0', 'tap0']);
	assert.deepEqual(stats.get('docker0'), parseProcNetDev(text).get('docker0'));
});
