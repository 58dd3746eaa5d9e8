import type {Agent as HttpAgent} from 'node:http';
import {Agent as HttpsAgent} from 'node:https';
import type {IncomingMessage} from 'node:http';
import Docker from 'dockerode';
import {EngineError} from '../model/gateway.js';
import type {ConnectOptions, EngineGateway, EventStreamHandlers, NetworkCreateSpec} from '../model/gateway.js';
import type {
	ContainerEndpoint, ContainerState, DockerContainer, DockerNetwork, EngineInfo, IpamPool, PortBinding,
} from '../model/types.js';
import {clockText} from '../model/status-text.js';
import type {StatusClock} from '../model/status-text.js';
import type {ResolvedEndpoint} from './endpoint.js';
import {toEngineError} from './errors.js';
import {createEventParser} from './event-parser.js';
import {productOf} from './podman-dialect.js';
import {withEngineDialect} from './podman-gateway.js';
import {toNetworkCluster, toSwarmNode, toSwarmService, toSwarmTask} from './swarm-mapping.js';
import {createUnixPinger} from './unix-ping.js';
import type {UnixPinger} from './unix-ping.js';
import {createSshTransport} from './ssh-transport.js';
import type {SshTransport} from './ssh-transport.js';

// Every call goes through docker-modem's `dial` rather than dockerode's per-resource
// helpers: those helpers differ in which options they forward (Network#inspect drops the
// abort signal, createNetwork also copies the body into the query string), and one choke
// point gives every request the same time-out, abort and request counting.
// docker-modem's own `timeout` option is not used: it is a socket idle time-out that would
// also cut the long-lived events stream, and it fails with "socket hang up", not a time-out.

export interface DockerGatewayOptions {
	/** Per-request limit for everything but the events stream. */
	timeoutMs?: number;
	/** For ssh:// engines: the one ssh connection every request goes over (ssh-transport.ts). */
	sshTransport?: SshTransport;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The per-request limit: DOCKER_CLIENT_TIMEOUT (seconds, as docker-compose and docker-modem
 * read it) when set, for engines that answer slowly (Podman's /version runs `dpkg -S` for
 * each of its helpers: seconds on a busy machine); else 10 s.
 */
export function defaultTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
	const seconds = Number(env['DOCKER_CLIENT_TIMEOUT']);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_TIMEOUT_MS;
}

type DialOptions = Parameters<Docker['modem']['dial']>[0];

const OK_STATUS: Record<number, boolean> = {200: true, 201: true, 204: true, 304: true};

interface RequestSpec {
	method: 'GET' | 'POST' | 'DELETE';
	path: string;
	query?: Record<string, unknown>;
	body?: Record<string, unknown>;
	/** What docknet was doing, for messages: "listing networks". */
	what: string;
}

