import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {EngineError} from '../../source/model/gateway.js';
import {createUnixPinger} from '../../source/engine/unix-ping.js';

const unixPing = async (socketPath: string, timeoutMs: number): Promise<void> => {
	const pinger = createUnixPinger(socketPath);
	try {
		await pinger.ping(timeoutMs);
	} finally {
		pinger.close();
	}
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'dn-ping-'));
const servers: net.Server[] = [];
after(() => {
	for (const server of servers) server.close();
	rmSync(dir, {recursive: true, force: true});
});

async function serve(name: string, onRequest: (socket: net.Socket) => void, eachRequest = false): Promise<string> {
	const socketPath = path.join(dir, name);
	const server = net.createServer(socket => {
		if (eachRequest) socket.on('data', () => onRequest(socket));
		else socket.once('data', () => onRequest(socket));
		socket.on('error', () => undefined);
	});
	servers.push(server);
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	return socketPath;
}

const kindOf = async (promise: Promise<void>): Promise<string> => {
	try {
		await promise;
		return 'answered';
	} catch (error) {
		assert.ok(error instanceof EngineError);
		return error.kind;
	}
};

describe('unixPing', () => {
	test('one connection for many pings while the engine keeps it open; a fresh one once it closed it', async () => {
		const accepted: net.Socket[] = [];
		const socketPath = await serve('kept.sock', socket => socket.write('HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK'), true);
		servers.at(-1)?.on('connection', socket => accepted.push(socket));
		const pinger = createUnixPinger(socketPath);
		try {
			for (let index = 0; index < 5; index++) await pinger.ping(1000);
			assert.equal(accepted.length, 1, 'one connection for five pings');
			// The engine drops the idle connection: the next ping still gets through.
			for (const socket of accepted) socket.destroy();
			await pinger.ping(1000);
			assert.equal(accepted.length, 2);
		} finally {
			pinger.close();
		}
	});

	test('any HTTP status is an answer, even in one-byte pieces', async () => {
		const ok = await serve('ok.sock', socket => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK'));
		const failing = await serve('500.sock', socket => socket.end('HTTP/1.1 500 Internal Server Error\r\n\r\n'));
		const dribble = await serve('dribble.sock', socket => {
			const bytes = [...'HTTP/1.1 200 OK\r\n\r\nOK'];
			const timer = setInterval(() => {
				const next = bytes.shift();
				if (next === undefined) {
					clearInterval(timer);
					socket.end();
				} else socket.write(next);
			}, 2);
		});
		assert.equal(await kindOf(unixPing(ok, 1000)), 'answered');
		assert.equal(await kindOf(unixPing(failing, 1000)), 'answered');
		assert.equal(await kindOf(unixPing(dribble, 1000)), 'answered');
	});

	test('silence is a time-out; no socket, a cut connection and garbage are not', async () => {
		const silent = await serve('silent.sock', () => undefined);
		const cut = await serve('cut.sock', socket => socket.destroy());
		const garbage = await serve('garbage.sock', socket => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
		const started = Date.now();
		assert.equal(await kindOf(unixPing(silent, 100)), 'timeout');
		assert.ok(Date.now() - started >= 95);
		assert.equal(await kindOf(unixPing(path.join(dir, 'none.sock'), 1000)), 'unreachable');
		assert.equal(await kindOf(unixPing(cut, 1000)), 'unreachable');
		assert.equal(await kindOf(unixPing(garbage, 1000)), 'engine');
	});
});
