import {rmSync} from 'node:fs';
import net from 'node:net';

// A unix-socket proxy in front of an engine's socket that misbehaves on request: answers in
// one-byte pieces, fails with 500, sends cut-off or wrong-shaped JSON, answers slowly, or
// accepts a request and never answers it; and for /events, a stream of its own lines
// (malformed, 10 MB long). Rules pick requests by method and path; a rule may apply a
// number of times only. Everything else passes through unchanged.
//
// Each request is forwarded on a connection of its own with `Connection: close`, so every
// request the client sends (keep-alive or not) is seen and judged separately.

export type Fault =
	/** Forward, and send the engine's answer on one byte at a time. */
	| {kind: 'dribble'}
	/** Answer with this HTTP status and body (JSON), without asking the engine. */
	| {kind: 'status'; status: number; body: string}
	/** Answer 200 with this body (cut-off or wrong-shaped JSON), without asking the engine. */
	| {kind: 'body'; body: string}
	/** Forward after this long. */
	| {kind: 'slow'; delayMs: number}
	/** Accept the request and never answer (nor forward it). */
	| {kind: 'hang'}
	/** For /events: a stream of these lines (each gets a newline), then the stream ends. */
	| {kind: 'events'; lines: string[]};

export interface FaultRule {
	method?: string;
	path: RegExp;
	fault: Fault;
	/** How many requests it applies to; unlimited when absent. */
	times?: number;
}

export interface SeenRequest {
	method: string;
	path: string;
	/** The fault applied, or 'pass'. */
	fault: Fault['kind'] | 'pass';
}

export interface FaultProxy {
	socketPath: string;
	dockerHost: string;
	readonly requests: readonly SeenRequest[];
	addRule(rule: FaultRule): void;
	clearRules(): void;
	/** Ends every connection held open (hung requests, streams), without closing the proxy. */
	dropConnections(): void;
	close(): Promise<void>;
}

interface ParsedRequest {
	method: string;
	path: string;
	head: string;
	body: Buffer;
}

const statusText: Record<number, string> = {200: 'OK', 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error', 503: 'Service Unavailable'};

function response(status: number, body: string): Buffer {
	const payload = Buffer.from(body, 'utf8');
	return Buffer.concat([
		Buffer.from(`HTTP/1.1 ${status} ${statusText[status] ?? 'Status'}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`, 'latin1'),
		payload,
	]);
}

/** Splits one request off the front of `buffer` once its head and body are complete. */
function takeRequest(buffer: Buffer): {request: ParsedRequest; rest: Buffer} | undefined {
	const end = buffer.indexOf('\r\n\r\n');
	if (end < 0) return undefined;
	const headText = buffer.subarray(0, end).toString('latin1');
	const [requestLine = '', ...headerLines] = headText.split('\r\n');
	const [method = 'GET', path = '/'] = requestLine.split(' ');
	const lengthHeader = headerLines.find(line => /^content-length:/i.test(line));
	const length = lengthHeader === undefined ? 0 : Number(lengthHeader.split(':')[1]?.trim() ?? 0);
	if (buffer.length < end + 4 + length) return undefined;
	const kept = headerLines.filter(line => !/^connection:/i.test(line));
	const head = `${requestLine}\r\n${[...kept, 'Connection: close'].join('\r\n')}\r\n\r\n`;
	return {
		request: {method, path, head, body: buffer.subarray(end + 4, end + 4 + length)},
		rest: buffer.subarray(end + 4 + length),
	};
}

function chunked(text: string): string {
	const size = Buffer.byteLength(text, 'utf8');
	return `${size.toString(16)}\r\n${text}\r\n`;
}

export async function startFaultProxy(listenPath: string, engineSocketPath: string): Promise<FaultProxy> {
	rmSync(listenPath, {force: true});
	let rules: FaultRule[] = [];
	const requests: SeenRequest[] = [];
	const sockets = new Set<net.Socket>();
	const track = (socket: net.Socket): net.Socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		return socket;
	};

	const pick = (request: ParsedRequest): Fault | undefined => {
		const rule = rules.find(item => (item.method === undefined || item.method === request.method) && item.path.test(request.path));
		if (!rule) return undefined;
		if (rule.times !== undefined) {
			rule.times -= 1;
			if (rule.times <= 0) rules = rules.filter(item => item !== rule);
		}

		return rule.fault;
	};

	const forward = (client: net.Socket, request: ParsedRequest, dribble: boolean): void => {
		const engine = track(net.connect(engineSocketPath));
		engine.write(request.head);
		if (request.body.length > 0) engine.write(request.body);
		if (!dribble) {
			engine.pipe(client);
			return;
		}

		const queue: Buffer[] = [];
		let pumping = false;
		let ended = false;
		const pump = (): void => {
			const chunk = queue[0];
			if (!chunk) {
				pumping = false;
				if (ended) client.end();
				return;
			}

			client.write(chunk.subarray(0, 1));
			if (chunk.length === 1) queue.shift();
			else queue[0] = chunk.subarray(1);
			setImmediate(pump);
		};

		engine.on('data', (chunk: Buffer) => {
			queue.push(chunk);
			if (!pumping) {
				pumping = true;
				setImmediate(pump);
			}
		});
		engine.on('end', () => {
			ended = true;
			if (!pumping) client.end();
		});
		client.on('close', () => engine.destroy());
	};

	const handle = (client: net.Socket, request: ParsedRequest): void => {
		const fault = pick(request);
		requests.push({method: request.method, path: request.path, fault: fault?.kind ?? 'pass'});
		switch (fault?.kind) {
			case undefined:
				forward(client, request, false);
				return;
			case 'dribble':
				forward(client, request, true);
				return;
			case 'status':
				client.end(response(fault.status, fault.body));
				return;
			case 'body':
				client.end(response(200, fault.body));
				return;
			case 'slow':
				setTimeout(() => {
					if (!client.destroyed) forward(client, request, false);
				}, fault.delayMs);
				return;
			case 'hang':
				return;
			case 'events': {
				client.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
				for (const line of fault.lines) {
					const text = `${line}\n`;
					// Large lines go in pieces, as the engine sends them.
					for (let start = 0; start < text.length; start += 65_536) client.write(chunked(text.slice(start, start + 65_536)));
				}

				client.end('0\r\n\r\n');
				return;
			}
		}
	};

	const server = net.createServer(socket => {
		const client = track(socket);
		let buffer = Buffer.alloc(0);
		let handled = false;
		client.on('data', (chunk: Buffer) => {
			// One request per connection (the forwarded head says Connection: close).
			if (handled) return;
			buffer = Buffer.concat([buffer, chunk]);
			const taken = takeRequest(buffer);
			if (!taken) return;
			handled = true;
			handle(client, taken.request);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(listenPath, resolve);
	});

	return {
		socketPath: listenPath,
		dockerHost: `unix://${listenPath}`,
		requests,
		addRule: rule => {
			rules.push({...rule});
		},
		clearRules: () => {
			rules = [];
		},
		dropConnections: () => {
			for (const socket of sockets) socket.destroy();
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>(resolve => server.close(() => resolve()));
			rmSync(listenPath, {force: true});
		},
	};
}
