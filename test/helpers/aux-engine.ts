import {execFile} from 'node:child_process';

// Names for the extra private engines some tests start (a killed engine, the fuzz's
// disposable state): `<prefix>-<role>-<pid>`. DOCKNET_AUX_ENGINE_PREFIX lets runs that share a
// machine keep their engines apart; each test stops its own engine whatever happens.

export function auxEngineName(role: string): string {
	const prefix = process.env['DOCKNET_AUX_ENGINE_PREFIX'] ?? 'docknet-aux';
	return `${prefix}-${role}-${process.pid}`;
}

export interface ProcessResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a program to its end (90 s at most unless told) and says how it ended; never rejects. */
export async function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 90_000): Promise<ProcessResult> {
	return new Promise(resolve => {
		execFile(command, args, {env, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024}, (error, stdout, stderr) => {
			const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
			resolve({code, stdout, stderr});
		});
	});
}

/** `docker -H <host> …` on a test's own engine; rejects with the CLI's words when it fails. */
export async function dockerOn(host: string, args: readonly string[]): Promise<string> {
	const result = await runProcess('docker', ['-H', host, ...args]);
	if (result.code !== 0) throw new Error(`docker -H ${host} ${args.join(' ')}: ${result.stderr.trim()}`);
	return result.stdout.trim();
}
