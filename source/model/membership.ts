import type {ContainerEndpoint, DockerContainer, DockerNetwork} from './types.js';

// Who is on which network, for deciding what an action may do. Unlike the panes'
// attachmentsByNetwork, this also counts endpoints of stopped containers: a container
// connected while stopped reports an empty NetworkID until it starts, so the network's name
// is the only link to it.

export function endpointOn(container: DockerContainer, network: Pick<DockerNetwork, 'id' | 'name'>): ContainerEndpoint | undefined {
	return container.endpoints.find(
		endpoint => endpoint.networkId === network.id || (endpoint.networkId === '' && endpoint.networkName === network.name),
	);
}

export interface Member {
	container: DockerContainer;
	endpoint: ContainerEndpoint;
}

export function membersOf(network: Pick<DockerNetwork, 'id' | 'name'>, containers: readonly DockerContainer[]): Member[] {
	const members: Member[] = [];
	for (const container of containers) {
		const endpoint = endpointOn(container, network);
		if (endpoint) members.push({container, endpoint});
	}

	return members;
}

/** "web, ctn1 and 3 more": names for a sentence, bounded so a status line stays short. */
export function nameList(names: readonly string[], max = 4): string {
	if (names.length <= max) {
		if (names.length <= 1) return names.join('');
		return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
	}

	return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
