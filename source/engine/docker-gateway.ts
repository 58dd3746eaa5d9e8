import type {IncomingMessage} from 'node:http';
import type Docker from 'dockerode';
import {EngineError} from '../model/gateway.js';
import type {EngineGateway, EventStreamHandlers} from '../model/gateway.js';
import type {ResolvedEndpoint} from './endpoint.js';
import {
	asArray, asRecord, toCreateBody, toEndpointConfig, toEngineInfo, toInspectedContainer, toListedContainer, toNetwork,
} from './docker-mapping.js';
import {toEngineError} from './errors.js';
import {withNetworkIdsByName} from './network-ids-by-name.js';
import {createEventParser} from './event-parser.js';
import {withEngineDialect} from './podman-gateway.js';
import {toNetworkCluster, toSwarmNode, toSwarmService, toSwarmTask} from './swarm-mapping.js';
import {createUnixPinger} from './unix-ping.js';
import type {UnixPinger} from './unix-ping.js';
import {createDocker} from './docker-client.js';
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

	// The engine's API version, learnt from /version: request fields of later versions are sent only to engines that have them.
	let apiVersion: string | undefined;
	const versionFor = async (needed: boolean): Promise<string | undefined> => {
		if (!needed || apiVersion !== undefined) return apiVersion;
		const version = asRecord(await request({method: 'GET', path: '/version', what: 'reading the engine version'}));
		apiVersion = typeof version['ApiVersion'] === 'string' ? version['ApiVersion'] : undefined;
		return apiVersion;
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
			const mapped = toEngineInfo(endpoint, asRecord(version), asRecord(info));
			apiVersion = mapped.apiVersion;
			return mapped;
		},

		async listNetworks() {
			const list = await request({method: 'GET', path: '/networks', what: 'listing networks'});
			return asArray(list, 'the network list').map(item => toNetwork(asRecord(item)));
		},

		async inspectNetwork(idOrName) {
			const raw = await undefinedWhenGone(request({method: 'GET', path: `/networks/${encodeURIComponent(idOrName)}`, what: `inspecting network ${idOrName}`}));
			return raw === undefined ? undefined : toNetwork(asRecord(raw));
		},

		async listContainers(only) {
			// Both states are names Docker and Podman accept alike in the status filter.
			const query = only === 'stopped' ? {all: true, filters: JSON.stringify({status: ['created', 'exited']})} : {all: true};
			const list = await request({method: 'GET', path: '/containers/json', query, what: only === 'stopped' ? 'listing stopped containers' : 'listing containers'});
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
				body: {Container: containerId, EndpointConfig: toEndpointConfig(connectOptions, await versionFor(connectOptions.mac !== undefined || connectOptions.gwPriority !== undefined))},
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
			const created = asRecord(await request({method: 'POST', path: '/networks/create', body: toCreateBody(spec, await versionFor(spec.enableIPv4 !== undefined)), what: `creating network ${spec.name}`}));
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
	return withNetworkIdsByName(withEngineDialect(gateway, async (path, what) => request({method: 'GET', path, what})));
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

export function formatDuration(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

export {humanDuration} from '../model/status-text.js';
