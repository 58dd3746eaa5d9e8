import {homedir} from 'node:os';
import {createAppServices} from './app-services.js';
import type {AppRuntime} from './app-services.js';
import {runSnapshots} from './cli/snapshot-command.js';
import {openTerminalSession} from './cli/terminal-session.js';
import type {TerminalSession} from './cli/terminal-session.js';
import {EndpointError, listDockerContexts, resolveEngineEndpoints} from './engine/endpoint.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {exitCodes} from './failure-report.js';
import type {CliOptions} from './config/cli-args.js';
import {startIdleMemoryTrim} from './runtime/idle-memory-trim.js';
import type {PictureStore} from './model/picture.js';
import {safeText} from './text/safe-text.js';
import {completionScript} from './completion/completion-scripts.js';
import {configCommand} from './config/config-command.js';
import {loadConfig} from './config/load-config.js';
import {startSettings} from './config/start-settings.js';
import type {StartSettings} from './config/start-settings.js';

// What `docknet` does once its arguments are read: a config or completion answer, the
// playground, a snapshot, or the full-screen app over the services built in app-services.ts.

/** Lets sockets connect and requests go out before a long synchronous stretch holds the thread. */
const ioTurn = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

async function runApp(endpoints: readonly ResolvedEndpoint[], settings: StartSettings): Promise<void> {
	// The engines are asked first (version, info, events, listings) and the UI modules load
	// while they answer: the two used to take turns.
	const session: {terminal?: TerminalSession} = {};
	const app: AppRuntime = createAppServices({
		endpoints,
		settings,
		env: process.env,
		homeDir: homedir(),
		quit: () => session.terminal?.shutdown(0),
	});
	const {engineSet} = app;
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

	const showing = endpoints.map(endpoint => endpoint.url).join(', ');
	const terminal = openTerminalSession({close: () => app.close(), stop: () => app.stop(), showing, keyTraceFile: process.env['DOCKNET_KEY_TRACE']});
	session.terminal = terminal;

	// Drawing waits a moment for the listing, so the first frame already shows containers
	// (a render is synchronous, ~70 ms, and would hold the answers back); the host scan
	// starts once the first engine's listing is in (HostMonitors).
	await Promise.race([Promise.any(engineSet.engines.map(async engine => engine.sync.firstLoad)).catch(() => undefined), new Promise(resolve => setTimeout(resolve, 250))]);

	terminal.enter();
	const instance = ui.renderUi(app.services, showing, process.stdout, settings.notice);
	// Start-up and every burst of events grow V8's heap; once the engines are quiet it is
	// trimmed. Quiet means no change to their containers and networks: the host's counters
	// change the picture every second without a new row.
	terminal.attach(instance, startIdleMemoryTrim({subscribe: listener => onEngineChanges(engineSet.picture, listener)}));
	await instance.waitUntilExit();
	terminal.shutdown(0);
}

/** Calls `listener` when some engine's containers or networks changed (the picture keeps them otherwise). */
function onEngineChanges(picture: PictureStore, listener: () => void): () => void {
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
