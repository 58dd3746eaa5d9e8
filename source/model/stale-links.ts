import {specialNetworkMode} from './selectors.js';
import type {DockerContainer, DockerNetwork} from './types.js';

// Links the engine keeps after what they point at is gone. It lets `docker network rm` take a
// network a stopped container still lists (starting that container then fails with "network
// … not found"), and a `--network container:<id>` sidecar keeps its owner's id after the owner
// was removed or recreated under the same name (a new id).

export interface StaleLink {
	kind: 'owner-gone' | 'network-gone';
	text: string;
}

const isStopped = (container: DockerContainer): boolean => container.state === 'created' || container.state === 'exited' || container.state === 'dead';

const keysOf = new WeakMap<readonly DockerNetwork[], ReadonlySet<string>>();

/** Every network's id and name, found once per list: each container row asks. */
function networkKeys(networks: readonly DockerNetwork[]): ReadonlySet<string> {
	let keys = keysOf.get(networks);
	if (keys === undefined) {
		keys = new Set(networks.flatMap(network => [network.id, network.name]));
		keysOf.set(networks, keys);
	}

	return keys;
}

/** What the container points at that no longer exists, each said as the user should read it. */
export function staleLinks(container: DockerContainer, containers: readonly DockerContainer[], networks: readonly DockerNetwork[]): StaleLink[] {
	const links: StaleLink[] = [];
	const mode = specialNetworkMode(container, containers);
	if (mode?.kind === 'container' && mode.containerName === undefined) {
		links.push({
			kind: 'owner-gone',
			text: `shares the stack of container ${mode.containerId.slice(0, 12)}, which is gone (removed, or recreated with a new id): it is not in the new one's stack; recreate it to join that`,
		});
	}

	// A running container's endpoints are live ones; only a stopped one can list a removed network.
	if (isStopped(container)) {
		for (const endpoint of container.endpoints) {
			const known = networkKeys(networks);
			if (!known.has(endpoint.networkId) && !known.has(endpoint.networkName)) {
				links.push({kind: 'network-gone', text: `lists network ${endpoint.networkName}, which was removed: starting it fails (network not found)`});
			}
		}
	}

	return links;
}
