import {EngineError} from '../../source/model/gateway.js';
import type {
	ConnectOptions,
	EngineGateway,
	EventStreamHandlers,
	NetworkCreateSpec,
} from '../../source/model/gateway.js';
import type {NetworkCluster, SwarmNode, SwarmService, SwarmTask} from '../../source/model/swarm-types.js';
import type {ContainerEndpoint, DockerContainer, DockerNetwork, EngineEvent, EngineInfo} from '../../source/model/types.js';

// An in-memory engine for fast UI tests. It keeps networks and containers, answers the
// gateway calls from them, refuses what a real engine refuses (the rules the UI must
// explain), and emits the events a real engine would. Real-engine tests cover the rest.

let counter = 0;
const nextId = (): string => {
	counter++;
	return counter.toString(16).padStart(8, '0').repeat(8);
};

export function fakeNetwork(overrides: Partial<DockerNetwork> & {name: string}): DockerNetwork {
	return {
		id: nextId(),
		driver: 'bridge',
		scope: 'local',
		internal: false,
		attachable: false,
		ingress: false,
		enableIPv6: false,
		ipamDriver: 'default',
		pools: [],
		options: {},
		labels: {},
		created: '2026-11-28T00:00:00Z',
		...overrides,
	};
}

export function fakeContainer(overrides: Partial<DockerContainer> & {name: string}): DockerContainer {
	return {
		id: nextId(),
		image: 'docknet-test/busybox:latest',
		state: 'running',
		status: 'Up 1 minute',
		created: 1_764_288_000,
		networkMode: 'default',
		endpoints: [],
		ports: [],
		labels: {},
		pid: 1000 + counter,
		inspected: true,
		...overrides,
	};
}

export function endpointOn(network: DockerNetwork, ipv4?: string, extra: Partial<ContainerEndpoint> = {}): ContainerEndpoint {
	const prefix = network.pools[0]?.subnet.split('/')[1];
	return {
		networkName: network.name,
		networkId: network.id,
		endpointId: nextId(),
		ipv4,
		ipv4PrefixLength: ipv4 && prefix ? Number(prefix) : undefined,
		gateway: network.pools[0]?.gateway,
		mac: ipv4 ? `02:42:${ipv4.split('.').map(part => Number(part).toString(16).padStart(2, '0')).join(':')}` : undefined,
		aliases: [],
		links: [],
		...extra,
	};
}

export interface FakeSwarmState {
	nodes: SwarmNode[];
	services: SwarmService[];
	tasks: SwarmTask[];
	clusters: NetworkCluster[];
}

export interface FakeEngineState {
	networks: DockerNetwork[];
	containers: DockerContainer[];
	/** Set: this engine is a swarm manager with this cluster. */
	swarm?: FakeSwarmState;
}

/** The classic docker0 picture: bridge/host/none, one user network, a few containers. */
export function classicState(): FakeEngineState {
	const bridge = fakeNetwork({
		name: 'bridge',
		pools: [{subnet: '172.17.0.0/16', gateway: '172.17.0.1'}],
		options: {'com.docker.network.bridge.name': 'docker0'},
	});
	const host = fakeNetwork({name: 'host', driver: 'host'});
	const none = fakeNetwork({name: 'none', driver: 'null'});
	const front = fakeNetwork({name: 'front', pools: [{subnet: '10.88.0.0/24', gateway: '10.88.0.1'}], attachable: true});
	const ctn1 = fakeContainer({name: 'ctn1', endpoints: [endpointOn(bridge, '172.17.0.2')]});
	const ctn2 = fakeContainer({name: 'ctn2', endpoints: [endpointOn(bridge, '172.17.0.3')]});
	const web = fakeContainer({name: 'web', networkMode: 'front', endpoints: [endpointOn(front, '10.88.0.2', {aliases: ['www']})]});
	const stopped = fakeContainer({name: 'old', state: 'exited', status: 'Exited (0) 1 hour ago', pid: 0, endpoints: []});
	return {networks: [bridge, host, none, front], containers: [ctn1, ctn2, web, stopped]};
}

const info: EngineInfo = {
	endpoint: 'unix:///fake/docker.sock',
	source: 'default',
	product: 'Docker',
	rootless: false,
	version: '20.10.24',
	apiVersion: '1.41',
	os: 'Debian GNU/Linux 12',
	kernel: '6.1.0',
	hostname: 'fakehost',
	swarm: 'inactive',
	drivers: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay'],
};

