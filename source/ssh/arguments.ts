import {MASTER_COMMAND} from './engine-socket.js';
import type {SshTarget} from './target.js';

// The one place docknet's ssh command lines are built. Every run shares the same base: no
// pseudo-terminal, never a prompt (BatchMode), a connect time-out, the target's port and
// user, and "--" before the host so a host taken from DOCKER_HOST can never be read as an
// option. What differs is how the run uses a control socket.

export type SshConnection =
	/** The master: owns the control socket and holds the connection everything else rides on. */
	| {role: 'master'; controlPath: string}
	/** A client of someone else's master, and nothing else. */
	| {role: 'client'; controlPath: string}
	/** Its own connection, kept open for 60 s for the next run to share. */
	| {role: 'shared-auto'; controlPath: string}
	/** Its own connection, closed when the run ends. */
	| {role: 'alone'};

export interface SshRunSettings {
	connectTimeoutSeconds: number;
	connection: SshConnection;
	/** The remote command reads what docknet writes; otherwise stdin is closed (-n). */
	stdin?: boolean;
}

function connectionOptions(connection: SshConnection): string[] {
	switch (connection.role) {
		case 'master':
			return [
				'-o', 'ControlMaster=yes', '-o', `ControlPath=${connection.controlPath}`, '-o', 'ControlPersist=no',
				// A dead link is noticed within ~30 s even when nothing is being asked.
				'-o', 'ServerAliveInterval=10', '-o', 'ServerAliveCountMax=3',
			];
		case 'client':
			return muxClientOptions(connection.controlPath);
		case 'shared-auto':
			return ['-o', 'ControlMaster=auto', '-o', `ControlPath=${connection.controlPath}`, '-o', 'ControlPersist=60'];
		case 'alone':
			return [];
	}
}

/**
 * Options that make an ssh run a client of the master at `controlPath` and nothing else.
 * ssh falls back to a connection of its own when the control socket is gone (the master
 * just died); the proxy command that fails at once turns that fallback into an error. ssh
 * never uses it while the master answers: it tries the control socket first.
 */
export function muxClientOptions(controlPath: string): string[] {
	return ['-o', 'ControlMaster=no', '-o', `ControlPath=${controlPath}`, '-o', 'ProxyCommand=false'];
}

function targetOptions(target: SshTarget): string[] {
	const args: string[] = [];
	if (target.port) args.push('-p', String(target.port));
	if (target.username) args.push('-l', target.username);
	return args;
}

/** The ssh command line for one remote command. Pure, for tests. */
export function sshArguments(target: SshTarget, settings: SshRunSettings, remoteCommand: string): string[] {
	return [
		...(settings.stdin ? [] : ['-n']),
		'-T', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${settings.connectTimeoutSeconds}`,
		...connectionOptions(settings.connection),
		...targetOptions(target),
		'--', target.host, remoteCommand,
	];
}

/** What an engine channel runs on the engine host, as the docker CLI does. */
export const DIAL_STDIO_COMMAND = 'docker system dial-stdio';

/** The master connection's command line. Pure, for tests. */
export function masterArguments(target: SshTarget, controlPath: string, connectTimeoutSeconds: number): string[] {
	return sshArguments(target, {connectTimeoutSeconds, connection: {role: 'master', controlPath}, stdin: true}, MASTER_COMMAND);
}

/** One engine channel's command line: a mux client of the master, never a connection of its own. Pure, for tests. */
export function channelArguments(target: SshTarget, controlPath: string, connectTimeoutSeconds: number): string[] {
	return sshArguments(target, {connectTimeoutSeconds, connection: {role: 'client', controlPath}, stdin: true}, DIAL_STDIO_COMMAND);
}

/** Asks the master at `controlPath` to exit now (`ssh -O exit`). Pure, for tests. */
export function exitMasterArguments(target: SshTarget, controlPath: string): string[] {
	return ['-o', `ControlPath=${controlPath}`, '-O', 'exit', ...targetOptions(target), '--', target.host];
}

/** Asks the master at `controlPath` to forward connections to `localPath` to the engine host's `remotePath` (`ssh -O forward -L`). Pure, for tests. */
export function forwardArguments(target: SshTarget, controlPath: string, localPath: string, remotePath: string): string[] {
	return ['-o', `ControlPath=${controlPath}`, '-O', 'forward', '-L', `${localPath}:${remotePath}`, ...targetOptions(target), '--', target.host];
}
