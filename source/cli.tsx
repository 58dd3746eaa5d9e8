import {closeSync, writeFileSync, writeSync} from 'node:fs';
import {homedir} from 'node:os';
import {createDockerGateway} from './engine/docker-gateway.js';
import {EndpointError, resolveEngineEndpoint} from './engine/endpoint.js';
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
import {EngineSync} from './model/engine-sync.js';
import type {EngineGateway} from './model/gateway.js';
import {HostMonitor} from './model/host-monitor.js';
import {SnapshotStore} from './model/store.js';
import {SwarmSync} from './model/swarm-sync.js';
import type {CliOptions} from './startup/cli-args.js';
import type {UiInstance} from './startup/render-ui.js';
import {startIdleMemoryTrim} from './runtime/idle-memory-trim.js';
import type {IdleMemoryTrim} from './runtime/idle-memory-trim.js';
import {keyTrace} from './terminal/key-trace.js';
import type {EngineInfo} from './model/types.js';
import {collectSnapshot} from './snapshot/collect-snapshot.js';
import {graphToDot, graphToMermaid, snapshotGraph} from './snapshot/snapshot-graph.js';
import {snapshotToJson} from './snapshot/snapshot-json.js';
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

/** Lets sockets connect and requests go out before a long synchronous stretch holds the thread. */
const ioTurn = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

async function runSnapshot(endpoint: ResolvedEndpoint, gateway: EngineGateway, options: CliOptions, sshTransport: SshTransport | undefined): Promise<void> {
	const info = await connectOrExplain(endpoint, gateway.info());
	let collected;
	try {
		collected = await collectSnapshot(gateway, hostSourceFor(endpoint, sshTransport, info), plumbingFor(endpoint));
	} catch (error) {
		const report = reportFailure(error, 'taking the snapshot', endpoint.url);
		process.stderr.write(formatFailure(report, debugWanted(process.argv, process.env)));
		process.exit(report.exitCode);
	}

	if (options.json) {
		// JSON keeps the exact values; JSON.stringify escapes every control character.
		process.stdout.write(`${JSON.stringify(snapshotToJson(collected), null, 2)}\n`);
		return;
	}

	// Text, tree and graphs go to a terminal as often as to a file: every value is shown safely.
	const shown = safeDeep(collected);
	if (options.dot) process.stdout.write(graphToDot(snapshotGraph(shown)));
	else if (options.mermaid) process.stdout.write(graphToMermaid(snapshotGraph(shown)));
	else if (options.tree) {
		process.stdout.write(`${topologyText(flattenTopology(buildTopology(shown.snapshot, shown.hostView)))}\n`);
	} else {
		process.stdout.write(snapshotToText(shown));
	}
}

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

async function runApp(endpoint: ResolvedEndpoint, gateway: EngineGateway, options: CliOptions, sshTransport: SshTransport | undefined): Promise<void> {
	// The engine is asked first (version, info, events, listings) and the UI modules load while
	// it answers: the two used to take turns.
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store, {plumbing: plumbingFor(endpoint)});
	const sync = new EngineSync(gateway, store, {onSwarmHint: () => swarmSync.request()});
	const firstInfo = gateway.info();
	sync.start(firstInfo);
	// In steps, with a turn of the event loop between: each step's evaluation holds the
	// thread, and the engine's answers (then the listing they unlock) get through between them.
	await ioTurn();
	await import('react');
	await ioTurn();
	await import('ink');
	await ioTurn();
	const ui = await import('./startup/render-ui.js');
	const info = await connectOrExplain(endpoint, firstInfo);
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'docknet: the full-screen view needs a terminal on stdin and stdout. For scripts and pipes, use `docknet snapshot` (text, --tree or --json).\n',
		);
		process.exit(exitCodes.usage);
	}

	const traceFile = process.env['DOCKNET_KEY_TRACE'];
	if (traceFile) keyTrace.enable();
	const hostMonitor = new HostMonitor(hostSourceFor(endpoint, sshTransport, info), store);
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
		sync.stop();
		swarmSync.stop();
		hostMonitor.stop();
		sshTransport?.close();
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
		sync.stop();
		hostMonitor.stop();
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
		const report = reportFailure(error, 'showing the engine', endpoint.url);
		shutdown(exitCodes.internal, formatFailure({...report, exitCode: exitCodes.internal}, debugWanted(process.argv, process.env)));
	};

	// Every request that changes the engine is recorded once, at the gateway (the L screen, the journal).
	const commands = options.readOnly ? undefined : createCommandLogService(stateDirectory(process.env, homedir()));
	const services: AppServices = {
		store,
		commands,
		theme: createTheme(colorEnabled),
		readOnly: options.readOnly,
		// In --read-only mode nothing that could change the engine is even built.
		actions: commands && new EngineActions(recordCommands(gateway, commands.log, {snapshot: store.getSnapshot, endpoint: endpoint.url}), store),
		readInside: pid => hostMonitor.readInside(pid),
		readForwarding: () => hostMonitor.readForwarding(),
		setInterfaceRatesActive: (active, visible) => hostMonitor.setRatesActive(active, visible),
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
	await Promise.race([sync.firstLoad.catch(() => undefined), new Promise(resolve => setTimeout(resolve, 250))]);
	void sync.firstLoad.catch(() => undefined).finally(() => hostMonitor.start());

	process.stdout.write(enterAlternateScreen);
	const instance = ui.renderUi(services, endpoint.url, process.stdout);
	screen.instance = instance;
	// Start-up and every burst of events grow V8's heap; once the screen is quiet it is trimmed.
	screen.memoryTrim = startIdleMemoryTrim({subscribe: store.subscribe});
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

	let endpoint: ResolvedEndpoint;
	try {
		endpoint = resolveEngineEndpoint({hostFlag: options.host, contextFlag: options.context, env: process.env, homeDir: homedir()});
	} catch (error) {
		if (!(error instanceof EndpointError)) throw error;
		process.stderr.write(`docknet: ${safeText(error.message)}\n`);
		process.exit(exitCodes.engine);
	}

	const sshTransport = endpoint.kind === 'ssh' && endpoint.host !== undefined
		? createSshTransport({host: endpoint.host, port: endpoint.port, username: endpoint.username})
		: undefined;
	const gateway = createDockerGateway(endpoint, {sshTransport});
	if (options.command === 'snapshot') {
		await runSnapshot(endpoint, gateway, options, sshTransport);
		sshTransport?.close();
		return;
	}

	await runApp(endpoint, gateway, options, sshTransport);
}
