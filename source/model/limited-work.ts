// Small async helpers for the syncs: bounded parallel work and an abortable wait.

/** Runs `work` over the items with at most `limit` at once. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < items.length) {
			const item = items[next++] as T;
			await work(item);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

/** Resolves after `ms`, or at once when the signal aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal.aborted) {
			resolve();
			return;
		}

		const timer = setTimeout(done, ms);
		function done(): void {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}

		signal.addEventListener('abort', done, {once: true});
	});
}
