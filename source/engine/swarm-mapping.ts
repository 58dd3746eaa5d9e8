import type {
	ClusterEndpoint, NetworkCluster, OverlayPeer, ServiceVip, SwarmNode, SwarmService, SwarmTask, TaskAttachment,
} from '../model/swarm-types.js';
import {asRecord, type JsonRecord} from '../text/json-read.js';

// The swarm parts of the engine's JSON (/nodes, /services, /tasks, /networks/{id}?verbose)
// turned into docknet's swarm types. Every field is checked: a manager of another version
// may leave any of them out.

function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function bareAddress(cidr: string): string {
	return cidr.split('/')[0] ?? cidr;
}

export function toSwarmNode(raw: unknown): SwarmNode {
	const node = asRecord(raw);
	const spec = asRecord(node['Spec']);
	const description = asRecord(node['Description']);
	const status = asRecord(node['Status']);
	const manager = asRecord(node['ManagerStatus']);
	const leader = manager['Leader'] === true;
	return {
		id: text(node['ID']),
		hostname: text(description['Hostname']),
		role: text(spec['Role']),
		availability: text(spec['Availability']),
		state: text(status['State']),
		address: text(status['Addr']),
		engineVersion: text(asRecord(description['Engine'])['EngineVersion']),
		managerStatus: leader ? 'Leader' : capitalize(text(manager['Reachability'])),
	};
}

function capitalize(value: string): string {
	return value === '' ? '' : value[0]?.toUpperCase() + value.slice(1);
}

function serviceMode(spec: JsonRecord): string {
	const mode = asRecord(spec['Mode']);
	const replicated = asRecord(mode['Replicated']);
	if (mode['Replicated'] !== undefined) {
		const replicas = replicated['Replicas'];
		return typeof replicas === 'number' ? `replicated ${replicas}` : 'replicated';
	}

	if (mode['Global'] !== undefined) return 'global';
	if (mode['ReplicatedJob'] !== undefined) return 'replicated-job';
	if (mode['GlobalJob'] !== undefined) return 'global-job';
	return '';
}

export function toSwarmService(raw: unknown): SwarmService {
	const service = asRecord(raw);
	const spec = asRecord(service['Spec']);
	const containerSpec = asRecord(asRecord(spec['TaskTemplate'])['ContainerSpec']);
	const vips: ServiceVip[] = list(asRecord(service['Endpoint'])['VirtualIPs']).map(item => {
		const vip = asRecord(item);
		return {networkId: text(vip['NetworkID']), address: text(vip['Addr'])};
	});
	return {
		id: text(service['ID']),
		name: text(spec['Name']),
		mode: serviceMode(spec),
		// The manager pins the image by digest ("busybox:latest@sha256:..."); the tag is what people read.
		image: text(containerSpec['Image']).replace(/@sha256:[0-9a-f]+$/, ''),
		vips,
	};
}

/** A task without the names that need the service and node lists (SwarmSync adds them). */
export function toSwarmTask(raw: unknown): SwarmTask {
	const task = asRecord(raw);
	const status = asRecord(task['Status']);
	const containerId = text(asRecord(status['ContainerStatus'])['ContainerID']);
	const attachments: TaskAttachment[] = list(task['NetworksAttachments']).map(item => {
		const attachment = asRecord(item);
		const network = asRecord(attachment['Network']);
		return {
			networkId: text(network['ID']),
			networkName: text(asRecord(network['Spec'])['Name']),
			addresses: list(attachment['Addresses']).map(text).filter(address => address !== ''),
		};
	});
	const slot = task['Slot'];
	return {
		id: text(task['ID']),
		serviceId: text(task['ServiceID']),
		serviceName: '',
		slot: typeof slot === 'number' ? slot : 0,
		nodeId: text(task['NodeID']),
		name: '',
		state: text(status['State']),
		desiredState: text(task['DesiredState']),
		message: text(status['Err']) || text(status['Message']),
		...(containerId === '' ? {} : {containerId}),
		attachments,
	};
}

function endpointKind(key: string, name: string, service: string): ClusterEndpoint['kind'] {
	if (name.startsWith('gateway_')) return 'gateway';
	if (key.startsWith('lb-') || key === 'ingress-sbox' || name.endsWith('-endpoint')) return 'lb';
	return service === '' ? 'container' : 'task';
}

/**
 * `GET /networks/{id}?verbose=true`: the network as the whole cluster sees it. `Services`
 * lists every task and attached container on every node with its node's address;
 * `Containers` adds this node's own endpoints (its load balancer among them) with MACs.
 */
export function toNetworkCluster(raw: unknown, localAddress: string): NetworkCluster {
	const network = asRecord(raw);
	const options = asRecord(network['Options']);
	const peers: OverlayPeer[] = list(network['Peers']).map(item => {
		const peer = asRecord(item);
		return {name: text(peer['Name']), address: text(peer['IP'])};
	});
	const vips: NetworkCluster['vips'] = [];
	const endpoints: ClusterEndpoint[] = [];
	const seen = new Set<string>();
	const local = asRecord(network['Containers']);
	const macByEndpoint = new Map<string, string>();
	for (const value of Object.values(local)) {
		const entry = asRecord(value);
		const mac = text(entry['MacAddress']);
		if (mac !== '') macByEndpoint.set(text(entry['EndpointID']), mac);
	}

	for (const [service, value] of Object.entries(asRecord(network['Services']))) {
		const entry = asRecord(value);
		const vip = text(entry['VIP']);
		if (service !== '' && vip !== '' && vip !== '<nil>') vips.push({service, address: vip});
		for (const item of list(entry['Tasks'])) {
			const task = asRecord(item);
			const endpointId = text(task['EndpointID']);
			const name = text(task['Name']);
			const ipv4 = text(task['EndpointIP']);
			const mac = macByEndpoint.get(endpointId);
			seen.add(endpointId);
			endpoints.push({
				name,
				service,
				endpointId,
				...(ipv4 === '' ? {} : {ipv4}),
				...(mac === undefined ? {} : {mac}),
				nodeAddress: text(asRecord(task['Info'])['Host IP']),
				kind: endpointKind('', name, service),
			});
		}
	}

	// This node's endpoints the service list leaves out: its load balancer, and everything
	// when the engine gave no service list (a worker that runs no task of the network).
	for (const [key, value] of Object.entries(local)) {
		const entry = asRecord(value);
		const endpointId = text(entry['EndpointID']);
		if (seen.has(endpointId)) continue;
		const name = text(entry['Name']);
		const ipv4 = bareAddress(text(entry['IPv4Address']));
		const mac = text(entry['MacAddress']);
		endpoints.push({
			name,
			service: '',
			endpointId,
			...(ipv4 === '' ? {} : {ipv4}),
			...(mac === '' ? {} : {mac}),
			nodeAddress: localAddress,
			kind: endpointKind(key, name, ''),
		});
	}

	return {
		networkId: text(network['Id']),
		vni: text(options['com.docker.network.driver.overlay.vxlanid_list']),
		peers,
		vips,
		endpoints,
	};
}
