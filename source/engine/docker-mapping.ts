import type {
	ContainerHealth, ContainerState, DockerContainer, EngineInfo, PortBinding,
} from '../model/types.js';
import {clockText} from '../model/status-text.js';
import type {StatusClock} from '../model/types.js';
import type {ResolvedEndpoint} from './endpoint.js';
import {productOf} from './podman-dialect.js';

// The engine's JSON turned into docknet's domain types: what each field means, which
// empty values are "absent", and where one engine version says a thing differently.

import {bool, nonEmptyStr, num, str, stringList, stringMap} from './json-fields.js';
import {asRecord, type JsonRecord} from '../text/json-read.js';
import {toEndpoints} from './network-mapping.js';

export {asArray} from './json-fields.js';
export {asRecord} from '../text/json-read.js';
export {toCreateBody, toEndpointConfig, toNetwork} from './network-mapping.js';

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
		...(nonEmptyStr(raw, 'Command') === undefined ? {} : {command: nonEmptyStr(raw, 'Command')}),
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
		...(inspectedCommand(raw) === undefined ? {} : {command: inspectedCommand(raw)}),
		pid: num(state, 'Pid') ?? 0,
		...(nonEmptyStr(settings, 'SandboxKey') === undefined ? {} : {sandboxKey: nonEmptyStr(settings, 'SandboxKey')}),
		inspected: true,
	};
}

/** The command as `docker ps` shows it: the entrypoint's path and its arguments. */
function inspectedCommand(raw: JsonRecord): string | undefined {
	const path = nonEmptyStr(raw, 'Path');
	if (path === undefined) return undefined;
	return [path, ...stringList(raw['Args'])].join(' ');
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