export function createDockerGateway(endpoint: ResolvedEndpoint, options: DockerGatewayOptions = {}): EngineGateway {
	const timeoutMs = options.timeoutMs ?? defaultTimeoutMs();
	const docker = createDocker(endpoint, options.sshTransport);
	let requests = 0;
	let lastAnswerAt = 0;
	let pinger: UnixPinger | undefined;
	const answered = (): void => {
		lastAnswerAt = Date.now();
	};

	const dial = (spec: RequestSpec, signal: AbortSignal, isStream: boolean, callback: (error: unknown, data: unknown) => void): void => {
		requests += 1;
		const dialOptions: DialOptions = {
			path: spec.query === undefined ? spec.path : `${spec.path}?`,
			method: spec.method,
			statusCodes: OK_STATUS,
			abortSignal: signal,
			isStream,
		};
		const payload = spec.query ?? spec.body;
		if (payload !== undefined) {
			// dial deletes keys from this object, so it must be a copy.
			dialOptions.options = {...payload};
		}

		try {
			docker.modem.dial(dialOptions, (error, data) => {
				callback(error, data);
			});
		} catch (error) {
			callback(error, undefined);
		}
	};

	const request = async (spec: RequestSpec, limitMs = timeoutMs): Promise<unknown> => new Promise((resolve, reject) => {
		const controller = new AbortController();
		let settled = false;
		// The abort frees the socket; rejecting here as well does not depend on every code
		// path of the http stack honouring the signal.
		const timer = setTimeout(() => {
			if (settled) {
				return;
			}

			settled = true;
			controller.abort();
			reject(new EngineError('timeout', `the engine did not answer within ${formatDuration(limitMs)} while ${spec.what}`));
		}, limitMs);

		dial(spec, controller.signal, false, (error, data) => {
			// An error status is an answer too; a broken connection is not.
			if (!error || typeof (error as {statusCode?: unknown}).statusCode === 'number') {
				answered();
			}

			if (settled) {
				return;
			}

			settled = true;
			clearTimeout(timer);
			if (error) {
				reject(toEngineError(error, spec.what));
			} else {
				resolve(data);
			}
		});
	});

	const undefinedWhenGone = async <T>(promise: Promise<T>): Promise<T | undefined> => {
		try {
			return await promise;
		} catch (error) {
			if (error instanceof EngineError && error.kind === 'not-found') {
				return undefined;
			}

			throw error;
		}
	};

	const gateway: EngineGateway = {
		get requestCount() {
			return requests;
		},

		get lastAnswerAt() {
			return lastAnswerAt;
		},

		async ping(limitMs) {
			if (endpoint.kind !== 'unix' || endpoint.socketPath === undefined) {
				await request({method: 'GET', path: '/_ping', what: 'checking that the engine answers'}, limitMs);
				return;
			}

			requests += 1;
			pinger ??= createUnixPinger(endpoint.socketPath);
			await pinger.ping(limitMs);
			answered();
		},

		async info() {
			const [version, info] = await Promise.all([
				request({method: 'GET', path: '/version', what: 'reading the engine version'}),
				request({method: 'GET', path: '/info', what: 'reading the engine info'}),
			]);
			return toEngineInfo(endpoint, asRecord(version), asRecord(info));
		},

		async listNetworks() {
			const list = await request({method: 'GET', path: '/networks', what: 'listing networks'});
			return asArray(list, 'the network list').map(item => toNetwork(asRecord(item)));
		},

		async inspectNetwork(idOrName) {
			const raw = await undefinedWhenGone(request({method: 'GET', path: `/networks/${encodeURIComponent(idOrName)}`, what: `inspecting network ${idOrName}`}));
			return raw === undefined ? undefined : toNetwork(asRecord(raw));
		},

		async listContainers() {
			const list = await request({method: 'GET', path: '/containers/json', query: {all: true}, what: 'listing containers'});
			return asArray(list, 'the container list').map(item => toListedContainer(asRecord(item)));
		},

		async inspectContainer(idOrName) {
			const raw = await undefinedWhenGone(request({method: 'GET', path: `/containers/${encodeURIComponent(idOrName)}/json`, what: `inspecting container ${idOrName}`}));
			return raw === undefined ? undefined : toInspectedContainer(asRecord(raw), Date.now());
		},

		async streamEvents(handlers, signal) {
			return streamEvents(dial, handlers, signal, answered);
		},

		async connect(networkId, containerId, connectOptions) {
			await request({
				method: 'POST',
				path: `/networks/${encodeURIComponent(networkId)}/connect`,
				body: {Container: containerId, EndpointConfig: toEndpointConfig(connectOptions)},
				what: `connecting ${containerId} to ${networkId}`,
			});
		},

		async disconnect(networkId, containerId, force) {
			await request({
				method: 'POST',
				path: `/networks/${encodeURIComponent(networkId)}/disconnect`,
				body: {Container: containerId, Force: force},
				what: `disconnecting ${containerId} from ${networkId}`,
			});
		},

		async createNetwork(spec) {
			const created = asRecord(await request({method: 'POST', path: '/networks/create', body: toCreateBody(spec), what: `creating network ${spec.name}`}));
			const id = created['Id'];
			if (typeof id !== 'string' || id === '') {
				throw new EngineError('unreadable', `the engine created network ${spec.name} but did not say its id`);
			}

			return id;
		},

		async removeNetwork(networkId) {
			await request({method: 'DELETE', path: `/networks/${encodeURIComponent(networkId)}`, what: `removing network ${networkId}`});
		},

		async listSwarmNodes() {
			return asArray(await request({method: 'GET', path: '/nodes', what: 'listing swarm nodes'}), 'the node list').map(toSwarmNode);
		},

		async listSwarmServices() {
			return asArray(await request({method: 'GET', path: '/services', what: 'listing swarm services'}), 'the service list').map(toSwarmService);
		},

		async listSwarmTasks() {
			return asArray(await request({method: 'GET', path: '/tasks', what: 'listing swarm tasks'}), 'the task list').map(toSwarmTask);
		},

		async inspectNetworkCluster(networkId, localAddress) {
			const raw = await undefinedWhenGone(request({method: 'GET', path: `/networks/${encodeURIComponent(networkId)}`, query: {verbose: true}, what: `inspecting network ${networkId} across the swarm`}));
			return raw === undefined ? undefined : toNetworkCluster(raw, localAddress);
		},
	};
	// Podman answers the same API with its own meanings; the dialect puts them into Docker's.
	return withEngineDialect(gateway, async (path, what) => request({method: 'GET', path, what}));
}

