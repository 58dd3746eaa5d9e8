import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ensureTestImage} from '../../source/playground/private-engine.js';
import {runOrThrow} from './run-process.js';

// A real 3-node swarm for the swarm tests: three private engines in their own network
// namespaces on a private LAN (swarm-lab.sh beside this file does the plumbing). One
// cluster is shared by every test of a file; `stop()` removes it whatever happened, and a
// cluster left by a killed run is removed by the next start.
// Names: <prefix><pid>-a|b|c and <prefix><pid>-lan; DOCKNET_SWARM_PREFIX changes the prefix
// (default "docknet-swarm-") so parallel runs of several checkouts never collide.

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'swarm-lab.sh');
const prefix = process.env['DOCKNET_SWARM_PREFIX'] ?? 'docknet-swarm-';
const subnet = process.env['DOCKNET_SWARM_SUBNET'] ?? '192.168.91';

export interface SwarmNodeHandle {
	/** "a" (manager), "b", "c" (workers). */
	key: 'a' | 'b' | 'c';
	/** The node's hostname and network namespace. */
	name: string;
	dockerHost: string;
	address: string;
}

export interface SwarmLab {
	base: string;
	nodes: readonly SwarmNodeHandle[];
	manager: SwarmNodeHandle;
	/** Milliseconds `up` took (engines, swarm init and join), and the image import. */
	setupMs: number;
	docker(node: SwarmNodeHandle, args: string[]): Promise<string>;
	/** Kills a node's dockerd at once (SIGKILL), as a crash would. */
	killEngine(node: SwarmNodeHandle): void;
	/** Starts a killed node's dockerd again (same state); resolves once it answers. */
	startEngine(node: SwarmNodeHandle): Promise<void>;
	stop(): Promise<void>;
}

async function run(command: string, args: string[], timeoutMs = 120_000): Promise<string> {
	return (await runOrThrow(command, args, {timeoutMs})).trim();
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Removes clusters whose test process is gone (a run killed before its `after`). */
async function removeStaleLabs(): Promise<void> {
	if (!existsSync('/var/run/netns')) return;
	const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-lan$`);
	for (const name of readdirSync('/var/run/netns')) {
		const pid = Number(pattern.exec(name)?.[1]);
		if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
			await run('bash', [script, 'down', `${prefix}${pid}`]).catch(() => undefined);
		}
	}
}

export async function startSwarmLab(): Promise<SwarmLab> {
	await removeStaleLabs();
	const base = `${prefix}${process.pid}`;
	const nodes: SwarmNodeHandle[] = (['a', 'b', 'c'] as const).map((key, index) => ({
		key,
		name: `${base}-${key}`,
		dockerHost: `unix:///tmp/${base}-${key}/docker.sock`,
		address: `${subnet}.${index + 1}`,
	}));
	const stop = async (): Promise<void> => {
		await run('bash', [script, 'down', base]).catch(() => undefined);
	};

	const started = performance.now();
	try {
		await run('bash', [script, 'up', base, subnet]);
		await Promise.all(nodes.map(async node => ensureTestImage(node.dockerHost)));
	} catch (error) {
		await stop();
		throw error;
	}

	const setupMs = performance.now() - started;
	const manager = nodes[0] as SwarmNodeHandle;
	return {
		base,
		nodes,
		manager,
		setupMs,
		docker: async (node, args) => run('docker', ['-H', node.dockerHost, ...args], 60_000),
		killEngine(node) {
			const pid = Number(readFileSync(`/tmp/${node.name}/docker.pid`, 'utf8').trim());
			if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
		},
		async startEngine(node) {
			await run('bash', [script, 'start', base, node.key]);
		},
		stop,
	};
}
