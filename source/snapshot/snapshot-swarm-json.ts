import type {EngineSnapshot} from '../model/store.js';
import type {NetworkCluster, SwarmSnapshot} from '../model/swarm-types.js';

// The swarm additions to `docknet snapshot --json` (schema docknet.snapshot/1: fields are
// only added). Outside a swarm: role "none", empty lists, `cluster: null` on every network.

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

function nodeName(swarm: SwarmSnapshot, address: string): string | null {
	return swarm.nodes.find(node => node.address === address)?.hostname ?? null;
}

/** `swarm`, `nodes`, `services` and `tasks` at the top level. */
export function swarmJson(snapshot: EngineSnapshot): Record<string, unknown> {
	const {swarm} = snapshot;
	const hostname = new Map(swarm.nodes.map(node => [node.id, node.hostname]));
	return {
		swarm: {role: swarm.role, nodeId: orNull(swarm.selfId), error: orNull(swarm.error)},
		nodes: swarm.nodes.map(node => ({
			id: node.id,
			hostname: node.hostname,
			role: node.role,
			availability: node.availability,
			state: node.state,
			address: node.address,
			engineVersion: node.engineVersion,
			managerStatus: node.managerStatus === '' ? null : node.managerStatus,
			self: node.id === swarm.selfId,
		})),
		services: swarm.services.map(service => ({
			id: service.id,
			name: service.name,
			mode: service.mode,
			image: service.image,
			vips: service.vips.map(vip => ({networkId: vip.networkId, address: vip.address})),
		})),
		tasks: swarm.tasks.map(task => ({
			id: task.id,
			name: task.name,
			service: task.serviceName,
			serviceId: task.serviceId,
			slot: task.slot,
			nodeId: task.nodeId,
			node: orNull(hostname.get(task.nodeId)),
			state: task.state,
			desiredState: task.desiredState,
			message: task.message,
			containerId: orNull(task.containerId),
			networks: task.attachments.map(attachment => ({
				network: attachment.networkName,
				networkId: attachment.networkId,
				addresses: attachment.addresses,
			})),
		})),
	};
}

/** A network's `cluster`: its VNI, peers, VIPs and every endpoint on every node; null for non-overlays. */
export function clusterJson(swarm: SwarmSnapshot, cluster: NetworkCluster | undefined): unknown {
	if (cluster === undefined) return null;
	const plumbing = swarm.plumbing.get(cluster.networkId);
	return {
		plumbing:
			plumbing === undefined
				? {unavailable: swarm.plumbingNote ?? 'no namespace for this network on this node'}
				: {
						namespace: plumbing.namespace,
						bridge: plumbing.bridge,
						vxlan: plumbing.vxlan === undefined ? null : {name: plumbing.vxlan.name, vni: plumbing.vxlan.vni, port: plumbing.vxlan.port},
						fdb: plumbing.fdb.map(entry => ({mac: entry.mac, address: entry.address, node: nodeName(swarm, entry.address)})),
					},
		vni: cluster.vni,
		peers: cluster.peers.map(peer => ({name: peer.name, address: peer.address, node: nodeName(swarm, peer.address)})),
		vips: cluster.vips,
		members: cluster.endpoints.map(endpoint => ({
			name: endpoint.name,
			kind: endpoint.kind,
			service: endpoint.service === '' ? null : endpoint.service,
			endpointId: endpoint.endpointId,
			ipv4: orNull(endpoint.ipv4),
			mac: orNull(endpoint.mac),
			node: nodeName(swarm, endpoint.nodeAddress),
			nodeAddress: endpoint.nodeAddress,
		})),
	};
}