type Dial = (spec: RequestSpec, signal: AbortSignal, isStream: boolean, callback: (error: unknown, data: unknown) => void) => void;

async function streamEvents(dial: Dial, handlers: EventStreamHandlers, signal: AbortSignal, answered: () => void): Promise<void> {
	if (signal.aborted) {
		return;
	}

	return new Promise((resolve, reject) => {
		const parser = createEventParser();
		let response: IncomingMessage | undefined;
		let settled = false;

		const settle = (error?: unknown): void => {
			if (settled) {
				return;
			}

			settled = true;
			signal.removeEventListener('abort', onAbort);
			if (error === undefined || signal.aborted) {
				resolve();
			} else {
				reject(error);
			}
		};

		const onAbort = (): void => {
			response?.destroy();
			settle();
		};

		signal.addEventListener('abort', onAbort, {once: true});

		// No type filter: swarm managers add node and service events, and Podman refuses a
		// filter naming a type it does not know (node); EngineSync ignores the rest.
		dial({method: 'GET', path: '/events', what: 'reading engine events'}, signal, true, (error, data) => {
			if (error) {
				settle(toEngineError(error, 'reading engine events'));
				return;
			}

			response = data as IncomingMessage;
			answered();
			// Errors after settling (the destroy on abort) must not go unhandled.
			response.on('error', (streamError: Error) => {
				settle(toEngineError(streamError, 'reading engine events'));
			});
			if (settled) {
				response.destroy();
				return;
			}

			response.on('data', (chunk: Buffer) => {
				answered();
				if (settled) {
					return;
				}

				try {
					for (const event of parser.push(chunk)) {
						handlers.onEvent(event);
					}
				} catch (handlerError) {
					response?.destroy();
					settle(handlerError);
				}
			});
			response.on('end', () => {
				settle();
			});
			response.on('close', () => {
				settle();
			});
			handlers.onOpen?.();
		});
	});
}

