import {mock} from 'node:test';

// Time-based tests on node:test's mock timers: setTimeout, setInterval and Date move only
// when the test says, so a count of probes or rounds is exact however loaded the machine is.

const settle = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

export interface FakeClock {
	/** Moves time on by `ms`, a step at a time, letting promises settle after each step. */
	advance(ms: number, stepMs?: number): Promise<void>;
	/** Moves time on in steps until `predicate` holds; throws after `limitMs` of fake time. */
	advanceUntil(predicate: () => boolean, what: string, limitMs?: number, stepMs?: number): Promise<void>;
	restore(): void;
}

/** Takes over setTimeout, setInterval and Date (setImmediate stays real: promises settle on it). */
export function useFakeClock(startAt = Date.parse('2026-11-28T10:00:00Z')): FakeClock {
	mock.timers.enable({apis: ['setTimeout', 'setInterval', 'Date'], now: startAt});
	const advance = async (ms: number, stepMs = 1): Promise<void> => {
		for (let moved = 0; moved < ms; moved += stepMs) {
			mock.timers.tick(Math.min(stepMs, ms - moved));
			await settle();
		}
	};

	return {
		advance,
		async advanceUntil(predicate, what, limitMs = 10_000, stepMs = 1) {
			await settle();
			for (let moved = 0; !predicate(); moved += stepMs) {
				if (moved >= limitMs) throw new Error(`${what} did not happen within ${limitMs} ms of fake time`);
				await advance(stepMs, stepMs);
			}
		},
		restore: () => mock.timers.reset(),
	};
}
