import type {ConnectOptions, EngineGateway, NetworkCreateSpec} from '../model/gateway.js';
import {EngineError} from '../model/gateway.js';
import type {EngineSnapshot} from '../model/store.js';
import {commandLine, connectArgv, createArgv, disconnectArgv, networkArgument, onEngine, removeArgv} from './docker-command.js';

// The command log: every request docknet sends that changes the engine, as the docker CLI
// command that does the same, with when, where and how it ended. It is recorded in one
// place, a wrapper around the gateway, so every path (keys, undo, prune, retries) is in it
// without the actions knowing.

export type CommandResult = 'running' | 'ok' | 'failed' | 'timed out';

export interface CommandEntry {
	serial: number;
	/** When the request was sent (ms since the epoch). */
	time: number;
	/** The engine's endpoint, as the header shows it. */
	engine: string;
	argv: readonly string[];
	/** argv quoted for a POSIX shell: paste it and it does the same. */
	command: string;
	result: CommandResult;
	/** The engine's answer when it refused, or what it created. */
	detail?: string;
}

type Listener = () => void;

export interface CommandLogOptions {
	/** Called once per finished command (the journal file). Errors are the sink's own. */
	onFinished?(entry: CommandEntry): void;
	/** Entries kept for the view; the journal keeps everything. */
	limit?: number;
}

export class CommandLog {
	private list: readonly CommandEntry[] = [];
	private serial = 0;
	private readonly listeners = new Set<Listener>();

	constructor(private readonly options: CommandLogOptions = {}) {}

	entries = (): readonly CommandEntry[] => this.list;

	subscribe = (listener: Listener): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	/** Records a request about to be sent; returns its serial for finish(). */
	begin(argv: readonly string[], engine: string, time = Date.now()): number {
		this.serial += 1;
		const entry: CommandEntry = {serial: this.serial, time, engine, argv, command: commandLine(argv), result: 'running'};
		const limit = this.options.limit ?? 500;
		this.list = [...this.list, entry].slice(-limit);
		this.notify();
		return entry.serial;
	}

	finish(serial: number, result: Exclude<CommandResult, 'running'>, detail?: string): void {
		const entry = this.list.find(item => item.serial === serial);
		if (!entry) return;
		const done: CommandEntry = {...entry, result, ...(detail === undefined ? {} : {detail})};
		this.list = this.list.map(item => (item === entry ? done : item));
		this.notify();
		try {
			this.options.onFinished?.(done);
		} catch {
			// The journal reports its own trouble (see journal.ts); the action is not affected.
		}
	}

	private notify(): void {
		for (const listener of [...this.listeners]) listener();
	}
}

export interface RecordingContext {
	/** The snapshot the names are taken from. */
	snapshot(): Pick<EngineSnapshot, 'networks' | 'containers' | 'engine'>;
	/** Fallback when the engine's info has not arrived. */
	endpoint: string;
	/** The docker CLI's flags that reach this engine, put in every command (none: the shell's default engine). */
	engineFlags?(): readonly string[];
}

/**
 * A gateway that records connect, disconnect, create and remove in `log` and passes every
 * call through unchanged. Networks are named as networkArgument says (by name when the
 * docker CLI reaches exactly that network with it, else by id); containers by name.
 */
export function recordCommands(gateway: EngineGateway, log: CommandLog, context: RecordingContext): EngineGateway {
	const networkRef = (id: string): string => {
		const {networks} = context.snapshot();
		const network = networks.find(item => item.id === id);
		return network ? networkArgument(network, networks) : id;
	};

	const containerRef = (id: string): string => context.snapshot().containers.find(item => item.id === id)?.name ?? id;
	const engine = (): string => context.snapshot().engine?.endpoint ?? context.endpoint;

	async function recorded<T>(argv: string[], send: () => Promise<T>, describe?: (value: T) => string): Promise<T> {
		const serial = log.begin(onEngine(argv, context.engineFlags?.()), engine());
		try {
			const value = await send();
			log.finish(serial, 'ok', describe?.(value));
			return value;
		} catch (error) {
			// A time-out is not a refusal: the engine may have done it after all.
			const timedOut = error instanceof EngineError && error.kind === 'timeout';
			const message = error instanceof Error ? error.message : String(error);
			log.finish(serial, timedOut ? 'timed out' : 'failed', timedOut ? `${message} (the engine may still have done it)` : message);
			throw error;
		}
	}

	const wrapper: Pick<EngineGateway, 'connect' | 'disconnect' | 'createNetwork' | 'removeNetwork'> = {
		connect: (networkId: string, containerId: string, options: ConnectOptions) =>
			recorded(connectArgv(networkRef(networkId), containerRef(containerId), options), () => gateway.connect(networkId, containerId, options)),
		disconnect: (networkId: string, containerId: string, force: boolean) =>
			recorded(disconnectArgv(networkRef(networkId), containerRef(containerId), force), () => gateway.disconnect(networkId, containerId, force)),
		createNetwork: (spec: NetworkCreateSpec) => recorded(createArgv(spec), () => gateway.createNetwork(spec), id => `id ${id.slice(0, 12)}`),
		removeNetwork: (networkId: string) => recorded(removeArgv(networkRef(networkId)), () => gateway.removeNetwork(networkId)),
	};

	return new Proxy(gateway, {
		get(target, property, receiver) {
			if (typeof property === 'string' && property in wrapper) return wrapper[property as keyof typeof wrapper];
			const value: unknown = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

/** The command log as the UI reaches it (AppServices). */
export interface CommandLogService {
	log: CommandLog;
	/** Where every finished command is appended, one JSON line each. */
	journalFile?: string;
	/** Why the journal could not be written, if it could not. */
	journalProblem(): string | undefined;
	/** Writes this session's commands as a shell script; returns its path or throws. */
	writeScript(): string;
}
