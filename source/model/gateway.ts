import {safeText} from '../text/safe-text.js';
import type {NetworkCluster, SwarmNode, SwarmService, SwarmTask} from './swarm-types.js';
import type {DockerContainer, DockerNetwork, EngineEvent, EngineInfo} from './types.js';

// The one contract between docknet and a Docker engine. The real implementation lives in
// source/engine/docker-gateway.ts (the only place that imports dockerode); tests use a
// fake that keeps its state in memory.

export type EngineErrorKind =
	/** Nothing listens at the endpoint (ENOENT, ECONNREFUSED, host unreachable). */
	| 'unreachable'
	/** The socket exists but this user may not use it (EACCES, EPERM). */
	| 'permission'
	/** The engine accepted the request and did not answer in time. */
	| 'timeout'
	/** 404: the network or container named is gone. */
	| 'not-found'
	/** 409: e.g. a name already in use, a network with active endpoints. */
	| 'conflict'
	/** 403: e.g. removing a predefined network, joining host/none. */
	| 'forbidden'
	/** 400: the engine refused the request's arguments. */
	| 'bad-request'
	/** 5xx and anything else the engine says. */
	| 'engine'
	/** The engine answered, but not in the Docker API's shape (cut off, not JSON, not a list). */
	| 'unreadable'
	/** The call was aborted by docknet itself (shutdown, superseded). */
	| 'aborted';

export class EngineError extends Error {
	readonly kind: EngineErrorKind;
	readonly statusCode?: number;

	constructor(kind: EngineErrorKind, message: string, statusCode?: number, options?: {cause?: unknown}) {
		// The engine's own words are in the message, and every error ends up on a screen or on
		// stderr: made safe once, here, where they enter.
		super(safeText(message), options);
		this.name = 'EngineError';
		this.kind = kind;
		this.statusCode = statusCode;
	}
}

export interface ConnectOptions {
	ipv4?: string;
	ipv6?: string;
	aliases?: string[];
	/** "container:alias" or "container". */
	links?: string[];
	driverOptions?: Record<string, string>;
	/** EndpointConfig MacAddress: sent to engines of API 1.54 and later, which apply it on connect. */
	mac?: string;
	/** GwPriority: sent to engines of API 1.48 and later. */
	gwPriority?: number;
}

export interface NetworkCreateSpec {
	/**
	 * With several engines open: the key of the engine to create it on. Routing only; the
	 * engine's request never carries it.
	 */
	engine?: string;
	name: string;
	driver: string;
	subnet?: string;
	gateway?: string;
	ipRange?: string;
	/** AuxiliaryAddresses of the IPv4 pool: name → address the engine must not hand out. */
	auxAddresses?: Record<string, string>;
	enableIPv6?: boolean;
	/** False makes an IPv6-only network (`--ipv4=false`): sent to engines of API 1.47 and later. */
	enableIPv4?: boolean;
	ipv6Subnet?: string;
	ipv6Gateway?: string;
	ipv6AuxAddresses?: Record<string, string>;
	internal?: boolean;
	attachable?: boolean;
	labels?: Record<string, string>;
	options?: Record<string, string>;
}

export interface EventStreamHandlers {
	onEvent(event: EngineEvent): void;
	/** Called once when the stream is open and events will flow. */
	onOpen?(): void;
}

export interface EngineGateway {
	/** Engine version and identity; also the cheapest way to learn the engine answers. */
	info(): Promise<EngineInfo>;
	listNetworks(): Promise<DockerNetwork[]>;
	/** Undefined when the network no longer exists. */
	inspectNetwork(idOrName: string): Promise<DockerNetwork | undefined>;
	/**
	 * All containers, running or not, with the endpoints the list call reports; with
	 * 'stopped', only the created and exited ones (the engine filters).
	 */
	listContainers(only?: 'stopped'): Promise<DockerContainer[]>;
	/** Undefined when the container no longer exists. */
	inspectContainer(idOrName: string): Promise<DockerContainer | undefined>;
	/**
	 * Streams engine events until the stream ends, fails or the signal aborts. Resolves on
	 * a clean end or abort, rejects with an EngineError when the connection breaks; the
	 * caller decides whether to reconnect.
	 */
	streamEvents(handlers: EventStreamHandlers, signal: AbortSignal): Promise<void>;
	connect(networkId: string, containerId: string, options: ConnectOptions): Promise<void>;
	disconnect(networkId: string, containerId: string, force: boolean): Promise<void>;
	/** Returns the new network's id. */
	createNetwork(spec: NetworkCreateSpec): Promise<string>;
	removeNetwork(networkId: string): Promise<void>;
	/**
	 * The cheapest question there is (GET /_ping), with its own short time limit: does the
	 * engine answer at all? Rejects with kind 'timeout' when it does not.
	 */
	ping(timeoutMs: number): Promise<void>;
	/** Swarm managers only (others answer 503): the cluster's nodes. */
	listSwarmNodes(): Promise<SwarmNode[]>;
	/** Swarm managers only. */
	listSwarmServices(): Promise<SwarmService[]>;
	/** Swarm managers only; tasks carry ids, names are joined by the caller. */
	listSwarmTasks(): Promise<SwarmTask[]>;
	/**
	 * An overlay network as the cluster sees it (`?verbose=true`): peers, VIPs, endpoints on
	 * every node. `localAddress` is this node's address, for its own endpoints. Undefined
	 * when the network is gone.
	 */
	inspectNetworkCluster(networkId: string, localAddress: string): Promise<NetworkCluster | undefined>;
	/** Number of API requests sent so far; the benchmark reports calls per event. */
	readonly requestCount: number;
	/**
	 * When the engine last sent anything (ms since the epoch; 0 before the first answer): an
	 * answer, an error status, bytes on the events stream. A recent answer makes a liveness
	 * probe unnecessary.
	 */
	readonly lastAnswerAt: number;
}
