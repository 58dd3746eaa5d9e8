import {EventEmitter} from 'node:events';
import type {Socket} from 'node:net';
import {Duplex} from 'node:stream';
import type {Readable, Writable} from 'node:stream';
import {EngineError} from '../model/gateway.js';

// sshd lets one connection carry MaxSessions sessions (10 unless its config says otherwise)
// and refuses the next one. Everything docknet asks of an ssh:// engine is a session of its
// one connection: each HTTP connection to the engine and each host read. The budget below
// hands them out and never more at once than sshd has shown it allows; when sshd refuses one
// anyway, the limit drops to what was open and the refused one waits for a session instead
// of failing.

/** What an ssh channel prints when the master could not open its session (OpenSSH's mux.c, channels.c). */
const REFUSED_SESSION = /session request failed|open failed|refused by peer|administratively prohibited|no more sessions/i;

export function isRefusedSession(stderr: string): boolean {
	return REFUSED_SESSION.test(stderr);
}

export class SessionBudget {
	private taken = 0;
	private readonly waiting: Array<{grant: () => void; fail: (error: Error) => void}> = [];
	private closedBy: Error | undefined;

	/**
	 * @param limit sessions at once besides the master's own, until sshd shows fewer
	 * @param reclaimIdle ends one idle session (a kept-alive HTTP connection) so a waiting one can go; false when none is idle
	 * @param wasRefused whether a failed run of within() was one whose session sshd refused
	 */
	constructor(
		private limit: number,
		private readonly reclaimIdle: () => boolean,
		private readonly wasRefused: (error: unknown) => boolean = error => isRefusedSession(error instanceof Error ? error.message : String(error)),
	) {}

	get sessionLimit(): number {
		return this.limit;
	}

	get hasWaiting(): boolean {
		return this.waiting.length > 0;
	}

	/** Resolves once a session is granted; release() it when it ends. */
	async take(): Promise<void> {
		if (this.closedBy !== undefined) throw this.closedBy;
		if (this.taken < this.limit && this.waiting.length === 0) {
			this.taken += 1;
			return;
		}

		const granted = new Promise<void>((grant, fail) => {
			this.waiting.push({grant, fail});
		});
		this.reclaimIdle();
		return granted;
	}

	release(): void {
		this.taken -= 1;
		this.grant();
	}

	/** The connection is gone for good: whoever waits for a session is told so, and nobody gets one. */
	close(error: Error): void {
		this.closedBy = error;
		for (const waiter of this.waiting.splice(0)) waiter.fail(error);
	}

	/** sshd refused a session while `taken` were held (that one included): it allows one fewer. */
	refused(): void {
		this.limit = Math.max(1, this.taken - 1);
	}

	/**
	 * Runs `work` inside one session; when sshd refused that session, the limit drops and
	 * `work` runs again in the next one granted (what sshd refused never ran).
	 */
	async within<T>(work: () => Promise<T>): Promise<T> {
		for (;;) {
			await this.take();
			try {
				return await work();
			} catch (error) {
				// At one session there is nothing left to wait for.
				if (this.limit <= 1 || !this.wasRefused(error)) throw error;
				this.refused();
			} finally {
				this.release();
			}
		}
	}

	private grant(): void {
		while (this.taken < this.limit && this.waiting.length > 0) {
			this.taken += 1;
			this.waiting.shift()?.grant();
		}

		if (this.waiting.length > 0) this.reclaimIdle();
	}
}

/**
 * What carries one HTTP connection to the engine: an ssh process (a mux client running
 * `docker system dial-stdio`, a ChildProcess) or a socket the master forwards to the
 * engine's own (SocketChannel). Only what ChannelSocket uses.
 */
export interface Channel {
	readonly stdin: Writable | null;
	readonly stdout: Readable | null;
	readonly stderr: Readable | null;
	readonly exitCode: number | null;
	readonly signalCode: NodeJS.Signals | null;
	kill(): boolean;
	once(event: 'close', listener: () => void): this;
	ref?(): void;
	unref?(): void;
}

/** A connection to the master's forwarded socket, shaped as a channel process: no session, no process. */
export class SocketChannel extends EventEmitter implements Channel {
	exitCode: number | null = null;
	readonly signalCode = null;
	readonly stderr = null;

	constructor(private readonly socket: Socket) {
		super();
		socket.on('error', () => undefined);
		socket.once('close', () => {
			this.exitCode = 0;
			this.emit('close');
		});
	}

	get stdin(): Writable {
		return this.socket;
	}

	get stdout(): Readable {
		return this.socket;
	}

