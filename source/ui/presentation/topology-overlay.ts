import {containerDisplayName, nodeNamer} from '../../model/cluster-selectors.js';
import type {EngineSnapshot} from '../../model/store.js';
import type {NetworkCluster, OverlayPlumbing} from '../../model/swarm-types.js';
import type {DockerNetwork} from '../../model/types.js';
import {endpointLabel} from './swarm-view.js';
import type {TopologyNode} from './topology-node.js';

// An overlay network across the swarm, for the topology tree and `snapshot --tree`:
// network (VNI) → each node (address) → each endpoint there, with its IP and MAC.

function plumbingText(plumbing: OverlayPlumbing | undefined): string {
	if (plumbing === undefined) return '';
	const vxlan = plumbing.vxlan === undefined ? '' : ` → ${plumbing.vxlan.name} VNI ${plumbing.vxlan.vni} udp/${plumbing.vxlan.port}`;
	return `  ${plumbing.bridge}${vxlan}, ${plumbing.fdb.length} fdb entries`;
}

export function overlayClusterNode(
	network: DockerNetwork,
	cluster: NetworkCluster,
	snapshot: Pick<EngineSnapshot, 'containers' | 'swarm' | 'engine' | 'networks'>,
): TopologyNode {
	const {swarm} = snapshot;
	const nodeAt = new Map(swarm.nodes.map(node => [node.address, node.hostname]));
	const peers = new Map(cluster.peers.map(peer => [peer.address, peer.name]));
	const addresses = [...new Set([...cluster.peers.map(peer => peer.address), ...cluster.endpoints.map(endpoint => endpoint.nodeAddress)])].sort();
	const local = snapshot.engine?.swarmNodeAddress;
	const name = nodeNamer(swarm, snapshot.engine);
	const subnets = network.pools.map(pool => pool.subnet).join(' ');
	const snapshotLike = snapshot as EngineSnapshot;
	return {
		id: `net/${network.id}`,
		label: network.name,
		detail: [network.driver, cluster.vni === '' ? undefined : `VNI ${cluster.vni}`, subnets, `${addresses.length} nodes`].filter(Boolean).join('  '),
		target: {pane: 'networks', id: network.id},
		children: addresses.map(address => {
			const hostname = nodeAt.get(address) ?? (address === local ? snapshot.engine?.hostname : undefined) ?? peers.get(address) ?? address;
			const endpoints = cluster.endpoints.filter(endpoint => endpoint.nodeAddress === address);
			return {
				id: `net/${network.id}/node/${address}`,
				label: hostname,
				detail: [address, address === local ? `this engine${plumbingText(snapshot.swarm.plumbing.get(network.id))}` : undefined].filter(Boolean).join('  '),
				tone: 'accent' as const,
				children: endpoints.map(endpoint => {
					const container = snapshot.containers.find(item => item.endpoints.some(candidate => candidate.endpointId === endpoint.endpointId));
					return {
						id: `net/${network.id}/node/${address}/${endpoint.endpointId}`,
						label: container === undefined ? endpointLabel(snapshotLike, endpoint) : containerDisplayName(container, name),
						detail: [endpoint.kind, endpoint.ipv4, endpoint.mac].filter(Boolean).join('  '),
						tone: endpoint.kind === 'lb' || endpoint.kind === 'gateway' ? ('muted' as const) : ('good' as const),
						target: container === undefined ? undefined : {pane: 'containers' as const, id: container.id},
						children: [],
					};
				}),
			};
		}),
	};
}
