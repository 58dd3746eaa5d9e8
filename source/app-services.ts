import type {CommandLogService} from './commands/command-log.js';
import type {StartSettings} from './config/start-settings.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {connectTo, hostSourceFor, plumbingFor} from './engine-connections.js';
import type {EngineConnector, HostSourceChoice} from './engine-connections.js';
import {EngineSet} from './engine-set.js';
import type {EngineSetOptions, OpenEngine} from './engine-set.js';
import {HostMonitors} from './host-monitors.js';
import {createCommandLogService, stateDirectory} from './journal/journal.js';
import {EngineActions} from './model/engine-actions.js';
import type {EngineActionsOptions} from './model/engine-actions.js';
import type {HostMonitorOptions} from './model/host-monitor.js';
import type {AppServices} from './ui/app-context.js';

// The one place the app is put together: the engines and their picture, the router the
// actions go through, each engine's host monitor, the command log and its journal, and the
// services the UI reaches. docknet and every test harness build it here, so the tests run
// the path users run; what differs (how an engine is dialled, where its host is read, the
// environment and home directory, the pace of the syncs) is passed in.

export interface AppServicesOptions {
	endpoints: readonly ResolvedEndpoint[];
	settings: Pick<StartSettings, 'readOnly' | 'theme' | 'keymap' | 'hiddenEvents' | 'columns'>;
	/** The environment docker contexts and the state directory are read from. */
	env: Readonly<Record<string, string | undefined>>;
	homeDir: string;
	/** Leaves the app (q, Ctrl-C): the caller knows how to give the terminal back. */
	quit(): void;
	/** How an engine is dialled; the real gateway (and ssh transport) by default. */
	connect?: EngineConnector;
	/** Where an engine's host interfaces are read; sysfs or ssh, as the endpoint allows, by default. */
	hostSource?(engine: OpenEngine, label: string | undefined): HostSourceChoice;
	/** Where an engine's overlay plumbing is read; its namespaces on this machine by default. */
	plumbing?: EngineSetOptions['plumbing'];
	/** The journal's and the `y` scripts' directory; the XDG state directory by default. */
	stateDir?: string;
	/** The pace of the syncs, monitors and action watches (tests make them quick). */
	tuning?: {
		sync?: EngineSetOptions['sync'];
		swarm?: EngineSetOptions['swarm'];
		hostMonitor?: HostMonitorOptions;
		actions?: EngineActionsOptions;
		infoWithinMs?: number;
	};
}

/** The app as built: the services the UI reads, and what the caller starts and stops. */
export interface AppRuntime {
	services: AppServices;
	engineSet: EngineSet;
	hosts: HostMonitors;
	/** Absent in --read-only mode, as the actions are. */
	commands?: CommandLogService;
	/** Stops following the engines and reading their hosts. */
	stop(): void;
	/** Also closes the ssh connections: on the way out. */
	close(): void;
}

const realHostSource = (engine: OpenEngine, label: string | undefined): HostSourceChoice =>
	hostSourceFor(engine.endpoint, engine.sshTransport, engine.store.getSnapshot().engine, label);

/** Opens every engine at once (they answer while the UI loads) and builds the services over them. */
export function createAppServices(options: AppServicesOptions): AppRuntime {
	const {settings, env, homeDir, tuning = {}} = options;
	const engineSet = new EngineSet(options.endpoints, {
		connect: options.connect ?? connectTo,
		plumbing: options.plumbing ?? plumbingFor,
		env,
		homeDir,
		...(tuning.sync === undefined ? {} : {sync: tuning.sync}),
		...(tuning.swarm === undefined ? {} : {swarm: tuning.swarm}),
		...(tuning.infoWithinMs === undefined ? {} : {infoWithinMs: tuning.infoWithinMs}),
	});
	const hosts = new HostMonitors(engineSet, {hostSource: options.hostSource ?? realHostSource, ...(tuning.hostMonitor === undefined ? {} : {monitor: tuning.hostMonitor})});
	const {picture} = engineSet;
	// Every request that changes the engine is recorded once, at the gateway (the L screen, the journal).
	const commands = settings.readOnly ? undefined : createCommandLogService(options.stateDir ?? stateDirectory(env, homeDir));
	const services: AppServices = {
		store: picture,
		commands,
		theme: settings.theme,
		readOnly: settings.readOnly,
		keymap: settings.keymap,
		hiddenEvents: settings.hiddenEvents,
		paneColumns: settings.columns,
		// In --read-only mode nothing that could change the engine is even built.
		actions: commands && new EngineActions(engineSet.actionGateway(commands.log), picture, tuning.actions),
		dockerContexts: () => engineSet.dockerContexts(),
		openNodeEngines: async offers => engineSet.openSwarmNodes(offers),
		readInside: async (pid, containerId) => hosts.of(engineSet.engineOf(containerId)).readInside(pid),
		readForwarding: async containerId => hosts.of(engineSet.engineOf(containerId)).readForwarding(),
		setInterfaceRatesActive: (active, visible) => hosts.setRatesActive(active, visible),
		showNextHost: () => hosts.showNext(),
		switchEngine: async name => hosts.switchTo(name),
		quit: () => options.quit(),
	};
	return {
		services,
		engineSet,
		hosts,
		...(commands === undefined ? {} : {commands}),
		stop() {
			engineSet.stop();
			hosts.stop();
		},
		close() {
			engineSet.close();
			hosts.stop();
		},
	};
}
