import {EngineError} from './gateway.js';
import type {EngineSnapshot, SnapshotSource} from './store.js';

// Once a request has left docknet, only the engine knows whether it happened. A request that
// timed out may still be carried out: a frozen dockerd keeps it in its socket and applies it
// when it runs again, and a hung one may finish it minutes later. So a timed-out action is
// never reported as "nothing changed": docknet watches for its effect — in the store, which
// the engine's events keep current, and by asking the engine directly once it answers — and
// says what it found.

/** Whether the request may have reached the engine although no answer came back. */
export function outcomeUnknown(error: unknown): boolean {
	if (!(error instanceof EngineError)) return false;
	if (error.kind === 'timeout') return true;
	// Cut while waiting for the answer (a killed or restarted engine): sent, fate unknown.
	return error.kind === 'unreachable' && /closed the connection/.test(error.message);
}

/** HH:MM:SS in local time, as the events strip shows times. */
export function clockTime(epochMs: number): string {
	const date = new Date(epochMs);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

/**
 * When the engine's own event says the change happened: the newest matching event in the
 * events strip, if it is not older than the request (an earlier connect of the same pair).
 */
export function eventTime(
	snapshot: EngineSnapshot,
	sentAt: number,
	matches: (event: EngineSnapshot['events'][number]) => boolean,
): number | undefined {
	// The engine's clock may differ a little from ours (a remote engine).
	const event = snapshot.events.find(item => matches(item) && item.time >= sentAt - 5000);
	return event?.time;
}

export interface OutcomeCheck {
	/** The store shows the effect; returns when it happened (the engine's event time if known). */
	seen(snapshot: EngineSnapshot): {at: number} | undefined;
	/** Asks the engine whether the effect is there; throws when the engine does not answer. */
	verify(): Promise<boolean>;
}

export interface Outcome {
	applied: boolean;
	/** When it was applied (or, when not, when the engine last said it was not). */
	at: number;
}

export interface OutcomeWatchOptions {
	now?: () => number;
	/** Gap between direct checks while the verdict is open. */
	recheckMs?: number;
	/**
	 * "Not applied" needs a check sent this long after the engine first answered again: a
	 * request still queued in its socket is carried out within moments of it running again.
	 */
	graceMs?: number;
	/** After "not applied", how long an effect that appears anyway is still reported. */
	lateWatchMs?: number;
	/** Once the engine says it was applied, how long to wait for the store to show it too. */
	storeLagMs?: number;
}

export interface OutcomeWatch {
	/** The verdict. */
	readonly outcome: Promise<Outcome>;
	/** After a "not applied" verdict: when the effect shows up after all, within lateWatchMs. */
	readonly late: Promise<{at: number} | undefined>;
	/** Stops watching (docknet is exiting). */
	cancel(): void;
}

export function watchOutcome(store: SnapshotSource, check: OutcomeCheck, options: OutcomeWatchOptions = {}): OutcomeWatch {
	const now = options.now ?? Date.now;
	const recheckMs = options.recheckMs ?? 1000;
	const graceMs = options.graceMs ?? 2000;
	const lateWatchMs = options.lateWatchMs ?? 60_000;
	const storeLagMs = options.storeLagMs ?? 3000;
	let settled = false;
	let cancelled = false;
	let timer: NodeJS.Timeout | undefined;
	let settle: (outcome: Outcome) => void = () => undefined;
	let settleLate: (late: {at: number} | undefined) => void = () => undefined;
	const outcome = new Promise<Outcome>(resolve => {
		settle = resolve;
	});
	const late = new Promise<{at: number} | undefined>(resolve => {
		settleLate = resolve;
	});

	const finish = (result: Outcome): void => {
		if (settled) return;
		settled = true;
		clearTimeout(timer);
		settle(result);
		if (result.applied) {
			unsubscribe();
			settleLate(undefined);
			return;
		}

		// Keep looking for a while: the engine may carry it out later after all.
		timer = setTimeout(() => {
			unsubscribe();
			settleLate(undefined);
		}, lateWatchMs);
		timer.unref();
	};

	const look = (): void => {
		const seen = check.seen(store.getSnapshot());
		if (!seen) return;
		if (!settled) finish({applied: true, at: seen.at});
		else {
			clearTimeout(timer);
			unsubscribe();
			settleLate(seen);
		}
	};

	const unsubscribe = store.subscribe(look);

	// The first time the engine answered a check since the watch began.
	let answeringSince: number | undefined;
	const verifyLoop = async (): Promise<void> => {
		while (!settled && !cancelled) {
			// Only ask an engine that is known to answer; the sync and its probe find that out.
			const status = store.getSnapshot().connection.status;
			if (status === 'live') {
				const sentAt = now();
				try {
					const applied = await check.verify();
					if (settled || cancelled) return;
					if (applied) {
						// The engine has it; the store (and with it the panes and the message's
						// details) follows with the event or the resync. Wait a moment for that.
						const verifiedAt = now();
						timer = setTimeout(() => finish({applied: true, at: verifiedAt}), storeLagMs);
						timer.unref();
						look();
						return;
					}

					answeringSince ??= sentAt;
					if (sentAt - answeringSince >= graceMs) {
						finish({applied: false, at: now()});
						return;
					}
				} catch {
					answeringSince = undefined;
				}
			} else {
				answeringSince = undefined;
			}

			await new Promise<void>(resolve => {
				timer = setTimeout(resolve, recheckMs);
				timer.unref();
			});
		}
	};

	look();
	if (!settled) void verifyLoop();

	return {
		outcome,
		late,
		cancel: () => {
			cancelled = true;
			clearTimeout(timer);
			unsubscribe();
			settleLate(undefined);
		},
	};
}
