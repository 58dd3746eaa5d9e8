import http from 'node:http';
import {performance} from 'node:perf_hooks';

// The engine's own events stream, opened by the benchmark itself: the `start` event's
// timeNano is where "start → screen" begins, measured by the engine, not by docknet.

export interface BenchEvent {
	type: string;
	action: string;
	id: string;
	name: string | undefined;
	/** Wall-clock time in milliseconds (from the event's timeNano). */
	timeMs: number;
	/** Wall-clock time in milliseconds when this stream received it. */
	receivedMs: number;
}

interface RawEvent {
	Type?: string;
	Action?: string;
	Actor?: {ID?: string; Attributes?: Record<string, string>};
	id?: string;
	timeNano?: number;
	time?: number;
}

type Waiter = {matches: (event: BenchEvent) => boolean; resolve: (event: BenchEvent) => void};

export class EngineEvents {
	readonly events: BenchEvent[] = [];
	private waiters: Waiter[] = [];
	private request: http.ClientRequest | undefined;

	constructor(private readonly socketPath: string) {}

	/** Resolves once the stream is open. */
	async open(): Promise<void> {
		const since = (Date.now() / 1000).toFixed(3);
		await new Promise<void>((resolve, reject) => {
			this.request = http.request({socketPath: this.socketPath, path: `/events?since=${since}`, method: 'GET'}, response => {
				if (response.statusCode !== 200) {
					reject(new Error(`GET /events: ${response.statusCode ?? '?'}`));
					return;
				}

				let partial = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => {
					const lines = (partial + chunk).split('\n');
					partial = lines.pop() ?? '';
					for (const line of lines) {
						if (line.trim() !== '') this.add(line);
					}
				});
				resolve();
			});
			this.request.on('error', error => reject(error));
			this.request.end();
		});
	}

	close(): void {
		this.request?.destroy();
	}

	/** The first event so far or from now on that matches. */
	async waitFor(matches: (event: BenchEvent) => boolean, timeoutMs = 30_000): Promise<BenchEvent> {
		const known = this.events.find(matches);
		if (known) return known;
		return new Promise<BenchEvent>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter(waiter => waiter !== entry);
				reject(new Error(`no matching engine event within ${timeoutMs} ms`));
			}, timeoutMs);
			const entry: Waiter = {
				matches,
				resolve: event => {
					clearTimeout(timer);
					resolve(event);
				},
			};
			this.waiters.push(entry);
		});
	}

	countSince(timeMs: number): number {
		return this.events.filter(event => event.timeMs >= timeMs).length;
	}

	private add(line: string): void {
		let raw: RawEvent;
		try {
			raw = JSON.parse(line) as RawEvent;
		} catch {
			return;
		}

		const event: BenchEvent = {
			type: raw.Type ?? '',
			action: raw.Action ?? '',
			id: raw.Actor?.ID ?? raw.id ?? '',
			name: raw.Actor?.Attributes?.['name'],
			timeMs: raw.timeNano === undefined ? (raw.time ?? 0) * 1000 : raw.timeNano / 1e6,
			receivedMs: performance.timeOrigin + performance.now(),
		};
		this.events.push(event);
		const matched = this.waiters.filter(waiter => waiter.matches(event));
		this.waiters = this.waiters.filter(waiter => !matched.includes(waiter));
		for (const waiter of matched) waiter.resolve(event);
	}
}
