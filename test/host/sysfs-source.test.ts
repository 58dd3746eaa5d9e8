import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {HostSourceError, NOT_ROOT_HINT, NOT_ROOT_REASON, ROOT_DENIED_REASON} from '../../source/model/host-source.js';
import {type HostFileSystem, createSysfsSource, guessKindFromSysfs, nodeFileSystem} from '../../source/host/sysfs-source.js';
import {createContainedReads} from '../../source/host/contained-reader.js';
import * as nodeFs from 'node:fs';
import {type FakeHostTree, type FakeInterface, createFakeHostTree, fakeContainer, fakeMac, procNetDevText} from './fake-host-tree.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');

// A host as Docker leaves it: docker0 and a user bridge, three veths (one container on
// two networks), a NIC, wifi, and the less common kinds the heuristics must tell apart.
const HOST: FakeInterface[] = [
	{name: 'lo', ifindex: 1, type: 772, operstate: 'unknown', mtu: 65536, address: '00:00:00:00:00:00', stats: {rxBytes: 3193, txBytes: 3193, rxPackets: 29, txPackets: 29}},
	{name: 'eth0', ifindex: 2, device: true, stats: {rxBytes: 123456789, txBytes: 987654, rxPackets: 1000, txPackets: 900, rxDropped: 3}},
	{name: 'wlan0', ifindex: 3, device: true, devtype: 'wlan', wireless: true, operstate: 'dormant'},
	{name: 'docker0', ifindex: 4, devtype: 'bridge', bridge: true},
	{name: 'br-3f2a9c1d4e5b', ifindex: 5, devtype: 'bridge', bridge: true, operstate: 'down'},
	{name: 'veth1111111', ifindex: 7, iflink: 6, master: 'docker0', stats: {rxBytes: 500, txBytes: 700, rxPackets: 5, txPackets: 7}},
	{name: 'veth2222222', ifindex: 9, iflink: 8, master: 'docker0'},
	{name: 'veth3333333', ifindex: 11, iflink: 10, master: 'br-3f2a9c1d4e5b', operstate: 'lowerlayerdown'},
	{name: 'vxlan42', ifindex: 12, devtype: 'vxlan', operstate: 'down'},
	{name: 'tun0', ifindex: 13, type: 65534, address: '', tunFlags: '0x1001', operstate: 'unknown'},
	{name: 'tap0', ifindex: 14, tunFlags: '0x1002', operstate: 'down'},
	{name: 'wg0', ifindex: 15, type: 65534, devtype: 'wireguard', address: '', mtu: 1420},
	{name: 'bond0', ifindex: 16, devtype: 'bond', bonding: true},
	{name: 'mv0', ifindex: 17, iflink: 2, lower: ['eth0']},
	{name: 'dummy0', ifindex: 18},
	{name: 'ifb0', ifindex: 19, operstate: 'down'},
	{name: 'eth0.10', ifindex: 20, iflink: 2, devtype: 'vlan', lower: ['eth0']},
];

const EXPECTED_KINDS: Record<string, string> = {
	lo: 'loopback',
	eth0: 'ethernet',
	wlan0: 'wifi',
	docker0: 'bridge',
	'br-3f2a9c1d4e5b': 'bridge',
	veth1111111: 'veth',
	veth2222222: 'veth',
	veth3333333: 'veth',
	vxlan42: 'vxlan',
	tun0: 'tun',
	tap0: 'tap',
	wg0: 'wireguard',
	bond0: 'bond',
	mv0: 'macvlan',
	dummy0: 'dummy',
	ifb0: 'other',
	'eth0.10': 'vlan',
};

const ADDRESSES = new Map([
	['lo', ['127.0.0.1/8', '::1/128']],
	['eth0', ['192.168.1.20/24', 'fe80::1/64']],
	['docker0', ['172.17.0.1/16']],
	['veth1111111', ['fe80::4c1e:74ff:fe89:b5e0/64']],
]);