function createDocker(endpoint: ResolvedEndpoint, sshTransport: SshTransport | undefined): Docker {
	// Every connection key is set explicitly so docker-modem's own reading of DOCKER_HOST
	// and friends cannot override the endpoint docknet resolved (it would, for example, pick
	// a tcp host from DOCKER_HOST over an explicit socket path).
	const options: Docker.DockerOptions & {pathPrefix?: string; agent?: HttpsAgent | HttpAgent} = {
		socketPath: undefined,
		host: undefined,
		port: undefined,
		protocol: undefined,
		username: undefined,
		ca: undefined,
		cert: undefined,
		key: undefined,
		timeout: undefined,
		pathPrefix: undefined,
	};

	switch (endpoint.kind) {
		case 'unix':
		case 'npipe': {
			options.socketPath = endpoint.socketPath;
			break;
		}

		case 'tcp': {
			options.host = endpoint.host;
			options.port = endpoint.port;
			options.protocol = endpoint.tls === undefined ? 'http' : 'https';
			if (endpoint.tls !== undefined) {
				const {ca, cert, key, verify} = endpoint.tls;
				options.ca = ca;
				options.cert = cert;
				options.key = key;
				if (!verify) {
					// docker-modem has no insecure switch; an agent's TLS options win over the request's.
					options.agent = new HttpsAgent({rejectUnauthorized: false, ca, cert, key});
				}
			}

			break;
		}

		case 'ssh': {
			// Plain HTTP, each connection a channel of docknet's own ssh connection; the host
			// name only fills the request's Host header.
			const transport = sshTransport ?? createSshTransport({host: endpoint.host ?? '', port: endpoint.port, username: endpoint.username});
			options.protocol = 'http';
			options.host = 'docker';
			options.port = 80;
			options.agent = transport.agent;
			break;
		}
	}

	return withoutDockerEnvironment(() => new Docker(options));
}

const MODEM_ENVIRONMENT = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_PATH_PREFIX'];

/**
 * docker-modem's constructor parses DOCKER_HOST and reads DOCKER_CERT_PATH's files before
 * it looks at the options it is given, and throws when they are broken, even when docknet
 * was told to use another engine. The environment was already taken into account when the
 * endpoint was resolved, so it is hidden for the (synchronous) construction.
 */
function withoutDockerEnvironment<T>(build: () => T): T {
	const saved = new Map<string, string>();
	for (const name of MODEM_ENVIRONMENT) {
		const value = process.env[name];
		if (value !== undefined) {
			saved.set(name, value);
			delete process.env[name];
		}
	}

	try {
		return build();
	} finally {
		for (const [name, value] of saved) {
			process.env[name] = value;
		}
	}
}

export function formatDuration(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

// ---- mapping the engine's JSON to domain types ----

type JsonRecord = Record<string, unknown>;

function asRecord(value: unknown): JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) ? value as JsonRecord : {};
}

function asArray(value: unknown, what: string): unknown[] {
	if (!Array.isArray(value)) {
		throw new EngineError('unreadable', `the engine sent something other than ${what}`);
	}

	return value;
}

function str(record: JsonRecord, key: string): string | undefined {
	const value = record[key];
	return typeof value === 'string' ? value : undefined;
}

function nonEmptyStr(record: JsonRecord, key: string): string | undefined {
	const value = str(record, key);
	return value === undefined || value === '' ? undefined : value;
}

function num(record: JsonRecord, key: string): number | undefined {
	const value = record[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bool(record: JsonRecord, key: string): boolean {
	return record[key] === true;
}

function stringMap(value: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, item] of Object.entries(asRecord(value))) {
		if (typeof item === 'string') {
			result[key] = item;
		}
	}

	return result;
}

function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function toNetwork(raw: JsonRecord): DockerNetwork {
	const ipam = asRecord(raw['IPAM']);
	const config = Array.isArray(ipam['Config']) ? ipam['Config'] : [];
	const pools: IpamPool[] = [];
	for (const item of config) {
		const entry = asRecord(item);
		const subnet = nonEmptyStr(entry, 'Subnet');
		if (subnet === undefined) {
			continue;
		}

		const pool: IpamPool = {subnet};
		const gateway = nonEmptyStr(entry, 'Gateway');
		const ipRange = nonEmptyStr(entry, 'IPRange');
		const auxAddresses = stringMap(entry['AuxiliaryAddresses']);
		if (gateway !== undefined) {
			pool.gateway = gateway;
		}

		if (ipRange !== undefined) {
			pool.ipRange = ipRange;
		}

		if (Object.keys(auxAddresses).length > 0) {
			pool.auxAddresses = auxAddresses;
		}

		pools.push(pool);
	}

	return {
		id: str(raw, 'Id') ?? '',
		name: str(raw, 'Name') ?? '',
		driver: str(raw, 'Driver') ?? '',
		scope: str(raw, 'Scope') ?? '',
		internal: bool(raw, 'Internal'),
		attachable: bool(raw, 'Attachable'),
		ingress: bool(raw, 'Ingress'),
		enableIPv6: bool(raw, 'EnableIPv6'),
		ipamDriver: nonEmptyStr(ipam, 'Driver') ?? 'default',
		pools,
		options: stringMap(raw['Options']),
		labels: stringMap(raw['Labels']),
		created: str(raw, 'Created') ?? '',
	};
}

