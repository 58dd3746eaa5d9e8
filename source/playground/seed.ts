import {engineCall, socketPathOf} from './engine-api.js';
import {BUSYBOX_IMAGE} from './private-engine.js';

// The classic Docker networking walkthrough, rebuilt on a private engine: two containers on
// the default bridge, a user-defined network with its own subnet, and one container for each
// special network mode (host, none, another container's namespace).

export const PLAYGROUND_LABEL = 'docknet.playground';

export const PLAYGROUND_NETWORK = {name: 'playnet', subnet: '10.77.0.0/24', gateway: '10.77.0.1'} as const;

export interface SeedContainer {
	name: string;
	/** Docker's HostConfig.NetworkMode: bridge, host, none, container:<name> or a network name. */
	networkMode: string;
}

export const PLAYGROUND_CONTAINERS: readonly SeedContainer[] = [
	{name: 'ctn1', networkMode: 'bridge'},
	{name: 'ctn2', networkMode: 'bridge'},
	{name: 'ctn3', networkMode: PLAYGROUND_NETWORK.name},
	{name: 'web-host', networkMode: 'host'},
	{name: 'isolated', networkMode: 'none'},
	// Needs ctn1 running, so it comes after it.
	{name: 'sidecar', networkMode: 'container:ctn1'},
];

export interface SeedResult {
	networkId: string;
	containerIds: Record<string, string>;
}

function idFrom(body: string): string {
	const parsed: unknown = JSON.parse(body);
	if (typeof parsed === 'object' && parsed !== null && 'Id' in parsed && typeof parsed.Id === 'string') {
		return parsed.Id;
	}

	throw new Error(`The engine answered without an Id: ${body}`);
}

/**
 * Creates the walkthrough's network and containers on the engine at `dockerHost` (a private
 * engine that already has the busybox image). Safe to run again: what exists is kept and started.
 */
export async function seedWalkthrough(dockerHost: string, onProgress?: (step: string) => void): Promise<SeedResult> {
	const socketPath = socketPathOf(dockerHost);
	const labels = {[PLAYGROUND_LABEL]: '1'};

	onProgress?.(`creating network ${PLAYGROUND_NETWORK.name} (${PLAYGROUND_NETWORK.subnet})`);
	const network = await engineCall(socketPath, 'POST', '/networks/create', {
		body: {
			Name: PLAYGROUND_NETWORK.name,
			CheckDuplicate: true,
			Driver: 'bridge',
			IPAM: {Driver: 'default', Config: [{Subnet: PLAYGROUND_NETWORK.subnet, Gateway: PLAYGROUND_NETWORK.gateway}]},
			Labels: labels,
		},
		accept: [409],
	});
	const networkId =
		network.status === 409
			? idFrom((await engineCall(socketPath, 'GET', `/networks/${PLAYGROUND_NETWORK.name}`)).body)
			: idFrom(network.body);

	const containerIds: Record<string, string> = {};
	for (const container of PLAYGROUND_CONTAINERS) {
		onProgress?.(`starting ${container.name} (${container.networkMode})`);
		const created = await engineCall(socketPath, 'POST', `/containers/create?name=${encodeURIComponent(container.name)}`, {
			body: {
				Image: BUSYBOX_IMAGE,
				Cmd: ['sleep', '1000000000'],
				Labels: labels,
				HostConfig: {
					NetworkMode: container.networkMode,
					// sleep as PID 1 ignores SIGTERM; the init forwards it, so stopping takes no 10 s.
					Init: true,
				},
			},
			accept: [409],
		});
		const id =
			created.status === 409
				? idFrom((await engineCall(socketPath, 'GET', `/containers/${encodeURIComponent(container.name)}/json`)).body)
				: idFrom(created.body);
		// 304: already running.
		await engineCall(socketPath, 'POST', `/containers/${id}/start`, {accept: [304]});
		containerIds[container.name] = id;
	}

	return {networkId, containerIds};
}
