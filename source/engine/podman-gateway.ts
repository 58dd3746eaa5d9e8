import type {EngineGateway, EventStreamHandlers} from '../model/gateway.js';
import type {DockerContainer, EngineEvent} from '../model/types.js';
import {PodmanDialect, toPodmanNetworkFacts, type PodmanNetworkFacts} from './podman-dialect.js';

// Wraps the Docker API gateway so that, when the engine turns out to be Podman, everything
// it returns means what it means on Docker (see podman-dialect.ts). On Docker it passes
// every call straight through. The product is learnt from info(), which every caller makes
// first (the start-up check, EngineSync on each connection, the snapshot command); until
// then the engine is taken for Docker, so no call ever waits on an extra request.

/** A GET through the gateway's own request path (same time-out, abort and counting). */
export type RawGet = (path: string, what: string) => Promise<unknown>;

// Podman's own API answers under any version prefix it supports; 4.0.0 is the oldest
// Podman with netavark and the network API used here.
const LIBPOD = '/v4.0.0/libpod';

export function withEngineDialect(base: EngineGateway, get: RawGet): EngineGateway {
	let dialect: PodmanDialect | undefined;
	const sinks = new Set<(event: EngineEvent) => void>();

	// The events stream may open while the first info() is still on its way (start-up sends
	// both at once): events wait for it, so none slips through in Podman's own terms.
	let firstInfo: Promise<unknown> = Promise.resolve();
	let infoPending = false;
	const info: EngineGateway['info'] = async () => {
		const answer = base.info();
		infoPending = true;
		firstInfo = answer.catch(() => undefined).finally(() => {
			infoPending = false;
		});
		const result = await answer;
		dialect = result.product === 'Podman' ? (dialect ?? new PodmanDialect()) : undefined;
		return result;
	};

	const podman = async (): Promise<PodmanDialect | undefined> => dialect;

	const facts = async (path: string, what: string): Promise<unknown> => {
		try {
			return await get(path, what);
		} catch {
			// Without Podman's own answer the Docker one still serves (no bridge name).
			return undefined;
		}
	};

	/** Teaches the dialect the ids of networks a container uses that no listing showed yet. */
	const learnNetworks = async (d: PodmanDialect, containers: readonly DockerContainer[]): Promise<void> => {
		const unknown = new Set(containers.flatMap(container => d.unknownNetworks(container)));
		for (const name of unknown) await inspectNetwork(name).catch(() => undefined);
	};

	const inspectNetwork: EngineGateway['inspectNetwork'] = async idOrName => {
		const d = await podman();
		const network = await base.inspectNetwork(idOrName);
		if (!d || !network) return network;
		const own = toPodmanNetworkFacts(await facts(`${LIBPOD}/networks/${encodeURIComponent(network.id)}/json`, `inspecting Podman network ${idOrName}`));
		return d.network(network, own);
	};

	const inspectContainer: EngineGateway['inspectContainer'] = async idOrName => {
		const d = await podman();
		const container = await base.inspectContainer(idOrName);
		if (!d) return container;
		if (!container) {
			d.forgetContainer(idOrName);
			return undefined;
		}

		await learnNetworks(d, [container]);
		return d.container(container);
	};

	const announce = (event: EngineEvent): void => {
		for (const sink of sinks) sink(event);
	};

	return {
		get requestCount() {
			return base.requestCount;
		},

		get lastAnswerAt() {
			return base.lastAnswerAt;
		},

		ping: async timeoutMs => base.ping(timeoutMs),

		info,
		inspectNetwork,
		inspectContainer,

		async listNetworks() {
			const d = await podman();
			if (!d) return base.listNetworks();
			const [listed, own] = await Promise.all([base.listNetworks(), facts(`${LIBPOD}/networks/json`, 'listing Podman networks')]);
			const known = Array.isArray(own) ? own.map(item => toPodmanNetworkFacts(item)).filter((item): item is PodmanNetworkFacts => item !== undefined) : [];
			return d.networks(listed, known);
		},

		async listContainers(only) {
			const d = await podman();
			const containers = await base.listContainers(only);
			if (!d) return containers;
			await learnNetworks(d, containers);
			return containers.map(container => d.container(container));
		},

		async streamEvents(handlers: EventStreamHandlers, signal: AbortSignal) {
			// Events are normalised one after another, so an inspect one of them needs never
			// lets a later event overtake it.
			let queue = Promise.resolve();
			const deliver = (event: EngineEvent): void => {
				// Docker's events go straight through (a handler's error ends the stream, as the
				// base gateway promises); Podman's, and any before the first answer, take the queue.
				if (dialect === undefined && !infoPending) {
					handlers.onEvent(event);
					return;
				}

				queue = queue.then(async () => {
					await firstInfo;
					const d = dialect;
					if (d?.needsInspect(event)) await inspectContainer(event.actorId).catch(() => undefined);
					const normalised = d ? d.normalise(event) : event;
					if (!signal.aborted && normalised) handlers.onEvent(normalised);
				}).catch(() => undefined);
			};

			sinks.add(deliver);
			try {
				await base.streamEvents({onOpen: handlers.onOpen, onEvent: deliver}, signal);
			} finally {
				sinks.delete(deliver);
			}
		},

		// Podman has no swarm: these answer as the engine does.
		listSwarmNodes: async () => base.listSwarmNodes(),
		listSwarmServices: async () => base.listSwarmServices(),
		listSwarmTasks: async () => base.listSwarmTasks(),
		inspectNetworkCluster: async (networkId, localAddress) => base.inspectNetworkCluster(networkId, localAddress),
		connect: async (networkId, containerId, options) => base.connect(networkId, containerId, options),
		disconnect: async (networkId, containerId, force) => base.disconnect(networkId, containerId, force),

		async createNetwork(spec) {
			const id = await base.createNetwork(spec);
			// Podman announces no network it creates: say it, as Docker's engine would have.
			if (dialect) announce(dialect.networkEvent('create', {id, name: spec.name, driver: spec.driver}));
			return id;
		},

		async removeNetwork(networkId) {
			await base.removeNetwork(networkId);
			if (dialect) {
				const known = dialect.knownNetwork(networkId);
				announce(dialect.networkEvent('destroy', {id: networkId, name: known?.name ?? networkId.slice(0, 12), driver: known?.driver ?? ''}));
				dialect.forgetNetwork(networkId);
			}
		},
	};
}