	kill(): boolean {
		this.socket.destroy();
		return true;
	}

	ref(): void {
		this.socket.ref();
	}

	unref(): void {
		this.socket.unref();
	}
}

export interface OpenedChannel {
	channel: Channel;
	/** It holds one of sshd's sessions, given back with release() when it ends. */
	session: boolean;
}

export interface ChannelOpener {
	/** Starts a channel (in a session granted first, when it needs one); rejects when the engine cannot be reached. */
	open(): Promise<OpenedChannel>;
	/** The session the channel held has ended. */
	release(): void;
	/** sshd refused the channel's session: it held one that sshd would not give. */
	refused(): void;
}

/**
 * One HTTP connection to the engine, handed to node's HTTP agent at once (the agent counts
 * its connections only when they are handed over synchronously) and carried by an ssh
 * channel once a session is granted. Until the engine has answered, what was written is
 * kept: a channel whose session sshd refused never reached the engine, so the same bytes go
 * out again on the next channel.
 */
export class ChannelSocket extends Duplex {
	private child: Channel | undefined;
	private unanswered: Buffer[] | undefined = [];
	private ending = false;
	private holdsSession = false;
	/** What the agent last asked: a channel that arrives later is referenced as asked. */
	private referenced = true;

	constructor(private readonly opener: ChannelOpener) {
		super({allowHalfOpen: false});
		this.attach();
	}

	override _read(): void {
		this.child?.stdout?.resume();
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.unanswered?.push(chunk);
		const stdin = this.child?.stdin;
		if (this.child === undefined) {
			callback();
			return;
		}

		if (stdin === null || stdin === undefined || stdin.destroyed) {
			callback(new EngineError('unreachable', 'the ssh channel to the engine closed'));
			return;
		}

		stdin.write(chunk, callback);
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.ending = true;
		this.child?.stdin?.end();
		callback();
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		const {child} = this;
		if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill();
		else this.releaseSession();
		callback(error);
	}

	// What node's HTTP agent calls on a net.Socket.
	/** Whether this connection holds one of sshd's sessions now (an idle one may be given up for a host read). */
	get usesSession(): boolean {
		return this.holdsSession;
	}

	setKeepAlive(): this {
		return this;
	}

	setNoDelay(): this {
		return this;
	}

	setTimeout(_ms: number, callback?: () => void): this {
		if (callback) this.once('timeout', callback);
		return this;
	}

	// An idle kept-alive channel must not keep docknet running (a snapshot ends on its own).
	ref(): this {
		this.referenced = true;
		this.applyReference();
		return this;
	}

	unref(): this {
		this.referenced = false;
		this.applyReference();
		return this;
	}

	private applyReference(): void {
		const {child} = this;
		if (child === undefined) return;
		for (const handle of [child, child.stdout, child.stdin, child.stderr] as Array<{ref?: () => void; unref?: () => void} | null>) {
			if (this.referenced) handle?.ref?.();
			else handle?.unref?.();
		}
	}

	private releaseSession(): void {
		if (!this.holdsSession) return;
		this.holdsSession = false;
		this.opener.release();
	}

	private attach(): void {
		this.opener.open().then(
			({channel: child, session}) => {
				this.holdsSession = session;
				if (this.destroyed) {
					child.kill();
					child.once('close', () => this.releaseSession());
					return;
				}

				this.carryOn(child);
			},
			(error: unknown) => {
				this.destroy(error instanceof Error ? error : new Error(String(error)));
			},
		);
	}

	private carryOn(child: Channel): void {
		this.child = child;
		this.applyReference();
		const {stdout, stdin, stderr} = child;
		if (stdout === null || stdin === null) throw new Error('ssh channel without pipes');
		let errors = '';
		stderr?.setEncoding('utf8');
		stderr?.on('data', (chunk: string) => {
			errors = (errors + chunk).slice(-2000);
		});
		stdout.on('data', (chunk: Buffer) => {
			this.unanswered = undefined;
			if (!this.push(chunk)) stdout.pause();
		});
		stdin.on('error', () => undefined);
		for (const chunk of this.unanswered ?? []) stdin.write(chunk);
		if (this.ending) stdin.end();
		child.once('close', () => {
			this.child = undefined;
			const retry = this.unanswered !== undefined && !this.destroyed && isRefusedSession(errors);
			if (retry) this.opener.refused();
			this.releaseSession();
			if (retry) {
				this.attach();
				return;
			}

			// Whatever was still buffered has been read; a channel that ends is a closed socket.
			this.push(null);
			this.destroy();
		});
	}
}
