import {recordCommands} from './commands/command-log.js';
import type {CommandLog} from './commands/command-log.js';
import {engineFlags} from './commands/docker-command.js';
import {listDockerContexts, resolveEngineEndpoints} from './engine/endpoint.js';
import type {KnownContext, ResolvedEndpoint} from './engine/endpoint.js';
import {describeUnreachable, toEngineError} from './engine/errors.js';
import type {SshTransport} from './engine/ssh-transport.js';
import type {EngineConnector} from './engine-connections.js';
import {createEngineRouter} from './model/engine-router.js';
import type {RoutedEngine} from './model/engine-router.js';
import {EngineSync} from './model/engine-sync.js';
import type {EngineSyncOptions} from './model/engine-sync.js';
import type {EngineGateway} from './model/gateway.js';
import {isOfferedNode} from './model/node-engines.js';
import type {NodeEngineOffer} from './model/node-engines.js';
import {commandFlagsOf, PictureStore} from './model/picture.js';
import type {PictureSlot} from './model/picture.js';
import {SnapshotStore} from './model/store.js';
import {SwarmSync} from './model/swarm-sync.js';
import type {SwarmSyncOptions} from './model/swarm-sync.js';
import type {PlumbingReader} from './model/swarm-types.js';
import type {EngineInfo} from './model/types.js';

// The engines docknet has open, each with its connection, its own store and what keeps that
// store true; the picture the UI reads over all of them; and the router the actions speak
// to. One engine is the same set with one member. Connections come from the connector it is
// given: the set itself never dials an engine, so a test's set is the one docknet runs.

export interface EngineSetOptions {
	/** Opens an engine's gateway (and its ssh transport). */
	connect: EngineConnector;
	/** Where an engine's overlay plumbing is read, or why it cannot be. */
	plumbing(endpoint: ResolvedEndpoint): PlumbingReader | {unavailable: string};
	/** The environment docker contexts are read from (DOCKER_CONFIG, DOCKER_CONTEXT). */
	env: Readonly<Record<string, string | undefined>>;
	homeDir: string;
	/** How each engine's sync and swarm sync pace themselves (tests make them quick). */
	sync?: EngineSyncOptions;
	swarm?: Omit<SwarmSyncOptions, 'plumbing'>;
	/** How long a docker context may take to say who it is before it is passed over. */
	infoWithinMs?: number;
}

/** One engine of the picture: its connection, its own store, and what keeps that store true. */
export interface OpenEngine {
	key: string;
	endpoint: ResolvedEndpoint;
	sshTransport?: SshTransport;
	gateway: EngineGateway;
	store: SnapshotStore;
	sync: EngineSync;
	swarmSync: SwarmSync;
	/** The first answer to info(), asked as soon as the engine is opened. */
	firstInfo: Promise<EngineInfo>;
}

/** Opens an engine and starts following it at once: version, info, events and listings go out now. */
function openEngine(endpoint: ResolvedEndpoint, key: string, options: EngineSetOptions): OpenEngine {
	const {gateway, sshTransport} = options.connect(endpoint);
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store, {...options.swarm, plumbing: options.plumbing(endpoint)});
	const sync = new EngineSync(gateway, store, {...options.sync, onSwarmHint: why => swarmSync.request(why)});
	const firstInfo = gateway.info();
	sync.start(firstInfo);
	return {key, endpoint, ...(sshTransport === undefined ? {} : {sshTransport}), gateway, store, sync, swarmSync, firstInfo};
}

/** An engine's answer, or undefined when it has none within `ms` (it may be frozen). */
async function infoWithin<Value>(info: Promise<Value>, ms: number): Promise<Value | undefined> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<undefined>(resolve => {
		timer = setTimeout(() => resolve(undefined), ms);
	});
	try {
		return await Promise.race([info.catch(() => undefined), late]);
	} finally {
		clearTimeout(timer);
	}
}

export const contextName = (endpoint: ResolvedEndpoint): string | undefined =>
	endpoint.source.startsWith('context ') ? endpoint.source.slice('context '.length) : undefined;

/** An engine as the picture holds it, with the docker CLI's way to reach it. */
function pictureSlot(engine: OpenEngine): PictureSlot {
	const context = contextName(engine.endpoint);
	return {key: engine.key, endpoint: engine.endpoint.url, store: engine.store, commandFlags: engineFlags({url: engine.endpoint.url, ...(context === undefined ? {} : {context})})};
}

export class EngineSet {
	readonly engines: OpenEngine[] = [];
	readonly picture: PictureStore;
	/** The gateways the actions speak to, each recording its commands once a log is given. */
	private readonly routed: RoutedEngine[] = [];
	private commandLog: CommandLog | undefined;

	/** Opens every endpoint at once; the engines answer while the UI loads. */
	constructor(endpoints: readonly ResolvedEndpoint[], private readonly options: EngineSetOptions) {
		const several = endpoints.length > 1;
		for (const endpoint of endpoints) this.engines.push(openEngine(endpoint, `engine-${this.engines.length + 1}`, options));
		this.picture = new PictureStore(this.engines.map(engine => {
			const name = several ? contextName(engine.endpoint) : undefined;
			return {...pictureSlot(engine), ...(name === undefined ? {} : {fixedLabel: name})};
		}));
		for (const engine of this.engines) this.routed.push({key: engine.key, gateway: engine.gateway});
	}

	get primary(): OpenEngine {
		return this.engines[0]!;
	}

