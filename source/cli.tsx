import {writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {parseArgs} from 'node:util';
import {render} from 'ink';
import React from 'react';
import packageJson from '../package.json' with {type: 'json'};
import {App} from './app.js';
import {createDockerGateway} from './engine/docker-gateway.js';
import {EndpointError, resolveEngineEndpoint} from './engine/endpoint.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {describeUnreachable, toEngineError} from './engine/errors.js';
import type {HostInterfaceSource} from './host/host-source.js';
import {createSshSource} from './host/ssh-source.js';
import {readOverlayPlumbing} from './host/overlay-plumbing.js';
import {createSysfsSource} from './host/sysfs-source.js';
import type {PlumbingReader} from './model/swarm-types.js';
import {EngineActions} from './model/engine-actions.js';
import {EngineSync} from './model/engine-sync.js';
import type {EngineGateway} from './model/gateway.js';
import {HostMonitor} from './model/host-monitor.js';
import {SnapshotStore} from './model/store.js';
import {SwarmSync} from './model/swarm-sync.js';
import {runPlayground} from './playground/run-playground.js';
import {FrameWriter} from './terminal/frame-writer.js';
import {keyTrace} from './terminal/key-trace.js';
import type {EngineInfo} from './model/types.js';
import {collectSnapshot} from './snapshot/collect-snapshot.js';
import {snapshotToJson} from './snapshot/snapshot-json.js';
import {snapshotToText} from './snapshot/snapshot-text.js';
import {AppServicesProvider} from './ui/app-context.js';
import type {AppServices} from './ui/app-context.js';
import {buildTopology, flattenTopology, topologyText} from './ui/presentation/topology.js';
import {colorWanted, createTheme} from './ui/theme.js';

const usage = `docknet ${packageJson.version} — Docker networking in your terminal

Usage
  docknet [options]              full-screen view: networks, containers, host interfaces
  docknet snapshot [options]     print the same picture once and exit
  docknet --playground           a private throwaway engine with sample containers (root)

Options
  -H, --host <url>       engine to use: unix:///path, tcp://host:2376, ssh://user@host
  -c, --context <name>   docker context to use (as in \`docker context ls\`)
      --read-only        disable every action that changes the engine
      --json             (snapshot) machine-readable output, schema docknet.snapshot/1
      --tree             (snapshot) the host as a tree: network → bridge → veth → container
      --keep             (playground) leave the private engine running on exit
      --no-color         no colours (NO_COLOR is honoured too)
  -h, --help             this help
  -v, --version          docknet's version

Engine selection follows the docker CLI: --host or --context, then DOCKER_HOST, then
DOCKER_CONTEXT, the current context in ~/.docker/config.json, then
unix:///var/run/docker.sock. Keys: press ? inside docknet.`;

interface CliOptions {
	host?: string;
	context?: string;
	readOnly: boolean;
	json: boolean;
	tree: boolean;
	playground: boolean;
	keep: boolean;
	noColor: boolean;
	command: 'app' | 'snapshot';
}

function parseCli(argv: string[]): CliOptions | 'help' | 'version' {
	const {values, positionals} = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			host: {type: 'string', short: 'H'},
			context: {type: 'string', short: 'c'},
			'read-only': {type: 'boolean', default: false},
			json: {type: 'boolean', default: false},
			tree: {type: 'boolean', default: false},
			playground: {type: 'boolean', default: false},
			keep: {type: 'boolean', default: false},
			'no-color': {type: 'boolean', default: false},
			help: {type: 'boolean', short: 'h', default: false},
			version: {type: 'boolean', short: 'v', default: false},
		},
	});
	if (values.help) return 'help';
	if (values.version) return 'version';
	const [command, ...rest] = positionals;
	if (rest.length > 0 || (command !== undefined && command !== 'snapshot')) {
		throw new UsageError(`unknown command "${[command, ...rest].join(' ')}"`);
	}

	return {
		host: values.host,
		context: values.context,
		readOnly: values['read-only'] ?? false,
		json: values.json ?? false,
		tree: values.tree ?? false,
		playground: values.playground ?? false,
		keep: values.keep ?? false,
		noColor: values['no-color'] ?? false,
		command: command === 'snapshot' ? 'snapshot' : 'app',
	};
}

class UsageError extends Error {}

