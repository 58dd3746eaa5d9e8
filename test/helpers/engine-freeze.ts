import {readFileSync} from 'node:fs';
import path from 'node:path';

// Freezing a test engine (SIGSTOP of its dockerd) as a hung engine would be: it keeps its
// sockets open, accepts connections and answers nothing. Every freeze is undone in a
// finally, and once more when the test process exits, so no engine is ever left stopped.

const frozen = new Set<number>();
let exitHookInstalled = false;

/** dockerd's pid, from the pidfile the private engine keeps next to its socket. */
export function dockerdPid(socketPath: string): number {
	const pid = Number(readFileSync(path.join(path.dirname(socketPath), 'docker.pid'), 'utf8').trim());
	if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no dockerd pid next to ${socketPath}`);
	return pid;
}

export function freezeEngine(pid: number): void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const stopped of frozen) resumeEngine(stopped);
		});
	}

	frozen.add(pid);
	process.kill(pid, 'SIGSTOP');
}

/** Never throws: a dead engine needs no resuming. */
export function resumeEngine(pid: number): void {
	frozen.delete(pid);
	try {
		process.kill(pid, 'SIGCONT');
	} catch {
		// Gone.
	}
}

/** Runs `work` with the engine frozen, and resumes it whatever happens. */
export async function whileFrozen<T>(pid: number, work: () => Promise<T>): Promise<T> {
	freezeEngine(pid);
	try {
		return await work();
	} finally {
		resumeEngine(pid);
	}
}
