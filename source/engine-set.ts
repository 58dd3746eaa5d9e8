import {homedir, hostname} from 'node:os';
import {recordCommands} from './commands/command-log.js';
import type {CommandLog} from './commands/command-log.js';
import {engineFlags} from './commands/docker-command.js';
import {createDockerGateway} from './engine/docker-gateway.js';
import {listDockerContexts, resolveEngineEndpoints} from './engine/endpoint.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {describeUnreachable, toEngineError} from './engine/errors.js';
import {createSshTransport} from './engine/ssh-transport.js';
import type {SshTransport} from './engine/ssh-transport.js';
import type {HostInterfaceSource} from './host/host-source.js';
import {readOverlayPlumbing} from './host/overlay-plumbing.js';
import {forwardedReason, locateSocketNamespace, otherNamespaceReason} from './host/socket-namespace.js';
import {createSshSource} from './host/ssh-source.js';
import {createSysfsSource} from './host/sysfs-source.js';
import {createEngineRouter} from './model/engine-router.js';
import type {RoutedEngine} from './model/engine-router.js';
import {EngineSync} from './model/engine-sync.js';
import type {EngineGateway} from './model/gateway.js';
import {HostMonitor} from './model/host-monitor.js';
import {isOfferedNode} from './model/node-engines.js';
import type {NodeEngineOffer} from './model/node-engines.js';
import {commandFlagsOf, endpointLabel, PictureStore} from './model/picture.js';
import type {PictureSlot} from './model/picture.js';
import {SnapshotStore} from './model/store.js';
import {SwarmSync} from './model/swarm-sync.js';
import type {PlumbingReader} from './model/swarm-types.js';
import type {EngineInfo} from './model/types.js';

// The engines docknet has open, each with its connection, its own store and what keeps that
// store true; the picture the UI reads over all of them; the router the actions speak to;
// and the monitors that read each engine's host. One engine is the same set with one member.

/** Where the engine's host interfaces can be read from, or why they cannot. */
export function hostSourceFor(
	endpoint: ResolvedEndpoint,
	sshTransport?: SshTransport,
	info?: Pick<EngineInfo, 'product' | 'rootless' | 'hostname'>,
	label = endpointLabel(endpoint.url),
): HostInterfaceSource | {unavailable: string} {
	if (info?.rootless) {
		// This machine's interfaces are not the engine's: showing them would claim its
		// bridges are missing.
		return {
			unavailable: `rootless ${info.product} keeps its bridges and veths in a network namespace of its own, which cannot be seen from the user's side; networks, containers, addresses and actions work`,
		};
	}

	if (endpoint.kind === 'unix' && endpoint.local) {
		// A socket on this machine, maybe served from another network namespace: this
		// namespace's interfaces and veths would then be listed as that engine's.
		const namespace = endpoint.socketPath === undefined ? undefined : locateSocketNamespace(endpoint.socketPath);
		if (namespace?.status === 'other') return {unavailable: otherNamespaceReason(label, namespace.netns)};
		// A forwarded socket (ssh -L) reaches an engine that may be anywhere: its own name for its host tells.
		if (namespace?.status === 'forwarded' && info !== undefined && info.hostname !== '' && info.hostname !== hostname()) {
			return {unavailable: forwardedReason(label, info.hostname, hostname(), namespace)};
		}

		return createSysfsSource();
	}

	if (endpoint.kind === 'ssh' && endpoint.host) {
		// Over the engine's own ssh connection: one connection for everything.
		const target = {host: endpoint.host, port: endpoint.port, username: endpoint.username};
		if (sshTransport === undefined) return createSshSource(target);
		return inSessionsOf(sshTransport, createSshSource(target, {sharedControlPath: async () => sshTransport.controlPath()}));
	}

	return {
		unavailable: `the engine at ${endpoint.url} runs on another machine, and docknet reads a host's interfaces only locally or over ssh://`,
	};
}

