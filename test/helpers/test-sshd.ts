import {execFileSync, spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {findProgram} from '../../source/playground/private-engine.js';
import type {RequirementProblem} from '../../source/playground/private-engine.js';

// A real sshd for the ssh:// tests: Debian's OpenSSH server, started by test/run-tests.ts
// inside the test engine's network namespace, listening on that namespace's loopback only,
// with throwaway host and client keys. Its sessions get DOCKER_HOST pointing at the test
// engine (sshd_config SetEnv), so `docker system dial-stdio` over ssh reaches it, and `ip`
// run over ssh sees the namespace's interfaces: the engine host, as a user's server would be.
// It is reached from inside that namespace only (docknet runs there under `ip netns exec`).
// docknet runs the real ssh client; tests put a wrapper first on PATH that adds `-F <config>`
// (the throwaway key and known_hosts), so the user's own ~/.ssh is never read or written.

export const TEST_SSHD_PORT = 2222;

export interface TestSshd {
	/** ssh://root@127.0.0.1:2222 */
	url: string;
	/** Directory with the `ssh` wrapper, to put first on PATH. */
	binDir: string;
	/** sshd's log (LogLevel VERBOSE: one "Accepted publickey" line per connection). */
	logFile: string;
	/** The throwaway client key and the known_hosts that knows this sshd, for a test's own ssh config. */
	clientKey: string;
	knownHosts: string;
	stop(): Promise<void>;
}

export function testSshdProblems(): RequirementProblem[] {
	const problems: RequirementProblem[] = [];
	if (findProgram('sshd') === undefined) problems.push({what: 'sshd (the ssh:// tests run a real one)', fix: 'install the Debian package openssh-server'});
	if (findProgram('ssh') === undefined || findProgram('ssh-keygen') === undefined) {
		problems.push({what: 'ssh and ssh-keygen (the ssh:// tests)', fix: 'install the Debian package openssh-client'});
	}

	return problems;
}

export interface TestSshdOptions {
	dir: string;
	netns: string;
	dockerHost: string;
	/** Default TEST_SSHD_PORT. */
	port?: number;
	/** sshd's MaxSessions (sessions per connection); sshd's own default (10) when left out. */
	maxSessions?: number;
	/** false: sshd refuses to forward to unix sockets (AllowStreamLocalForwarding no). */
	allowStreamLocalForwarding?: boolean;
	/**
	 * For a client that takes neither user nor port from an ssh:// address and assumes the
	 * engine at /var/run/docker.sock (lazydocker, in the benchmark): sshd runs in a mount
	 * namespace of its own whose /run holds docker.sock, a link to the engine's socket, and
	 * the client config gives user root and this port.
	 */
	engineAtDefaultSocket?: boolean;
}

export async function startTestSshd(options: TestSshdOptions): Promise<TestSshd> {
	const {dir, netns, dockerHost} = options;
	const port = options.port ?? TEST_SSHD_PORT;
	const sshd = findProgram('sshd') ?? '/usr/sbin/sshd';
	const ssh = findProgram('ssh') ?? 'ssh';
	rmSync(dir, {recursive: true, force: true});
	mkdirSync(dir, {recursive: true, mode: 0o700});
	// sshd refuses to start without its privilege separation directory.
	mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
	const hostKey = path.join(dir, 'host_key');
	const clientKey = path.join(dir, 'client_key');
	for (const key of [hostKey, clientKey]) {
		execFileSync(findProgram('ssh-keygen') ?? 'ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'docknet-test', '-f', key]);
	}

	writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
	const hostPublic = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
	writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPublic}\n`);
	const home = path.join(dir, 'home');
	mkdirSync(home);
	const config = path.join(dir, 'sshd_config');
	writeFileSync(config, [
		`Port ${port}`,
		...(options.maxSessions === undefined ? [] : [`MaxSessions ${options.maxSessions}`]),
		...(options.allowStreamLocalForwarding === false ? ['AllowStreamLocalForwarding no'] : []),
		'ListenAddress 127.0.0.1',
		`HostKey ${hostKey}`,
		`PidFile ${path.join(dir, 'sshd.pid')}`,
		`AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'UsePAM no',
		'PermitRootLogin prohibit-password',
		'StrictModes no',
		// HOME: a login's shell reads ~/.bashrc when sshd runs it, and root's on a developer's
		// machine can take seconds (pyenv init took 5 s here); the tests measure docknet.
		`SetEnv DOCKER_HOST=${dockerHost} HOME=${home}`,
		'LogLevel VERBOSE',
		'',
	].join('\n'));
	const clientConfig = path.join(dir, 'ssh_config');
	writeFileSync(clientConfig, [
		'Host 127.0.0.1',
		`  IdentityFile ${clientKey}`,
		'  IdentitiesOnly yes',
		`  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
		'  StrictHostKeyChecking yes',
		...(options.engineAtDefaultSocket === true ? ['  User root', `  Port ${port}`] : []),
		'',
	].join('\n'));
	const binDir = path.join(dir, 'bin');
	mkdirSync(binDir);
	const wrapper = path.join(binDir, 'ssh');
	writeFileSync(wrapper, `#!/bin/sh\nexec ${ssh} -F ${clientConfig} "$@"\n`);
	chmodSync(wrapper, 0o755);

	const logFile = path.join(dir, 'sshd.log');
	const log = createWriteStream(logFile);
	const sshdCommand = [sshd, '-D', '-e', '-f', config];
	const socketPath = dockerHost.replace(/^unix:\/\//, '');
	const inOwnRun = ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o mode=755 docknet-run /run && mkdir -m 755 /run/sshd && ln -s "$0" /run/docker.sock && exec "$@"', socketPath];
	const child: ChildProcess = spawn('ip', ['netns', 'exec', netns, ...(options.engineAtDefaultSocket === true ? inOwnRun : []), ...sshdCommand], {stdio: ['ignore', 'ignore', 'pipe']});
	child.stderr?.pipe(log);
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => resolve());
	});
	const stop = async (): Promise<void> => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			await Promise.race([exited, delay(3000)]);
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		}

		rmSync(dir, {recursive: true, force: true});
	};

	// Ready once it answers a login (which took up to 5 s on this 2-core machine under load).
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) {
			const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
			await stop();
			throw new Error(`sshd exited at start:\n${text}`);
		}

		try {
			execFileSync('ip', ['netns', 'exec', netns, wrapper, '-o', 'BatchMode=yes', '-p', String(port), 'root@127.0.0.1', 'true'], {stdio: 'ignore', timeout: 30_000});
			break;
		} catch (error) {
			if (Date.now() > deadline) {
				await stop();
				throw new Error(`sshd did not accept a login within 60 s: ${error instanceof Error ? error.message : String(error)}`);
			}

			await delay(100);
		}
	}

	return {url: `ssh://root@127.0.0.1:${port}`, binDir, logFile, clientKey, knownHosts: path.join(dir, 'known_hosts'), stop};
}

/** Logins sshd accepted so far (one per ssh connection). */
export function acceptedLogins(logFile: string): number {
	return readFileSync(logFile, 'utf8').split('\n').filter(line => line.includes('Accepted publickey')).length;
}
