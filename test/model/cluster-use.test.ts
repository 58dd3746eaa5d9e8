import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {clusterUse} from '../../source/model/cluster-selectors.js';
import type {ClusterEndpoint, NetworkCluster} from '../../source/model/swarm-types.js';

const endpoint = (name: string, endpointId: string, ipv4: string | undefined, nodeAddress: string, kind: ClusterEndpoint['kind']): ClusterEndpoint => ({
	name,
	service: kind === 'task' ? 'web' : '',
	endpointId,
	...(ipv4 === undefined ? {} : {ipv4}),
	nodeAddress,
	kind,
});

// The manager's `docker network inspect -v ov` after b's engine restarted: three running
// tasks, a container attached by hand on b, the manager's own load balancer, the VIP; three
// peers. b's and c's load balancers hold addresses the view does not list.
const cluster: NetworkCluster = {
	networkId: 'ov',
	vni: '4097',
	peers: [
		{name: 'a1', address: '10.9.0.1'},
		{name: 'b1', address: '10.9.0.2'},
		{name: 'c1', address: '10.9.0.3'},
	],
	vips: [{service: 'web', address: '10.0.1.2'}],
	endpoints: [
		endpoint('web.1.x', 'e1', '10.0.1.3', '10.9.0.1', 'task'),
		endpoint('web.2.y', 'e2', '10.0.1.10', '10.9.0.2', 'task'),
		endpoint('web.3.z', 'e3', '10.0.1.5', '10.9.0.3', 'task'),
		endpoint('ct-b', 'e4', '10.0.1.12', '10.9.0.2', 'container'),
		endpoint('ov-endpoint', 'e5', '10.0.1.8', '10.9.0.1', 'lb'),
	],
};

describe('clusterUse: what an overlay holds across the swarm', () => {
	test('members are the endpoints in view; addresses add the VIP and one balancer per other peer', () => {
		// 10.0.1.2, .3, .5, .8, .10, .12, and b's and c's balancers.
		assert.deepEqual(clusterUse(cluster), {members: 4, used: 8});
	});

	test('an endpoint without an id (a stopped task) is neither a member nor an address', () => {
		const withStopped = {...cluster, endpoints: [...cluster.endpoints, endpoint('web.2.old', '', undefined, '10.9.0.2', 'task'), endpoint('web.1.old', '', undefined, '10.9.0.1', 'task')]};
		assert.deepEqual(clusterUse(withStopped), {members: 4, used: 8});
	});

	test("a peer whose balancer is in view counts it once; a node that left the network counts nothing", () => {
		const bInView = {...cluster, endpoints: [...cluster.endpoints, endpoint('ov-endpoint', 'e6', '10.0.1.11', '10.9.0.2', 'lb')]};
		assert.deepEqual(clusterUse(bInView), {members: 4, used: 8});
		const cGone = {...cluster, peers: cluster.peers.slice(0, 2), endpoints: cluster.endpoints.filter(item => item.name !== 'web.3.z')};
		assert.deepEqual(clusterUse(cGone), {members: 3, used: 6});
	});
});