	/**
	 * Waits until any engine answers; rejects with every engine's reason, one paragraph each,
	 * when none can be reached at all. One that answers is enough: the others keep retrying
	 * in the picture, each with its own banner.
	 */
	async firstContact(): Promise<void> {
		try {
			await Promise.any(this.engines.map(async engine => engine.firstInfo));
		} catch {
			const reasons = await Promise.all(this.engines.map(async engine => engine.firstInfo.then(() => '', (error: unknown) => describeUnreachable(engine.endpoint, toEngineError(error)))));
			throw new Error(reasons.filter(Boolean).join('\n\n'));
		}
	}

	/** The gateway for the actions: each request to the engine that owns what it names, recorded in `log`. */
	actionGateway(log: CommandLog | undefined): EngineGateway {
		this.commandLog = log;
		for (const [index, engine] of this.engines.entries()) this.routed[index] = {key: engine.key, gateway: this.recorded(engine)};
		return createEngineRouter(this.routed, this.picture);
	}

	/** The engine that runs a container (the first engine when no engine lists it). */
	engineOf(containerId: string | undefined): OpenEngine {
		const owner = containerId === undefined ? undefined : this.picture.getSnapshot().owners.containers.get(containerId);
		return this.engines.find(engine => engine.key === owner) ?? this.primary;
	}

	/**
	 * Opens the engines of these swarm nodes in the picture: every docker context not open yet
	 * is asked who it is (info, 4 s at most), and those whose swarm node id is one of the nodes
	 * join. Says what it did.
	 */
	async openSwarmNodes(offers: readonly NodeEngineOffer[]): Promise<string> {
		const candidates: ResolvedEndpoint[] = [];
		for (const context of this.dockerContexts()) {
			try {
				const endpoint = this.contextEndpoint(context.name);
				if (endpoint && !this.engines.some(engine => engine.endpoint.url === endpoint.url) && !candidates.some(known => known.url === endpoint.url)) candidates.push(endpoint);
			} catch {
				// A context docker could not use either.
			}
		}

		const answers = await Promise.all(candidates.map(async endpoint => {
			const {gateway, sshTransport} = this.options.connect(endpoint);
			const info = await infoWithin(gateway.info(), this.options.infoWithinMs ?? 4000);
			sshTransport?.close();
			return {endpoint, info};
		}));
		const nodes = answers.filter(answer => isOfferedNode(offers, answer.info?.swarmNodeId)).map(answer => answer.endpoint);
		for (const endpoint of nodes) this.add(endpoint);
		const names = nodes.map(endpoint => contextName(endpoint) ?? endpoint.url);
		if (nodes.length > 0) return `Opened ${names.join(', ')}: their rows are in the panes, each with its engine.`;
		return candidates.length === 0
			? 'No docker context to ask: create one per node (the swarm screen says how).'
			: `None of ${candidates.length} docker context${candidates.length === 1 ? '' : 's'} answered as one of the other nodes.`;
	}

	/**
	 * The open engine a name means (its label, docker context or endpoint), else the docker
	 * context of that name opened now. Undefined when there is no such engine or context.
	 */
	findOrOpen(name: string): {engine: OpenEngine; opened: boolean} | undefined {
		const labels = this.picture.getSnapshot().owners.labels;
		const open = this.engines.find(engine => labels.get(engine.key) === name || contextName(engine.endpoint) === name || engine.endpoint.url === name);
		if (open) return {engine: open, opened: false};
		if (!this.dockerContexts().some(context => context.name === name)) return undefined;
		const endpoint = this.contextEndpoint(name);
		if (!endpoint) return undefined;
		const same = this.engines.find(engine => engine.endpoint.url === endpoint.url);
		return same ? {engine: same, opened: false} : {engine: this.add(endpoint), opened: true};
	}

	/** The user's docker contexts, read now (they may change while docknet runs). */
	dockerContexts(): KnownContext[] {
		return listDockerContexts(this.options.env, this.options.homeDir);
	}

	/** Waits at most as long as a docker context is given to answer. */
	async answerWithin<Value>(answer: Promise<Value>): Promise<Value | undefined> {
		return infoWithin(answer, this.options.infoWithinMs ?? 4000);
	}

	/** Stops following every engine (their streams, rounds and probes). */
	stop(): void {
		for (const engine of this.engines) {
			engine.sync.stop();
			engine.swarmSync.stop();
		}
	}

	/** Closes the ssh connections too: on the way out. */
	close(): void {
		this.stop();
		for (const engine of this.engines) engine.sshTransport?.close();
	}

	private contextEndpoint(name: string): ResolvedEndpoint | undefined {
		const [endpoint] = resolveEngineEndpoints({choices: [{kind: 'context', value: name}], env: this.options.env, homeDir: this.options.homeDir});
		return endpoint;
	}

	private add(endpoint: ResolvedEndpoint): OpenEngine {
		const engine = openEngine(endpoint, `engine-${this.engines.length + 1}`, this.options);
		this.engines.push(engine);
		this.routed.push({key: engine.key, gateway: this.recorded(engine)});
		const name = contextName(endpoint);
		this.picture.add({...pictureSlot(engine), ...(name === undefined ? {} : {fixedLabel: name})});
		return engine;
	}

	private recorded(engine: OpenEngine): EngineGateway {
		if (this.commandLog === undefined) return engine.gateway;
		return recordCommands(engine.gateway, this.commandLog, {
			snapshot: engine.store.getSnapshot,
			endpoint: engine.endpoint.url,
			// Asked per command: an engine opened later makes the first one of several.
			engineFlags: () => commandFlagsOf(this.picture.getSnapshot(), engine.key),
		});
	}
}

