import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server} from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {IDS, UINT64_MAX, UINT64_MAX_TEXT, containerInspectAnswer, containerListAnswer, infoAnswer, networkAnswers, versionAnswer, type ContractVersion} from './engine-api-answers.js';

// A small HTTP server on a real unix socket that answers as an engine of one API version
// would, from the written answers, and records every request body, so the real gateway
// (dockerode's modem, docker-gateway.ts) is what the contract tests exercise.

export interface RecordedRequest {
	method: string;
	path: string;
	body: Record<string, unknown> | undefined;
}

export interface ReplayEngine {
	socketPath: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<Record<string, unknown> | undefined> => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
};

function answer(minor: ContractVersion, method: string, route: string): {status: number; body: unknown} {
	const networks = networkAnswers(minor);
	if (method === 'GET' && route === '/_ping') return {status: 200, body: 'OK'};
	if (method === 'GET' && route === '/version') return {status: 200, body: versionAnswer(minor)};
	if (method === 'GET' && route === '/info') return {status: 200, body: infoAnswer(minor)};
	// The list leaves Status out, as the engine does: only an inspect counts addresses.
	if (method === 'GET' && route === '/networks') return {status: 200, body: networks.map(({Status: _status, ...rest}) => rest)};
	if (method === 'GET' && route === '/containers/json') return {status: 200, body: containerListAnswer(minor)};
	if (method === 'GET' && route === `/containers/${IDS.container}/json`) return {status: 200, body: containerInspectAnswer(minor)};
	const inspected = /^\/networks\/([^/]+)$/.exec(route);
	if (method === 'GET' && inspected) {
		const found = networks.find(item => item['Id'] === inspected[1] || item['Name'] === inspected[1]);
		return found ? {status: 200, body: found} : {status: 404, body: {message: `network ${inspected[1] ?? ''} not found`}};
	}

	if (method === 'POST' && /^\/networks\/[^/]+\/(connect|disconnect)$/.test(route)) return {status: 200, body: ''};
	if (method === 'POST' && route === '/networks/create') return {status: 201, body: {Id: IDS.created, Warning: ''}};
	return {status: 404, body: {message: `page not found: ${method} ${route}`}};
}

export async function startReplayEngine(minor: ContractVersion): Promise<ReplayEngine> {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'docknet-contract-'));
	const socketPath = path.join(directory, 'docker.sock');
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((request, response) => {
		void (async () => {
			const url = new URL(request.url ?? '/', 'http://engine');
			const route = url.pathname.replace(/^\/v1\.\d+/, '');
			const body = await readBody(request);
			requests.push({method: request.method ?? '', path: route, body});
			const {status, body: reply} = answer(minor, request.method ?? '', route);
			response.writeHead(status, {'Content-Type': typeof reply === 'string' ? 'text/plain' : 'application/json', 'Api-Version': `1.${minor}`});
			response.end(typeof reply === 'string' ? reply : JSON.stringify(reply).replaceAll(JSON.stringify(UINT64_MAX), UINT64_MAX_TEXT));
		})();
	});
	await new Promise<void>(resolve => {
		server.listen(socketPath, resolve);
	});
	return {
		socketPath,
		requests,
		close: async () => {
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
