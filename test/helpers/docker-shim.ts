import {execFile} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

// A `docker` that only records how it was called: put first on PATH, it shows which docker
// calls a script makes and with exactly which arguments, without an engine being touched.

export interface DockerShim {
	/**
	 * Runs a script file, the shim first on PATH: as a program (its #! line chooses the
	 * shell), or with `shell`. Resolves to the docker calls it made, each as its argv.
	 */
	run(script: string, shell?: string): Promise<string[][]>;
	dispose(): void;
}

export function createDockerShim(): DockerShim {
	const directory = mkdtempSync(path.join(tmpdir(), 'docknet-docker-shim-'));
	const calls = path.join(directory, 'calls');
	// Each call: its argument count, then every argument, all NUL-terminated.
	writeFileSync(path.join(directory, 'docker'), `#!/bin/sh\nprintf '%s\\0' "$#" "$@" >> '${calls}'\n`);
	chmodSync(path.join(directory, 'docker'), 0o755);

	return {
		async run(script, shell) {
			writeFileSync(calls, '');
			await new Promise<void>((resolve, reject) => {
				execFile(shell ?? script, shell === undefined ? [] : [script], {env: {...process.env, PATH: `${directory}:${process.env['PATH'] ?? ''}`}, timeout: 30_000}, (error, _stdout, stderr) =>
					error ? reject(new Error(`${shell ?? ''} ${script}: ${stderr}`)) : resolve(),
				);
			});
			const words = readFileSync(calls, 'utf8').split('\0');
			const recorded: string[][] = [];
			let index = 0;
			while (index < words.length - 1) {
				const count = Number(words[index]);
				recorded.push(words.slice(index + 1, index + 1 + count));
				index += 1 + count;
			}

			return recorded;
		},
		dispose() {
			rmSync(directory, {recursive: true, force: true});
		},
	};
}

/** Whether `shell -n` accepts the script (syntax only, nothing runs). */
export function syntaxAccepted(shell: string, script: string): Promise<string | undefined> {
	return new Promise(resolve => {
		execFile(shell, ['-n', script], {timeout: 30_000}, (error, _stdout, stderr) => resolve(error ? `${shell} -n: ${stderr || error.message}` : undefined));
	});
}
