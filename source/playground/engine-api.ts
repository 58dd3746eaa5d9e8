import http from 'node:http';
import {setTimeout as delay} from 'node:timers/promises';
import type {Readable} from 'node:stream';

// A minimal Docker Engine API client over the private engine's unix socket. The playground
// starts and seeds its own engine before any EngineGateway exists, so it speaks HTTP itself
// instead of going through source/engine/.

export interface ApiResponse {
	status: number;
	body: string;
}

export interface ApiRequestOptions {
	body?: unknown;
	/** Streamed request body (e.g. a tar archive); wins over `body`. */
	stream?: Readable;
	contentType?: string;
	timeoutMs?: number;
}

export class EngineApiError extends Error {
	constructor(
		message: string,
		readonly status: number | undefined,
	) {
		super(message);
		this.name = 'EngineApiError';
	}
}

export function socketPathOf(dockerHost: string): string {
	if (!dockerHost.startsWith('unix://')) {
		throw new Error(`Expected a unix:// Docker host for the private engine, got ${dockerHost}`);
	}

	return dockerHost.slice('unix://'.length);
}

export async function engineRequest(
	socketPath: string,
	method: string,
	urlPath: string,
	options: ApiRequestOptions = {},
): Promise<ApiResponse> {
	const {timeoutMs = 30_000} = options;
	const jsonBody = options.stream === undefined && options.body !== undefined ? JSON.stringify(options.body) : undefined;
	const headers: Record<string, string> = {};
	if (jsonBody !== undefined) {
		headers['Content-Type'] = 'application/json';
		headers['Content-Length'] = String(Buffer.byteLength(jsonBody));
	} else if (options.stream !== undefined) {
		headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
	}

	return new Promise<ApiResponse>((resolve, reject) => {
		let settled = false;
		const finish = (error: Error | undefined, response?: ApiResponse) => {
			if (settled) {
				return;
			}

			settled = true;
			clearTimeout(timer);
			if (error === undefined && response !== undefined) {
				resolve(response);
			} else {
				reject(error ?? new Error('No response'));
			}
		};

		const request = http.request({socketPath, method, path: urlPath, headers}, response => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => {
				finish(undefined, {status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')});
			});
			response.on('error', error => finish(error));
		});
		// An engine can accept a connection and never answer (dockerd 20.10 deadlocks), so every
		// call is bounded.
		const timer = setTimeout(() => {
			const error = new EngineApiError(`${method} ${urlPath}: no answer within ${timeoutMs} ms`, undefined);
			request.destroy(error);
			finish(error);
		}, timeoutMs);
		request.on('error', error => finish(error));
		if (options.stream === undefined) {
			request.end(jsonBody);
		} else {
			options.stream.on('error', error => {
				request.destroy(error);
				finish(error);
			});
			options.stream.pipe(request);
		}
	});
}

/** Like engineRequest, but rejects with the engine's message unless the status is 2xx or listed. */
export async function engineCall(
	socketPath: string,
	method: string,
	urlPath: string,
	options: ApiRequestOptions & {accept?: number[]} = {},
): Promise<ApiResponse> {
	const response = await engineRequest(socketPath, method, urlPath, options);
	const ok = (response.status >= 200 && response.status < 300) || (options.accept ?? []).includes(response.status);
	if (!ok) {
		throw new EngineApiError(`${method} ${urlPath}: ${response.status} ${engineMessage(response.body)}`, response.status);
	}

	return response;
}

function engineMessage(body: string): string {
	try {
		const parsed: unknown = JSON.parse(body);
		if (typeof parsed === 'object' && parsed !== null && 'message' in parsed && typeof parsed.message === 'string') {
			return parsed.message;
		}
	} catch {
		// Not JSON: fall through to the raw text.
	}

	return body.trim();
}

/** Whether the engine answers GET /_ping within a second. */
export async function pingEngine(socketPath: string): Promise<boolean> {
	try {
		const response = await engineRequest(socketPath, 'GET', '/_ping', {timeoutMs: 1000});
		return response.status === 200;
	} catch {
		return false;
	}
}

/**
 * Pings the engine until it answers (true), or until `gaveUp()` (its process has exited) or
 * `timeoutMs` has passed (false).
 */
export async function waitForPing(socketPath: string, timeoutMs: number, gaveUp: () => boolean): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await pingEngine(socketPath)) return true;
		if (gaveUp() || Date.now() > deadline) return false;
		await delay(50);
	}
}
