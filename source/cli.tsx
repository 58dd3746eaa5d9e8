import {closeSync, writeFileSync, writeSync} from 'node:fs';
import {homedir} from 'node:os';
import {createDockerGateway} from './engine/docker-gateway.js';
import {EndpointError, listDockerContexts, resolveEngineEndpoints} from './engine/endpoint.js';
import {isOfferedNode} from './model/node-engines.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {describeUnreachable, toEngineError} from './engine/errors.js';
import {debugWanted, exitCodes, formatFailure, reportFailure} from './failure-report.js';
import {createSshTransport} from './engine/ssh-transport.js';
import type {SshTransport} from './engine/ssh-transport.js';
import type {HostInterfaceSource} from './host/host-source.js';
import {createSshSource} from './host/ssh-source.js';
import {readOverlayPlumbing} from './host/overlay-plumbing.js';
import {createSysfsSource} from './host/sysfs-source.js';
import type {PlumbingReader} from './model/swarm-types.js';
import {recordCommands} from './commands/command-log.js';
import {createCommandLogService, stateDirectory} from './journal/journal.js';
import {EngineActions} from './model/engine-actions.js';
import {createEngineRouter} from './model/engine-router.js';
import {EngineSync} from './model/engine-sync.js';
import type {EngineGateway} from './model/gateway.js';
import {HostMonitor} from './model/host-monitor.js';
import {endpointLabel, PictureStore} from './model/picture.js';
import {SnapshotStore} from './model/store.js';
import {SwarmSync} from './model/swarm-sync.js';
import type {CliOptions} from './startup/cli-args.js';
import type {UiInstance} from './startup/render-ui.js';
import {startIdleMemoryTrim} from './runtime/idle-memory-trim.js';
import type {IdleMemoryTrim} from './runtime/idle-memory-trim.js';
import {keyTrace} from './terminal/key-trace.js';
import type {EngineInfo} from './model/types.js';
import {collectSnapshot} from './snapshot/collect-snapshot.js';
import type {CollectedSnapshot} from './snapshot/collect-snapshot.js';
import {graphToDot, graphToMermaid, snapshotGraph} from './snapshot/snapshot-graph.js';
import {snapshotSchema, snapshotToJson} from './snapshot/snapshot-json.js';
import {snapshotToText} from './snapshot/snapshot-text.js';
import {safeDeep, safeText} from './text/safe-text.js';
import type {AppServices} from './ui/app-context.js';
import {buildTopology, flattenTopology, topologyText} from './ui/presentation/topology.js';
import {colorWanted, createTheme} from './ui/theme.js';

/** Where the engine's host interfaces can be read from, or why they cannot. */
export function hostSourceFor(
	endpoint: ResolvedEndpoint,
	sshTransport?: SshTransport,
	info?: Pick<EngineInfo, 'product' | 'rootless'>,
): HostInterfaceSource | {unavailable: string} {
	if (info?.rootless) {
		// This machine's interfaces are not the engine's: showing them would claim its
		// bridges are missing.
		return {
			unavailable: `rootless ${info.product} keeps its bridges and veths in a network namespace of its own, which cannot be seen from the user's side; networks, containers, addresses and actions work`,
		};
	}

	if (endpoint.kind === 'unix' && endpoint.local) return createSysfsSource();
	if (endpoint.kind === 'ssh' && endpoint.host) {
		// Over the engine's own ssh connection: one connection for everything.
		const shared = sshTransport === undefined ? {} : {sharedControlPath: async () => sshTransport.controlPath()};
		return createSshSource({host: endpoint.host, port: endpoint.port, username: endpoint.username}, shared);
	}

	return {
		unavailable: `the engine at ${endpoint.url} runs on another machine, and docknet reads a host's interfaces only locally or over ssh://`,
	};
}

/** Overlay plumbing is read in the engine's own namespaces: only for an engine on this machine. */
export function plumbingFor(endpoint: ResolvedEndpoint): PlumbingReader | {unavailable: string} {
	if (endpoint.kind === 'unix' && endpoint.local) return readOverlayPlumbing;
	return {unavailable: `the engine at ${endpoint.url} runs on another machine: its overlay namespaces cannot be read from here`};
}

async function connectOrExplain(endpoint: ResolvedEndpoint, info: Promise<EngineInfo>): Promise<EngineInfo> {
	try {
		return await info;
	} catch (error) {
		process.stderr.write(`${describeUnreachable(endpoint, toEngineError(error))}\n`);
		process.exit(1);
	}
}

