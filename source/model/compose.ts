import type {DockerContainer, DockerNetwork} from './types.js';

// What Docker Compose (1.x and 2.x alike) writes on what it creates, read back as the user
// thinks of it: the project, the service, and which replica of it a container is.

export const composeLabels = {
	project: 'com.docker.compose.project',
	service: 'com.docker.compose.service',
	containerNumber: 'com.docker.compose.container-number',
	oneoff: 'com.docker.compose.oneoff',
	network: 'com.docker.compose.network',
	workingDir: 'com.docker.compose.project.working_dir',
	configFiles: 'com.docker.compose.project.config_files',
} as const;

export interface ComposeIdentity {
	project: string;
	/** Absent on a network (and on containers Compose did not make from a service). */
	service?: string;
	/** The replica number (`web #2`); absent for one-off containers and when unlabelled. */
	replica?: number;
	/** Made by `docker compose run`, not by `up`. */
	oneoff: boolean;
}

const projectOf = (labels: Record<string, string>): string | undefined => {
	const project = labels[composeLabels.project];
	return project === undefined || project === '' ? undefined : project;
};

/** The container's Compose project, service and replica; undefined for a container Compose did not make. */
export function composeOfContainer(container: DockerContainer): ComposeIdentity | undefined {
	const project = projectOf(container.labels);
	if (project === undefined) return undefined;
	const service = container.labels[composeLabels.service];
	const number = Number.parseInt(container.labels[composeLabels.containerNumber] ?? '', 10);
	const oneoff = (container.labels[composeLabels.oneoff] ?? '').toLowerCase() === 'true';
	return {
		project,
		...(service === undefined || service === '' ? {} : {service}),
		...(Number.isFinite(number) && !oneoff ? {replica: number} : {}),
		oneoff,
	};
}

/** The project a network belongs to (Compose labels the networks it creates, not external ones). */
export function composeProjectOfNetwork(network: DockerNetwork): string | undefined {
	return projectOf(network.labels);
}

/** `web #2`, `web run` for a one-off, `web` when unnumbered; '' outside Compose. */
export function serviceText(identity: ComposeIdentity | undefined): string {
	if (identity?.service === undefined) return '';
	if (identity.oneoff) return `${identity.service} run`;
	return identity.replica === undefined ? identity.service : `${identity.service} #${identity.replica}`;
}

/** Labels as `key=value`, sorted, for search and for the details. */
export function labelPairs(labels: Record<string, string>): string[] {
	return Object.keys(labels)
		.sort()
		.map(key => `${key}=${labels[key] ?? ''}`);
}
