import {EngineError} from '../model/gateway.js';
import type {EngineErrorKind} from '../model/gateway.js';
import {commandLine} from '../commands/docker-command.js';
import {safeText} from '../text/safe-text.js';
import type {ResolvedEndpoint} from './endpoint.js';

// Turns whatever dockerode, docker-modem, node's http/net or ssh2 threw into an
// EngineError whose message a user can read as is.

const UNREACHABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTDOWN', 'ECONNRESET', 'EPIPE']);
const PERMISSION_CODES = new Set(['EACCES', 'EPERM']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_SSH_TIMEOUT']);

const STATUS_KINDS: Record<number, EngineErrorKind> = {
	400: 'bad-request',
	403: 'forbidden',
	404: 'not-found',
	409: 'conflict',
};

interface ErrorShape {
	name?: unknown;
	message?: unknown;
	code?: unknown;
	statusCode?: unknown;
	json?: unknown;
	address?: unknown;
	port?: unknown;
	hostname?: unknown;
	path?: unknown;
	level?: unknown;
	cause?: unknown;
}

/**
 * @param context what docknet was doing, e.g. "listing networks"; added to messages the
 *   engine did not write itself (connection failures, time-outs).
 */
export function toEngineError(error: unknown, context?: string): EngineError {
	if (error instanceof EngineError) {
		return error;
	}

	const shape: ErrorShape = typeof error === 'object' && error !== null ? error as ErrorShape : {message: String(error)};
	const rawMessage = typeof shape.message === 'string' ? shape.message : '';
	const code = typeof shape.code === 'string' ? shape.code : undefined;
	const withContext = (message: string): string => (context === undefined ? message : `${message} while ${context}`);

	const statusCode = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
	if (statusCode !== undefined) {
		const kind = STATUS_KINDS[statusCode] ?? 'engine';
		return new EngineError(kind, engineMessage(shape, rawMessage, statusCode), statusCode, {cause: error});
	}

	if (shape.name === 'AbortError' || code === 'ABORT_ERR') {
		return new EngineError('aborted', withContext('cancelled'), undefined, {cause: error});
	}

	if (code !== undefined && TIMEOUT_CODES.has(code) || /^timeout$/i.test(rawMessage.trim()) || shape.level === 'client-timeout') {
		return new EngineError('timeout', withContext('the engine did not answer in time'), undefined, {cause: error});
	}

	if (code !== undefined && PERMISSION_CODES.has(code)) {
		const where = typeof shape.address === 'string' ? ` on ${shape.address}` : '';
		return new EngineError('permission', withContext(`permission denied${where}`), undefined, {cause: error});
	}

	// ssh2 reports failed logins with a level rather than an errno.
	if (shape.level === 'client-authentication') {
		return new EngineError('permission', withContext(`ssh login refused (${rawMessage})`), undefined, {cause: error});
	}

	if (code !== undefined && UNREACHABLE_CODES.has(code) || shape.level === 'client-socket' || /socket hang up/i.test(rawMessage)) {
		return new EngineError('unreachable', withContext(unreachableReason(shape, code, rawMessage)), undefined, {cause: error});
	}

	return new EngineError('engine', withContext(rawMessage === '' ? 'unknown error' : rawMessage), undefined, {cause: error});
}

function unreachableReason(shape: ErrorShape, code: string | undefined, rawMessage: string): string {
	const address = typeof shape.address === 'string' ? shape.address : undefined;
	const target = address === undefined ? undefined : (typeof shape.port === 'number' ? `${address}:${shape.port}` : address);
	switch (code) {
		case 'ENOENT': {
			return target === undefined ? 'no engine socket found' : `no engine socket at ${target}`;
		}

		case 'ECONNREFUSED': {
			return target === undefined ? 'connection refused' : `connection refused by ${target}`;
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			const hostname = typeof shape.hostname === 'string' ? shape.hostname : undefined;
			return hostname === undefined ? 'host name not found' : `host name ${hostname} not found`;
		}

		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'EHOSTDOWN': {
			return target === undefined ? 'host unreachable' : `host ${target} unreachable`;
		}

		case 'ECONNRESET':
		case 'EPIPE': {
			return 'the engine closed the connection';
		}

		default: {
			return rawMessage === '' ? 'the engine cannot be reached' : rawMessage;
		}
	}
}

/**
 * docker-modem builds "(HTTP code 409) unexpected - <engine message> " and keeps the
 * parsed body in `json`; the body's `message` is what the engine said.
 */
function engineMessage(shape: ErrorShape, rawMessage: string, statusCode: number): string {
	const {json} = shape;
	if (typeof json === 'object' && json !== null && !Buffer.isBuffer(json)) {
		const message = (json as {message?: unknown}).message;
		if (typeof message === 'string' && message.trim() !== '') {
			return message.trim();
		}
	}

	if (Buffer.isBuffer(json) && json.length > 0) {
		return json.toString('utf8').trim();
	}

	if (typeof json === 'string' && json.trim() !== '') {
		return json.trim();
	}

	const stripped = rawMessage.replace(/^\(HTTP code \d+\)\s*[^-]*?\s+-\s+/, '').trim();
	if (stripped !== '') {
		return stripped;
	}

	return `the engine answered with HTTP ${statusCode}`;
}

function describeSource(source: string): string {
	if (source === 'default') {
		return 'the default';
	}

	return `from ${source}`;
}

function timeLimitPhrase(error: EngineError): string {
	const match = /within ([\d.]+ ?m?s)/.exec(error.message);
	return match?.[1] === undefined ? 'in time' : `within ${match[1]}`;
}

/**
 * The command that checks an ssh:// engine by hand, quoted as the command log quotes: the
 * user and host come from DOCKER_HOST or a context file, and the hint is meant to be pasted.
 */
export function sshCheckCommand(endpoint: Pick<ResolvedEndpoint, 'host' | 'port' | 'username'>): string {
	const destination = `${endpoint.username === undefined ? '' : `${endpoint.username}@`}${endpoint.host ?? ''}`;
	const port = endpoint.port === undefined ? [] : ['-p', String(endpoint.port)];
	return commandLine(['ssh', ...port, destination, 'docker', 'version']);
}

/** A paragraph for when docknet cannot start because the engine does not answer. */
export function describeUnreachable(endpoint: ResolvedEndpoint, error: EngineError): string {
	const where = `${safeText(endpoint.url)} (${safeText(describeSource(endpoint.source))})`;
	const elsewhere = 'To use another engine, pass --host or --context, or set DOCKER_HOST.';
	const playground = 'To try docknet on a private throwaway engine, run `docknet --playground`.';

	switch (error.kind) {
		case 'permission': {
			const fix = endpoint.kind === 'ssh'
				? `Check that \`${sshCheckCommand(endpoint)}\` works without a password prompt (docknet uses your ssh agent).`
				: 'Add your user to the docker group with `sudo usermod -aG docker $USER` and log in again, or run docknet with sudo.';
			return `docknet may not use the Docker engine at ${where}: ${error.message}. ${fix} ${elsewhere} ${playground}`;
		}

		case 'timeout': {
			return `The Docker engine at ${where} accepted the connection but did not answer ${timeLimitPhrase(error)}. It may be starting up, overloaded or hung: check it with \`systemctl status docker\` and restart it with \`sudo systemctl restart docker\` if needed. ${elsewhere} ${playground}`;
		}

		case 'unreachable': {
			const start = endpoint.local
				? 'Start the engine (on most Linux systems: `sudo systemctl start docker`).'
				: (endpoint.kind === 'ssh'
					? `Check that \`${sshCheckCommand(endpoint)}\` works, and that the engine runs on that machine.`
					: 'Check the address, and that the engine runs on that machine and listens on that port.');
			return `docknet could not reach a Docker engine at ${where}: ${error.message}. ${start} ${elsewhere} ${playground}`;
		}

		default: {
			return `The Docker engine at ${where} answered with an error: ${error.message}. ${elsewhere} ${playground}`;
		}
	}
}
