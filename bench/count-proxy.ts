import {rmSync} from 'node:fs';
import net from 'node:net';
import {performance} from 'node:perf_hooks';

// A unix-socket proxy in front of the engine's socket that counts the HTTP requests passing
// through it, so the benchmark can tell how many engine calls docknet makes for an event.
// Requests are counted by their request lines ("GET /containers/…/json HTTP/1.1"), which
// works for keep-alive connections too; docknet's requests carry no bodies that could look
// like one.

export interface CountedRequest {
	at: number;
	method: string;
	path: string;
}

export interface CountingProxy {
	socketPath: string;
	readonly requests: readonly CountedRequest[];
	/** Requests that arrived at or after `since` (performance.now()). */
	requestsSince(since: number): CountedRequest[];
	close(): Promise<void>;
}

const requestLine = /^(GET|POST|PUT|DELETE|HEAD|PATCH) (\S+) HTTP\/1\.[01]$/;

export async function startCountingProxy(listenPath: string, engineSocketPath: string): Promise<CountingProxy> {
	rmSync(listenPath, {force: true});
	const requests: CountedRequest[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer(client => {
		const engine = net.connect(engineSocketPath);
		sockets.add(client);
		sockets.add(engine);
		let partial = '';
		client.on('data', (chunk: Buffer) => {
			const at = performance.now();
			const lines = (partial + chunk.toString('latin1')).split('\r\n');
			partial = lines.pop() ?? '';
			// A request line longer than a chunk is not a concern: paths here are short.
			if (partial.length > 8192) partial = '';
			for (const line of lines) {
				const match = requestLine.exec(line);
				if (match) requests.push({at, method: match[1] ?? '', path: match[2] ?? ''});
			}
		});
		client.pipe(engine);
		engine.pipe(client);
		const close = (): void => {
			client.destroy();
			engine.destroy();
			sockets.delete(client);
			sockets.delete(engine);
		};

		client.on('error', close);
		engine.on('error', close);
		client.on('close', close);
		engine.on('close', close);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(listenPath, () => resolve());
	});

	return {
		socketPath: listenPath,
		get requests() {
			return requests;
		},
		requestsSince: since => requests.filter(request => request.at >= since),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>(resolve => server.close(() => resolve()));
			rmSync(listenPath, {force: true});
		},
	};
}