/** A file system that fails chosen paths with chosen codes; everything else is real. */
function failingFileSystem(fail: (file: string) => string | undefined): HostFileSystem {
	const check = (file: string) => {
		const code = fail(file);
		if (code) throw Object.assign(new Error(`${code}: ${file}`), {code});
	};
	return {
		async readText(file) {
			check(file);
			return nodeFileSystem.readText(file);
		},
		async readDirectory(directory) {
			check(directory);
			return nodeFileSystem.readDirectory(directory);
		},
		async readLink(file) {
			check(file);
			return nodeFileSystem.readLink(file);
		},
	};
}

/** The real file system, noting every file read. */
function recordingFileSystem(): {reads: string[]; fileSystem: HostFileSystem} {
	const reads: string[] = [];
	const fileSystem: HostFileSystem = {
		...nodeFileSystem,
		readText: (file) => {
			reads.push(file);
			return nodeFileSystem.readText(file);
		},
	};
	return {reads, fileSystem};
}

describe('sysfs source on a fake /sys/class/net', () => {
	let tree: FakeHostTree;
	before(async () => {
		tree = await createFakeHostTree(HOST);
	});
	after(() => tree.cleanup());

	const source = (extra: Parameters<typeof createSysfsSource>[0] = {}) =>
		createSysfsSource({sysClassNet: tree.sysClassNet, procRoot: tree.procRoot, readAddresses: () => ADDRESSES, ...extra});

	test('tells every kind apart from sysfs alone', async () => {
		const interfaces = await source({readIpLinks: false}).scan();
		assert.deepEqual(Object.fromEntries(interfaces.map((item) => [item.name, item.kind])), EXPECTED_KINDS);
	});

	test('orders by ifindex and reads state, MTU, MAC, master, addresses and counters', async () => {
		const interfaces = await source().scan();
		assert.deepEqual(
			interfaces.map((item) => item.ifindex),
			HOST.map((item) => item.ifindex),
		);
		const byName = new Map(interfaces.map((item) => [item.name, item]));
		assert.deepEqual(byName.get('veth1111111'), {
			name: 'veth1111111',
			ifindex: 7,
			iflink: 6,
			kind: 'veth',
			state: 'up',
			mac: fakeMac(7),
			mtu: 1500,
			addresses: ['fe80::4c1e:74ff:fe89:b5e0/64'],
			master: 'docker0',
			stats: {rxBytes: 500, txBytes: 700, rxPackets: 5, txPackets: 7, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0},
		});
		assert.equal(byName.get('lo')?.mtu, 65536);
		assert.equal(byName.get('lo')?.state, 'unknown');
		assert.equal(byName.get('eth0')?.stats.rxBytes, 123456789);
		assert.equal(byName.get('eth0')?.stats.rxDropped, 3);
		assert.deepEqual(byName.get('eth0')?.addresses, ['192.168.1.20/24', 'fe80::1/64']);
		assert.equal(byName.get('eth0')?.master, undefined);
		assert.equal(byName.get('veth3333333')?.master, 'br-3f2a9c1d4e5b');
		assert.equal(byName.get('veth3333333')?.state, 'lowerlayerdown');
		assert.equal(byName.get('tun0')?.mac, undefined, 'a tun device has no MAC');
		assert.equal(byName.get('wg0')?.mtu, 1420);
		assert.deepEqual(byName.get('docker0')?.addresses, ['172.17.0.1/16']);
		assert.deepEqual(byName.get('bond0')?.addresses, [], 'no address known → empty list');
	});

	test('takes the kind from ip when ip knows the same interface', async () => {
		const ipJson = JSON.stringify([
			// ip says dummy0 is a veth (as a veth whose peer has the same index would look to
			// sysfs) and ifb0 is a dummy; both ifindexes match sysfs.
			{ifindex: 18, ifname: 'dummy0', linkinfo: {info_kind: 'veth'}},
			{ifindex: 19, ifname: 'ifb0', linkinfo: {info_kind: 'dummy'}},
			// Same name, other index: another namespace's interface; ignored.
			{ifindex: 99, ifname: 'tap0', linkinfo: {info_kind: 'bridge'}},
		]);
		const interfaces = await source({readIpLinks: async () => ipJson}).scan();
		const kinds = Object.fromEntries(interfaces.map((item) => [item.name, item.kind]));
		assert.equal(kinds['dummy0'], 'veth');
		assert.equal(kinds['ifb0'], 'dummy');
		assert.equal(kinds['tap0'], 'tap');
		assert.equal(kinds['eth0'], 'ethernet');
	});

	test('falls back to sysfs when ip fails or prints garbage', async () => {
		for (const readIpLinks of [async () => undefined, async () => 'Option "-j" is unknown', async () => Promise.reject(new Error('boom'))]) {
			const interfaces = await source({readIpLinks}).scan();
			assert.equal(interfaces.length, HOST.length);
			assert.equal(interfaces.find((item) => item.name === 'mv0')?.kind, 'macvlan');
		}
	});

	test('listNames is sorted and cheap', async () => {
		assert.deepEqual(await source().listNames(), HOST.map((item) => item.name).sort());
	});

	test('readStats reads the counters of the named interfaces and skips unknown ones', async () => {
		const stats = await source().readStats(['eth0', 'veth1111111', 'nosuch0']);
		assert.deepEqual([...stats.keys()], ['eth0', 'veth1111111']);
		assert.equal(stats.get('eth0')?.txBytes, 987654);
		assert.equal(stats.get('veth1111111')?.rxPackets, 5);
	});

	test('a missing /sys/class/net is a HostSourceError', async () => {
		const broken = createSysfsSource({sysClassNet: path.join(tree.root, 'nope'), readIpLinks: false});
		await assert.rejects(broken.scan(), HostSourceError);
		await assert.rejects(broken.listNames(), /cannot list network interfaces/);
	});

	test('classifies odd cases from evidence', () => {
		const base = {ifindex: 5, iflink: 5, type: 1, entries: new Set<string>()};
		assert.equal(guessKindFromSysfs({...base, name: 'veth0'}), 'veth', 'same index as its peer: the name decides');
		assert.equal(guessKindFromSysfs({...base, name: 'ipvl0', iflink: 2, entries: new Set(['lower_eth0'])}), 'ipvlan');
		assert.equal(guessKindFromSysfs({...base, name: 'x', iflink: 2}), 'veth');
		assert.equal(guessKindFromSysfs({...base, name: 'wlp2s0', entries: new Set(['device', 'phy80211'])}), 'wifi');
		assert.equal(guessKindFromSysfs({...base, name: 'x', tunFlags: 0x5002}), 'tap');
	});
});

