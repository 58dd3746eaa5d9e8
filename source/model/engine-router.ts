import {EngineError} from './gateway.js';
import type {EngineGateway} from './gateway.js';
import type {PictureStore} from './picture.js';
import {maxOf} from './large-arrays.js';

// The actions speak to one gateway; with several engines open, this one sends each request
// to the engine that owns what it names: a connect to the container's engine, a network's
// removal to the network's, a create to the engine the form was opened on.

export interface RoutedEngine {
	key: string;
	gateway: EngineGateway;
}

export function createEngineRouter(engines: readonly RoutedEngine[], picture: PictureStore): EngineGateway {
	const [primary] = engines;
	if (primary === undefined) throw new Error('the router needs at least one engine');
	const byKey = (key: string | undefined): EngineGateway => engines.find(engine => engine.key === key)?.gateway ?? primary.gateway;
	const owners = () => picture.getSnapshot().owners;
	const labelOf = (key: string | undefined): string => (key === undefined ? 'no engine' : (owners().labels.get(key) ?? key));
	const containerEngine = (id: string): string | undefined => owners().containers.get(id);
	const networkEngine = (id: string): string | undefined => owners().networks.get(id);
	const isSwarmNetwork = (id: string): boolean => picture.getSnapshot().networks.find(network => network.id === id)?.scope === 'swarm';

	/** A local network lives on one engine: a container of another cannot join or leave it. */
	const sameEngine = (networkId: string, containerId: string, verb: string): EngineGateway => {
		const containerKey = containerEngine(containerId);
		const networkKey = networkEngine(networkId);
		if (engines.length > 1 && containerKey !== undefined && networkKey !== undefined && containerKey !== networkKey && !isSwarmNetwork(networkId)) {
			throw new EngineError(
				'bad-request',
				`cannot ${verb}: the container runs on engine ${labelOf(containerKey)} and the network is on engine ${labelOf(networkKey)}; a container only joins networks of its own engine (or swarm overlays)`,
			);
		}

		return byKey(containerKey);
	};

	// Asks each engine in turn for something no engine was seen to own (just created, or
	// gone): the first that has it answers; "gone" only when every engine said so.
	const firstAnswer = async <T>(ask: (gateway: EngineGateway) => Promise<T | undefined>): Promise<T | undefined> => {
		let failure: unknown;
		for (const engine of engines) {
			try {
				// eslint-disable-next-line no-await-in-loop -- in order, and usually the first answers
				const answer = await ask(engine.gateway);
				if (answer !== undefined) return answer;
			} catch (error) {
				failure ??= error;
			}
		}

		// An engine that did not answer may have it: not knowing is not "gone".
		if (failure !== undefined) throw failure;
		return undefined;
	};

	return {
		info: async () => primary.gateway.info(),
		async listNetworks() {
			return (await Promise.all(engines.map(async engine => engine.gateway.listNetworks()))).flat();
		},
		async listContainers(only) {
			return (await Promise.all(engines.map(async engine => engine.gateway.listContainers(only)))).flat();
		},
		async inspectNetwork(idOrName) {
			const key = networkEngine(idOrName);
			return key === undefined ? firstAnswer(async gateway => gateway.inspectNetwork(idOrName)) : byKey(key).inspectNetwork(idOrName);
		},
		async inspectContainer(idOrName) {
			const key = containerEngine(idOrName);
			return key === undefined ? firstAnswer(async gateway => gateway.inspectContainer(idOrName)) : byKey(key).inspectContainer(idOrName);
		},
		async streamEvents() {
			throw new Error('the engine router sends actions only; each engine streams its own events');
		},
		async connect(networkId, containerId, options) {
			return sameEngine(networkId, containerId, 'connect').connect(networkId, containerId, options);
		},
		async disconnect(networkId, containerId, force) {
			return sameEngine(networkId, containerId, 'disconnect').disconnect(networkId, containerId, force);
		},
		async createNetwork(spec) {
			return byKey(spec.engine).createNetwork(spec);
		},
		async removeNetwork(networkId) {
			return byKey(networkEngine(networkId)).removeNetwork(networkId);
		},
		ping: async timeoutMs => primary.gateway.ping(timeoutMs),
		listSwarmNodes: async () => primary.gateway.listSwarmNodes(),
		listSwarmServices: async () => primary.gateway.listSwarmServices(),
		listSwarmTasks: async () => primary.gateway.listSwarmTasks(),
		inspectNetworkCluster: async (networkId, localAddress) => byKey(networkEngine(networkId)).inspectNetworkCluster(networkId, localAddress),
		get requestCount() {
			return engines.reduce((sum, engine) => sum + engine.gateway.requestCount, 0);
		},
		get lastAnswerAt() {
			return maxOf(engines.map(engine => engine.gateway.lastAnswerAt));
		},
	};
}
