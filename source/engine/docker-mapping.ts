import {EngineError} from '../model/gateway.js';
import type {ConnectOptions, NetworkCreateSpec} from '../model/gateway.js';
import type {
	ContainerEndpoint, ContainerHealth, ContainerState, DockerContainer, DockerNetwork, EngineInfo, IpamPool, PortBinding,
} from '../model/types.js';
import {clockText} from '../model/status-text.js';
import type {StatusClock} from '../model/status-text.js';
import type {ResolvedEndpoint} from './endpoint.js';
import {productOf} from './podman-dialect.js';

// The engine's JSON turned into docknet's domain types: what each field means, which
// empty values are "absent", and where one engine version says a thing differently.

type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) ? value as JsonRecord : {};
}

export function asArray(value: unknown, what: string): unknown[] {
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

export function toNetwork(raw: JsonRecord): DockerNetwork {
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

const HEALTH_STATES = new Set<string>(['starting', 'healthy', 'unhealthy']);

function toHealth(value: string | undefined): ContainerHealth | undefined {
	return value !== undefined && HEALTH_STATES.has(value) ? value as ContainerHealth : undefined;
}

/**
 * A listed container's health: the list's own Health (API 1.52 and later), else the end of
 * its status text ("Up 3 minutes (healthy)", "(health: starting)"), as older engines say it.
 */
function listedHealth(raw: JsonRecord, state: ContainerState): ContainerHealth | undefined {
	if (state !== 'running') return undefined;
	const summary = raw['Health'];
	if (typeof summary === 'object' && summary !== null) return toHealth(str(asRecord(summary), 'Status'));
	const suffix = /\((healthy|unhealthy|health: starting)\)$/.exec(str(raw, 'Status') ?? '')?.[1];
	return suffix === 'health: starting' ? 'starting' : toHealth(suffix);
}

/**
 * `live` says whether the addresses may be taken: Docker 20.10 lists a created container
 * whose start failed with the address, MAC and endpoint it had for that moment, which its
 * inspect no longer reports (and another container may hold that address since). Only a
 * running or paused container has an endpoint; for the others the list's live fields are
 * dropped and the inspect decides.
 */
function toEndpoints(networks: unknown, live = true): ContainerEndpoint[] {
	return Object.entries(asRecord(networks)).map(([networkName, value]) => {
		const raw = asRecord(value);
		const ipamConfig = asRecord(raw['IPAMConfig']);
		const endpoint: ContainerEndpoint = {
			networkName,
			networkId: str(raw, 'NetworkID') ?? '',
			endpointId: live ? (str(raw, 'EndpointID') ?? '') : '',
			// Exactly as the engine has them, its own short-id alias included (selectors.ts
			// tells the ones the user chose).
			aliases: stringList(raw['Aliases']),
			links: stringList(raw['Links']),
		};
		const ipv4 = live ? nonEmptyStr(raw, 'IPAddress') : undefined;
		const ipv6 = live ? nonEmptyStr(raw, 'GlobalIPv6Address') : undefined;
		const optional: Partial<ContainerEndpoint> = {
			ipv4,
			ipv4PrefixLength: ipv4 === undefined ? undefined : num(raw, 'IPPrefixLen'),
			ipv6,
			ipv6PrefixLength: ipv6 === undefined ? undefined : num(raw, 'GlobalIPv6PrefixLen'),
			gateway: live ? nonEmptyStr(raw, 'Gateway') : undefined,
			ipv6Gateway: live ? nonEmptyStr(raw, 'IPv6Gateway') : undefined,
			mac: live ? nonEmptyStr(raw, 'MacAddress') : undefined,
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

export function toListedContainer(raw: JsonRecord): DockerContainer {
	const id = str(raw, 'Id') ?? '';
	const names = stringList(raw['Names']);
	// Legacy links add names like "/other/alias"; the container's own name has one slash.
	const name = names.find(item => item.lastIndexOf('/') === 0) ?? names[0] ?? '';
	const state = toContainerState(str(raw, 'State'));
	const health = listedHealth(raw, state);
	return {
		id,
		name: name.replace(/^\//, ''),
		image: str(raw, 'Image') ?? '',
		state,
		status: str(raw, 'Status') ?? '',
		...(health === undefined ? {} : {health}),
		created: num(raw, 'Created') ?? 0,
		networkMode: str(asRecord(raw['HostConfig']), 'NetworkMode') ?? 'default',
		endpoints: toEndpoints(asRecord(raw['NetworkSettings'])['Networks'], state === 'running' || state === 'paused'),
		ports: toListedPorts(raw['Ports']),
		labels: stringMap(raw['Labels']),
		inspected: false,
	};
}

export function toInspectedContainer(raw: JsonRecord, now: number): DockerContainer {
	const id = str(raw, 'Id') ?? '';
	const state = asRecord(raw['State']);
	const config = asRecord(raw['Config']);
	const settings = asRecord(raw['NetworkSettings']);
	const containerState = toContainerState(str(state, 'Status'));
	const createdMs = Date.parse(str(raw, 'Created') ?? '');
	const clock = describeStateClock(containerState, state);
	// A stopped container keeps its last health in the inspect; `docker ps` shows none.
	const health = containerState === 'running' ? toHealth(str(asRecord(state['Health']), 'Status')) : undefined;
	return {
		id,
		name: (str(raw, 'Name') ?? '').replace(/^\//, ''),
		image: nonEmptyStr(config, 'Image') ?? str(raw, 'Image') ?? '',
		state: containerState,
		status: typeof clock === 'string' ? clock : clockText(clock, now),
		...(typeof clock === 'string' ? {} : {statusClock: clock}),
		...(health === undefined ? {} : {health}),
		created: Number.isNaN(createdMs) ? 0 : Math.floor(createdMs / 1000),
		networkMode: str(asRecord(raw['HostConfig']), 'NetworkMode') ?? 'default',
		endpoints: toEndpoints(settings['Networks']),
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

export function toEngineInfo(endpoint: ResolvedEndpoint, version: JsonRecord, info: JsonRecord): EngineInfo {
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
		...firewallOf(info),
	};
}

/** `/info` FirewallBackend (API 1.48+): which firewall the engine writes its NAT rules in. */
function firewallOf(info: JsonRecord): Pick<EngineInfo, 'firewallBackend'> {
	const driver = nonEmptyStr(asRecord(info['FirewallBackend']), 'Driver');
	return driver === undefined ? {} : {firewallBackend: driver};
}

function swarmIdentity(swarm: JsonRecord): Pick<EngineInfo, 'swarmNodeId' | 'swarmNodeAddress' | 'swarmManager'> {
	const id = nonEmptyStr(swarm, 'NodeID');
	if (id === undefined) return {};
	return {swarmNodeId: id, swarmNodeAddress: str(swarm, 'NodeAddr') ?? '', swarmManager: bool(swarm, 'ControlAvailable')};
}

export function toEndpointConfig(options: ConnectOptions): JsonRecord {
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

export function toCreateBody(spec: NetworkCreateSpec): JsonRecord {
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
