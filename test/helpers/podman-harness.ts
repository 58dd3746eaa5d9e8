import {execFile} from 'node:child_process';
import {TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources, uniqueName, type ResourceCli} from './engine-harness.js';

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

const podmanResourceCli: ResourceCli = {
	run: podmanCli,
	removeContainer: id => ['rm', '-f', '-t', '0', id],
	removeNetwork: id => ['network', 'rm', '-f', id],
};

/** TestResources made and removed with the podman CLI against the test Podman. */
export class PodmanResources extends TestResources {
	constructor() {
		super(podmanResourceCli);
	}

	/** `podman network create` prints the name: the id comes from an inspect. */
	override async createNetwork(name: string, args: string[] = []): Promise<string> {
		await super.createNetwork(name, args);
		return (await podmanInspect('network', name))['id'] as string;
	}
}