export class FakeGateway implements EngineGateway {
	requestCount = 0;
	/** Every call by name, for asserting what the UI asked for. */
	readonly calls: Array<{method: string; args: unknown[]}> = [];
	/** When set, every call fails with this error (engine gone). */
	failure: EngineError | undefined;
	/** Calls wait for this promise first (to hold an action in flight). */
	gate: Promise<void> | undefined;
	/** When the fake last answered (see EngineGateway.lastAnswerAt). */
	lastAnswerAt = 0;
	/** Probes answered so far (not in `calls`: they come at the probe's own pace). */
	pings = 0;
	private frozen: {thawed: Promise<void>; thaw: () => void; timeoutMs: number} | undefined;
	private readonly streams = new Set<EventStreamHandlers>();
	private readonly streamEnders = new Set<(error?: Error) => void>();
	private clock = Date.parse('2026-11-28T10:00:00Z');

	constructor(readonly state: FakeEngineState = classicState()) {}

	private async enter(method: string, args: unknown[]): Promise<void> {
		this.requestCount++;
		this.calls.push({method, args});
		const frozen = this.frozen;
		if (frozen) {
			// As a SIGSTOPped dockerd: the request waits in its socket and is carried out once
			// the engine runs again, long after the caller gave up on it.
			void frozen.thawed.then(() => this.replay(method, args));
			await new Promise(resolve => setTimeout(resolve, frozen.timeoutMs));
			throw new EngineError('timeout', `the engine did not answer within ${frozen.timeoutMs} ms while ${method}`);
		}

		if (this.gate) await this.gate;
		if (this.failure) throw this.failure;
		this.lastAnswerAt = Date.now();
	}

	private replay(method: string, args: unknown[]): void {
		const call = (this as unknown as Record<string, (...parameters: unknown[]) => Promise<unknown>>)[method];
		if (method !== 'streamEvents' && typeof call === 'function') void call.apply(this, args).catch(() => undefined);
	}

	/** Stops answering, like dockerd under SIGSTOP: every call times out after `timeoutMs`. */
	freeze(timeoutMs = 50): void {
		if (this.frozen) return;
		let thaw: () => void = () => undefined;
		const thawed = new Promise<void>(resolve => {
			thaw = resolve;
		});
		this.frozen = {thawed, thaw, timeoutMs};
	}

	/** Answers again (SIGCONT), and carries out what was sent meanwhile. */
	thaw(): void {
		const frozen = this.frozen;
		this.frozen = undefined;
		frozen?.thaw();
	}

	async ping(timeoutMs: number): Promise<void> {
		this.pings++;
		if (this.frozen) {
			await new Promise(resolve => setTimeout(resolve, timeoutMs));
			throw new EngineError('timeout', `the engine did not answer within ${timeoutMs} ms while checking that the engine answers`);
		}

		if (this.failure) throw this.failure;
		this.lastAnswerAt = Date.now();
	}

	/** Holds every call until the returned function is called, to keep an action in flight. */
	hold(): () => void {
		let release: () => void = () => undefined;
		this.gate = new Promise(resolve => {
			release = () => {
				this.gate = undefined;
				resolve();
			};
		});
		return release;
	}

	emit(type: string, action: string, actorId: string, attributes: Record<string, string> = {}): void {
		this.clock += 1000;
		const event: EngineEvent = {
			type,
			action,
			actorId,
			attributes,
			time: this.clock,
			timeNano: `${this.clock}000000`,
		};
		for (const handlers of this.streams) handlers.onEvent(event);
	}

	/** Cuts every open event stream, as a daemon restart would. */
	breakStreams(error = new EngineError('unreachable', 'connection reset')): void {
		for (const end of [...this.streamEnders]) end(error);
	}

	network(name: string): DockerNetwork {
		const network = this.state.networks.find(item => item.name === name);
		if (!network) throw new Error(`no fake network ${name}`);
		return network;
	}

	container(name: string): DockerContainer {
		const container = this.state.containers.find(item => item.name === name);
		if (!container) throw new Error(`no fake container ${name}`);
		return container;
	}

