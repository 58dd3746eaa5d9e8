import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {bridgeNameForNetwork, emptyHostView, joinHostView} from '../../source/host/bridges.js';
import {zeroStats} from '../../source/model/host-source.js';
import type {DockerNetwork, HostInterface, VethPeer} from '../../source/model/types.js';
import {fakeNetwork} from '../helpers/fake-gateway.js';
import {fakeContainer} from './fake-host-tree.js';

function network(overrides: Partial<DockerNetwork> & {id: string; name: string}): DockerNetwork {
	return fakeNetwork(overrides);
}

function hostInterface(name: string, ifindex: number, kind: string, master?: string): HostInterface {
	return {name, ifindex, iflink: ifindex, kind, state: 'up', mtu: 1500, addresses: [], master, stats: zeroStats()};
}

const BRIDGE_ID = '9a1f7e2c4b3d' + '0'.repeat(52);
const BACKEND_ID = '3f2a9c1d4e5b' + '1'.repeat(52);

const networks = [
	network({id: BRIDGE_ID, name: 'bridge', options: {'com.docker.network.bridge.name': 'docker0'}}),
	network({id: BACKEND_ID, name: 'backend'}),
	network({id: 'c'.repeat(64), name: 'unused'}),
	network({id: 'd'.repeat(64), name: 'host', driver: 'host'}),
	network({id: 'e'.repeat(64), name: 'none', driver: 'null'}),
	network({id: 'f'.repeat(64), name: 'mesh', driver: 'overlay', scope: 'swarm'}),
];

describe('bridgeNameForNetwork', () => {
	test('the fixed name, or br- and the first 12 characters of the id', () => {
		assert.equal(bridgeNameForNetwork(networks[0]!), 'docker0');
		assert.equal(bridgeNameForNetwork(networks[1]!), 'br-3f2a9c1d4e5b');
		assert.equal(
			bridgeNameForNetwork(network({id: 'a'.repeat(64), name: 'gw', options: {'com.docker.network.bridge.name': 'docker_gwbridge'}})),
			'docker_gwbridge',
		);
	});

	test('no bridge for other drivers', () => {
		for (const other of networks.slice(3)) assert.equal(bridgeNameForNetwork(other), undefined, other.driver);
		assert.equal(bridgeNameForNetwork(network({id: 'a'.repeat(64), name: 'lan', driver: 'macvlan'})), undefined);
	});
});