/** Each one-shot host read waits for a session of the engine's ssh connection, as its HTTP channels do. */
function inSessionsOf(transport: SshTransport, source: HostInterfaceSource): HostInterfaceSource {
	const {readInside, readForwarding} = source;
	return {
		...source,
		scan: async () => transport.withinSession(async () => source.scan()),
		listNames: async () => transport.withinSession(async () => source.listNames()),
		findVethPeers: async (containers, hostInterfaces) => transport.withinSession(async () => source.findVethPeers(containers, hostInterfaces)),
		...(readInside === undefined ? {} : {readInside: async (pid: number) => transport.withinSession(async () => readInside(pid))}),
		...(readForwarding === undefined ? {} : {readForwarding: async () => transport.withinSession(async () => readForwarding())}),
	};
}

/** Overlay plumbing is read in the engine's own namespaces: only for an engine on this machine. */
export function plumbingFor(endpoint: ResolvedEndpoint): PlumbingReader | {unavailable: string} {
	if (endpoint.kind === 'unix' && endpoint.local) return readOverlayPlumbing;
	return {unavailable: `the engine at ${endpoint.url} runs on another machine: its overlay namespaces cannot be read from here`};
}

export function connectTo(endpoint: ResolvedEndpoint): {gateway: EngineGateway; sshTransport?: SshTransport} {
	const sshTransport = endpoint.kind === 'ssh' && endpoint.host !== undefined
		? createSshTransport({host: endpoint.host, port: endpoint.port, username: endpoint.username})
		: undefined;
	return {gateway: createDockerGateway(endpoint, {sshTransport}), ...(sshTransport === undefined ? {} : {sshTransport})};
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
function openEngine(endpoint: ResolvedEndpoint, key: string): OpenEngine {
	const {gateway, sshTransport} = connectTo(endpoint);
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store, {plumbing: plumbingFor(endpoint)});
	const sync = new EngineSync(gateway, store, {onSwarmHint: why => swarmSync.request(why)});
	const firstInfo = gateway.info();
	sync.start(firstInfo);
	return {key, endpoint, ...(sshTransport === undefined ? {} : {sshTransport}), gateway, store, sync, swarmSync, firstInfo};
}

