import {createServer} from 'node:http';
import type {IncomingMessage, Server, ServerResponse} from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, afterEach, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {EngineError} from '../../source/model/gateway.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import type {EngineEvent} from '../../source/model/types.js';
import {createDockerGateway, defaultTimeoutMs, humanDuration} from '../../source/engine/docker-gateway.js';
import {waitFor} from '../helpers/wait-for.js';

// The gateway against a scripted HTTP server on a unix socket: what it sends, and how it
// copes with answers a real engine gives only rarely (cut streams, sparse JSON).

interface Received {
	method: string;
	url: string;
	body: unknown;
}

type Handler = (request: Received, response: ServerResponse) => void;

function json(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, {'Content-Type': 'application/json'});
	response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		chunks.push(chunk as Buffer);
	}

	const text = Buffer.concat(chunks).toString('utf8');
	return text === '' ? undefined : JSON.parse(text) as unknown;
}

describe('docker gateway against a scripted engine', () => {
	let dir: string;
	let socketPath: string;
	let server: Server;
	let handler: Handler = (_request, response) => {
		json(response, 500, {message: 'no handler'});
	};

	const received: Received[] = [];
	let gateway: EngineGateway;

	before(async () => {
		dir = mkdtempSync(join(tmpdir(), 'docknet-gw-unit-'));
		socketPath = join(dir, 'engine.sock');
		server = createServer((request, response) => {
			void readBody(request).then(body => {
				const entry = {method: request.method ?? '', url: request.url ?? '', body};
				received.push(entry);
				handler(entry, response);
			});
		});
		await new Promise<void>(resolve => {
			server.listen(socketPath, resolve);
		});
		gateway = createDockerGateway({url: `unix://${socketPath}`, source: '--host', kind: 'unix', local: true, socketPath}, {timeoutMs: 2000});
	});

	afterEach(() => {
		received.length = 0;
	});

	after(async () => {
		try {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('connect sends only the fields given', async () => {
		handler = (_request, response) => {
			response.writeHead(200);
			response.end();
		};

		await gateway.connect('net1', 'ctr1', {});
		await gateway.connect('net1', 'ctr1', {ipv6: 'fd00::5', aliases: ['a'], links: ['db:database'], driverOptions: {k: 'v'}});
		assert.deepEqual(received.map(request => [request.method, request.url]), [['POST', '/networks/net1/connect'], ['POST', '/networks/net1/connect']]);
		assert.deepEqual(received[0]?.body, {Container: 'ctr1', EndpointConfig: {}});
		assert.deepEqual(received[1]?.body, {
			Container: 'ctr1',
			EndpointConfig: {IPAMConfig: {IPv6Address: 'fd00::5'}, Aliases: ['a'], Links: ['db:database'], DriverOpts: {k: 'v'}},
		});
	});

	test('disconnect sends Force', async () => {
		handler = (_request, response) => {
			response.writeHead(200);
			response.end();
		};

		await gateway.disconnect('net/x', 'ctr1', true);
		assert.equal(received[0]?.url, '/networks/net%2Fx/disconnect');
		assert.deepEqual(received[0]?.body, {Container: 'ctr1', Force: true});
	});

	test('createNetwork builds IPAM pools for IPv4 and IPv6 and returns the id', async () => {
		handler = (_request, response) => {
			json(response, 201, {Id: 'new-id', Warning: ''});
		};

		const id = await gateway.createNetwork({
			name: 'n',
			driver: 'bridge',
			subnet: '10.1.0.0/24',
			gateway: '10.1.0.1',
			auxAddresses: {router: '10.1.0.2'},
			ipv6Subnet: 'fd00:1::/64',
			ipv6Gateway: 'fd00:1::1',
			ipv6AuxAddresses: {nas: 'fd00:1::2'},
		});
		assert.equal(id, 'new-id');
		assert.deepEqual(received[0]?.body, {
			Name: 'n',
			Driver: 'bridge',
			CheckDuplicate: true,
			Internal: false,
			Attachable: false,
			EnableIPv6: true,
			Labels: {},
			Options: {},
			IPAM: {
				Driver: 'default',
				Config: [
					{Subnet: '10.1.0.0/24', Gateway: '10.1.0.1', AuxiliaryAddresses: {router: '10.1.0.2'}},
					{Subnet: 'fd00:1::/64', Gateway: 'fd00:1::1', AuxiliaryAddresses: {nas: 'fd00:1::2'}},
				],
			},
		});
		assert.equal(received[0]?.url, '/networks/create');
	});

	test('listContainers asks for all containers', async () => {
		handler = (_request, response) => {
			json(response, 200, []);
		};

		assert.deepEqual(await gateway.listContainers(), []);
		assert.equal(received[0]?.url, '/containers/json?all=true');
	});

	test("health as each engine version lists it: API 1.52's Health, else the status text; none unless running", async () => {
		handler = (request, response) => {
			if (request.url.startsWith('/networks')) {
				json(response, 200, []);
				return;
			}

			const listed = (id: string, state: string, status: string, extra: Record<string, unknown> = {}) => ({Id: id, Names: [`/${id}`], State: state, Status: status, ...extra});
			json(response, 200, [
				listed('new-api', 'running', 'Up 2 hours', {Health: {Status: 'unhealthy', FailingStreak: 3}}),
				listed('no-check', 'running', 'Up 2 hours', {Health: {Status: 'none', FailingStreak: 0}}),
				listed('old-sick', 'running', 'Up 2 hours (unhealthy)'),
				listed('old-well', 'running', 'Up 5 seconds (healthy)'),
				listed('old-start', 'running', 'Up 1 second (health: starting)'),
				listed('stopped', 'exited', 'Exited (0) 3 minutes ago', {Health: {Status: 'unhealthy'}}),
			]);
		};

		const health = Object.fromEntries((await gateway.listContainers()).map(container => [container.id, container.health ?? null]));
		assert.deepEqual(health, {'new-api': 'unhealthy', 'no-check': null, 'old-sick': 'unhealthy', 'old-well': 'healthy', 'old-start': 'starting', stopped: null});
	});

	test("the stopped-only list asks the engine to filter; the list's addresses of a container not running are not taken", async () => {
		handler = (request, response) => {
			if (request.url.startsWith('/networks')) {
				json(response, 200, [{Id: 'net-id', Name: 'front'}]);
				return;
			}

			const live = {NetworkID: 'net-id', EndpointID: 'ep', IPAddress: '10.1.0.2', IPPrefixLen: 24, Gateway: '10.1.0.1', MacAddress: '02:42:0a:01:00:02', Aliases: null};
			json(response, 200, [
				{Id: 'failed-start', Names: ['/failed-start'], State: 'created', Status: 'Created', NetworkSettings: {Networks: {front: live}}},
				{Id: 'up', Names: ['/up'], State: 'running', Status: 'Up 1 second', NetworkSettings: {Networks: {front: live}}},
			]);
		};

		const [failed, up] = await gateway.listContainers('stopped');
		assert.equal(received.find(request => request.url.startsWith('/containers'))?.url, `/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify({status: ['created', 'exited']}))}`);
		assert.deepEqual(failed?.endpoints, [{networkName: 'front', networkId: 'net-id', endpointId: '', aliases: [], links: []}]);
		assert.equal(up?.endpoints[0]?.ipv4, '10.1.0.2');
		assert.equal(up?.endpoints[0]?.mac, '02:42:0a:01:00:02');
	});

	test('sparse JSON from an engine maps to safe defaults', async () => {
		handler = (request, response) => {
			if (request.url === '/networks') {
				json(response, 200, [{Id: 'n1', Name: 'podman', IPAM: {Config: null}, Labels: null, Options: null}]);
			} else {
				json(response, 200, [{Id: 'c1', Names: ['/other/link', '/main'], State: 'stopped', NetworkSettings: {Networks: {podman: {IPAddress: ''}}}, Ports: null, Labels: null}]);
			}
		};

		assert.deepEqual(await gateway.listNetworks(), [{
			id: 'n1', name: 'podman', driver: '', scope: '', internal: false, attachable: false, ingress: false, enableIPv6: false,
			ipamDriver: 'default', pools: [], options: {}, labels: {}, created: '',
		}]);
		const [container] = await gateway.listContainers();
		assert.equal(container?.name, 'main');
		assert.equal(container?.state, 'exited');
		assert.equal(container?.networkMode, 'default');
		// No NetworkID (a stopped container's endpoint): the network is found by its name.
		assert.deepEqual(container?.endpoints, [{networkName: 'podman', networkId: 'n1', endpointId: '', aliases: [], links: []}]);
	});

	test('an answer that is not a list is an unreadable answer', async () => {
		handler = (_request, response) => {
			response.writeHead(200, {'Content-Type': 'text/plain'});
			response.end('hello');
		};

		await assert.rejects(gateway.listNetworks(), (error: unknown) => error instanceof EngineError && error.kind === 'unreadable');
	});

	test('inspectContainer rebuilds a docker ps status', async () => {
		const finished = new Date(Date.now() - (3 * 60 * 1000) - 5000).toISOString();
		handler = (_request, response) => {
			json(response, 200, {
				Id: 'abcdef1234567890', Name: '/web', Created: '2024-01-02T03:04:05.123Z', Image: 'sha256:1', Config: {Image: 'nginx', Labels: {a: 'b'}},
				State: {Status: 'exited', Pid: 0, ExitCode: 137, StartedAt: '2024-01-02T03:04:06Z', FinishedAt: finished},
				HostConfig: {NetworkMode: 'bridge'},
				NetworkSettings: {Ports: {'80/tcp': null, '443/tcp': [{HostIp: '', HostPort: '8443'}]}, Networks: {}},
			});
		};

		const container = await gateway.inspectContainer('web');
		assert.equal(container?.status, 'Exited (137) 3 minutes ago');
		assert.equal(container?.created, Math.floor(Date.parse('2024-01-02T03:04:05.123Z') / 1000));
		assert.equal(container?.image, 'nginx');
		assert.deepEqual(container?.ports, [{containerPort: 80, protocol: 'tcp'}, {containerPort: 443, protocol: 'tcp', hostPort: 8443}]);
		assert.equal(received[0]?.url, '/containers/web/json');
	});

	test('HTTP errors keep the engine\'s message and status', async () => {
		handler = (_request, response) => {
			json(response, 409, {message: 'error while removing network: network n has active endpoints'});
		};

		await assert.rejects(gateway.removeNetwork('n'), (error: unknown) =>
			error instanceof EngineError && error.kind === 'conflict' && error.statusCode === 409
			&& error.message === 'error while removing network: network n has active endpoints');
		assert.equal(received[0]?.method, 'DELETE');
	});

	test('the events stream asks for every type (swarm node and service events too; Podman refuses unknown type filters), reassembles split events and resolves on a clean end', async () => {
		const big = 'y'.repeat(70_000);
		const line = `${JSON.stringify({Type: 'container', Action: 'start', Actor: {ID: 'c1', Attributes: {big}}, time: 1, timeNano: 1_000_000_000})}\n`;
		handler = (_request, response) => {
			response.writeHead(200, {'Content-Type': 'application/json'});
			response.flushHeaders();
			const bytes = Buffer.from(line + line);
			let offset = 0;
			const timer = setInterval(() => {
				response.write(bytes.subarray(offset, offset + 4096));
				offset += 4096;
				if (offset >= bytes.length) {
					clearInterval(timer);
					response.end();
				}
			}, 1);
		};

		const events: EngineEvent[] = [];
		let opened = 0;
		await gateway.streamEvents({
			onEvent(event) {
				events.push(event);
			},
			onOpen() {
				opened += 1;
			},
		}, new AbortController().signal);
		assert.equal(opened, 1);
		assert.equal(events.length, 2);
		assert.equal(events[0]?.attributes['big'], big);
		const url = new URL(received[0]?.url ?? '', 'http://engine');
		assert.equal(url.pathname, '/events');
		assert.equal(url.searchParams.get('filters'), null);
	});

	test('a cut events stream rejects with unreachable', async () => {
		handler = (_request, response) => {
			response.writeHead(200, {'Content-Type': 'application/json'});
			response.write('{"Type":"network","Action":"create","Actor":{"ID":"n1"}}\n{"Type":"net');
			setTimeout(() => {
				response.socket?.destroy();
			}, 20);
		};

		const events: EngineEvent[] = [];
		await assert.rejects(gateway.streamEvents({
			onEvent(event) {
				events.push(event);
			},
		}, new AbortController().signal), (error: unknown) => error instanceof EngineError && error.kind === 'unreachable');
		assert.deepEqual(events.map(event => event.actorId), ['n1']);
	});

	test('aborting an open events stream resolves and closes the connection', async () => {
		let closed = false;
		handler = (_request, response) => {
			response.writeHead(200, {'Content-Type': 'application/json'});
			response.flushHeaders();
			response.on('close', () => {
				closed = true;
			});
		};

		const controller = new AbortController();
		let opened = false;
		const done = gateway.streamEvents({
			onEvent() {},
			onOpen() {
				opened = true;
			},
		}, controller.signal);
		await waitFor(() => opened, 'the stream to open', 5000);
		controller.abort();
		assert.equal(await done, undefined, 'the abort resolves the stream, it does not reject');
		await waitFor(() => closed, 'the server to see the client leave', 5000);
		assert.ok(closed);
	});

	test('a handler that throws ends the stream with its error', async () => {
		handler = (_request, response) => {
			response.writeHead(200, {'Content-Type': 'application/json'});
			response.write('{"Type":"network","Action":"create","Actor":{"ID":"n1"}}\n');
		};

		await assert.rejects(gateway.streamEvents({
			onEvent() {
				throw new Error('handler bug');
			},
		}, new AbortController().signal), /handler bug/);
	});

	test('requestCount counts every request', async () => {
		handler = (_request, response) => {
			json(response, 200, {});
		};

		const before = gateway.requestCount;
		await gateway.info();
		await gateway.inspectNetwork('x');
		assert.equal(gateway.requestCount - before, 3);
	});
});

describe('humanDuration', () => {
	test('follows docker ps wording', () => {
		const second = 1000;
		const minute = 60 * second;
		const hour = 60 * minute;
		const day = 24 * hour;
		assert.equal(humanDuration(200), 'Less than a second');
		assert.equal(humanDuration(second), '1 second');
		assert.equal(humanDuration(42 * second), '42 seconds');
		assert.equal(humanDuration(90 * second), 'About a minute');
		assert.equal(humanDuration(59 * minute), '59 minutes');
		assert.equal(humanDuration(hour), 'About an hour');
		assert.equal(humanDuration(5 * hour), '5 hours');
		assert.equal(humanDuration(3 * day), '3 days');
		assert.equal(humanDuration(20 * day), '2 weeks');
		assert.equal(humanDuration(90 * day), '3 months');
		assert.equal(humanDuration(800 * day), '2 years');
	});
});

test('DOCKER_CLIENT_TIMEOUT (seconds) sets the per-request limit; nonsense keeps 10 s', () => {
	assert.equal(defaultTimeoutMs({DOCKER_CLIENT_TIMEOUT: '30'}), 30_000);
	assert.equal(defaultTimeoutMs({DOCKER_CLIENT_TIMEOUT: 'soon'}), 10_000);
	assert.equal(defaultTimeoutMs({}), 10_000);
});
