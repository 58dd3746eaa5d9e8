import {sshDestination, sshOrigin} from './target.js';
import type {SshTarget} from './target.js';

// What a failed ssh run means, in words a user can act on: the same sentences for the
// engine's connection and for the host-interface reads.

/** Turns a failed ssh run into a sentence and a hint. Pure, for tests. */
export function describeSshFailure(
	target: SshTarget,
	failure: {exitCode: number | null; stderr: string; spawnError?: string; timedOut?: boolean},
): {reason: string; hint?: string} {
	const destination = sshDestination(target);
	const stderr = failure.stderr;
	if (failure.spawnError === 'ENOENT') {
		return {reason: 'the ssh program was not found', hint: 'install the OpenSSH client to see host interfaces of a remote engine'};
	}
	if (failure.timedOut) {
		return {reason: `ssh ${destination} did not answer in time`, hint: 'check that the host is up and reachable'};
	}
	if (/REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr)) {
		return {
			reason: `the host key of ${target.host} has changed since ssh last saw it`,
			// known_hosts names a host on another port "[host]:port"; quoted, the brackets are no glob.
			hint: `check why, then update ~/.ssh/known_hosts (ssh-keygen -R ${target.port === undefined || target.port === 22 ? target.host : `'[${target.host}]:${target.port}'`})`,
		};
	}
	if (/Host key verification failed/i.test(stderr)) {
		return {
			reason: `ssh does not know the host key of ${target.host} yet`,
			hint: `run "${sshOrigin(target)}" once and accept the key; docknet never answers that question for you`,
		};
	}
	if (/Permission denied \(/i.test(stderr)) {
		return {
			reason: `ssh ${destination} refused the login without a password`,
			hint: 'docknet never types passwords: load your key into ssh-agent (ssh-add) or use a key without a passphrase',
		};
	}
	if (/Could not resolve hostname/i.test(stderr)) {
		return {reason: `cannot resolve the host name ${target.host}`};
	}
	if (/Connection refused/i.test(stderr)) {
		return {reason: `nothing accepts ssh connections on ${target.host}${target.port ? ` port ${target.port}` : ''}`};
	}
	if (/timed out/i.test(stderr)) {
		return {reason: `ssh ${destination} timed out`, hint: 'check that the host is up and reachable'};
	}
	if (/No route to host|Network is unreachable/i.test(stderr)) {
		return {reason: `${target.host} is unreachable from here`};
	}
	if (failure.exitCode !== 255 && /\bip\b.*(not found|No such file)/i.test(stderr)) {
		return {reason: `${target.host} has no "ip" command`, hint: 'install iproute2 on the engine host'};
	}
	if (/Option "-j" is unknown|unknown option.*-j/i.test(stderr)) {
		return {reason: `the "ip" command on ${target.host} is too old for JSON output`, hint: 'iproute2 4.14 or newer is needed'};
	}
	const lastLine = stderr.trim().split('\n').pop()?.trim();
	return {reason: `ssh ${destination} failed${lastLine ? `: ${lastLine}` : ` with exit code ${failure.exitCode ?? 'unknown'}`}`};
}