/** Where the engine's host interfaces can be read from, or why they cannot. */
export function hostSourceFor(endpoint: ResolvedEndpoint, info?: Pick<EngineInfo, 'product' | 'rootless'>): HostInterfaceSource | {unavailable: string} {
	if (info?.rootless) {
		// This machine's interfaces are not the engine's: showing them would claim its
		// bridges are missing.
		return {
			unavailable: `rootless ${info.product} keeps its bridges and veths in a network namespace of its own, which cannot be seen from the user's side; networks, containers, addresses and actions work`,
		};
	}

	if (endpoint.kind === 'unix' && endpoint.local) return createSysfsSource();
	if (endpoint.kind === 'ssh' && endpoint.host) {
		return createSshSource({host: endpoint.host, port: endpoint.port, username: endpoint.username});
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

async function connectOrExplain(endpoint: ResolvedEndpoint, gateway: EngineGateway): Promise<EngineInfo> {
	try {
		return await gateway.info();
	} catch (error) {
		process.stderr.write(`${describeUnreachable(endpoint, toEngineError(error))}\n`);
		process.exit(1);
	}
}

async function runSnapshot(endpoint: ResolvedEndpoint, gateway: EngineGateway, options: CliOptions): Promise<void> {
	const info = await connectOrExplain(endpoint, gateway);
	const collected = await collectSnapshot(gateway, hostSourceFor(endpoint, info), plumbingFor(endpoint));
	if (options.json) {
		process.stdout.write(`${JSON.stringify(snapshotToJson(collected), null, 2)}\n`);
	} else if (options.tree) {
		const {snapshot, hostView} = collected;
		process.stdout.write(`${topologyText(flattenTopology(buildTopology(snapshot, hostView)))}\n`);
	} else {
		process.stdout.write(snapshotToText(collected));
	}
}

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

async function runApp(endpoint: ResolvedEndpoint, gateway: EngineGateway, options: CliOptions): Promise<void> {
	const info = await connectOrExplain(endpoint, gateway);
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		process.stderr.write(
			'docknet: the full-screen view needs a terminal on stdin and stdout. For scripts and pipes, use `docknet snapshot` (text, --tree or --json).\n',
		);
		process.exit(2);
	}

	const traceFile = process.env['DOCKNET_KEY_TRACE'];
	if (traceFile) keyTrace.enable();
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store, {plumbing: plumbingFor(endpoint)});
	const sync = new EngineSync(gateway, store, {onSwarmHint: () => swarmSync.request()});
	const hostMonitor = new HostMonitor(hostSourceFor(endpoint, info), store);
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
	const screen: {instance?: ReturnType<typeof render>} = {};
	const shutdown = (code: number, message?: string): void => {
		if (exiting) return;
		exiting = true;
		sync.stop();
		swarmSync.stop();
		hostMonitor.stop();
		screen.instance?.unmount();
		restoreTerminal();
		if (traceFile) writeFileSync(traceFile, `${JSON.stringify(keyTrace.recorded())}\n`);
		if (message) process.stderr.write(`${message}\n`);
		process.exit(code);
	};

	const services: AppServices = {
		store,
		theme: createTheme(colorEnabled),
		readOnly: options.readOnly,
		// In --read-only mode nothing that could change the engine is even built.
		actions: options.readOnly ? undefined : new EngineActions(gateway, store),
		setInterfaceRatesActive: (active, visible) => hostMonitor.setRatesActive(active, visible),
		quit: () => shutdown(0),
	};

	process.on('SIGTERM', () => shutdown(143));
	process.on('SIGHUP', () => shutdown(129));
	process.on('SIGINT', () => shutdown(130));
	process.on('uncaughtException', error => shutdown(1, `docknet stopped on an unexpected error: ${error.stack ?? error.message}`));
	process.on('exit', restoreTerminal);

	// The listing goes out before the first render: that render is synchronous (~70 ms)
	// and would hold the requests back. Drawing waits a moment for the data, so the first
	// frame already shows containers; the host scan starts once the listing is in.
	sync.start(info);
	await Promise.race([sync.firstLoad.catch(() => undefined), new Promise(resolve => setTimeout(resolve, 250))]);
	void sync.firstLoad.catch(() => undefined).finally(() => hostMonitor.start());

	process.stdout.write(enterAlternateScreen);
	const frames = new FrameWriter(process.stdout);
	// debug: Ink hands over whole frames and FrameWriter diffs them onto the screen (see
	// frame-writer.ts for why Ink's own incremental mode is not used). Debug mode also
	// renders when CI is set, which the pseudo-terminal tests rely on.
	const instance = render(
		<AppServicesProvider services={services}>
			<App endpoint={endpoint.url} />
		</AppServicesProvider>,
		{stdout: frames as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false},
	);
	screen.instance = instance;
	await instance.waitUntilExit();
	shutdown(0);
}

async function main(): Promise<void> {
	// docker-modem's ssh transport trips a Node deprecation warning on stderr, which would
	// scribble over the full-screen view.
	process.noDeprecation = true;
	let options: CliOptions | 'help' | 'version';
	try {
		options = parseCli(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`docknet: ${error instanceof Error ? error.message : String(error)}\nRun docknet --help for usage.\n`);
		process.exit(2);
	}

	if (options === 'help') {
		process.stdout.write(`${usage}\n`);
		return;
	}

	if (options === 'version') {
		process.stdout.write(`${packageJson.version}\n`);
		return;
	}

	if (options.playground) {
		const forwardedArgs = [...(options.readOnly ? ['--read-only'] : []), ...(options.noColor ? ['--no-color'] : [])];
		process.exit(await runPlayground({keep: options.keep, forwardedArgs}));
	}

	let endpoint: ResolvedEndpoint;
	try {
		endpoint = resolveEngineEndpoint({hostFlag: options.host, contextFlag: options.context, env: process.env, homeDir: homedir()});
	} catch (error) {
		if (!(error instanceof EndpointError)) throw error;
		process.stderr.write(`docknet: ${error.message}\n`);
		process.exit(1);
	}

	const gateway = createDockerGateway(endpoint);
	if (options.command === 'snapshot') {
		await runSnapshot(endpoint, gateway, options);
		return;
	}

	await runApp(endpoint, gateway, options);
}

await main();