describe('sysfs source while interfaces come and go', () => {
	test('an interface that vanishes between listing and reading is skipped', async () => {
		const tree = await createFakeHostTree(HOST.slice(0, 6));
		try {
			// Listed, then gone before its files are read.
			const ghostListing: HostFileSystem = {
				...nodeFileSystem,
				readDirectory: async (directory) =>
					directory === tree.sysClassNet ? [...(await nodeFileSystem.readDirectory(directory)), 'veth9999999'] : nodeFileSystem.readDirectory(directory),
			};
			// Gone halfway: its directory listed fine, its counters no longer.
			const halfway = failingFileSystem((file) => (file.includes('/veth1111111/statistics/') ? 'ENOENT' : undefined));
			for (const fileSystem of [ghostListing, halfway]) {
				const source = createSysfsSource({sysClassNet: tree.sysClassNet, procRoot: tree.procRoot, readIpLinks: false, readAddresses: () => new Map(), fileSystem});
				const names = (await source.scan()).map((item) => item.name);
				assert.ok(!names.includes('veth9999999'));
				assert.ok(names.includes('eth0'));
			}
			const halfwaySource = createSysfsSource({sysClassNet: tree.sysClassNet, readIpLinks: false, readAddresses: () => new Map(), fileSystem: halfway});
			assert.ok(!(await halfwaySource.scan()).some((item) => item.name === 'veth1111111'));
			assert.deepEqual([...(await halfwaySource.readStats(['veth1111111', 'eth0'])).keys()], ['eth0']);

			await tree.removeInterface('veth1111111');
			const source = createSysfsSource({sysClassNet: tree.sysClassNet, readIpLinks: false, readAddresses: () => new Map()});
			assert.ok(!(await source.listNames()).includes('veth1111111'));
			assert.deepEqual([...(await source.readStats(['veth1111111', 'lo'])).keys()], ['lo']);
		} finally {
			await tree.cleanup();
		}
	});

	test('other read errors are not swallowed', async () => {
		const tree = await createFakeHostTree(HOST.slice(0, 3));
		try {
			const fileSystem = failingFileSystem((file) => (file.endsWith('/eth0/ifindex') ? 'EIO' : undefined));
			const source = createSysfsSource({sysClassNet: tree.sysClassNet, readIpLinks: false, readAddresses: () => new Map(), fileSystem});
			await assert.rejects(source.scan(), /EIO/);
		} finally {
			await tree.cleanup();
		}
	});
});

