import {createHash} from 'node:crypto';
import {rmSync} from 'node:fs';
import http from 'node:http';
import type {ServerResponse} from 'node:http';
import os from 'node:os';
import path from 'node:path';

// A fake Docker engine on a unix socket that answers, in Docker 20.10's shapes, the requests
// docknet makes at start and while it runs (/_ping, /version, /info, /networks,
// /networks/<id>, /containers/json, /containers/<id>/json, /events), for a picture far larger
// than a real engine in a test can hold: hundreds of thousands of networks. The listings are
// built once and served from memory; /events stays open and quiet. Nothing else is answered
// (404), and nothing can be changed. Container pids are 0, so docknet reads no namespace.

export interface CrowdedEngineOptions {
	networks: number;
	containers: number;
	/** Where the socket goes (default: a fresh path under the temporary directory). */
	socketPath?: string;
}

export interface CrowdedEngine {
	socketPath: string;
	dockerHost: string;
	/** The network names, in the engine's order (the predefined three first). */
	readonly networkNames: readonly string[];
	readonly containerNames: readonly string[];
	/** Requests answered so far, as "GET /networks". */
	readonly requests: readonly string[];
	close(): Promise<void>;
}

const engineId = (kind: string, index: number | string): string => createHash('sha256').update(`${kind}-${index}`).digest('hex');

/** The numbered network's subnet: a /28 of its own for the first million. */
function subnetOf(index: number): string {
	return `10.${(index >> 12) & 255}.${(index >> 4) & 255}.${(index & 15) << 4}/28`;
}

/** The first address after the subnet's own. */
const gatewayOf = (subnet: string): string => subnet.replace(/\.(\d+)\/\d+$/, (_, last: string) => `.${Number(last) + 1}`);

interface RawNetwork {
	Name: string;
	Id: string;
	Created: string;
	Scope: string;
	Driver: string;
	EnableIPv6: boolean;
	IPAM: {Driver: string; Options: null; Config: Array<{Subnet: string; Gateway: string}>};
	Internal: boolean;
	Attachable: boolean;
	Ingress: boolean;
	ConfigFrom: {Network: string};
	ConfigOnly: boolean;
	Containers: Record<string, never>;
	Options: Record<string, string>;
	Labels: Record<string, string>;
}

function rawNetwork(name: string, id: string, driver: string, subnet: string | undefined): RawNetwork {
	return {
		Name: name,
		Id: id,
		Created: '2026-12-01T00:00:00.000000000Z',
		Scope: 'local',
		Driver: driver,
		EnableIPv6: false,
		IPAM: {Driver: 'default', Options: null, Config: subnet === undefined ? [] : [{Subnet: subnet, Gateway: gatewayOf(subnet)}]},
		Internal: false,
		Attachable: false,
		Ingress: false,
		ConfigFrom: {Network: ''},
		ConfigOnly: false,
		Containers: {},
		Options: driver === 'bridge' && name === 'bridge' ? {'com.docker.network.bridge.name': 'docker0'} : {},
		Labels: {},
	};
}

interface RawEndpoint {
	NetworkID: string;
	EndpointID: string;
	Gateway: string;
	IPAddress: string;
	IPPrefixLen: number;
	MacAddress: string;
	Aliases: null;
	Links: null;
}

function endpointOn(network: RawNetwork, host: number): RawEndpoint {
	const subnet = network.IPAM.Config[0]?.Subnet ?? '10.255.255.0/28';
	const address = subnet.replace(/\.(\d+)\/28$/, (_, last: string) => `.${Number(last) + host}`);
	return {
		NetworkID: network.Id,
		EndpointID: engineId('endpoint', `${network.Id}-${host}`),
		Gateway: gatewayOf(subnet),
		IPAddress: address,
		IPPrefixLen: 28,
		MacAddress: `02:42:0a:${address.split('.').slice(1).map(part => Number(part).toString(16).padStart(2, '0')).join(':')}`,
		Aliases: null,
		Links: null,
	};
}

