import {spawn} from 'node:child_process';
import {accessSync, closeSync, constants, existsSync, openSync, readFileSync, readdirSync, readlinkSync, statSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';

// The Linux host as the private engines see it: programs on the PATH, processes and their
// namespaces read from /proc, mounts, and running a program to collect its output. Shared by
// the private Docker engine and the test suite's private Podman.

const KNOWN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
export const NETNS_DIR = '/var/run/netns';

// ---------------------------------------------------------------------------------------------
// Programs

export function searchDirs(searchPath: string | undefined): string[] {
	if (searchPath !== undefined) {
		return searchPath.split(':').filter(dir => dir !== '');
	}

	const fromEnv = (process.env['PATH'] ?? '').split(':').filter(dir => dir !== '');
	return [...new Set([...fromEnv, ...KNOWN_DIRS])];
}

export function findProgram(program: string, searchPath?: string): string | undefined {
	for (const dir of searchDirs(searchPath)) {
		const candidate = path.join(dir, program);
		try {
			accessSync(candidate, constants.X_OK);
			if (statSync(candidate).isFile()) {
				return candidate;
			}
		} catch {
			// Not here.
		}
	}

	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Processes, mounts and namespaces (Linux /proc)

export interface ProcessInfo {
	pid: number;
	ppid: number;
	state: string;
	startTime: string;
	argv: string[];
}

export function readProcess(pid: number): ProcessInfo | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may itself contain spaces and parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(arg => arg !== '');
		return {pid, ppid: Number(fields[1]), state: fields[0] ?? '?', startTime: fields[19] ?? '', argv};
	} catch {
		return undefined;
	}
}

export function listProcesses(): ProcessInfo[] {
	const processes: ProcessInfo[] = [];
	for (const entry of readdirSync('/proc')) {
		if (/^\d+$/.test(entry)) {
			const info = readProcess(Number(entry));
			if (info !== undefined) {
				processes.push(info);
			}
		}
	}

	return processes;
}

export function isLive(info: ProcessInfo | undefined): info is ProcessInfo {
	return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}

export function isAlive(pid: number): boolean {
	return isLive(readProcess(pid));
}

export async function waitForExit(pids: number[], timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (pids.every(pid => !isAlive(pid))) {
			return true;
		}

		if (Date.now() > deadline) {
			return false;
		}

		await delay(50);
	}
}

export function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// Already gone.
	}
}

export const programName = (info: ProcessInfo) => path.basename(info.argv[0] ?? '');

function decodeMountPath(field: string): string {
	return field.replace(/\\([0-7]{3})/g, (_match, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function mountsUnder(dir: string): string[] {
	try {
		const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
		const points = lines
			.map(line => line.split(' ')[4])
			.filter((field): field is string => field !== undefined)
			.map(field => decodeMountPath(field))
			.filter(point => point === dir || point.startsWith(`${dir}/`));
		// Deepest first, so that no mount is hidden below another one when it is unmounted.
		return [...new Set(points)].sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
	} catch {
		return [];
	}
}

export function netnsPath(name: string): string {
	return path.join(NETNS_DIR, name);
}

export async function listNetns(): Promise<string[]> {
	const result = await run(findProgram('ip') ?? 'ip', ['netns', 'list']);
	if (result.code !== 0) {
		return [];
	}

	// Lines look like "name" or "name (id: 3)".
	return result.stdout
		.split('\n')
		.map(line => line.trim().split(' ')[0] ?? '')
		.filter(name => name !== '');
}

/** Processes (live or not yet reaped) whose network namespace is the named one. */
export function netnsPids(name: string): number[] {
	let inode: number;
	try {
		inode = statSync(netnsPath(name)).ino;
	} catch {
		return [];
	}

	const wanted = `net:[${inode}]`;
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (/^\d+$/.test(entry)) {
			try {
				if (readlinkSync(`/proc/${entry}/ns/net`) === wanted) {
					pids.push(Number(entry));
				}
			} catch {
				// Gone, or a kernel thread.
			}
		}
	}

	return pids;
}

export function netnsHasProcesses(name: string): boolean {
	return netnsPids(name).length > 0;
}

/** Deletes the named network namespace if it exists: what went (for a report), or why not in `log`. */
export async function deleteNetns(name: string, log: (line: string) => void): Promise<string[]> {
	if (!existsSync(netnsPath(name))) return [];
	const result = await run(findProgram('ip') ?? 'ip', ['netns', 'del', name]);
	if (result.code === 0) return [`network namespace ${name}`];
	log(`ip netns del ${name}: ${result.stderr.trim()}`);
	return [];
}

/** Deletes a directory tree: what went (for a report), or why not in `log`. */
export async function removeDirectory(dir: string, log: (line: string) => void): Promise<string[]> {
	try {
		await rm(dir, {recursive: true, force: true, maxRetries: 3});
		return [`directory ${dir}`];
	} catch (error) {
		log(`removing ${dir}: ${String(error)}`);
		return [];
	}
}

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

export async function run(program: string, args: string[], timeoutMs = 20_000): Promise<RunResult> {
	return new Promise<RunResult>(resolve => {
		const child = spawn(program, args, {stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			resolve({code: -1, stdout, stderr: error.message});
		});
		child.on('close', code => {
			clearTimeout(timer);
			resolve({code: code ?? -1, stdout, stderr});
		});
	});
}

export function tailOfFile(file: string, lines: number): string {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

export interface Daemon {
	pid: number;
	/** How it ended (an exit code, a signal, or why it could not start), once it has. */
	readonly exited: string | undefined;
}

/**
 * Starts a long-running program in its own process group (a Ctrl-C in the terminal reaches
 * us, and we stop it in order), its output appended to `logFile`. It does not keep this
 * process's event loop alive: its owner stops it.
 */
export function spawnDaemon(program: string, args: string[], options: {logFile: string; env: NodeJS.ProcessEnv}): Daemon {
	const logFd = openSync(options.logFile, 'a');
	const child = spawn(program, args, {stdio: ['ignore', logFd, logFd], detached: true, env: options.env});
	closeSync(logFd);
	child.unref();
	let exited: string | undefined;
	child.on('exit', (code, exitSignal) => {
		exited = exitSignal === null ? `exit code ${code ?? '?'}` : `signal ${exitSignal}`;
	});
	child.on('error', error => {
		exited = error.message;
	});
	return {
		pid: child.pid ?? -1,
		get exited() {
			return exited;
		},
	};
}