	/** Adds a running container on `network`, as `docker run` would, with its events. */
	runContainer(name: string, networkName = 'bridge', ipv4?: string): DockerContainer {
		const network = this.network(networkName);
		const container = fakeContainer({name, endpoints: [endpointOn(network, ipv4 ?? this.freeAddress(network))]});
		this.state.containers.push(container);
		this.emit('container', 'create', container.id, {name});
		this.emit('network', 'connect', network.id, {container: container.id, name: network.name, type: network.driver});
		this.emit('container', 'start', container.id, {name});
		return container;
	}

	removeContainer(name: string): void {
		const container = this.container(name);
		this.state.containers = this.state.containers.filter(item => item !== container);
		this.emit('container', 'destroy', container.id, {name});
	}

	private freeAddress(network: DockerNetwork): string | undefined {
		const subnet = network.pools[0]?.subnet;
		if (!subnet?.includes('.')) return undefined;
		const base = subnet.split('/')[0]?.split('.').slice(0, 3).join('.');
		const used = new Set(
			this.state.containers.flatMap(container =>
				container.endpoints.filter(endpoint => endpoint.networkId === network.id).map(endpoint => endpoint.ipv4),
			),
		);
		for (let host = 2; host < 255; host++) {
			const candidate = `${base}.${host}`;
			if (!used.has(candidate)) return candidate;
		}

		return undefined;
	}

	async info(): Promise<EngineInfo> {
		await this.enter('info', []);
		const swarm = this.state.swarm;
		return swarm === undefined
			? info
			: {...info, swarm: 'active', swarmManager: true, swarmNodeId: swarm.nodes[0]?.id ?? '', swarmNodeAddress: swarm.nodes[0]?.address ?? ''};
	}

