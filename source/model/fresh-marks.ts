import {minOf} from './large-arrays.js';
import type {SnapshotStore} from './store.js';

// The "✚new" mark: a container is new when this session first sees it after the first
// listing — not when it was created recently, and not when it starts again (a restart loop
// starts the same container every few seconds). Marks expire on their own.

export class FreshMarks {
	/** Every container id this session has seen. */
	private readonly seen = new Set<string>();
	private firstListingSeen = false;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;

	constructor(
		private readonly store: SnapshotStore,
		private readonly now: () => number,
		/** How long a mark lasts. */
		readonly forMs: number,
	) {}

	/** Of these ids, those never seen before (none until the first listing is in); all are seen now. */
	firstSeen(ids: readonly string[]): string[] {
		const first = this.firstListingSeen ? ids.filter(id => !this.seen.has(id)) : [];
		for (const id of ids) this.seen.add(id);
		this.firstListingSeen = true;
		return first;
	}

	/** Marks these containers as new in the store, each until `forMs` from now. */
	mark(ids: readonly string[]): void {
		if (ids.length === 0) return;
		this.store.update(snapshot => ({...snapshot, freshUntil: this.withMarks(snapshot.freshUntil, ids)}));
		this.scheduleExpiry();
	}

	/** `freshUntil` with these ids marked from now (for a caller that updates the store itself). */
	withMarks(freshUntil: ReadonlyMap<string, number>, ids: readonly string[]): Map<string, number> {
		const until = this.now() + this.forMs;
		const next = new Map(freshUntil);
		for (const id of ids) next.set(id, until);
		return next;
	}

	/** Arms the timer for the earliest mark (after a caller added marks to the store itself). */
	scheduleExpiry(): void {
		clearTimeout(this.timer);
		const marks = [...this.store.getSnapshot().freshUntil.values()];
		if (marks.length === 0 || this.stopped) return;
		const wait = Math.max(0, minOf(marks) - this.now());
		this.timer = setTimeout(() => {
			const now = this.now();
			this.store.update(snapshot => {
				const freshUntil = new Map([...snapshot.freshUntil].filter(([, until]) => until > now));
				return {...snapshot, freshUntil};
			});
			this.scheduleExpiry();
		}, wait + 1);
		this.timer.unref();
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
	}
}