const CONTAINER_STATES = new Set<string>(['running', 'paused', 'exited', 'restarting', 'created', 'removing', 'dead']);

function toContainerState(value: string | undefined): ContainerState {
	if (value !== undefined && CONTAINER_STATES.has(value)) {
		return value as ContainerState;
	}

	// Podman's names for the same states.
	if (value === 'configured' || value === 'initialized') {
		return 'created';
	}

	return value === 'stopping' ? 'running' : 'exited';
}

function toEndpoints(networks: unknown, containerId: string): ContainerEndpoint[] {
	// The engine adds the short id as an alias on user-defined networks by itself; it is not
	// something the user chose, so it is not shown (nor restored by undo).
	const shortId = containerId.slice(0, 12);
	return Object.entries(asRecord(networks)).map(([networkName, value]) => {
		const raw = asRecord(value);
		const ipamConfig = asRecord(raw['IPAMConfig']);
		const endpoint: ContainerEndpoint = {
			networkName,
			networkId: str(raw, 'NetworkID') ?? '',
			endpointId: str(raw, 'EndpointID') ?? '',
			aliases: stringList(raw['Aliases']).filter(alias => alias !== shortId),
			links: stringList(raw['Links']),
		};
		const ipv4 = nonEmptyStr(raw, 'IPAddress');
		const ipv6 = nonEmptyStr(raw, 'GlobalIPv6Address');
		const optional: Partial<ContainerEndpoint> = {
			ipv4,
			ipv4PrefixLength: ipv4 === undefined ? undefined : num(raw, 'IPPrefixLen'),
			ipv6,
			ipv6PrefixLength: ipv6 === undefined ? undefined : num(raw, 'GlobalIPv6PrefixLen'),
			gateway: nonEmptyStr(raw, 'Gateway'),
			ipv6Gateway: nonEmptyStr(raw, 'IPv6Gateway'),
			mac: nonEmptyStr(raw, 'MacAddress'),
			requestedIpv4: nonEmptyStr(ipamConfig, 'IPv4Address'),
			requestedIpv6: nonEmptyStr(ipamConfig, 'IPv6Address'),
		};
		return {...endpoint, ...withoutUndefined(optional)};
	});
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

function toListedPorts(value: unknown): PortBinding[] {
	if (!Array.isArray(value)) {
		return [];
	}

	return value.map(item => {
		const raw = asRecord(item);
		const port: PortBinding = {containerPort: num(raw, 'PrivatePort') ?? 0, protocol: str(raw, 'Type') ?? 'tcp'};
		const hostIp = nonEmptyStr(raw, 'IP');
		const hostPort = num(raw, 'PublicPort');
		if (hostIp !== undefined) {
			port.hostIp = hostIp;
		}

		if (hostPort !== undefined) {
			port.hostPort = hostPort;
		}

		return port;
	});
}

function toInspectedPorts(value: unknown): PortBinding[] {
	const ports: PortBinding[] = [];
	for (const [key, bindings] of Object.entries(asRecord(value))) {
		const [portText, protocol = 'tcp'] = key.split('/');
		const containerPort = Number(portText);
		if (!Array.isArray(bindings) || bindings.length === 0) {
			ports.push({containerPort, protocol});
			continue;
		}

		for (const binding of bindings) {
			const raw = asRecord(binding);
			const port: PortBinding = {containerPort, protocol};
			const hostIp = nonEmptyStr(raw, 'HostIp');
			const hostPort = Number(str(raw, 'HostPort'));
			if (hostIp !== undefined) {
				port.hostIp = hostIp;
			}

			if (Number.isInteger(hostPort) && hostPort > 0) {
				port.hostPort = hostPort;
			}

			ports.push(port);
		}
	}

	return ports;
}

function toListedContainer(raw: JsonRecord): DockerContainer {
	const id = str(raw, 'Id') ?? '';
	const names = stringList(raw['Names']);
	// Legacy links add names like "/other/alias"; the container's own name has one slash.
	const name = names.find(item => item.lastIndexOf('/') === 0) ?? names[0] ?? '';
	return {
		id,
		name: name.replace(/^\//, ''),
		image: str(raw, 'Image') ?? '',
		state: toContainerState(str(raw, 'State')),
		status: str(raw, 'Status') ?? '',
		created: num(raw, 'Created') ?? 0,
		networkMode: str(asRecord(raw['HostConfig']), 'NetworkMode') ?? 'default',
		endpoints: toEndpoints(asRecord(raw['NetworkSettings'])['Networks'], id),
		ports: toListedPorts(raw['Ports']),
		labels: stringMap(raw['Labels']),
		inspected: false,
	};
}

function toInspectedContainer(raw: JsonRecord, now: number): DockerContainer {
	const id = str(raw, 'Id') ?? '';
	const state = asRecord(raw['State']);
	const config = asRecord(raw['Config']);
	const settings = asRecord(raw['NetworkSettings']);
	const containerState = toContainerState(str(state, 'Status'));
	const createdMs = Date.parse(str(raw, 'Created') ?? '');
	const clock = describeStateClock(containerState, state);
	return {
		id,
		name: (str(raw, 'Name') ?? '').replace(/^\//, ''),
		image: nonEmptyStr(config, 'Image') ?? str(raw, 'Image') ?? '',
		state: containerState,
		status: typeof clock === 'string' ? clock : clockText(clock, now),
		...(typeof clock === 'string' ? {} : {statusClock: clock}),
		created: Number.isNaN(createdMs) ? 0 : Math.floor(createdMs / 1000),
		networkMode: str(asRecord(raw['HostConfig']), 'NetworkMode') ?? 'default',
		endpoints: toEndpoints(settings['Networks'], id),
		ports: toInspectedPorts(settings['Ports']),
		labels: stringMap(config['Labels']),
		pid: num(state, 'Pid') ?? 0,
		...(nonEmptyStr(settings, 'SandboxKey') === undefined ? {} : {sandboxKey: nonEmptyStr(settings, 'SandboxKey')}),
		inspected: true,
	};
}

/** The status line `docker ps` would show, rebuilt from an inspect's State. */
export function describeState(containerState: ContainerState, state: JsonRecord, now: number): string {
	const clock = describeStateClock(containerState, state);
	return typeof clock === 'string' ? clock : clockText(clock, now);
}

/** The status text, with its duration left open when the state has a start time. */
function describeStateClock(containerState: ContainerState, state: JsonRecord): StatusClock | string {
	const since = (key: string): number | undefined => {
		const time = Date.parse(str(state, key) ?? '');
		// Unset times are "0001-01-01T00:00:00Z".
		return Number.isNaN(time) || time <= 0 ? undefined : time;
	};

	const exitCode = num(state, 'ExitCode') ?? 0;
	switch (containerState) {
		case 'running':
		case 'paused': {
			const up = since('StartedAt');
			const health = str(asRecord(state['Health']), 'Status');
			let suffix = '';
			if (containerState === 'paused') {
				suffix = ' (Paused)';
			} else if (health === 'starting') {
				suffix = ' (health: starting)';
			} else if (health !== undefined && health !== '' && health !== 'none') {
				suffix = ` (${health})`;
			}

			return up === undefined ? `Up${suffix}` : {prefix: 'Up ', since: up, suffix};
		}

		case 'restarting':
		case 'exited': {
			const ago = since('FinishedAt');
			const label = containerState === 'restarting' ? 'Restarting' : 'Exited';
			return ago === undefined ? `${label} (${exitCode})` : {prefix: `${label} (${exitCode}) `, since: ago, suffix: ' ago'};
		}

		case 'created': {
			return 'Created';
		}

		case 'removing': {
			return 'Removal In Progress';
		}

		case 'dead': {
			return 'Dead';
		}
	}
}

export {humanDuration} from '../model/status-text.js';

function toEngineInfo(endpoint: ResolvedEndpoint, version: JsonRecord, info: JsonRecord): EngineInfo {
	const plugins = asRecord(info['Plugins']);
	return {
		endpoint: endpoint.url,
		source: endpoint.source,
		product: productOf(version),
		// Podman says Rootless; a rootless dockerd lists name=rootless among its security options.
		rootless: info['Rootless'] === true || stringList(info['SecurityOptions']).includes('name=rootless'),
		version: str(version, 'Version') ?? str(info, 'ServerVersion') ?? '',
		apiVersion: str(version, 'ApiVersion') ?? '',
		os: nonEmptyStr(info, 'OperatingSystem') ?? str(version, 'Os') ?? '',
		kernel: nonEmptyStr(version, 'KernelVersion') ?? str(info, 'KernelVersion') ?? '',
		hostname: str(info, 'Name') ?? '',
		...(nonEmptyStr(info, 'ID') === undefined ? {} : {engineId: nonEmptyStr(info, 'ID')}),
		swarm: nonEmptyStr(asRecord(info['Swarm']), 'LocalNodeState') ?? 'inactive',
		...swarmIdentity(asRecord(info['Swarm'])),
		drivers: stringList(plugins['Network']),
	};
}

function swarmIdentity(swarm: JsonRecord): Pick<EngineInfo, 'swarmNodeId' | 'swarmNodeAddress' | 'swarmManager'> {
	const id = nonEmptyStr(swarm, 'NodeID');
	if (id === undefined) return {};
	return {swarmNodeId: id, swarmNodeAddress: str(swarm, 'NodeAddr') ?? '', swarmManager: bool(swarm, 'ControlAvailable')};
}

function toEndpointConfig(options: ConnectOptions): JsonRecord {
	const config: JsonRecord = {};
	if (options.ipv4 !== undefined || options.ipv6 !== undefined) {
		config['IPAMConfig'] = withoutUndefined({IPv4Address: options.ipv4, IPv6Address: options.ipv6});
	}

	if (options.aliases !== undefined) {
		config['Aliases'] = options.aliases;
	}

	if (options.links !== undefined) {
		config['Links'] = options.links;
	}

	if (options.driverOptions !== undefined) {
		config['DriverOpts'] = options.driverOptions;
	}

	return config;
}

function toCreateBody(spec: NetworkCreateSpec): JsonRecord {
	const pools: JsonRecord[] = [];
	if (spec.subnet !== undefined) {
		pools.push(withoutUndefined({Subnet: spec.subnet, Gateway: spec.gateway, IPRange: spec.ipRange, AuxiliaryAddresses: spec.auxAddresses}));
	}

	if (spec.ipv6Subnet !== undefined) {
		pools.push(withoutUndefined({Subnet: spec.ipv6Subnet, Gateway: spec.ipv6Gateway, AuxiliaryAddresses: spec.ipv6AuxAddresses}));
	}

	const body: JsonRecord = {
		Name: spec.name,
		Driver: spec.driver,
		CheckDuplicate: true,
		Internal: spec.internal ?? false,
		Attachable: spec.attachable ?? false,
		EnableIPv6: spec.enableIPv6 ?? spec.ipv6Subnet !== undefined,
		Labels: spec.labels ?? {},
		Options: spec.options ?? {},
	};
	if (pools.length > 0) {
		body['IPAM'] = {Driver: 'default', Config: pools};
	}

	return body;
}
