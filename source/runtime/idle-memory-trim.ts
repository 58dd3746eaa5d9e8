import type * as inspector from 'node:inspector';
import v8 from 'node:v8';

// V8 grows its young generation (two semi-spaces) to 16 MB each while docknet starts or
// follows a burst of events, and on Node 20 never gives it back on its own while docknet
// idles: a forced gc() leaves it as big, and V8's memory reducer judges the once-a-second
// counter reads "high allocation" and keeps waiting. What does give it back is the
// low-memory collection, which V8 offers to embedders only (Node has no API for it) and to
// the inspector protocol as HeapProfiler.collectGarbage: through an in-process inspector
// session (no port is opened) it shrinks the young generation to its initial size and
// compacts the rest. Measured at N = 200: 16 to 20 MB less resident memory, one pause of
// tens of ms (one full collection of that heap takes 25-47 ms; this runs two or more).
// It runs only once the engines have been quiet for 3 s (the caller passes changes of what
// the engines hold, not the host's once-a-second counters), and only when the young
// generation has grown: a pause that lands between a `docker run`'s create and start
// delays that row. With half a second of quiet (and 1.5 s at the latest, counting every
// store change) it did: start -> screen went from 23 to 47-52 ms in the benchmark, whose
// starts come about half a second apart.

const MB = 1024 * 1024;

export interface IdleMemoryTrimOptions {
	/** Calls the listener on every change of what the engines hold (containers, networks). */
	subscribe: (listener: () => void) => () => void;
	/** Quiet this long after the last change before trimming. */
	quietMs?: number;
	/**
	 * At the latest this long after the first change (default: never). A trim in the middle of
	 * a storm of starts held a frame back by up to 1.4 s on this loaded machine: memory is
	 * given back when docknet is idle, not while it is busy.
	 */
	maxWaitMs?: number;
	/** Trim only when the young generation has grown past this (its initial size is 2 MB). */
	youngLimitBytes?: number;
	/** Bytes V8 has reserved for the young generation now (tests pass their own). */
	youngGenerationBytes?: () => number;
	/**
	 * No trim while the heap holds more than this: the collection goes through the whole heap
	 * (1.2 s with 200,000 networks, ~1 GB), and the young generation's 16 MB are then a small
	 * part of it — not worth a pause that a key pressed meanwhile waits for.
	 */
	heapLimitBytes?: number;
	/** Bytes the heap holds now (tests pass their own). */
	heapUsedBytes?: () => number;
	/** Collects with V8's low-memory collection (tests pass their own). */
	collect?: () => Promise<void>;
}

export interface IdleMemoryTrim {
	stop(): void;
	/** How many trims ran (tests). */
	readonly trims: number;
}

function youngGenerationBytes(): number {
	return v8.getHeapSpaceStatistics().find(space => space.space_name === 'new_space')?.space_size ?? 0;
}

type Inspector = typeof inspector;

async function loadInspector(): Promise<Inspector> {
	// The main bundle runs in a vm.Script with no dynamic-import hook, where import() of a
	// built-in module fails; its require is the real one. In development (tsx) import() works.
	// eslint-disable-next-line @typescript-eslint/no-var-requires -- see above: import() cannot run there
	return typeof require === 'function' ? (require('node:inspector') as Inspector) : import('node:inspector');
}

async function lowMemoryCollection(): Promise<void> {
	// Loaded on first use: the inspector module costs start-up nothing this way. A node built
	// without the inspector throws here, and docknet simply keeps its memory.
	const {Session} = await loadInspector();
	const session = new Session();
	session.connect();
	try {
		await new Promise<void>((resolve, reject) => {
			session.post('HeapProfiler.collectGarbage', error => (error ? reject(error) : resolve()));
		});
	} finally {
		// Not from inside the session's own callback: disconnecting there can hang the session.
		setImmediate(() => session.disconnect());
	}
}

/** Trims the heap once docknet has been quiet for a moment after start-up or a burst of changes. */
export function startIdleMemoryTrim(options: IdleMemoryTrimOptions): IdleMemoryTrim {
	const quietMs = options.quietMs ?? 3000;
	const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
	const youngLimit = options.youngLimitBytes ?? 4 * MB;
	const measureYoung = options.youngGenerationBytes ?? youngGenerationBytes;
	const collect = options.collect ?? lowMemoryCollection;
	const heapLimit = options.heapLimitBytes ?? 256 * MB;
	const measureHeap = options.heapUsedBytes ?? (() => v8.getHeapStatistics().used_heap_size);
	let timer: NodeJS.Timeout | undefined;
	let firstChangeAt: number | undefined;
	let stopped = false;
	let broken = false;
	let trims = 0;

	const trim = (): void => {
		timer = undefined;
		firstChangeAt = undefined;
		if (stopped || broken || measureYoung() <= youngLimit || measureHeap() > heapLimit) return;
		trims++;
		collect().catch(() => {
			broken = true;
		});
	};

	const arm = (): void => {
		if (stopped || broken) return;
		const now = performance.now();
		firstChangeAt ??= now;
		clearTimeout(timer);
		timer = setTimeout(trim, Math.max(0, Math.min(quietMs, firstChangeAt + maxWaitMs - now)));
		// Never what keeps docknet running.
		timer.unref();
	};

	const unsubscribe = options.subscribe(arm);
	arm();
	return {
		stop() {
			stopped = true;
			unsubscribe();
			clearTimeout(timer);
		},
		get trims() {
			return trims;
		},
	};
}