/** An engine's answer, or undefined when it has none within `ms` (it may be frozen). */
async function infoWithin(info: Promise<EngineInfo>, ms: number): Promise<EngineInfo | undefined> {
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

const contextName = (endpoint: ResolvedEndpoint): string | undefined =>
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
	constructor(endpoints: readonly ResolvedEndpoint[]) {
		const several = endpoints.length > 1;
		for (const endpoint of endpoints) this.engines.push(openEngine(endpoint, `engine-${this.engines.length + 1}`));
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
		for (const context of listDockerContexts(process.env, homedir())) {
			try {
				const [endpoint] = resolveEngineEndpoints({choices: [{kind: 'context', value: context.name}], env: process.env, homeDir: homedir()});
				if (endpoint && !this.engines.some(engine => engine.endpoint.url === endpoint.url) && !candidates.some(known => known.url === endpoint.url)) candidates.push(endpoint);
			} catch {
				// A context docker could not use either.
			}
		}

		const answers = await Promise.all(candidates.map(async endpoint => {
			const {gateway, sshTransport} = connectTo(endpoint);
			const info = await infoWithin(gateway.info(), 4000);
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
		if (!listDockerContexts(process.env, homedir()).some(context => context.name === name)) return undefined;
		const [endpoint] = resolveEngineEndpoints({choices: [{kind: 'context', value: name}], env: process.env, homeDir: homedir()});
		if (!endpoint) return undefined;
		const same = this.engines.find(engine => engine.endpoint.url === endpoint.url);
		return same ? {engine: same, opened: false} : {engine: this.add(endpoint), opened: true};
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

	private add(endpoint: ResolvedEndpoint): OpenEngine {
		const engine = openEngine(endpoint, `engine-${this.engines.length + 1}`);
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

/**
 * Each engine's host is read by a monitor of its own, made when first needed: the host pane
 * shows one engine's host at a time (h shows the next), and a container's inside view and
 * NAT rules are read on its own engine's host.
 */
export class HostMonitors {
	private readonly monitors = new Map<string, HostMonitor>();
	private readonly started = new Set<string>();
	private shown: OpenEngine;
	// What the interfaces pane asked for before the shown host's monitor started.
	private rates: {active: boolean; visible?: readonly string[]} = {active: false};

	constructor(private readonly set: EngineSet) {
		this.shown = set.primary;
		// Whether a host can be read depends on the engine's answer (rootless): the first
		// engine's monitor starts once its listing is in (or it failed).
		void set.primary.sync.firstLoad.catch(() => undefined).finally(() => {
			if (this.shown === set.primary) this.show(set.primary);
		});
	}

	of(engine: OpenEngine): HostMonitor {
		let monitor = this.monitors.get(engine.key);
		if (monitor === undefined) {
			const label = this.set.picture.getSnapshot().owners.labels.get(engine.key);
			monitor = new HostMonitor(hostSourceFor(engine.endpoint, engine.sshTransport, engine.store.getSnapshot().engine, label), engine.store);
			this.monitors.set(engine.key, monitor);
		}

		return monitor;
	}

	setRatesActive(active: boolean, visible?: readonly string[]): void {
		this.rates = {active, ...(visible === undefined ? {} : {visible})};
		this.monitors.get(this.shown.key)?.setRatesActive(active, visible);
	}

	/** Shows the next engine's host in the interfaces pane; says which. */
	showNext(): string {
		const shown = new Set((this.set.picture.getSnapshot().engines ?? []).filter(engine => engine.sameAs === undefined).map(engine => engine.key));
		const candidates = this.set.engines.filter(engine => shown.has(engine.key));
		if (candidates.length < 2) return 'One engine is open: its host is the one shown.';
		const next = candidates[(candidates.indexOf(this.shown) + 1) % candidates.length] ?? this.set.primary;
		this.monitors.get(this.shown.key)?.setRatesActive(false);
		this.show(next);
		return `Host interfaces of ${this.set.picture.getSnapshot().owners.labels.get(next.key) ?? next.key}.`;
	}

	stop(): void {
		for (const monitor of this.monitors.values()) monitor.stop();
	}

	/** `:ctx`: the named engine becomes the current one (its host shown, where `:create` goes); says what happened. */
	async switchTo(name: string | undefined): Promise<string> {
		const labelOf = (engine: OpenEngine): string => this.set.picture.getSnapshot().owners.labels.get(engine.key) ?? contextName(engine.endpoint) ?? engine.endpoint.url;
		if (name === undefined) {
			const open = this.set.engines.map(engine => `${labelOf(engine)}${engine === this.shown ? ' (current)' : ''}`);
			const contexts = listDockerContexts(process.env, homedir()).map(context => context.name);
			return `Engines open: ${open.join(', ')}${contexts.length > 0 ? ` · docker contexts: ${contexts.join(', ')}` : ''} · :ctx <name> switches`;
		}

		const found = this.set.findOrOpen(name);
		if (!found) return `No open engine and no docker context named "${name}" (:ctx alone lists them).`;
		// A new engine's host can be read once its first answer says what it is (rootless or not).
		if (found.opened) await infoWithin(found.engine.sync.firstLoad.then(() => found.engine.firstInfo), 4000);
		if (found.engine !== this.shown) {
			this.monitors.get(this.shown.key)?.setRatesActive(false);
			this.show(found.engine);
		}

		return `${found.opened ? 'Opened' : 'Now on'} ${labelOf(found.engine)}: its host in the interfaces pane; :create creates there.`;
	}

	private show(engine: OpenEngine): void {
		const monitor = this.of(engine);
		if (!this.started.has(engine.key)) {
			this.started.add(engine.key);
			monitor.start();
		}

		this.shown = engine;
		this.set.picture.showHostOf(engine.key);
		monitor.setRatesActive(this.rates.active, this.rates.visible);
	}
}
