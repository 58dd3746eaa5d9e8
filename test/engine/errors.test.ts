import {connect} from 'node:net';
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {EngineError} from '../../source/model/gateway.js';
import type {ResolvedEndpoint} from '../../source/engine/endpoint.js';
import {describeUnreachable, toEngineError} from '../../source/engine/errors.js';

/** The error docker-modem builds for a non-2xx answer. */
function modemHttpError(statusCode: number, message: string, reason = 'unexpected'): Error {
	return Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${message} `), {reason, statusCode, json: {message}});
}

function errnoError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
	return Object.assign(new Error(message), {code, ...extra});
}

async function realConnectError(path: string): Promise<Error> {
	return new Promise(resolve => {
		connect(path).on('error', resolve);
	});
}

describe('toEngineError', () => {
	for (const [status, kind] of [[404, 'not-found'], [409, 'conflict'], [403, 'forbidden'], [400, 'bad-request'], [500, 'engine'], [503, 'engine'], [401, 'engine']] as const) {
		test(`HTTP ${status} → ${kind}, with the engine's own message`, () => {
			const error = toEngineError(modemHttpError(status, 'network with name x already exists'), 'creating network x');
			assert.equal(error.kind, kind);
			assert.equal(error.statusCode, status);
			assert.equal(error.message, 'network with name x already exists');
		});
	}

	test('falls back to the text after the dockerode prefix when there is no JSON body', () => {
		const error = Object.assign(new Error('(HTTP code 404) no such network - network foo not found '), {statusCode: 404, json: null});
		assert.equal(toEngineError(error).message, 'network foo not found');
		const bodyless = Object.assign(new Error('(HTTP code 500) server error - '), {statusCode: 500, json: null});
		assert.equal(toEngineError(bodyless).message, 'the engine answered with HTTP 500');
	});

	test('uses a plain-text body', () => {
		const error = Object.assign(new Error('(HTTP code 502) unexpected - [object Object] '), {statusCode: 502, json: Buffer.from('Bad Gateway\n')});
		const mapped = toEngineError(error);
		assert.equal(mapped.kind, 'engine');
		assert.equal(mapped.message, 'Bad Gateway');
	});

	test('keeps the original error as the cause', () => {
		const original = modemHttpError(409, 'conflict');
		assert.equal(toEngineError(original).cause, original);
	});

	test('a missing socket is unreachable', async () => {
		const error = toEngineError(await realConnectError('/nonexistent/docknet.sock'), 'listing networks');
		assert.equal(error.kind, 'unreachable');
		assert.equal(error.message, 'no engine socket at /nonexistent/docknet.sock while listing networks');
	});

	for (const code of ['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET']) {
		test(`${code} is unreachable`, () => {
			const error = toEngineError(errnoError(code, `connect ${code}`, {address: '10.0.0.9', port: 2375, hostname: 'engine.example'}));
			assert.equal(error.kind, 'unreachable');
			assert.ok(!error.message.includes(code), error.message);
		});
	}

	test('unreachable messages say where', () => {
		assert.equal(toEngineError(errnoError('ECONNREFUSED', 'x', {address: '10.0.0.9', port: 2375})).message, 'connection refused by 10.0.0.9:2375');
		assert.equal(toEngineError(errnoError('ENOTFOUND', 'x', {hostname: 'engine.example'})).message, 'host name engine.example not found');
	});

	for (const code of ['EACCES', 'EPERM']) {
		test(`${code} is permission`, () => {
			const error = toEngineError(errnoError(code, `connect ${code} /var/run/docker.sock`, {address: '/var/run/docker.sock'}));
			assert.equal(error.kind, 'permission');
			assert.equal(error.message, 'permission denied on /var/run/docker.sock');
		});
	}

	test('time-outs', () => {
		assert.equal(toEngineError(errnoError('ETIMEDOUT', 'connect ETIMEDOUT')).kind, 'timeout');
		assert.equal(toEngineError(errnoError('ESOCKETTIMEDOUT', 'socket timed out')).kind, 'timeout');
		assert.equal(toEngineError(new Error('timeout')).kind, 'timeout');
	});

	test('an AbortError is aborted', () => {
		const abort = new DOMException('This operation was aborted', 'AbortError');
		assert.equal(toEngineError(abort).kind, 'aborted');
		assert.equal(toEngineError(errnoError('ABORT_ERR', 'The operation was aborted')).kind, 'aborted');
	});

	test('ssh2 login and socket failures', () => {
		assert.equal(toEngineError(Object.assign(new Error('All configured authentication methods failed'), {level: 'client-authentication'})).kind, 'permission');
		assert.equal(toEngineError(Object.assign(new Error('getaddrinfo'), {level: 'client-socket'})).kind, 'unreachable');
	});

	test('anything else is engine, and non-errors are tolerated', () => {
		assert.equal(toEngineError(new Error('weird')).kind, 'engine');
		assert.equal(toEngineError(new Error('weird')).message, 'weird');
		assert.equal(toEngineError('a string').message, 'a string');
		assert.equal(toEngineError(undefined).kind, 'engine');
	});

	test('an EngineError passes through unchanged', () => {
		const original = new EngineError('timeout', 'slow');
		assert.equal(toEngineError(original, 'ignored'), original);
	});
});

describe('describeUnreachable', () => {
	const local: ResolvedEndpoint = {url: 'unix:///var/run/docker.sock', source: 'default', kind: 'unix', local: true, socketPath: '/var/run/docker.sock'};

	test('no engine: says where, what and what to do', () => {
		const text = describeUnreachable(local, new EngineError('unreachable', 'no engine socket at /var/run/docker.sock'));
		assert.match(text, /unix:\/\/\/var\/run\/docker\.sock \(the default\)/);
		assert.match(text, /no engine socket at \/var\/run\/docker\.sock/);
		assert.match(text, /sudo systemctl start docker/);
		assert.match(text, /--host/);
		assert.match(text, /--context/);
		assert.match(text, /DOCKER_HOST/);
		assert.match(text, /docknet --playground/);
		assert.ok(!text.includes('\n'), 'one paragraph');
	});

	test('permission: the docker group or sudo', () => {
		const text = describeUnreachable(local, new EngineError('permission', 'permission denied on /var/run/docker.sock'));
		assert.match(text, /sudo usermod -aG docker \$USER/);
		assert.match(text, /log in again/);
		assert.match(text, /sudo/);
		assert.match(text, /docknet --playground/);
	});

	test('timeout: the engine answered nothing', () => {
		const text = describeUnreachable({...local, source: 'DOCKER_HOST'}, new EngineError('timeout', 'the engine did not answer within 10 s while reading the engine info'));
		assert.match(text, /\(from DOCKER_HOST\)/);
		assert.match(text, /did not answer within 10 s/);
		assert.match(text, /systemctl/);
	});

	test('remote endpoints get remote advice', () => {
		const ssh: ResolvedEndpoint = {url: 'ssh://me@box', source: 'context prod', kind: 'ssh', local: false, host: 'box', username: 'me'};
		const text = describeUnreachable(ssh, new EngineError('unreachable', 'connection refused by box:22'));
		assert.match(text, /\(from context prod\)/);
		assert.match(text, /ssh me@box docker version/);
		assert.ok(!text.includes('systemctl start'));
	});
});
