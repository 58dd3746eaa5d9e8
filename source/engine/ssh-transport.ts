import {execFile, spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {Agent} from 'node:http';
import {createConnection} from 'node:net';
import type {AgentOptions} from 'node:http';
import type {Duplex} from 'node:stream';
import {EngineError} from '../model/gateway.js';
import {channelArguments, forwardArguments} from '../ssh/arguments.js';
import {defaultControlDirectory, prepareControlDirectory} from '../ssh/control-directory.js';
import {ENGINE_SOCKET_LINE, engineSocketFrom} from '../ssh/engine-socket.js';
import {describeSshFailure} from '../ssh/failure.js';
import type {SshTarget} from '../ssh/target.js';
import {sshTargetProblem} from './ssh-address.js';
import {ChannelSocket, isRefusedSession, SessionBudget, SocketChannel} from './ssh-channels.js';
import type {ChannelOpener} from './ssh-channels.js';
import {answersHttp, lineMatching} from './ssh-forward.js';
import {claimSshHeadStart, HEAD_START_CONNECT_TIMEOUT_SECONDS, masterControlPath, spawnMaster} from './ssh-head-start.js';

// All traffic to an ssh:// engine over ONE ssh connection. docknet starts an OpenSSH master
// connection of its own (so the user's ssh config, keys, agent and known_hosts apply, and it
// never prompts: BatchMode) and every HTTP connection to the engine is a channel of it: a mux
// client running `docker system dial-stdio` on the engine host, as the docker CLI does. An
// HTTP agent keeps those connections alive between requests; the events stream holds one of
// its own. docker-modem's own ssh transport made a new ssh connection (handshake, login,
// remote process) for every request.
// When the master exits (the link dropped, sshd went away) every channel ends with it, so
// the engine is lost; the next request after the backoff starts a new master.

export interface SshTransportOptions {
	/** Default "ssh". */
	sshBinary?: string;
	/** Where the master's control socket goes; default the host source's per-user directory. */
	controlDirectory?: string;
	/** Time allowed to reach the host (ssh's ConnectTimeout). Default 10 s. */
	connectTimeoutMs?: number;
	/** Time allowed for the whole login. Default 30 s. */
	loginTimeoutMs?: number;
	/**
	 * HTTP connections (ssh channels) at once, the events stream's included. Default 3: each
	 * new channel starts a docker CLI on the engine host (~50-100 ms, seconds under load),
	 * while a request on an open one takes milliseconds; sshd allows 10 sessions per connection
	 * and the host-interface reads need some too.
	 */
	maxChannels?: number;
	/**
	 * Sessions at once for channels and one-shot host reads, until sshd refuses one (then
	 * what was open). Default 8: sshd's MaxSessions is 10 unless configured, less the master's
	 * own session and the host counters' stream, which stays open.
	 */
	maxSessions?: number;
	/**
	 * Forward HTTP connections straight to the engine host's socket when the docker CLI
	 * there would dial a plain unix socket (default true); otherwise, or when sshd refuses
	 * the forward, every connection runs `docker system dial-stdio`.
	 */
	forwardSocket?: boolean;
}

/** How HTTP connections reach the engine over the master: forwarded to its socket, or one dial-stdio run each. */
export type SshRoute = {kind: 'forward'; localPath: string; remotePath: string} | {kind: 'dial-stdio'};

// A forwarded connection starts no process anywhere and holds no sshd session.
const FORWARDED_CONNECTIONS = 6;
const LINE_AFTER_LOGIN_MS = 5000;

const DEFAULT_SESSIONS = 8;

/** What ssh says when the connection of its own that muxClientOptions makes fail ends. */
const PROXY_FALLBACK_ENDED = /Connection closed by UNKNOWN port 65535/;

export interface SshTransport {
	/** docker-modem's `agent`: every request to the engine goes through it. */
	readonly agent: Agent;
	/** The master's control socket, for other ssh runs (host interfaces) to share it; undefined until it is up. */
	controlPath(): Promise<string | undefined>;
	/** Master connections started so far (one per session unless the link dropped). */
	readonly connectionsOpened: number;
	/** How the current master's connections reach the engine; undefined until it is known. */
	route(): Promise<SshRoute | undefined>;
	/** Runs an ssh run of another kind (a host read) in one of the connection's sessions. */
	withinSession<T>(work: () => Promise<T>): Promise<T>;
	/** Ends every channel and the master connection. */
	close(): void;
}

type CreateCallback = (error: Error | null, socket?: Duplex) => void;

export function createSshTransport(target: SshTarget, options: SshTransportOptions = {}): SshTransport {
	const sshBinary = options.sshBinary ?? 'ssh';
	const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
	const connectTimeoutSeconds = Math.max(1, Math.floor(connectTimeoutMs / 1000));
	const loginTimeoutMs = options.loginTimeoutMs ?? 30_000;
	let master: ChildProcess | undefined;
	let masterReady: Promise<string> | undefined;
	let masterRoute: Promise<SshRoute> | undefined;
	let masterFirstLine: Promise<string | undefined> | undefined;
	let opened = 0;
	let closed = false;
	const channels = new Set<ChildProcess>();
	let directory: Promise<string | undefined> | undefined;

	const stopMaster = (): void => {
		const running = master;
		master = undefined;
		masterReady = undefined;
		masterRoute = undefined;
		if (running !== undefined && running.exitCode === null && running.signalCode === null) running.kill();
	};

	const onExit = (): void => {
		closed = true;
		for (const channel of channels) channel.kill();
		stopMaster();
	};

	process.once('exit', onExit);

	async function startMaster(): Promise<string> {
		// Addresses are checked where they are read (endpoint.ts); this holds for any caller.
		const refused = sshTargetProblem(target);
		if (refused !== undefined) throw new EngineError('unreachable', `docknet does not run ssh for this address: ${refused}`);
		directory ??= prepareControlDirectory(options.controlDirectory ?? defaultControlDirectory());
		const dir = await directory;
		if (dir === undefined) {
			throw new EngineError('unreachable', `docknet found no private directory for its ssh control socket (${options.controlDirectory ?? defaultControlDirectory()})`);
		}

		// The launcher may have started this master already (ssh-head-start.ts); only one made
		// exactly as this one would be is taken over.
		const usesDefaults = options.sshBinary === undefined && options.controlDirectory === undefined && connectTimeoutSeconds === HEAD_START_CONNECT_TIMEOUT_SECONDS;
		const ahead = opened === 0 && usesDefaults ? await claimSshHeadStart(target) : undefined;
		// One socket per docknet: ssh's own naming (%C) would be shared with other sessions.
		const controlPath = ahead?.controlPath ?? masterControlPath(dir, opened);
		opened += 1;
		const child = ahead?.child ?? spawnMaster(sshBinary, target, controlPath, connectTimeoutSeconds);
		master = child;
		// Its first line says which socket the docker CLI there would dial (ssh/engine-socket.ts).
		masterFirstLine = child.stdout === null ? Promise.resolve(undefined) : lineMatching(child.stdout, ENGINE_SOCKET_LINE, loginTimeoutMs);
		let stderr = '';
		child.stderr?.setEncoding('utf8');
		child.stderr?.on('data', (chunk: string) => {
			stderr = (stderr + chunk).slice(-4000);
		});
		child.stdin?.on('error', () => undefined);
		child.unref();
		(child.stdin as {unref?: () => void} | null)?.unref?.();
		(child.stderr as {unref?: () => void} | null)?.unref?.();
		(child.stdout as {unref?: () => void} | null)?.unref?.();

		return new Promise<string>((resolve, reject) => {
			let settled = false;
			const finish = (error?: Error): void => {
				if (settled) return;
				settled = true;
				clearInterval(poll);
				clearTimeout(limit);
				if (error === undefined) resolve(controlPath);
				else reject(error);
			};

			// ssh makes the control socket once it is logged in.
			const poll = setInterval(() => {
				if (existsSync(controlPath)) finish();
			}, 5);
			const limit = setTimeout(() => {
				if (master === child) stopMaster();
				finish(new EngineError('timeout', `ssh ${target.host} did not log in within ${Math.round(loginTimeoutMs / 1000)} s`));
			}, loginTimeoutMs);
			child.on('error', error => {
				if (master === child) stopMaster();
				const {reason, hint} = describeSshFailure(target, {exitCode: null, stderr, spawnError: (error as NodeJS.ErrnoException).code});
				finish(new EngineError('unreachable', hint === undefined ? reason : `${reason} (${hint})`));
			});
			child.on('exit', code => {
				if (master === child) {
					master = undefined;
					masterReady = undefined;
					masterRoute = undefined;
				}

				rmSync(controlPath, {force: true});
				rmSync(forwardedPath(controlPath), {force: true});
				// Every channel rides on this connection: they end with it.
				for (const channel of channels) channel.kill();
				const {reason, hint} = describeSshFailure(target, {exitCode: code, stderr});
				const kind = /refused the login|host key/.test(reason) ? 'permission' : 'unreachable';
				finish(new EngineError(kind, hint === undefined ? reason : `${reason} (${hint})`));
			});
		});
	}

	const ensureMaster = async (): Promise<string> => {
		if (closed) throw new EngineError('aborted', 'the ssh connection was closed');
		masterReady ??= startMaster();
		return masterReady;
	};

	const forwardedPath = (controlPath: string): string => `${controlPath}.engine`;

	// Anything short of a forward that answers HTTP leaves the connections to dial-stdio,
	// which resolves the engine as the docker CLI does.
	async function decideRoute(controlPath: string, line: Promise<string | undefined> | undefined): Promise<SshRoute> {
		const dialStdio: SshRoute = {kind: 'dial-stdio'};
		if (options.forwardSocket === false || line === undefined) return dialStdio;
		// Logged in already: the line follows within a shell's start, or never (a forced command).
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<undefined>(resolve => {
			timer = setTimeout(() => resolve(undefined), LINE_AFTER_LOGIN_MS);
		});
		const remotePath = engineSocketFrom((await Promise.race([line, late])) ?? '');
		clearTimeout(timer);
		if (remotePath === undefined) return dialStdio;
		const localPath = forwardedPath(controlPath);
		rmSync(localPath, {force: true});
		const forwarded = await new Promise<boolean>(resolve => {
			execFile(sshBinary, forwardArguments(target, controlPath, localPath, remotePath), {timeout: connectTimeoutMs}, error => resolve(error === null));
		});
		if (!forwarded || !(await answersHttp(localPath, connectTimeoutMs))) return dialStdio;
		agent.maxSockets = FORWARDED_CONNECTIONS;
		agent.maxFreeSockets = FORWARDED_CONNECTIONS;
		return {kind: 'forward', localPath, remotePath};
	}

	// Known once decided, for the master it was decided for.
	let decided: {controlPath: string; route: SshRoute} | undefined;
	const ensureRoute = (controlPath: string): Promise<SshRoute> => {
		masterRoute ??= decideRoute(controlPath, masterFirstLine).then(route => {
			decided = {controlPath, route};
			return route;
		});
		return masterRoute;
	};

	const maxChannels = options.maxChannels ?? 3;
	const agentOptions: AgentOptions = {keepAlive: true, maxSockets: maxChannels, maxFreeSockets: maxChannels};
	const agent = new Agent(agentOptions);
	// Only a connection that holds a session is worth giving up for one.
	const idleChannels = (): Duplex[] => Object.values(agent.freeSockets).flatMap(sockets => sockets ?? []).filter(socket => socket instanceof ChannelSocket && socket.usesSession);
	const masterRunning = (): boolean => master !== undefined && master.exitCode === null && master.signalCode === null;
	const sessions = new SessionBudget(options.maxSessions ?? DEFAULT_SESSIONS, () => {
		const idle = idleChannels()[0];
		idle?.destroy();
		return idle !== undefined;
	}, error => {
		const message = error instanceof Error ? error.message : String(error);
		// A host read says only its last line: a client of the master whose session was
		// refused falls back to its own connection, which the failing proxy command ends.
		return isRefusedSession(message) || (PROXY_FALLBACK_ENDED.test(message) && masterRunning());
	});
	// A connection the agent keeps for later while a session is wanted now is given up.
	agent.on('free', (socket: Duplex) => {
		if (sessions.hasWaiting && idleChannels().includes(socket)) socket.destroy();
	});

	const opener: ChannelOpener = {
		async open() {
			const controlPath = await ensureMaster();
			// The first connections do not wait for the forward (the remote shell's start, a
			// mux command, a ping): they run dial-stdio at once, and later ones are forwarded.
			void ensureRoute(controlPath);
			const route = decided?.controlPath === controlPath ? decided.route : undefined;
			if (route?.kind === 'forward') return {channel: new SocketChannel(createConnection({path: route.localPath})), session: false};
			await sessions.take();
			try {
				const child = spawn(sshBinary, channelArguments(target, controlPath, connectTimeoutSeconds), {stdio: ['pipe', 'pipe', 'pipe']});
				channels.add(child);
				child.on('exit', () => channels.delete(child));
				child.on('error', () => channels.delete(child));
				return {channel: child, session: true};
			} catch (error) {
				sessions.release();
				throw error;
			}
		},
		release: () => sessions.release(),
		refused() {
			sessions.refused();
			// Fewer connections, so the agent queues requests instead of opening ones that wait.
			agent.maxSockets = Math.max(1, Math.min(maxChannels, sessions.sessionLimit));
		},
	};

	// Handed over synchronously: node's agent counts a connection only once it has it, so one
	// given later (after the master logs in) let every request of a burst open its own.
	(agent as unknown as {createConnection: (options: unknown, callback: CreateCallback) => Duplex}).createConnection = () => new ChannelSocket(opener);

	return {
		agent,
		async controlPath() {
			if (master === undefined || masterReady === undefined) return undefined;
			try {
				return await masterReady;
			} catch {
				return undefined;
			}
		},
		get connectionsOpened() {
			return opened;
		},
		async route() {
			if (masterRoute === undefined) return undefined;
			return masterRoute;
		},
		async withinSession(work) {
			return sessions.within(work);
		},
		close() {
			process.removeListener('exit', onExit);
			sessions.close(new EngineError('aborted', 'the ssh connection was closed'));
			agent.destroy();
			onExit();
		},
	};
}
