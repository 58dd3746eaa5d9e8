import {execFile} from 'node:child_process';

// The one way tests run a program to its end and read what it said.

export interface ProcessResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	env?: NodeJS.ProcessEnv;
	/** Killed after this long (90 s unless told). */
	timeoutMs?: number;
	/** Written to its stdin, which is then closed. */
	input?: string;
	cwd?: string;
}

/** Runs a program to its end and says how it ended; never rejects. */
export async function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
	return new Promise(resolve => {
		const child = execFile(command, args, {env: options.env ?? process.env, timeout: options.timeoutMs ?? 90_000, maxBuffer: 64 * 1024 * 1024, ...(options.cwd === undefined ? {} : {cwd: options.cwd})}, (error, stdout, stderr) => {
			const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
			resolve({code, stdout, stderr});
		});
		if (options.input !== undefined) child.stdin?.end(options.input);
	});
}

/** Runs a program to its end; its stdout, or a rejection with its stderr when it fails. */
export async function runOrThrow(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
	const result = await runProcess(command, args, options);
	if (result.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.trim() || `exit ${result.code}`}`);
	return result.stdout;
}
