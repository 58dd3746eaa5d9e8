import {existsSync, readFileSync, readdirSync} from 'node:fs';

// What a private engine can leave on the machine, read straight from the kernel's view, so the
// tests do not trust the code under test to report its own leftovers.

export function netnsExists(name: string): boolean {
	return existsSync(`/var/run/netns/${name}`);
}

/** Live processes with an argument inside `dir` (dockerd, containerd, shims). */
export function processesUsing(dir: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
			continue;
		}

		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
			const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (state !== 'Z' && argv.some(arg => arg.startsWith(`${dir}/`) || arg.startsWith(`unix://${dir}/`))) {
				found.push(`${entry} ${argv.join(' ').slice(0, 80)}`);
			}
		} catch {
			// Exited meanwhile.
		}
	}

	return found;
}

export function mountsUnder(dir: string): string[] {
	return readFileSync('/proc/self/mountinfo', 'utf8')
		.split('\n')
		.map(line => line.split(' ')[4] ?? '')
		.filter(point => point === dir || point.startsWith(`${dir}/`));
}

export function remainsOf(name: string, dir: string): {netns: boolean; processes: string[]; mounts: string[]; dir: boolean} {
	return {netns: netnsExists(name), processes: processesUsing(dir), mounts: mountsUnder(dir), dir: existsSync(dir)};
}

export const NOTHING_LEFT = {netns: false, processes: [], mounts: [], dir: false};