describe('sysfs source with ip and /proc/net/dev (the fast paths)', () => {
	let tree: FakeHostTree;
	let ipJson: string;
	before(async () => {
		// The same interfaces the real capture shows, laid out in sysfs.
		ipJson = await fs.readFile(path.join(fixtures, 'ip-addr-docker-namespace.json'), 'utf8');
		tree = await createFakeHostTree([
			{name: 'lo', ifindex: 1, type: 772},
			{name: 'docker0', ifindex: 2, bridge: true, devtype: 'bridge'},
			{name: 'br-3f2a9c1d4e5b', ifindex: 3, bridge: true, devtype: 'bridge'},
			{name: 'veth1a2b3c4', ifindex: 4, iflink: 2, master: 'docker0'},
			{name: 'vxlan42', ifindex: 5, devtype: 'vxlan'},
			{name: 'tun0', ifindex: 6, tunFlags: '0x1001', address: ''},
			{name: 'tap0', ifindex: 7, tunFlags: '0x1002'},
			{name: 'mv0', ifindex: 8, iflink: 5, lower: ['vxlan42']},
			{name: 'ifb9', ifindex: 9},
		]);
	});
	after(() => tree.cleanup());

	test('when ip lists exactly the sysfs interfaces, its data is used as is', async () => {
		const source = createSysfsSource({sysClassNet: tree.sysClassNet, procRoot: tree.procRoot, readIpLinks: async () => ipJson, readAddresses: () => new Map()});
		const interfaces = await source.scan();
		const veth = interfaces.find((item) => item.name === 'veth1a2b3c4');
		// Counters and MAC from the capture, not the fake tree's zeros.
		assert.equal(veth?.stats.rxBytes, 796);
		assert.equal(veth?.stats.txPackets, 24);
		assert.equal(veth?.mac, '6e:1e:74:89:b5:e0');
		assert.equal(veth?.master, 'docker0');
		assert.equal(veth?.iflink, 2);
		assert.equal(veth?.state, 'up');
		assert.deepEqual(
			interfaces.map((item) => `${item.name}:${item.kind}`),
			['lo:loopback', 'docker0:bridge', 'br-3f2a9c1d4e5b:bridge', 'veth1a2b3c4:veth', 'vxlan42:vxlan', 'tun0:tun', 'tap0:tap', 'mv0:macvlan', 'ifb9:other'],
		);
	});

	test('when ip shows other interfaces than sysfs (another namespace), sysfs wins', async () => {
		await tree.addInterface({name: 'veth5555555', ifindex: 10, iflink: 9, master: 'docker0', stats: {rxBytes: 42}});
		try {
			const source = createSysfsSource({sysClassNet: tree.sysClassNet, procRoot: tree.procRoot, readIpLinks: async () => ipJson, readAddresses: () => new Map()});
			const interfaces = await source.scan();
			assert.equal(interfaces.length, 10);
			assert.equal(interfaces.find((item) => item.name === 'veth1a2b3c4')?.stats.rxBytes, 0, 'counters from sysfs');
			assert.equal(interfaces.find((item) => item.name === 'veth5555555')?.stats.rxBytes, 42);
		} finally {
			await tree.removeInterface('veth5555555');
		}
	});

	test('once ip and sysfs agreed, an interface appearing between their reads leaves ip in charge', async () => {
		const {reads, fileSystem} = recordingFileSystem();
		const source = createSysfsSource({sysClassNet: tree.sysClassNet, procRoot: tree.procRoot, readIpLinks: async () => ipJson, readAddresses: () => new Map(), fileSystem});
		await source.scan();
		await tree.addInterface({name: 'veth5555555', ifindex: 10, iflink: 9, master: 'docker0', stats: {rxBytes: 42}});
		try {
			reads.length = 0;
			const interfaces = await source.scan();
			assert.equal(interfaces.length, 9, "ip's dump, without the newcomer it had not seen yet");
			assert.equal(interfaces.find((item) => item.name === 'veth1a2b3c4')?.stats.rxBytes, 796, 'counters from ip');
			assert.ok(!reads.some((file) => file.includes('statistics')), 'no per-interface sysfs reads');
		} finally {
			await tree.removeInterface('veth5555555');
		}
	});

	test('readStats uses /proc/net/dev once a scan proved it shows the same interfaces', async () => {
		const {reads, fileSystem} = recordingFileSystem();
		const names = ['lo', 'docker0', 'br-3f2a9c1d4e5b', 'veth1a2b3c4', 'vxlan42', 'tun0', 'tap0', 'mv0', 'ifb9'];
		await tree.writeProcNetDev(await fs.readFile(path.join(fixtures, 'proc-net-dev.txt'), 'utf8'));
		const source = createSysfsSource({sysClassNet: tree.sysClassNet, procRoot: tree.procRoot, readIpLinks: false, readAddresses: () => new Map(), fileSystem});

		// Before any scan: nothing proven, so sysfs.
		assert.equal((await source.readStats(['veth1a2b3c4'])).get('veth1a2b3c4')?.rxBytes, 0);
		await source.scan();
		reads.length = 0;
		const stats = await source.readStats(names);
		assert.deepEqual(reads, [path.join(tree.procRoot, 'net', 'dev')], 'one read for all interfaces');
		assert.equal(stats.get('veth1a2b3c4')?.rxBytes, 936);
		assert.equal(stats.get('docker0')?.txPackets, 16);

		// /proc/net/dev lacks an interface (created since): that one comes from sysfs.
		await tree.writeProcNetDev(procNetDevText([{name: 'lo', stats: {rxBytes: 77}}]));
		const mixed = await source.readStats(['lo', 'tap0', 'gone0']);
		assert.equal(mixed.get('lo')?.rxBytes, 77);
		assert.equal(mixed.get('tap0')?.rxBytes, 0);
		assert.ok(!mixed.has('gone0'));

		// A scan that sees different names stops trusting it.
		await source.scan();
		reads.length = 0;
		await source.readStats(['lo']);
		assert.ok(!reads.includes(path.join(tree.procRoot, 'net', 'dev')));
	});
});

