import type {EngineGateway} from '../model/gateway.js';
import type {DockerContainer, DockerNetwork} from '../model/types.js';

// A container that is not running reports an empty NetworkID for the networks it was
// connected to while stopped (and for its default network until its first start): the
// engine keeps only the network's name, the endpoint's key. Everything docknet joins by id
// (CTRS, details, topology, `snapshot --json`) would leave it out, while its own row names
// the network. The gateway fills such ids from the networks it has listed, by name, so the
// rest of docknet sees each endpoint on its network.

export function withNetworkIdsByName(base: EngineGateway): EngineGateway {
	let idByName = new Map<string, string>();
	/** Names a network list did not know: no new list is asked for them until the next one. */
	let unknownNames = new Set<string>();
	let listing: Promise<DockerNetwork[]> | undefined;

	const learn = (networks: readonly DockerNetwork[]): void => {
		idByName = new Map(networks.map(network => [network.name, network.id]));
		unknownNames = new Set();
	};

	const listNetworks = async (): Promise<DockerNetwork[]> => {
		const pending = base.listNetworks();
		listing = pending;
		try {
			const networks = await pending;
			learn(networks);
			return networks;
		} finally {
			if (listing === pending) listing = undefined;
		}
	};

	const missing = (containers: readonly DockerContainer[]): string[] =>
		containers.flatMap(container => container.endpoints.filter(endpoint => endpoint.networkId === '' && !idByName.has(endpoint.networkName)).map(endpoint => endpoint.networkName));

	const resolve = async (containers: readonly DockerContainer[]): Promise<DockerContainer[]> => {
		const names = missing(containers);
		if (names.length > 0) {
			// The network list that goes out with the container list at every (re)connection
			// usually answers these; one more list only for a name neither has seen.
			if (listing !== undefined) await listing.catch(() => undefined);
			if (missing(containers).some(name => !unknownNames.has(name))) await listNetworks().catch(() => undefined);
			for (const name of missing(containers)) unknownNames.add(name);
		}

		return containers.map(container => withIds(container, idByName));
	};

	return {
		...base,
		get requestCount() {
			return base.requestCount;
		},
		get lastAnswerAt() {
			return base.lastAnswerAt;
		},
		listNetworks,
		async inspectNetwork(idOrName) {
			const network = await base.inspectNetwork(idOrName);
			if (network !== undefined) idByName.set(network.name, network.id);
			return network;
		},
		async listContainers(only) {
			return resolve(await base.listContainers(only));
		},
		async inspectContainer(idOrName) {
			const container = await base.inspectContainer(idOrName);
			return container === undefined ? undefined : (await resolve([container]))[0];
		},
	};
}

function withIds(container: DockerContainer, idByName: ReadonlyMap<string, string>): DockerContainer {
	let changed = false;
	const endpoints = container.endpoints.map(endpoint => {
		const id = endpoint.networkId === '' ? idByName.get(endpoint.networkName) : undefined;
		if (id === undefined) return endpoint;
		changed = true;
		return {...endpoint, networkId: id};
	});
	return changed ? {...container, endpoints} : container;
}
