// The user and host of an ssh:// engine address, checked before ssh ever runs. docknet runs
// ssh with them (often as root), shows them in hints a user pastes into a shell, and takes
// them from DOCKER_HOST, --host or a context file, which someone else may have written. What
// the docker CLI refuses (cli/connhelper/ssh) and what OpenSSH refuses on its command line
// (valid_hostname and valid_ruser in misc.c) docknet refuses too, with their words.
import {appendAll} from '../model/large-arrays.js';

export class SshAddressError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SshAddressError';
	}
}

export interface SshUserAndHost {
	host: string;
	username?: string;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const asciiControl = /[\u0000-\u001f\u007f]/;
// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const notPrintable = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]|\ufffd/u;
const hostForbidden = /['`"$\\;&<>|(){},]|\s/u;
const userForbidden = /['`";&<>|(){}]|\s-|\\$/u;

/** Go's %q for a printable string. */
const goQuoted = (text: string): string => JSON.stringify(text);

/**
 * Percent-escapes decoded to the bytes they stand for, read as UTF-8 (an invalid sequence
 * becomes U+FFFD, which the quoting check then refuses, as Go does).
 */
function percentDecoded(text: string): string {
	const bad = /%(?![\dA-Fa-f]{2})/.exec(text);
	if (bad) throw new SshAddressError(`invalid SSH URL: invalid URL escape ${goQuoted(text.slice(bad.index, bad.index + 3))}`);
	const bytes: number[] = [];
	for (let index = 0; index < text.length; index += 1) {
		if (text[index] === '%') {
			bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
			index += 2;
		} else {
			appendAll(bytes, Buffer.from(text[index] ?? '', 'utf8'));
		}
	}

	return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

/** The docker CLI quotes user and host for a POSIX shell, which has no escapes for the unprintable. */
function quotingProblem(what: 'user' | 'host', value: string): string | undefined {
	const match = notPrintable.exec(value);
	if (!match) return undefined;
	const offset = Buffer.byteLength(value.slice(0, match.index), 'utf8');
	const why = match[0] === '\u0000' ? 'shell strings cannot contain null bytes' : 'POSIX shell lacks escape sequences';
	return `invalid ${what}: cannot quote character at byte ${offset}: ${why}`;
}

/**
 * Why ssh or the docker CLI would refuse this user or host; undefined when both take them.
 * Pure, for tests; the ssh transport asks it again right before it starts ssh.
 */
export function sshTargetProblem(target: SshUserAndHost): string | undefined {
	const {host, username} = target;
	if (username !== undefined) {
		const problem = quotingProblem('user', username);
		if (problem) return problem;
		if (username.startsWith('-') || userForbidden.test(username)) return 'remote username contains invalid characters';
	}

	if (host === '') return 'invalid SSH URL: hostname is empty';
	const problem = quotingProblem('host', host);
	if (problem) return problem;
	if (host.startsWith('-') || hostForbidden.test(host)) return 'hostname contains invalid characters';
	return undefined;
}

/** Refused before any parsing, as Go's url.Parse does: a URL parser that drops a newline would hide it. */
export function checkSshAddressText(raw: string): void {
	if (asciiControl.test(raw)) throw new SshAddressError('invalid SSH URL: net/url: invalid control character in URL');
}

/** The user and host to give ssh, decoded; throws SshAddressError with the docker CLI's or ssh's words. */
export function sshUserAndHost(url: URL): SshUserAndHost {
	if (url.password !== '') throw new SshAddressError('invalid SSH URL: plain-text password is not supported');
	if (url.search !== '') throw new SshAddressError(`invalid SSH URL: query parameters are not allowed: ${goQuoted(url.search.slice(1))}`);
	if (url.hash !== '') throw new SshAddressError(`invalid SSH URL: fragments are not allowed: ${goQuoted(percentDecoded(url.hash.slice(1)))}`);
	const target: SshUserAndHost = {host: percentDecoded(url.hostname.replace(/^\[(.*)]$/, '$1'))};
	if (url.username !== '') target.username = percentDecoded(url.username);
	const problem = sshTargetProblem(target);
	if (problem) throw new SshAddressError(problem);
	return target;
}

/** Runs one of the checks above; their refusal becomes the caller's own error, with the same words. */
export function sshChecked<T>(check: () => T, refuse: (why: string) => Error): T {
	try {
		return check();
	} catch (error) {
		if (error instanceof SshAddressError) throw refuse(error.message);
		throw error;
	}
}