describe('sysfs source: which container is behind each veth', () => {
	let tree: FakeHostTree;
	// Host: veth1111111 (7) ↔ web eth0 (6); veth2222222 (9) ↔ db eth0 (8);
	// veth3333333 (11) ↔ db eth1 (10). Container ends were created in the host namespace,
	// so their indexes differ from the host's, as Docker does it.
	const web = fakeContainer({id: 'a'.repeat(64), name: 'web', pid: 4101}, [
		{networkId: 'n-bridge', networkName: 'bridge', mac: fakeMac(6)},
	]);
	const db = fakeContainer({id: 'b'.repeat(64), name: 'db', pid: 4102, networkMode: 'backend'}, [
		{networkId: 'n-bridge', networkName: 'bridge', mac: fakeMac(8).toUpperCase()},
		{networkId: 'n-backend', networkName: 'backend', mac: fakeMac(10)},
	]);
	const hostMode = fakeContainer({id: 'c'.repeat(64), name: 'hostnet', pid: 4103, networkMode: 'host'});
	const sharing = fakeContainer({id: 'd'.repeat(64), name: 'sidecar', pid: 4104, networkMode: `container:${'a'.repeat(64)}`});
	const stopped = fakeContainer({id: 'e'.repeat(64), name: 'stopped', state: 'exited', pid: 0});
	const exited = fakeContainer({id: 'f'.repeat(64), name: 'just-exited', pid: 4199});
	const macvlan = fakeContainer({id: '1'.repeat(64), name: 'mac', pid: 4105, networkMode: 'lan'}, [
		{networkId: 'n-lan', networkName: 'lan', mac: fakeMac(30)},
	]);
	const unknownMac = fakeContainer({id: '2'.repeat(64), name: 'odd', pid: 4106}, [
		{networkId: 'n-bridge', networkName: 'bridge', mac: '02:00:00:00:00:99'},
	]);

	before(async () => {
		tree = await createFakeHostTree([
			...HOST,
			{name: 'veth4444444', ifindex: 22, iflink: 21, master: 'docker0'},
		]);
		await tree.addProcess(4101, [{name: 'eth0', ifindex: 6, iflink: 7}]);
		await tree.addProcess(4102, [
			{name: 'eth0', ifindex: 8, iflink: 9},
			{name: 'eth1', ifindex: 10, iflink: 11},
		]);
		// --network host: the container's sysfs is the host's; joining it would claim veths.
		await tree.addProcess(4103, HOST.filter((item) => item.name !== 'lo'));
		// container:<web>: web's namespace again.
		await tree.addProcess(4104, [{name: 'eth0', ifindex: 6, iflink: 7}]);
		// A macvlan child points at the host NIC (index 2), whose iflink does not point back.
		await tree.addProcess(4105, [{name: 'eth0', ifindex: 30, iflink: 2}]);
		await tree.addProcess(4106, [{name: 'eth0', ifindex: 21, iflink: 22}]);
	});
	after(() => tree.cleanup());

	const source = (fileSystem?: HostFileSystem, isRoot = false, failContainer?: (root: string) => string | undefined) =>
		createSysfsSource({
			sysClassNet: tree.sysClassNet,
			procRoot: tree.procRoot,
			readIpLinks: false,
			readAddresses: () => new Map(),
			fileSystem,
			isRoot: () => isRoot,
			// Container roots are opened first, by their /proc/<pid>/root path: a failure there
			// is what the kernel gives for a denied or vanished process.
			containedReads: createContainedReads({
				inProcess: true,
				fs: {
					...nodeFs,
					openSync: (file: nodeFs.PathLike, flags: nodeFs.OpenMode = "r") => {
						const code = failContainer?.(String(file));
						if (code) throw Object.assign(new Error(`${code}: ${String(file)}`), {code});
						return nodeFs.openSync(file, flags);
					},
				},
			}),
		});

	test('joins from the container side and names the network by MAC', async () => {
		const scan = await source().findVethPeers([web, db, hostMode, sharing, stopped, exited, macvlan, unknownMac]);
		assert.equal(scan.status, 'ok');
		assert.deepEqual(scan.status === 'ok' ? scan.peers : [], [
			{hostIfindex: 7, containerId: web.id, containerName: 'web', containerInterface: 'eth0', containerMac: fakeMac(6), networkId: 'n-bridge', networkName: 'bridge'},
			{hostIfindex: 9, containerId: db.id, containerName: 'db', containerInterface: 'eth0', containerMac: fakeMac(8), networkId: 'n-bridge', networkName: 'bridge'},
			{hostIfindex: 11, containerId: db.id, containerName: 'db', containerInterface: 'eth1', containerMac: fakeMac(10), networkId: 'n-backend', networkName: 'backend'},
			{hostIfindex: 22, containerId: unknownMac.id, containerName: 'odd', containerInterface: 'eth0', containerMac: fakeMac(21), networkId: undefined, networkName: undefined},
		]);
	});

	test('interfaces from a scan just made stand in for reading the host side again', async () => {
		const {reads, fileSystem} = recordingFileSystem();
		const hostInterfaces = await source().scan();
		const scan = await source(fileSystem).findVethPeers([web], hostInterfaces);
		assert.deepEqual(scan.status === 'ok' ? scan.peers.map((peer) => peer.hostIfindex) : scan, [7]);
		assert.deepEqual(reads, [], 'the host side was not read again (the container side goes through the contained reader)');
	});

	test('no running containers: ok and empty, without touching /proc', async () => {
		const fileSystem = failingFileSystem(() => 'EACCES');
		assert.deepEqual(await source(fileSystem, false, () => 'EACCES').findVethPeers([stopped, hostMode]), {status: 'ok', peers: []});
	});

	for (const code of ['EACCES', 'EPERM']) {
		test(`${code} on /proc/<pid>/root says docknet needs root`, async () => {
			const scan = await source(undefined, false, (file) => (file.startsWith(path.join(tree.procRoot, '4102', 'root')) ? code : undefined)).findVethPeers([web, db]);
			assert.deepEqual(scan, {status: 'unavailable', reason: NOT_ROOT_REASON, hint: NOT_ROOT_HINT});
		});
	}

	test('a denial while running as root blames the system, not sudo', async () => {
		const scan = await source(undefined, true, (file) => (file.startsWith(path.join(tree.procRoot, '4101')) ? 'EACCES' : undefined)).findVethPeers([web]);
		assert.deepEqual(scan, {status: 'unavailable', reason: ROOT_DENIED_REASON});
	});

	test('a container that exits while we look is skipped', async () => {
		const scan = await source(undefined, false, (file) => (file.includes(`${path.sep}4101${path.sep}`) ? 'ESRCH' : undefined)).findVethPeers([web, db]);
		assert.equal(scan.status, 'ok');
		assert.deepEqual(
			scan.status === 'ok' ? scan.peers.map((peer) => peer.containerName) : [],
			['db', 'db'],
		);
	});
});

describe('sysfs source on this machine', () => {
	test('the real /sys/class/net scans, with and without ip, to the same interfaces and kinds', async () => {
		const names = (await fs.readdir('/sys/class/net')).sort();
		const withIp = await createSysfsSource().scan();
		const withoutIp = await createSysfsSource({readIpLinks: false}).scan();
		assert.deepEqual(withIp.map((item) => item.name).sort(), names);
		const summary = (list: typeof withIp) => list.map((item) => `${item.name} ${item.kind} ${item.ifindex} ${item.master ?? '-'} ${item.mtu}`);
		assert.deepEqual(summary(withoutIp), summary(withIp));
		assert.equal(withIp.find((item) => item.name === 'lo')?.kind, 'loopback');
		assert.ok(withIp.find((item) => item.name === 'lo')?.addresses.includes('127.0.0.1/8'));
		const stats = await createSysfsSource().readStats(names);
		assert.deepEqual([...stats.keys()].sort(), names);
	});
});