	private managerOnly(): FakeSwarmState {
		if (this.state.swarm === undefined) {
			throw new EngineError('engine', 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.', 503);
		}

		return this.state.swarm;
	}

	async listSwarmNodes(): Promise<SwarmNode[]> {
		await this.enter('listSwarmNodes', []);
		return structuredClone(this.managerOnly().nodes);
	}

	async listSwarmServices(): Promise<SwarmService[]> {
		await this.enter('listSwarmServices', []);
		return structuredClone(this.managerOnly().services);
	}

	async listSwarmTasks(): Promise<SwarmTask[]> {
		await this.enter('listSwarmTasks', []);
		return this.managerOnly().tasks.map(task => ({...structuredClone(task), name: '', serviceName: ''}));
	}

	async inspectNetworkCluster(networkId: string): Promise<NetworkCluster | undefined> {
		await this.enter('inspectNetworkCluster', [networkId]);
		const cluster = this.state.swarm?.clusters.find(item => item.networkId === networkId);
		return cluster && structuredClone(cluster);
	}

	async listNetworks(): Promise<DockerNetwork[]> {
		await this.enter('listNetworks', []);
		return this.state.networks.map(network => structuredClone(network));
	}

	async inspectNetwork(idOrName: string): Promise<DockerNetwork | undefined> {
		await this.enter('inspectNetwork', [idOrName]);
		const network = this.state.networks.find(item => item.id === idOrName || item.name === idOrName);
		return network && structuredClone(network);
	}

	async listContainers(only?: 'stopped'): Promise<DockerContainer[]> {
		await this.enter('listContainers', only === undefined ? [] : [only]);
		const listed = only === 'stopped' ? this.state.containers.filter(container => container.state === 'created' || container.state === 'exited') : this.state.containers;
		return listed.map(container => ({
			...structuredClone(container),
			inspected: false,
			endpoints: container.endpoints.map(endpoint => ({...endpoint, aliases: [], links: []})),
		}));
	}

	async inspectContainer(idOrName: string): Promise<DockerContainer | undefined> {
		await this.enter('inspectContainer', [idOrName]);
		const container = this.state.containers.find(item => item.id === idOrName || item.name === idOrName);
		return container && structuredClone(container);
	}

	async streamEvents(handlers: EventStreamHandlers, signal: AbortSignal): Promise<void> {
		await this.enter('streamEvents', []);
		await new Promise<void>((resolve, reject) => {
			const end = (error?: Error): void => {
				this.streams.delete(handlers);
				this.streamEnders.delete(end);
				if (error) reject(error);
				else resolve();
			};

			this.streams.add(handlers);
			this.streamEnders.add(end);
			signal.addEventListener('abort', () => end(), {once: true});
			handlers.onOpen?.();
		});
	}

	async connect(networkId: string, containerId: string, options: ConnectOptions): Promise<void> {
		await this.enter('connect', [networkId, containerId, options]);
		const network = this.state.networks.find(item => item.id === networkId || item.name === networkId);
		if (!network) throw new EngineError('not-found', `network ${networkId} not found`, 404);
		const container = this.state.containers.find(item => item.id === containerId || item.name === containerId);
		if (!container) throw new EngineError('not-found', `No such container: ${containerId}`, 404);
		if (network.name === 'host' || network.name === 'none') {
			throw new EngineError('forbidden', `container cannot be disconnected from host network or connected to host network`, 403);
		}

		if (container.endpoints.some(endpoint => endpoint.networkId === network.id)) {
			throw new EngineError('forbidden', `endpoint with name ${container.name} already exists in network ${network.name}`, 403);
		}

		const taken = this.state.containers.some(other =>
			other.endpoints.some(endpoint => endpoint.networkId === network.id && options.ipv4 && endpoint.ipv4 === options.ipv4),
		);
		if (taken) throw new EngineError('engine', `Address already in use`, 500);
		container.endpoints.push(
			endpointOn(network, options.ipv4 ?? this.freeAddress(network), {
				aliases: options.aliases ?? [],
				links: options.links ?? [],
				requestedIpv4: options.ipv4,
				requestedIpv6: options.ipv6,
				ipv6: options.ipv6,
				...(options.gwPriority === undefined ? {} : {gwPriority: options.gwPriority}),
				...(options.driverOptions === undefined ? {} : {driverOptions: options.driverOptions}),
			}),
		);
		this.emit('network', 'connect', network.id, {container: container.id, name: network.name, type: network.driver});
	}

	async disconnect(networkId: string, containerId: string, force: boolean): Promise<void> {
		await this.enter('disconnect', [networkId, containerId, force]);
		const network = this.state.networks.find(item => item.id === networkId || item.name === networkId);
		if (!network) throw new EngineError('not-found', `network ${networkId} not found`, 404);
		const container = this.state.containers.find(item => item.id === containerId || item.name === containerId);
		if (!container) throw new EngineError('not-found', `No such container: ${containerId}`, 404);
		const before = container.endpoints.length;
		container.endpoints = container.endpoints.filter(endpoint => endpoint.networkId !== network.id);
		if (container.endpoints.length === before) {
			throw new EngineError('forbidden', `container ${container.id} is not connected to network ${network.name}`, 403);
		}

		this.emit('network', 'disconnect', network.id, {container: container.id, name: network.name, type: network.driver});
	}

	async createNetwork(spec: NetworkCreateSpec): Promise<string> {
		await this.enter('createNetwork', [spec]);
		if (this.state.networks.some(network => network.name === spec.name)) {
			throw new EngineError('conflict', `network with name ${spec.name} already exists`, 409);
		}

		const pools = [
			...(spec.subnet ? [{subnet: spec.subnet, gateway: spec.gateway, ipRange: spec.ipRange, auxAddresses: spec.auxAddresses}] : []),
			...(spec.ipv6Subnet ? [{subnet: spec.ipv6Subnet, gateway: spec.ipv6Gateway, auxAddresses: spec.ipv6AuxAddresses}] : []),
		];
		const network = fakeNetwork({
			name: spec.name,
			driver: spec.driver,
			pools,
			internal: spec.internal ?? false,
			attachable: spec.attachable ?? false,
			enableIPv6: spec.enableIPv6 ?? false,
			labels: spec.labels ?? {},
			options: spec.options ?? {},
		});
		this.state.networks.push(network);
		this.emit('network', 'create', network.id, {name: network.name, type: network.driver});
		return network.id;
	}

	async removeNetwork(networkId: string): Promise<void> {
		await this.enter('removeNetwork', [networkId]);
		const network = this.state.networks.find(item => item.id === networkId || item.name === networkId);
		if (!network) throw new EngineError('not-found', `network ${networkId} not found`, 404);
		if (['bridge', 'host', 'none'].includes(network.name)) {
			throw new EngineError('forbidden', `${network.name} is a pre-defined network and cannot be removed`, 403);
		}

		if (this.state.containers.some(container => container.endpoints.some(endpoint => endpoint.networkId === network.id))) {
			throw new EngineError('forbidden', `error while removing network: network ${network.name} id ${network.id} has active endpoints`, 403);
		}

		this.state.networks = this.state.networks.filter(item => item !== network);
		this.emit('network', 'destroy', network.id, {name: network.name, type: network.driver});
	}
}
