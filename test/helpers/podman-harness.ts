import {execFile} from 'node:child_process';
import {TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, uniqueName} from './engine-harness.js';

// The private Podman for *.podman.test.ts files: test/run-tests.ts starts it (see
// private-podman.ts) and passes it down through the environment. Tests drive it with the
// podman CLI in remote mode, as a Podman user would, so nothing touches its storage directly.

export {TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, uniqueName};

export interface TestPodman {
	/** unix://…/podman.sock: Podman's Docker-compatible API, what docknet talks to. */
	dockerHost: string;
	netns: string;
}

export function requireTestPodman(): TestPodman {
	const dockerHost = process.env['DOCKNET_TEST_PODMAN_HOST'];
	const netns = process.env['DOCKNET_TEST_PODMAN_NETNS'];
	if (dockerHost === undefined || dockerHost === '' || netns === undefined || netns === '') {
		throw new Error(
			'No test Podman: DOCKNET_TEST_PODMAN_HOST and DOCKNET_TEST_PODMAN_NETNS are not set. ' +
				'Podman tests run through `npm test` or `npx tsx test/run-tests.ts <file>` (as root, after `npm run setup`), ' +
				'which start a private Podman first.',
		);
	}

	return {dockerHost, netns};
}

/** The environment for docknet (or any Docker client) that should talk to the test Podman. */
export function podmanEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...base, DOCKER_HOST: requireTestPodman().dockerHost};
	delete env['DOCKER_CONTEXT'];
	delete env['DOCKER_TLS_VERIFY'];
	delete env['DOCKER_CERT_PATH'];
	delete env['CONTAINER_HOST'];
	return env;
}

export async function podmanCli(args: string[]): Promise<string> {
	const url = requireTestPodman().dockerHost;
	return new Promise<string>((resolve, reject) => {
		execFile('podman', ['--remote', '--url', url, ...args], {timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error === null) resolve(stdout.trim());
			else reject(new Error(`podman ${args.join(' ')}: ${stderr.trim() === '' ? error.message : stderr.trim()}`));
		});
	});
}

type Json = Record<string, unknown>;

export async function podmanInspect(kind: 'network' | 'container', name: string): Promise<Json> {
	const parsed = JSON.parse(await podmanCli([kind, 'inspect', name])) as Json[];
	const first = parsed[0];
	if (first === undefined) throw new Error(`podman ${kind} inspect ${name} returned nothing`);
	return first;
}

/** Network name → the container's address on it, as `podman inspect` reports it. */
export async function podmanAddresses(container: string): Promise<Record<string, string>> {
	const raw = await podmanInspect('container', container);
	const settings = (raw['NetworkSettings'] ?? {}) as {Networks?: Record<string, {IPAddress?: string}>};
	return Object.fromEntries(Object.entries(settings.Networks ?? {}).map(([name, endpoint]) => [name, endpoint.IPAddress ?? '']));
}

export class PodmanResources {
	private readonly containers: string[] = [];
	private readonly networks: string[] = [];

	async runContainer(name: string, options: {network?: string; args?: string[]} = {}): Promise<string> {
		const args = ['run', '-d', '--name', name, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`];
		if (options.network !== undefined) args.push('--network', options.network);
		args.push(...(options.args ?? []), TEST_IMAGE, 'sleep', '100000');
		const index = this.containers.push(name) - 1;
		const id = await podmanCli(args);
		this.containers[index] = id;
		return id;
	}

	async createNetwork(name: string, args: string[] = []): Promise<string> {
		this.networks.push(name);
		await podmanCli(['network', 'create', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, ...args, name]);
		return (await podmanInspect('network', name))['id'] as string;
	}

	track(kind: 'container' | 'network', name: string): void {
		(kind === 'container' ? this.containers : this.networks).push(name);
	}

	/** Removes everything made or tracked here, plus anything labelled with this run; never throws. */
	async cleanup(): Promise<void> {
		const labelled = async (command: string[]): Promise<string[]> => {
			try {
				const output = await podmanCli([...command, '--filter', `label=${TEST_LABEL}=${TEST_RUN_ID}`]);
				return output === '' ? [] : output.split('\n');
			} catch {
				return [];
			}
		};

		const containers = new Set([...this.containers.reverse(), ...(await labelled(['ps', '-aq', '--no-trunc']))]);
		for (const container of containers) await podmanCli(['rm', '-f', '-t', '0', container]).catch(() => undefined);
		const networks = new Set([...this.networks.reverse(), ...(await labelled(['network', 'ls', '-q', '--no-trunc']))]);
		for (const network of networks) await podmanCli(['network', 'rm', '-f', network]).catch(() => undefined);
		this.containers.length = 0;
		this.networks.length = 0;
	}
}