/** One engine of the picture: its connection, its own store, and what keeps that store true. */
interface OpenEngine {
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

function connectTo(endpoint: ResolvedEndpoint): {gateway: EngineGateway; sshTransport?: SshTransport} {
	const sshTransport = endpoint.kind === 'ssh' && endpoint.host !== undefined
		? createSshTransport({host: endpoint.host, port: endpoint.port, username: endpoint.username})
		: undefined;
	return {gateway: createDockerGateway(endpoint, {sshTransport}), ...(sshTransport === undefined ? {} : {sshTransport})};
}

/** Opens an engine and starts following it at once: version, info, events and listings go out now. */
function openEngine(endpoint: ResolvedEndpoint, index: number): OpenEngine {
	const {gateway, sshTransport} = connectTo(endpoint);
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store, {plumbing: plumbingFor(endpoint)});
	const sync = new EngineSync(gateway, store, {onSwarmHint: () => swarmSync.request()});
	const firstInfo = gateway.info();
	sync.start(firstInfo);
	return {key: `engine-${index + 1}`, endpoint, ...(sshTransport === undefined ? {} : {sshTransport}), gateway, store, sync, swarmSync, firstInfo};
}

/**
 * Waits until any engine answers. When none can be reached at all there is nothing to show:
 * each one's reason is said and docknet ends (1). One that answers is enough; the others
 * keep retrying in the picture, each with its own banner.
 */
async function firstContact(engines: readonly OpenEngine[]): Promise<void> {
	try {
		await Promise.any(engines.map(async engine => engine.firstInfo));
	} catch {
		const reasons = await Promise.all(engines.map(async engine => engine.firstInfo.then(() => '', (error: unknown) => describeUnreachable(engine.endpoint, toEngineError(error)))));
		process.stderr.write(`${reasons.join('\n\n')}\n`);
		process.exit(exitCodes.engine);
	}
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

/** Lets sockets connect and requests go out before a long synchronous stretch holds the thread. */
const ioTurn = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

async function runSnapshot(endpoint: ResolvedEndpoint, options: CliOptions): Promise<void> {
	const {gateway, sshTransport} = connectTo(endpoint);
	try {
		const collected = await collectOrExit(endpoint, gateway, sshTransport);
		process.stdout.write(renderSnapshot(collected, options));
	} finally {
		sshTransport?.close();
	}
}

async function collectOrExit(endpoint: ResolvedEndpoint, gateway: EngineGateway, sshTransport: SshTransport | undefined): Promise<CollectedSnapshot> {
	const info = await connectOrExplain(endpoint, gateway.info());
	try {
		return await collectSnapshot(gateway, hostSourceFor(endpoint, sshTransport, info), plumbingFor(endpoint));
	} catch (error) {
		const report = reportFailure(error, 'taking the snapshot', endpoint.url);
		process.stderr.write(formatFailure(report, debugWanted(process.argv, process.env)));
		process.exit(report.exitCode);
	}
}

function renderSnapshot(collected: CollectedSnapshot, options: CliOptions): string {
	// JSON keeps the exact values; JSON.stringify escapes every control character.
	if (options.json) return `${JSON.stringify(snapshotToJson(collected), null, 2)}\n`;
	// Text, tree and graphs go to a terminal as often as to a file: every value is shown safely.
	const shown = safeDeep(collected);
	if (options.dot) return graphToDot(snapshotGraph(shown));
	if (options.mermaid) return graphToMermaid(snapshotGraph(shown));
	if (options.tree) return `${topologyText(flattenTopology(buildTopology(shown.snapshot, shown.hostView)))}\n`;
	return snapshotToText(shown);
}

/**
 * Several engines: each is asked at once and printed in the order given, text under a line
 * naming it, JSON as `{schema, engines: [...]}` with each engine's snapshot or its error. An
 * engine that fails is reported and the others still print; the exit status then says so.
 */
async function runSnapshots(endpoints: readonly ResolvedEndpoint[], options: CliOptions): Promise<void> {
	// `docknet snapshot --json | head`: the reader has what it wanted; end quietly, like any
	// filter whose output was cut short.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(exitCodes.ok);
		process.stderr.write(`docknet: could not write the snapshot: ${safeText(error.message)}\n`);
		process.exit(exitCodes.engine);
	});
	if (endpoints.length === 1 && endpoints[0]) {
		await runSnapshot(endpoints[0], options);
		return;
	}

	if (options.dot || options.mermaid) {
		process.stderr.write('docknet: --dot and --mermaid draw one engine; give one -H or --context.\n');
		process.exit(exitCodes.usage);
	}

	const results = await Promise.all(endpoints.map(async endpoint => {
		const {gateway, sshTransport} = connectTo(endpoint);
		try {
			const info = await gateway.info();
			return {endpoint, collected: await collectSnapshot(gateway, hostSourceFor(endpoint, sshTransport, info), plumbingFor(endpoint))};
		} catch (error) {
			return {endpoint, failure: reportFailure(error, 'taking the snapshot', endpoint.url)};
		} finally {
			sshTransport?.close();
		}
	}));
	const debug = debugWanted(process.argv, process.env);
	if (options.json) {
		const engines = results.map(result => result.collected
			? {endpoint: result.endpoint.url, source: result.endpoint.source, snapshot: snapshotToJson(result.collected)}
			: {endpoint: result.endpoint.url, source: result.endpoint.source, error: result.failure?.paragraph ?? 'unknown failure'});
		process.stdout.write(`${JSON.stringify({schema: snapshotSchema, engines}, null, 2)}\n`);
	} else {
		for (const result of results) {
			const name = safeText(result.collected?.snapshot.engine?.hostname || endpointLabel(result.endpoint.url));
			process.stdout.write(`== ${name} · ${safeText(result.endpoint.url)} ==\n`);
			process.stdout.write(result.collected ? renderSnapshot(result.collected, options) : 'not taken: the engine failed (see stderr)\n');
			process.stdout.write('\n');
		}
	}

	const failed = results.flatMap(result => (result.failure ? [result.failure] : []));
	for (const failure of failed) process.stderr.write(formatFailure(failure, debug));
	if (failed.length > 0) process.exit(Math.max(...failed.map(failure => failure.exitCode)));
}

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

