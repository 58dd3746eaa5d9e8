import {execFile} from 'node:child_process';
import {BUSYBOX_IMAGE} from '../../source/playground/private-engine.js';

// The real Docker engine for *.engine.test.ts files: test/run-tests.ts starts a private dockerd
// in its own network namespace and passes it down through the environment.

export const TEST_IMAGE = BUSYBOX_IMAGE;
export const TEST_LABEL = 'docknet.test';

export interface TestEngine {
	dockerHost: string;
	socketPath: string;
	netns: string;
}

/** One id per test process (node's runner gives every file its own process). */
export const TEST_RUN_ID = `${Date.now().toString(36).slice(-4)}${process.pid.toString(36)}`;

export function requireTestEngine(): TestEngine {
	const dockerHost = process.env['DOCKNET_TEST_DOCKER_HOST'];
	const netns = process.env['DOCKNET_TEST_NETNS'];
	if (dockerHost === undefined || dockerHost === '' || netns === undefined || netns === '') {
		throw new Error(
			'No test engine: DOCKNET_TEST_DOCKER_HOST and DOCKNET_TEST_NETNS are not set. ' +
				'Engine tests run through `npm test` or `npx tsx test/run-tests.ts <file>` (as root, after `npm run setup`), ' +
				'which start a private Docker engine first.',
		);
	}

	const socketPath = process.env['DOCKNET_TEST_SOCKET'] ?? dockerHost.replace(/^unix:\/\//, '');
	return {dockerHost, socketPath, netns};
}

/** The environment for a child process (docker, docknet) that should talk to the test engine. */
export function testEngineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...base, DOCKER_HOST: requireTestEngine().dockerHost};
	// Anything that could point the client elsewhere goes.
	delete env['DOCKER_CONTEXT'];
	delete env['DOCKER_TLS_VERIFY'];
	delete env['DOCKER_CERT_PATH'];
	return env;
}

export async function dockerCli(args: string[]): Promise<string> {
	const env = testEngineEnv();
	return new Promise<string>((resolve, reject) => {
		execFile('docker', args, {env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error === null) {
				resolve(stdout.trim());
			} else {
				const detail = stderr.trim() === '' ? error.message : stderr.trim();
				reject(new Error(`docker ${args.join(' ')}: ${detail}`));
			}
		});
	});
}

let nameCounter = 0;

export function uniqueName(prefix: string): string {
	nameCounter += 1;
	return `dn-${prefix}-${TEST_RUN_ID}-${nameCounter}`;
}

export type ResourceKind = 'container' | 'network';

export interface RunContainerOptions {
	network?: string;
	/** Extra `docker run` options, placed before the image. */
	args?: string[];
	/** Default: sleep 100000. */
	command?: string[];
}

/** How TestResources drives an engine's CLI: Docker's by default, Podman's in podman-harness.ts. */
export interface ResourceCli {
	/** Runs the CLI; resolves to its trimmed stdout, rejects on failure. */
	run(args: string[]): Promise<string>;
	removeContainer(id: string): string[];
	removeNetwork(id: string): string[];
}

const dockerResourceCli: ResourceCli = {
	run: dockerCli,
	removeContainer: id => ['rm', '-f', '-v', id],
	removeNetwork: id => ['network', 'rm', id],
};

export class TestResources {
	private readonly containers: string[] = [];
	private readonly networks: string[] = [];

	constructor(private readonly cli: ResourceCli = dockerResourceCli) {}

	async runContainer(name: string, options: RunContainerOptions = {}): Promise<string> {
		const args = ['run', '-d', '--name', name, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`];
		if (options.network !== undefined) {
			args.push('--network', options.network);
		}

		args.push(...(options.args ?? []), TEST_IMAGE, ...(options.command ?? ['sleep', '100000']));
		// Tracked by name first: a run that fails after creating the container still leaves it.
		const index = this.containers.push(name) - 1;
		const id = await this.cli.run(args);
		this.containers[index] = id;
		return id;
	}

	async createNetwork(name: string, args: string[] = []): Promise<string> {
		const index = this.networks.push(name) - 1;
		const id = await this.cli.run(['network', 'create', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, ...args, name]);
		this.networks[index] = id;
		return id;
	}

	track(kind: ResourceKind, id: string): void {
		(kind === 'container' ? this.containers : this.networks).push(id);
	}

	/** Removes everything made or tracked here, plus anything labelled with this run; never throws. */
	async cleanup(): Promise<void> {
		const labelled = async (command: string[]) => {
			try {
				const output = await this.cli.run([...command, '--filter', `label=${TEST_LABEL}=${TEST_RUN_ID}`]);
				return output === '' ? [] : output.split('\n');
			} catch {
				return [];
			}
		};

		// Containers first (a network with endpoints cannot go), one at a time: parallel force
		// removal deadlocked dockerd 20.10.
		const containers = new Set([...this.containers.reverse(), ...(await labelled(['ps', '-aq', '--no-trunc']))]);
		for (const container of containers) {
			try {
				await this.cli.run(this.cli.removeContainer(container));
			} catch {
				// Already gone.
			}
		}

		const networks = new Set([...this.networks.reverse(), ...(await labelled(['network', 'ls', '-q', '--no-trunc']))]);
		for (const network of networks) {
			try {
				await this.cli.run(this.cli.removeNetwork(network));
			} catch {
				// Already gone, or a predefined network that a test only tracked.
			}
		}

		this.containers.length = 0;
		this.networks.length = 0;
	}
}
