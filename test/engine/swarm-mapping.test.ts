import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {toNetworkCluster, toSwarmNode, toSwarmService, toSwarmTask} from '../../source/engine/swarm-mapping.js';

// Shapes as a Docker 20.10 manager answered them on a 3-node test cluster (trimmed).

const verboseOverlay = {
	Name: 'ov',
	Id: 'sh6tzb3beyblucnkdujhzeo7q',
	Scope: 'swarm',
	Driver: 'overlay',
	Options: {'com.docker.network.driver.overlay.vxlanid_list': '4097'},
	Containers: {
		'0ada3ccedcc0': {Name: 'web.3.nsys3s7ucq71e5crxdxm7erxd', EndpointID: 'ep-web3', MacAddress: '02:42:0a:00:01:05', IPv4Address: '10.0.1.5/24', IPv6Address: ''},
		'lb-ov': {Name: 'ov-endpoint', EndpointID: 'ep-lb-a', MacAddress: '02:42:0a:00:01:08', IPv4Address: '10.0.1.8/24', IPv6Address: ''},
	},
	Peers: [{Name: 'c1dca584b1b5', IP: '192.168.91.3'}, {Name: '851983f5e79c', IP: '192.168.91.2'}],
	Services: {
		'': {VIP: '<nil>', Ports: [], LocalLBIndex: 0, Tasks: [{Name: 'ct-b', EndpointID: 'ep-ctb', EndpointIP: '10.0.1.9', Info: {'Host IP': '192.168.91.2'}}]},
		web: {
			VIP: '10.0.1.2',
			Tasks: [
				{Name: 'web.2.n593lc6si9352bvm29n9ejxnd', EndpointID: 'ep-web2', EndpointIP: '10.0.1.4', Info: {'Host IP': '192.168.91.3'}},
				{Name: 'web.3.nsys3s7ucq71e5crxdxm7erxd', EndpointID: 'ep-web3', EndpointIP: '10.0.1.5', Info: {'Host IP': '192.168.91.1'}},
			],
		},
	},
};

describe('swarm JSON → docknet types', () => {
	test('an overlay across the cluster: VNI, peers, VIPs, every endpoint with its node; this node adds MACs and its load balancer', () => {
		const cluster = toNetworkCluster(verboseOverlay, '192.168.91.1');
		assert.equal(cluster.vni, '4097');
		assert.deepEqual(cluster.peers.map(peer => peer.address), ['192.168.91.3', '192.168.91.2']);
		assert.deepEqual(cluster.vips, [{service: 'web', address: '10.0.1.2'}]);
		const byId = new Map(cluster.endpoints.map(endpoint => [endpoint.endpointId, endpoint]));
		assert.deepEqual(byId.get('ep-ctb'), {name: 'ct-b', service: '', endpointId: 'ep-ctb', ipv4: '10.0.1.9', nodeAddress: '192.168.91.2', kind: 'container'});
		assert.equal(byId.get('ep-web2')?.kind, 'task');
		assert.equal(byId.get('ep-web2')?.mac, undefined, 'a remote endpoint has no MAC in the list');
		assert.equal(byId.get('ep-web3')?.mac, '02:42:0a:00:01:05', 'a local one has');
		assert.deepEqual(byId.get('ep-lb-a'), {name: 'ov-endpoint', service: '', endpointId: 'ep-lb-a', ipv4: '10.0.1.8', mac: '02:42:0a:00:01:08', nodeAddress: '192.168.91.1', kind: 'lb'});
		assert.equal(cluster.endpoints.length, 4, 'the local task is not counted twice');
	});

	test('docker_gwbridge: gateway endpoints and the ingress sandbox', () => {
		const cluster = toNetworkCluster({
			Id: 'gw',
			Options: {},
			Containers: {
				abd388fe6bc3: {Name: 'gateway_abd388fe6bc3', EndpointID: 'e1', MacAddress: '02:42:ac:12:00:03', IPv4Address: '172.18.0.3/16'},
				'ingress-sbox': {Name: 'gateway_ingress-sbox', EndpointID: 'e2', MacAddress: '02:42:ac:12:00:02', IPv4Address: '172.18.0.2/16'},
			},
		}, '192.168.91.1');
		assert.deepEqual(cluster.endpoints.map(endpoint => `${endpoint.name} ${endpoint.kind} ${endpoint.ipv4}`), [
			'gateway_abd388fe6bc3 gateway 172.18.0.3',
			'gateway_ingress-sbox gateway 172.18.0.2',
		]);
		assert.equal(cluster.vni, '');
	});

	test('nodes, services and tasks; missing fields never throw', () => {
		const node = toSwarmNode({
			ID: 'n1',
			Spec: {Role: 'manager', Availability: 'active'},
			Description: {Hostname: 'dnswarm-a', Engine: {EngineVersion: '20.10.24'}},
			Status: {State: 'ready', Addr: '192.168.91.1'},
			ManagerStatus: {Leader: true, Reachability: 'reachable', Addr: '192.168.91.1:2377'},
		});
		assert.deepEqual(node, {id: 'n1', hostname: 'dnswarm-a', role: 'manager', availability: 'active', state: 'ready', address: '192.168.91.1', engineVersion: '20.10.24', managerStatus: 'Leader'});
		assert.equal(toSwarmNode({Spec: {Role: 'manager'}, ManagerStatus: {Reachability: 'unreachable'}}).managerStatus, 'Unreachable');
		const service = toSwarmService({
			ID: 's1',
			Spec: {Name: 'web', Mode: {Replicated: {Replicas: 3}}, TaskTemplate: {ContainerSpec: {Image: 'busybox:latest@sha256:abcdef0123'}}},
			Endpoint: {VirtualIPs: [{NetworkID: 'ov', Addr: '10.0.1.2/24'}]},
		});
		assert.deepEqual(service, {id: 's1', name: 'web', mode: 'replicated 3', image: 'busybox:latest', vips: [{networkId: 'ov', address: '10.0.1.2/24'}]});
		assert.equal(toSwarmService({Spec: {Mode: {Global: {}}}}).mode, 'global');
		const task = toSwarmTask({
			ID: 't1',
			ServiceID: 's1',
			Slot: 2,
			NodeID: 'n2',
			DesiredState: 'running',
			Status: {State: 'running', Message: 'started', ContainerStatus: {ContainerID: 'c1'}},
			NetworksAttachments: [{Network: {ID: 'ov', Spec: {Name: 'ov'}}, Addresses: ['10.0.1.3/24']}],
		});
		assert.deepEqual(task, {
			id: 't1', serviceId: 's1', serviceName: '', slot: 2, nodeId: 'n2', name: '', state: 'running', desiredState: 'running', message: 'started', containerId: 'c1',
			attachments: [{networkId: 'ov', networkName: 'ov', addresses: ['10.0.1.3/24']}],
		});
		assert.doesNotThrow(() => toSwarmTask(null));
		assert.doesNotThrow(() => toNetworkCluster('nonsense', ''));
	});
});
