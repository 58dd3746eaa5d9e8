import {remoteShCommand} from './shell-quote.js';

// Which socket the docker CLI on the engine host would dial, asked once by the master
// connection's own remote command. When it is a plain unix socket, every HTTP connection to
// the engine can be a socket the master forwards there (ssh -O forward -L), with no process
// on the engine host; otherwise (tcp://, a context, a path ssh cannot forward) each one
// stays a `docker system dial-stdio` run, which resolves the engine exactly as the docker
// CLI does.

/** The docker CLI's engine when neither DOCKER_HOST nor a context says otherwise. */
export const DEFAULT_ENGINE_SOCKET = '/var/run/docker.sock';

/**
 * Prints `socket <path>` or `dial-stdio`, then holds the session open reading stdin, which
 * docknet holds open: if docknet dies, even by SIGKILL, its end closes, the session ends and
 * the master exits with it. A context named anywhere (DOCKER_CONTEXT, currentContext in the
 * CLI's config) is left to the CLI.
 */
export const ENGINE_SOCKET_SCRIPT =
	'h=${DOCKER_HOST-}; ' +
	'if [ -z "$h" ] && [ -z "${DOCKER_CONTEXT-}" ] && ! grep -qs currentContext "${DOCKER_CONFIG:-$HOME/.docker}/config.json"; then h=unix://' + DEFAULT_ENGINE_SOCKET + '; fi; ' +
	'case $h in unix://*) echo "socket ${h#unix://}";; *) echo dial-stdio;; esac; ' +
	'exec cat >/dev/null';

/** The master's line among what the login shell may print. */
export const ENGINE_SOCKET_LINE = /^(socket \/|dial-stdio$)/;

/** The master's remote command. */
export const MASTER_COMMAND = remoteShCommand(ENGINE_SOCKET_SCRIPT);

// ssh reads `-L local:remote` split at colons; a path is forwarded only when it is plainly one.
const forwardablePath = /^\/[A-Za-z0-9._/+@-]*$/;

/** The engine socket from the master's first line, or undefined for dial-stdio. Pure, for tests. */
export function engineSocketFrom(line: string): string | undefined {
	const match = /^socket (.+)$/.exec(line.trim());
	const socketPath = match?.[1];
	if (socketPath === undefined || !forwardablePath.test(socketPath) || socketPath.split('/').includes('..')) return undefined;
	return socketPath;
}