describe('joinHostView', () => {
	const web = fakeContainer({id: 'w'.repeat(64), name: 'web'}, [{networkId: BRIDGE_ID, networkName: 'bridge', mac: '02:42:ac:11:00:02'}]);
	const db = fakeContainer({id: 'b'.repeat(64), name: 'db'}, [
		{networkId: BRIDGE_ID, networkName: 'bridge', mac: '02:42:ac:11:00:03'},
		{networkId: BACKEND_ID, networkName: 'backend', mac: '02:42:ac:12:00:02'},
	]);
	const interfaces = [
		hostInterface('lo', 1, 'loopback'),
		hostInterface('eth0', 2, 'ethernet'),
		hostInterface('docker0', 3, 'bridge'),
		hostInterface('br-3f2a9c1d4e5b', 4, 'bridge'),
		hostInterface('virbr0', 5, 'bridge'),
		hostInterface('vethb000002', 21, 'veth', 'docker0'),
		hostInterface('vetha000001', 20, 'veth', 'docker0'),
		hostInterface('vethc000003', 22, 'veth', 'br-3f2a9c1d4e5b'),
		hostInterface('vnet0', 30, 'tap', 'virbr0'),
		hostInterface('vethd000004', 23, 'veth', 'docker0'),
	];
	const peer = (hostIfindex: number, containerId: string, containerName: string, networkId?: string, networkName?: string, containerInterface = 'eth0'): VethPeer => ({
		hostIfindex,
		containerId,
		containerName,
		containerInterface,
		containerMac: undefined,
		networkId,
		networkName,
	});
	const peers = [
		peer(20, web.id, 'web', BRIDGE_ID, 'bridge'),
		peer(21, db.id, 'db', BRIDGE_ID, 'bridge'),
		peer(22, db.id, 'db', BACKEND_ID, 'backend', 'eth1'),
		// The container is gone since the peer scan: dropped.
		peer(23, 'x'.repeat(64), 'old'),
	];
	const view = joinHostView({interfaces, peers, networks, containers: [web, db]});

	test('bridges know their network and their members, sorted', () => {
		assert.deepEqual(view.interfaces.get('docker0'), {
			network: {id: BRIDGE_ID, name: 'bridge'},
			members: ['vetha000001', 'vethb000002', 'vethd000004'],
		});
		assert.deepEqual(view.interfaces.get('br-3f2a9c1d4e5b'), {network: {id: BACKEND_ID, name: 'backend'}, members: ['vethc000003']});
		assert.deepEqual(view.interfaces.get('virbr0'), {members: ['vnet0']}, 'not Docker: members, no network');
		assert.deepEqual(view.interfaces.get('vnet0'), {members: []});
		assert.deepEqual(view.interfaces.get('eth0'), {members: []});
	});

	test('veths know their container end and the network of their bridge', () => {
		assert.deepEqual(view.interfaces.get('vethc000003'), {
			members: [],
			peer: peers[2],
			bridgeNetwork: {id: BACKEND_ID, name: 'backend'},
		});
		assert.equal(view.interfaces.get('vetha000001')?.peer?.containerName, 'web');
		assert.deepEqual(view.interfaces.get('vethd000004'), {members: [], bridgeNetwork: {id: BRIDGE_ID, name: 'bridge'}}, 'peer of a gone container dropped');
	});

	test('lookups by container and by network', () => {
		assert.deepEqual(Object.fromEntries(view.vethsByContainer), {[web.id]: ['vetha000001'], [db.id]: ['vethb000002', 'vethc000003']});
		assert.deepEqual(view.byNetwork.get(BRIDGE_ID), {bridge: 'docker0', veths: ['vetha000001', 'vethb000002', 'vethd000004']});
		assert.deepEqual(view.byNetwork.get(BACKEND_ID), {bridge: 'br-3f2a9c1d4e5b', veths: ['vethc000003']});
		assert.equal(view.byNetwork.get('c'.repeat(64)), undefined, 'a network whose bridge is not on the host');
		assert.equal(view.byNetwork.get('f'.repeat(64)), undefined);
		assert.deepEqual(Object.fromEntries(view.networkByBridge), {docker0: BRIDGE_ID, 'br-3f2a9c1d4e5b': BACKEND_ID});
	});

	test('peers get current names, MAC matches against current endpoints, and fall back to the bridge', () => {
		const renamed = {...db, name: 'database'};
		const stale = [
			// Found before the container's endpoints were known: no network; the MAC names it now.
			{...peer(22, db.id, 'db'), containerMac: '02:42:AC:12:00:02'},
			// No MAC match at all: the bridge it hangs on names the network.
			{...peer(21, db.id, 'db'), containerMac: '02:42:ac:99:99:99'},
			// A network renamed since: the current name wins.
			peer(20, web.id, 'web', BRIDGE_ID, 'old-name'),
		];
		const joined = joinHostView({interfaces, peers: stale, networks, containers: [web, renamed]});
		assert.deepEqual(joined.interfaces.get('vethc000003')?.peer, {...stale[0], containerName: 'database', networkId: BACKEND_ID, networkName: 'backend'});
		assert.deepEqual(joined.interfaces.get('vethb000002')?.peer, {...stale[1], containerName: 'database', networkId: BRIDGE_ID, networkName: 'bridge'});
		assert.equal(joined.interfaces.get('vetha000001')?.peer?.networkName, 'bridge');
	});

	test('a peer pointing at an interface that is not a veth is ignored', () => {
		const joined = joinHostView({interfaces, peers: [peer(2, web.id, 'web', BRIDGE_ID, 'bridge')], networks, containers: [web]});
		assert.equal(joined.interfaces.get('eth0')?.peer, undefined);
		assert.equal(joined.vethsByContainer.size, 0);
	});

	test('empty input and emptyHostView agree', () => {
		assert.deepEqual(joinHostView({interfaces: [], peers: [], networks: [], containers: []}), emptyHostView());
	});
});