async function runApp(endpoints: readonly ResolvedEndpoint[], options: CliOptions): Promise<void> {
	// The engines are asked first (version, info, events, listings) and the UI modules load
	// while they answer: the two used to take turns.
	const engines = endpoints.map((endpoint, index) => openEngine(endpoint, index));
	const primary = engines[0]!;
	const picture = new PictureStore(engines.map(engine => ({
		key: engine.key,
		endpoint: engine.endpoint.url,
		store: engine.store,
		...(engine.endpoint.source.startsWith('context ') && engines.length > 1 ? {fixedLabel: engine.endpoint.source.slice('context '.length)} : {}),
	})));
	const stopEngines = (): void => {
		for (const engine of engines) {
			engine.sync.stop();
			engine.swarmSync.stop();
		}
	};
	// In steps, with a turn of the event loop between: each step's evaluation holds the
	// thread, and the engine's answers (then the listing they unlock) get through between them.
	await ioTurn();
	await import('react');
	await ioTurn();
	await import('ink');
	await ioTurn();
	const ui = await import('./startup/render-ui.js');
	await firstContact(engines);
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'docknet: the full-screen view needs a terminal on stdin and stdout. For scripts and pipes, use `docknet snapshot` (text, --tree or --json).\n',
		);
		process.exit(exitCodes.usage);
	}

	const traceFile = process.env['DOCKNET_KEY_TRACE'];
	if (traceFile) keyTrace.enable();
	// Each engine's host is read by a monitor of its own, made when first needed: the host pane
	// shows one engine's host at a time (h shows the next), the inside view reads the host of
	// the container's engine.
	const hostMonitors = new Map<string, HostMonitor>();
	// Whether a host can be read depends on the engine's answer (rootless), so a monitor is
	// made once its engine answered (or, for one that never did, when it is asked for).
	const hostMonitorOf = (engine: OpenEngine): HostMonitor => {
		let monitor = hostMonitors.get(engine.key);
		if (monitor === undefined) {
			monitor = new HostMonitor(hostSourceFor(engine.endpoint, engine.sshTransport, engine.store.getSnapshot().engine), engine.store);
			hostMonitors.set(engine.key, monitor);
		}

		return monitor;
	};

	let shownHost = primary;
	// What the interfaces pane asked for before the first host monitor started.
	let ratesWanted: {active: boolean; visible?: readonly string[]} = {active: false};
	const stopHostMonitors = (): void => {
		for (const monitor of hostMonitors.values()) monitor.stop();
	};
	const colorEnabled = colorWanted(process.env) && !options.noColor;

	let restored = false;
	const restoreTerminal = (): void => {
		if (restored) return;
		restored = true;
		process.stdout.write(leaveAlternateScreen + showCursor);
	};

	// Every way out (q, Ctrl-C, SIGTERM, SIGHUP from a dropped ssh session, a crash) goes
	// through here, so the user's terminal is always given back as it was.
	let exiting = false;
	// Filled once Ink renders; a signal may arrive before that.
	const screen: {instance?: UiInstance; memoryTrim?: IdleMemoryTrim} = {};
	const shutdown = (code: number, message?: string): void => {
		if (exiting) return;
		exiting = true;
		screen.memoryTrim?.stop();
		stopEngines();
		stopHostMonitors();
		for (const engine of engines) engine.sshTransport?.close();
		screen.instance?.unmount();
		restoreTerminal();
		if (traceFile) writeFileSync(traceFile, `${JSON.stringify(keyTrace.recorded())}\n`);
		if (message) process.stderr.write(message);
		process.exit(code);
	};

	// The terminal went away (window closed, ssh dropped, tmux session killed): there is
	// nothing to draw on or restore. Node restores the tty's settings at exit and aborts when
	// that fails on a hung-up tty (node::ResetStdio); with the descriptors closed it skips them.
	const terminalGone = (code: number): void => {
		if (exiting) return;
		exiting = true;
		restored = true;
		screen.memoryTrim?.stop();
		stopEngines();
		stopHostMonitors();
		if (traceFile) writeFileSync(traceFile, `${JSON.stringify(keyTrace.recorded())}\n`);
		for (const fd of [0, 1, 2]) {
			try {
				closeSync(fd);
			} catch {
				// Already closed.
			}
		}

		process.exit(code);
	};

	const unexpected = (error: unknown): void => {
		const report = reportFailure(error, 'showing the engine', endpoints.map(endpoint => endpoint.url).join(', '));
		shutdown(exitCodes.internal, formatFailure({...report, exitCode: exitCodes.internal}, debugWanted(process.argv, process.env)));
	};

	// Every request that changes the engine is recorded once, at the gateway (the L screen, the journal).
	const commands = options.readOnly ? undefined : createCommandLogService(stateDirectory(process.env, homedir()));
	const engineOfContainer = (containerId: string | undefined): OpenEngine => {
		const owner = containerId === undefined ? undefined : picture.getSnapshot().owners.containers.get(containerId);
		return engines.find(engine => engine.key === owner) ?? primary;
	};

	const gateways = engines.map(engine => ({
		key: engine.key,
		gateway: commands ? recordCommands(engine.gateway, commands.log, {snapshot: engine.store.getSnapshot, endpoint: engine.endpoint.url}) : engine.gateway,
	}));
	const services: AppServices = {
		store: picture,
		commands,
		theme: createTheme(colorEnabled),
		readOnly: options.readOnly,
		// In --read-only mode nothing that could change the engine is even built.
		actions: commands && new EngineActions(createEngineRouter(gateways, picture), picture),
		dockerContexts: () => listDockerContexts(process.env, homedir()),
		openNodeEngines: async offers => {
			// Each context not open yet is asked who it is (info, a few seconds at most); the
			// swarm node id it answers with says whether it is one of the nodes.
			const candidates: ResolvedEndpoint[] = [];
			for (const context of listDockerContexts(process.env, homedir())) {
				try {
					const [endpoint] = resolveEngineEndpoints({choices: [{kind: 'context', value: context.name}], env: process.env, homeDir: homedir()});
					if (endpoint && !engines.some(engine => engine.endpoint.url === endpoint.url) && !candidates.some(known => known.url === endpoint.url)) candidates.push(endpoint);
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
			const nodes = answers.filter(answer => isOfferedNode(offers, answer.info?.swarmNodeId));
			for (const {endpoint} of nodes) {
				const engine = openEngine(endpoint, engines.length);
				engines.push(engine);
				gateways.push({key: engine.key, gateway: commands ? recordCommands(engine.gateway, commands.log, {snapshot: engine.store.getSnapshot, endpoint: endpoint.url}) : engine.gateway});
				picture.add({key: engine.key, endpoint: endpoint.url, store: engine.store, fixedLabel: endpoint.source.slice('context '.length)});
			}

			const names = nodes.map(({endpoint}) => endpoint.source.slice('context '.length));
			if (nodes.length > 0) return `Opened ${names.join(', ')}: their rows are in the panes, each with its engine.`;
			return candidates.length === 0
				? 'No docker context to ask: create one per node (the swarm screen says how).'
				: `None of ${candidates.length} docker context${candidates.length === 1 ? '' : 's'} answered as one of the other nodes.`;
		},
		readInside: async (pid, containerId) => hostMonitorOf(engineOfContainer(containerId)).readInside(pid),
		readForwarding: async containerId => hostMonitorOf(engineOfContainer(containerId)).readForwarding(),
		setInterfaceRatesActive: (active, visible) => {
			ratesWanted = {active, ...(visible === undefined ? {} : {visible})};
			hostMonitors.get(shownHost.key)?.setRatesActive(active, visible);
		},
		showNextHost: () => {
			const shown = new Set((picture.getSnapshot().engines ?? []).filter(engine => engine.sameAs === undefined).map(engine => engine.key));
			const candidates = engines.filter(engine => shown.has(engine.key));
			if (candidates.length < 2) return 'One engine is open: its host is the one shown.';
			const next = candidates[(candidates.indexOf(shownHost) + 1) % candidates.length] ?? primary;
			hostMonitors.get(shownHost.key)?.setRatesActive(false);
			const started = hostMonitors.get(next.key);
			const monitor = started ?? hostMonitorOf(next);
			if (started === undefined) monitor.start();
			monitor.setRatesActive(ratesWanted.active, ratesWanted.visible);
			shownHost = next;
			picture.showHostOf(next.key);
			return `Host interfaces of ${picture.getSnapshot().owners.labels.get(next.key) ?? next.key}.`;
		},
		quit: () => shutdown(0),
	};

	process.on('SIGTERM', () => shutdown(143));
	process.on('SIGINT', () => shutdown(130));
	process.on('SIGQUIT', () => shutdown(131));
	// SIGHUP also comes from `kill -HUP` with the terminal still there: give it back then. A
	// synchronous write tells which: on a hung-up terminal it fails with EIO.
	process.on('SIGHUP', () => {
		if (exiting) return;
		try {
			writeSync(1, leaveAlternateScreen + showCursor);
		} catch {
			terminalGone(129);
			return;
		}

		shutdown(129);
	});
	for (const stream of [process.stdout, process.stdin]) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EIO' || error.code === 'EPIPE' || error.code === 'ENXIO' || error.code === 'EBADF') terminalGone(129);
			else unexpected(error);
		});
	}

	// A hung-up terminal reads as end of file; when nobody forwards the SIGHUP (docknet is not
	// the session leader, and the leader survives), that is the only sign, as docknet may be
	// writing nothing at all while idle.
	process.stdin.on('end', () => terminalGone(129));
	process.on('uncaughtException', unexpected);
	process.on('unhandledRejection', unexpected);
	process.on('exit', restoreTerminal);

	// Drawing waits a moment for the listing, so the first frame already shows containers
	// (a render is synchronous, ~70 ms, and would hold the answers back); the host scan
	// starts once the listing is in.
	await Promise.race([Promise.any(engines.map(async engine => engine.sync.firstLoad)).catch(() => undefined), new Promise(resolve => setTimeout(resolve, 250))]);
	void primary.sync.firstLoad.catch(() => undefined).finally(() => {
		const monitor = hostMonitorOf(primary);
		monitor.start();
		if (shownHost === primary) monitor.setRatesActive(ratesWanted.active, ratesWanted.visible);
	});

	process.stdout.write(enterAlternateScreen);
	const instance = ui.renderUi(services, endpoints.map(endpoint => endpoint.url).join(', '), process.stdout);
	screen.instance = instance;
	// Start-up and every burst of events grow V8's heap; once the screen is quiet it is trimmed.
	screen.memoryTrim = startIdleMemoryTrim({subscribe: picture.subscribe});
	await instance.waitUntilExit();
	shutdown(0);
}

/** Everything after the arguments were read: the launcher loads this module only then. */
export async function runDocknet(options: CliOptions): Promise<void> {
	// docker-modem's ssh transport trips a Node deprecation warning on stderr, which would
	// scribble over the full-screen view.
	process.noDeprecation = true;
	if (options.playground) {
		const forwardedArgs = [...(options.readOnly ? ['--read-only'] : []), ...(options.noColor ? ['--no-color'] : [])];
		const {runPlayground} = await import('./playground/run-playground.js');
		process.exit(await runPlayground({keep: options.keep, forwardedArgs}));
	}

	let endpoints: ResolvedEndpoint[];
	try {
		endpoints = resolveEngineEndpoints({choices: options.engines, env: process.env, homeDir: homedir()});
	} catch (error) {
		if (!(error instanceof EndpointError)) throw error;
		process.stderr.write(`docknet: ${safeText(error.message)}\n`);
		process.exit(exitCodes.engine);
	}

	if (options.command === 'snapshot') {
		await runSnapshots(endpoints, options);
		return;
	}

	await runApp(endpoints, options);
}
