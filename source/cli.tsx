import {closeSync, constants, openSync, writeSync} from 'node:fs';
import {homedir} from 'node:os';
import {EndpointError, listDockerContexts, resolveEngineEndpoints} from './engine/endpoint.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {describeUnreachable, toEngineError} from './engine/errors.js';
import {debugWanted, exitCodes, formatFailure, reportFailure} from './failure-report.js';
import type {SshTransport} from './engine/ssh-transport.js';
import {createCommandLogService, stateDirectory} from './journal/journal.js';
import {EngineActions} from './model/engine-actions.js';
import type {EngineGateway} from './model/gateway.js';
import {endpointLabel} from './model/picture.js';
import {connectTo, EngineSet, HostMonitors, hostSourceFor, plumbingFor} from './engine-set.js';
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
import {completionScript} from './completion/completion-scripts.js';
import {configCommand} from './config/config-command.js';
import {loadConfig} from './config/load-config.js';
import {startSettings} from './config/start-settings.js';
import type {StartSettings} from './config/start-settings.js';
import {maxOf} from './model/large-arrays.js';

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
	if (failed.length > 0) process.exit(maxOf(failed.map(failure => failure.exitCode)));
}

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

async function runApp(endpoints: readonly ResolvedEndpoint[], settings: StartSettings): Promise<void> {
	// The engines are asked first (version, info, events, listings) and the UI modules load
	// while they answer: the two used to take turns.
	const engineSet = new EngineSet(endpoints);
	const {picture} = engineSet;
	// In steps, with a turn of the event loop between: each step's evaluation holds the
	// thread, and the engine's answers (then the listing they unlock) get through between them.
	await ioTurn();
	await import('react');
	await ioTurn();
	await import('ink');
	await ioTurn();
	const ui = await import('./startup/render-ui.js');
	try {
		await engineSet.firstContact();
	} catch (error) {
		// No engine could be reached at all: nothing to show.
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(exitCodes.engine);
	}

	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'docknet: the full-screen view needs a terminal on stdin and stdout. For scripts and pipes, use `docknet snapshot` (text, --tree or --json).\n',
		);
		process.exit(exitCodes.usage);
	}

	const traceFile = process.env['DOCKNET_KEY_TRACE'];
	// The operator names the file, maybe in a shared /tmp: a link planted there is not followed.
	const writeKeyTrace = (file: string): void => {
		try {
			const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
			try {
				writeSync(fd, `${JSON.stringify(keyTrace.recorded())}\n`);
			} finally {
				closeSync(fd);
			}
		} catch {
			// A diagnostic only: never a reason to fail on the way out.
		}
	};
	if (traceFile) keyTrace.enable();
	const hosts = new HostMonitors(engineSet);

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
		engineSet.close();
		hosts.stop();
		screen.instance?.unmount();
		restoreTerminal();
		if (traceFile) writeKeyTrace(traceFile);
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
		engineSet.stop();
		hosts.stop();
		if (traceFile) writeKeyTrace(traceFile);
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
	const commands = settings.readOnly ? undefined : createCommandLogService(stateDirectory(process.env, homedir()));
	const services: AppServices = {
		store: picture,
		commands,
		theme: settings.theme,
		readOnly: settings.readOnly,
		keymap: settings.keymap,
		hiddenEvents: settings.hiddenEvents,
		paneColumns: settings.columns,
		// In --read-only mode nothing that could change the engine is even built.
		actions: commands && new EngineActions(engineSet.actionGateway(commands.log), picture),
		dockerContexts: () => listDockerContexts(process.env, homedir()),
		openNodeEngines: async offers => engineSet.openSwarmNodes(offers),
		readInside: async (pid, containerId) => hosts.of(engineSet.engineOf(containerId)).readInside(pid),
		readForwarding: async containerId => hosts.of(engineSet.engineOf(containerId)).readForwarding(),
		setInterfaceRatesActive: (active, visible) => hosts.setRatesActive(active, visible),
		showNextHost: () => hosts.showNext(),
		switchEngine: async name => hosts.switchTo(name),
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
	// starts once the first engine's listing is in (HostMonitors).
	await Promise.race([Promise.any(engineSet.engines.map(async engine => engine.sync.firstLoad)).catch(() => undefined), new Promise(resolve => setTimeout(resolve, 250))]);

	process.stdout.write(enterAlternateScreen);
	const instance = ui.renderUi(services, endpoints.map(endpoint => endpoint.url).join(', '), process.stdout, settings.notice);
	screen.instance = instance;
	// Start-up and every burst of events grow V8's heap; once the engines are quiet it is
	// trimmed. Quiet means no change to their containers and networks: the host's counters
	// change the picture every second without a new row.
	screen.memoryTrim = startIdleMemoryTrim({subscribe: listener => onEngineChanges(picture, listener)});
	await instance.waitUntilExit();
	shutdown(0);
}

/** Calls `listener` when some engine's containers or networks changed (the picture keeps them otherwise). */
function onEngineChanges(picture: EngineSet['picture'], listener: () => void): () => void {
	let seen = picture.getSnapshot();
	return picture.subscribe(() => {
		const now = picture.getSnapshot();
		if (now.containers === seen.containers && now.networks === seen.networks) return;
		seen = now;
		listener();
	});
}

/** Everything after the arguments were read: the launcher loads this module only then. */
export async function runDocknet(options: CliOptions): Promise<void> {
	// docker-modem's ssh transport trips a Node deprecation warning on stderr, which would
	// scribble over the full-screen view.
	process.noDeprecation = true;
	if (options.command === 'config' && options.configAction) {
		const {output, exitCode} = await configCommand(options.configAction, process.env, homedir());
		process.stdout.write(output.split('\n').map(line => safeText(line)).join('\n'));
		process.exit(exitCode);
	}

	if (options.command === 'completion' && options.completion) {
		process.stdout.write(options.completion === 'contexts' ? listDockerContexts(process.env, homedir()).map(context => `${context.name}\n`).join('') : completionScript(options.completion));
		return;
	}

	if (options.playground) {
		const forwardedArgs = [...(options.readOnly ? ['--read-only'] : []), ...(options.noColor ? ['--no-color'] : [])];
		const {runPlayground} = await import('./playground/run-playground.js');
		process.exit(await runPlayground({keep: options.keep, forwardedArgs}));
	}

	const settings = startSettings(options, await loadConfig(process.env, homedir()), process.env);
	let endpoints: ResolvedEndpoint[];
	try {
		endpoints = resolveEngineEndpoints({choices: settings.engines, env: process.env, homeDir: homedir()});
	} catch (error) {
		if (!(error instanceof EndpointError)) throw error;
		process.stderr.write(`docknet: ${safeText(error.message)}\n`);
		process.exit(exitCodes.engine);
	}

	if (options.command === 'snapshot') {
		if (settings.notice) process.stderr.write(`docknet: ${safeText(settings.notice)}\n`);
		await runSnapshots(endpoints, options);
		return;
	}

	await runApp(endpoints, settings);
}