describe('sub-interfaces and host-only veth pairs', () => {
	const iface = (name: string, kind: string, ifindex: number, iflink: number) => ({name, kind, ifindex, iflink, state: 'up', mtu: 1500, addresses: [], stats: zeroStats()});
	const lan = {id: 'lan-id', name: 'lan', driver: 'macvlan', scope: 'local', internal: false, attachable: false, ingress: false, enableIPv6: false, ipamDriver: 'default', pools: [], options: {parent: 'eth0'}, labels: {}, created: ''};

	test("a veth pair made on the host names each end's peer; macvlan names its parent; a macvlan network marks its parent", () => {
		const view = joinHostView({
			interfaces: [iface('eth0', 'ethernet', 2, 2), iface('par0', 'veth', 10, 11), iface('par0p', 'veth', 11, 10), iface('shim', 'macvlan', 12, 2)],
			peers: [],
			networks: [lan],
			containers: [],
		});
		assert.equal(view.interfaces.get('par0')?.localPeer, 'par0p');
		assert.equal(view.interfaces.get('par0p')?.localPeer, 'par0');
		assert.equal(view.interfaces.get('shim')?.parent, 'eth0');
		assert.deepEqual(view.interfaces.get('eth0')?.parentOf, [{id: 'lan-id', name: 'lan'}]);
		assert.equal(view.byNetwork.get('lan-id')?.parent, 'eth0');
	});
});

describe('joinHostView on docker_gwbridge (a swarm node)', () => {
	const GWBRIDGE_ID = '7'.repeat(64);
	const gwbridge = network({id: GWBRIDGE_ID, name: 'docker_gwbridge', options: {'com.docker.network.bridge.name': 'docker_gwbridge'}});
	const task = fakeContainer({id: 't'.repeat(64), name: 'web.1.qv9bkknc'}, []);
	const interfaces = [hostInterface('docker_gwbridge', 3, 'bridge'), hostInterface('vethtask', 20, 'veth', 'docker_gwbridge'), hostInterface('vethsbox', 21, 'veth', 'docker_gwbridge')];
	const taskPeer: VethPeer = {hostIfindex: 20, containerId: task.id, containerName: task.name, containerInterface: 'eth1', containerMac: '02:42:AC:12:00:03'};
	const endpoint = (name: string, ipv4: string, mac: string) => ({name, service: '', endpointId: name, ipv4, mac, nodeAddress: '192.168.91.1', kind: 'gateway' as const});
	const endpointLists = new Map([[GWBRIDGE_ID, {networkId: GWBRIDGE_ID, vni: '', peers: [], vips: [], endpoints: [endpoint('gateway_4d5e6f7a8b9c', '172.18.0.3', '02:42:ac:12:00:03'), endpoint('gateway_ingress-sbox', '172.18.0.2', '02:42:ac:12:00:02')]}]]);

	test("a task's veth gets its address from the engine's endpoint list; the one veth left is the ingress sandbox", () => {
		const view = joinHostView({interfaces, peers: [taskPeer], networks: [gwbridge], containers: [task], endpointLists});
		assert.equal(view.interfaces.get('vethtask')?.peerAddress, '172.18.0.3');
		assert.deepEqual(view.interfaces.get('vethsbox')?.sandbox, {name: 'ingress-sbox', ipv4: '172.18.0.2'});
	});

	test('two veths and two endpoints unclaimed: no guess', () => {
		const more = [...interfaces, hostInterface('vethother', 22, 'veth', 'docker_gwbridge')];
		const view = joinHostView({interfaces: more, peers: [], networks: [gwbridge], containers: [task], endpointLists});
		assert.equal(view.interfaces.get('vethsbox')?.sandbox, undefined);
		assert.equal(view.interfaces.get('vethother')?.sandbox, undefined);
	});
});