export async function startCrowdedEngine(options: CrowdedEngineOptions): Promise<CrowdedEngine> {
	const socketPath = options.socketPath ?? path.join(os.tmpdir(), `docknet-crowded-${process.pid}-${Date.now().toString(36)}.sock`);
	const networks: RawNetwork[] = [
		rawNetwork('bridge', engineId('network', -1), 'bridge', '172.17.0.0/16'),
		rawNetwork('host', engineId('network', -2), 'host', undefined),
		rawNetwork('none', engineId('network', -3), 'null', undefined),
	];
	const numbered = options.networks - networks.length;
	for (let index = 0; index < numbered; index++) {
		networks.push(rawNetwork(`crowd-${String(index).padStart(6, '0')}`, engineId('network', index), 'bridge', subnetOf(index)));
	}

	const byId = new Map(networks.map(network => [network.Id, network]));
	const containers = Array.from({length: options.containers}, (_, index) => {
		const name = `ctr-${String(index).padStart(3, '0')}`;
		const id = engineId('container', index);
		// Each container on two of the numbered networks, spread over the whole list.
		const joined = [networks[3 + ((index * 7919) % Math.max(1, networks.length - 3))], networks[3 + ((index * 104_729 + 1) % Math.max(1, networks.length - 3))]]
			.filter((network): network is RawNetwork => network !== undefined);
		const endpoints: Record<string, RawEndpoint> = {};
		for (const network of joined) endpoints[network.Name] = endpointOn(network, 2 + (index % 12));
		const running = index % 4 !== 3;
		return {id, name, running, endpoints};
	});

	const listedContainers = containers.map(container => ({
		Id: container.id,
		Names: [`/${container.name}`],
		Image: 'docknet-test/busybox:latest',
		ImageID: `sha256:${engineId('image', 0)}`,
		Command: 'sleep 100000',
		Created: 1_764_547_200,
		Ports: [],
		Labels: {},
		State: container.running ? 'running' : 'exited',
		Status: container.running ? 'Up 2 hours' : 'Exited (0) 1 hour ago',
		HostConfig: {NetworkMode: 'default'},
		NetworkSettings: {Networks: container.endpoints},
		Mounts: [],
	}));
	const inspected = new Map(
		containers.map(container => [
			container.id,
			JSON.stringify({
				Id: container.id,
				Created: '2026-12-01T00:00:00.000000000Z',
				Name: `/${container.name}`,
				Image: `sha256:${engineId('image', 0)}`,
				State: {
					Status: container.running ? 'running' : 'exited',
					Running: container.running,
					Pid: 0,
					ExitCode: 0,
					StartedAt: '2026-12-01T00:00:00.000000000Z',
					FinishedAt: container.running ? '0001-01-01T00:00:00Z' : '2026-12-01T01:00:00.000000000Z',
				},
				HostConfig: {NetworkMode: 'default'},
				Config: {Image: 'docknet-test/busybox:latest', Labels: {}},
				NetworkSettings: {Networks: container.endpoints, Ports: {}, SandboxKey: ''},
			}),
		]),
	);
	const networkList = JSON.stringify(networks);
	const containerList = JSON.stringify(listedContainers);
	const version = JSON.stringify({
		Platform: {Name: 'Docker Engine - Community'},
		Components: [{Name: 'Engine', Version: '20.10.24'}],
		Version: '20.10.24',
		ApiVersion: '1.41',
		MinAPIVersion: '1.12',
		Os: 'linux',
		Arch: 'amd64',
		KernelVersion: os.release(),
	});
	const info = JSON.stringify({
		ID: 'CROWD:ENGINE',
		Name: 'crowded',
		ServerVersion: '20.10.24',
		OperatingSystem: 'a crowded fake engine',
		KernelVersion: os.release(),
		Containers: containers.length,
		Plugins: {Network: ['bridge', 'host', 'null']},
		SecurityOptions: [],
		Swarm: {LocalNodeState: 'inactive', NodeID: ''},
	});

	const requests: string[] = [];
	const events = new Set<ServerResponse>();
	const send = (response: ServerResponse, status: number, body: string): void => {
		response.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Api: '1.41'});
		response.end(body);
	};

	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://engine');
		// docker-modem may prefix a version; the answers are the same.
		const route = url.pathname.replace(/^\/v\d+(\.\d+)?/, '');
		requests.push(`${request.method ?? 'GET'} ${route}`);
		if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 403, JSON.stringify({message: 'this fake engine is read-only'}));
		if (route === '/_ping') {
			response.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': 2, Api: '1.41'});
			response.end('OK');
			return;
		}

		if (route === '/version') return send(response, 200, version);
		if (route === '/info') return send(response, 200, info);
		if (route === '/networks') return send(response, 200, networkList);
		if (route === '/containers/json') return send(response, 200, containerList);
		if (route === '/events') {
			response.writeHead(200, {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Api: '1.41'});
			response.flushHeaders();
			events.add(response);
			response.on('close', () => events.delete(response));
			return;
		}

		const network = /^\/networks\/([^/]+)$/.exec(route);
		if (network?.[1] !== undefined) {
			const id = decodeURIComponent(network[1]);
			const found = byId.get(id) ?? networks.find(item => item.Name === id);
			return found ? send(response, 200, JSON.stringify(found)) : send(response, 404, JSON.stringify({message: `network ${id} not found`}));
		}

		const container = /^\/containers\/([^/]+)\/json$/.exec(route);
		if (container?.[1] !== undefined) {
			const id = decodeURIComponent(container[1]);
			const found = inspected.get(id) ?? inspected.get(containers.find(item => item.name === id)?.id ?? '');
			return found ? send(response, 200, found) : send(response, 404, JSON.stringify({message: `No such container: ${id}`}));
		}

		send(response, 404, JSON.stringify({message: `page not found: ${route}`}));
	});

	rmSync(socketPath, {force: true});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(socketPath, () => {
			server.off('error', reject);
			resolve();
		});
	});

	return {
		socketPath,
		dockerHost: `unix://${socketPath}`,
		networkNames: networks.map(network => network.Name),
		containerNames: containers.map(container => container.name),
		requests,
		close: async () => {
			for (const response of events) response.destroy();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
			rmSync(socketPath, {force: true});
		},
	};
}
