import {EngineError} from './gateway.js';
import type {EngineGateway} from './gateway.js';

// An engine can stop answering without closing anything: a frozen dockerd (SIGSTOP, a
// deadlock, a machine swapping to death) keeps its sockets open, so the events stream just
// goes quiet — exactly what an idle engine looks like. While nothing else has come from the
// engine for a while, a cheap GET /_ping with a short time limit tells the two apart.
// Anything the engine sends (an answer, event bytes) counts as a sign of life, so a busy
// session sends no probes at all; an idle one sends one every few seconds.

export interface LivenessOptions {
	/** How long the engine may be quiet before a probe is sent; also the gap between probes. */
	intervalMs?: number;
	/** How long a probe may wait for its answer. */
	timeoutMs?: number;
	now?: () => number;
}

export interface LivenessHandlers {
	/** The engine did not answer a probe; `since` is when that probe was sent. */
	onStall(since: number): void;
	/** The engine answered again after a stall. */
	onAnswer(): void;
}

/** Worst case from a freeze to onStall: one interval of quiet, then the probe's time limit. */
// The interval is a little longer than the reconcile round's: while connected, the rounds'
// answers keep an idle engine from being probed at all.
export const DEFAULT_LIVENESS = {intervalMs: 5500, timeoutMs: 3000} as const;

export class LivenessProbe {
	private readonly intervalMs: number;
	private readonly timeoutMs: number;
	private readonly now: () => number;
	private timer: NodeJS.Timeout | undefined;
	private running = false;
	private stalled = false;
	private probing = false;
	/** Bumped by stop(): a probe answered after a stop (or a later start) is ignored. */
	private generation = 0;

	constructor(
		private readonly gateway: Pick<EngineGateway, 'ping' | 'lastAnswerAt'>,
		private readonly handlers: LivenessHandlers,
		options: LivenessOptions = {},
	) {
		this.intervalMs = options.intervalMs ?? DEFAULT_LIVENESS.intervalMs;
		this.timeoutMs = options.timeoutMs ?? DEFAULT_LIVENESS.timeoutMs;
		this.now = options.now ?? Date.now;
	}

	/** Whether the last probe went unanswered. */
	get isStalled(): boolean {
		return this.stalled;
	}

	/** Something else went unanswered: the next answered probe reports a recovery again. */
	suspect(): void {
		if (this.running) this.stalled = true;
	}

	start(): void {
		if (this.running) return;
		this.running = true;
		this.stalled = false;
		this.schedule();
	}

	stop(): void {
		this.running = false;
		this.stalled = false;
		this.generation++;
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	/** While stalled, probes go out at the interval; otherwise once the engine has been quiet for one. */
	private schedule(): void {
		clearTimeout(this.timer);
		if (!this.running) return;
		const quiet = this.now() - this.gateway.lastAnswerAt;
		const wait = this.stalled ? this.intervalMs : Math.max(this.intervalMs - quiet, 0);
		this.timer = setTimeout(() => {
			void this.tick();
		}, wait);
		// A probe never keeps the process alive on its own.
		this.timer.unref();
	}

	private async tick(): Promise<void> {
		if (!this.running || this.probing) return;
		// An answer arrived meanwhile (the probe is only for quiet times).
		if (!this.stalled && this.now() - this.gateway.lastAnswerAt < this.intervalMs) {
			this.schedule();
			return;
		}

		const generation = this.generation;
		const sentAt = this.now();
		this.probing = true;
		let outcome: 'answered' | 'silent' | 'refused';
		try {
			await this.gateway.ping(this.timeoutMs);
			outcome = 'answered';
		} catch (error) {
			// An error status is the engine answering. A refused or broken connection is the
			// events stream's business: it ends too, and the sync reconnects.
			if (!(error instanceof EngineError) || error.statusCode !== undefined) outcome = 'answered';
			else outcome = error.kind === 'timeout' ? 'silent' : 'refused';
		} finally {
			this.probing = false;
		}

		if (generation !== this.generation || !this.running) return;
		if (outcome === 'answered' && this.stalled) {
			this.stalled = false;
			this.handlers.onAnswer();
		} else if (outcome === 'silent' && !this.stalled) {
			this.stalled = true;
			this.handlers.onStall(sentAt);
		}

		// Never straight again: a refused probe leaves lastAnswerAt old.
		clearTimeout(this.timer);
		if (!this.running) return;
		this.timer = setTimeout(() => {
			void this.tick();
		}, this.intervalMs);
		this.timer.unref();
	}
}
