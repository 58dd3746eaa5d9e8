import type {EngineGateway} from './gateway.js';
import {endpointOn} from './membership.js';
import {holdsEndpoint} from './refusals.js';
import {keepIdentity, upsertById} from './store.js';
import type {EngineSnapshot, SnapshotSource} from './store.js';
import type {ContainerEndpoint, DockerContainer, DockerNetwork} from './types.js';

// What an action sees of the engine after it sent its request: the endpoint as the store
// shows it once the engine's event arrived, or as the engine answers when asked directly.

export class ActionReadBack {
	constructor(
		private readonly gateway: EngineGateway,
		private readonly store: SnapshotSource,
		private readonly settleTimeoutMs: number,
	) {}

	storeEndpoint(networkId: string, containerId: string, snapshot = this.store.getSnapshot()): ContainerEndpoint | undefined {
		const container = snapshot.containers.find(item => item.id === containerId);
		const network = snapshot.networks.find(item => item.id === networkId) ?? {id: networkId, name: ''};
		return container ? endpointOn(container, network) : undefined;
	}

	/** The endpoint as the engine has it now; inspects when the store lacks aliases. */
	async currentEndpoint(networkId: string, containerId: string): Promise<ContainerEndpoint | undefined> {
		const snapshot = this.store.getSnapshot();
		const known = snapshot.containers.find(item => item.id === containerId);
		if (known?.inspected) return this.storeEndpoint(networkId, containerId, snapshot);
		const inspected = await this.safeInspectContainer(containerId);
		const network = snapshot.networks.find(item => item.id === networkId) ?? {id: networkId, name: ''};
		return inspected ? endpointOn(inspected, network) : this.storeEndpoint(networkId, containerId, snapshot);
	}

	/**
	 * The container's endpoint once the store shows it `present` (or gone), as the engine's
	 * event brought it; if the event is late, the engine is asked directly.
	 */
	async endpointAfter(networkId: string, containerId: string, present: boolean): Promise<ContainerEndpoint | undefined> {
		const known = this.store.getSnapshot().containers.find(item => item.id === containerId);
		if (present && known && !holdsEndpoint(known)) {
			// Connecting a stopped container only changes its configuration, and the engine
			// sends no event for that: read the container back and show what the engine has.
			return this.readBack(networkId, containerId);
		}

		const settled = await this.settle(snapshot => {
			const container = snapshot.containers.find(item => item.id === containerId);
			if (!container) return !present;
			const endpoint = this.storeEndpoint(networkId, containerId, snapshot);
			// Aliases arrive with the inspect that follows the event; the list call has none.
			return present ? endpoint !== undefined && container.inspected : endpoint === undefined;
		});
		if (settled) return this.storeEndpoint(networkId, containerId, settled);
		return present ? this.readBack(networkId, containerId) : undefined;
	}

	/** Inspects the container and puts what the engine says into the store. */
	async readBack(networkId: string, containerId: string): Promise<ContainerEndpoint | undefined> {
		const inspected = await this.safeInspectContainer(containerId);
		if (!inspected) return undefined;
		this.store.update(snapshot => {
			const previous = snapshot.containers.find(item => item.id === containerId);
			const containers = upsertById(snapshot.containers, keepIdentity(previous, inspected));
			return containers === snapshot.containers ? snapshot : {...snapshot, containers};
		});
		const network = this.store.getSnapshot().networks.find(item => item.id === networkId) ?? {id: networkId, name: ''};
		return endpointOn(inspected, network);
	}

	/** Resolves with the first snapshot that satisfies `done`, or undefined after the timeout. */
	settle(done: (snapshot: EngineSnapshot) => boolean): Promise<EngineSnapshot | undefined> {
		const now = this.store.getSnapshot();
		if (done(now)) return Promise.resolve(now);
		return new Promise(resolve => {
			const finish = (snapshot: EngineSnapshot | undefined): void => {
				clearTimeout(timer);
				unsubscribe();
				resolve(snapshot);
			};

			const unsubscribe = this.store.subscribe(() => {
				const snapshot = this.store.getSnapshot();
				if (done(snapshot)) finish(snapshot);
			});
			const timer = setTimeout(() => finish(undefined), this.settleTimeoutMs);
			timer.unref();
		});
	}

	async safeInspectContainer(id: string): Promise<DockerContainer | undefined> {
		try {
			return await this.gateway.inspectContainer(id);
		} catch {
			return undefined;
		}
	}

	async safeInspectNetwork(id: string): Promise<DockerNetwork | undefined> {
		try {
			return await this.gateway.inspectNetwork(id);
		} catch {
			return undefined;
		}
	}
}
