import {composeLabels, composeOfContainer, composeProjectOfNetwork, serviceText} from '../../model/compose.js';
import {subnetsOf} from '../../model/selectors.js';
import type {DockerContainer, DockerNetwork} from '../../model/types.js';
import type {DetailLine, Details} from './details.js';
import {containerStateText} from '../../view/format.js';
import {portItems} from '../../view/pane-rows.js';
import {projectOfGroupRow, stateSummary} from './project-groups.js';

// A Compose project as `docker compose ps` shows it (service, state and health, ports,
// command per container), with what ps leaves out for networking: the project's networks
// with their subnets, and the networks from outside the project its containers join.

const field = (label: string, value: string): DetailLine => ({text: `${label.padEnd(14)} ${value === '' ? '–' : value}`});

export function projectDetails(project: string, containers: readonly DockerContainer[], networks: readonly DockerNetwork[]): Details {
	const members = containers
		.map(container => ({container, compose: composeOfContainer(container)}))
		.filter(({compose}) => compose?.project === project)
		.sort((a, b) => serviceText(a.compose).localeCompare(serviceText(b.compose), undefined, {numeric: true}));
	const own = networks.filter(network => composeProjectOfNetwork(network) === project);
	const ownIds = new Set(own.map(network => network.id));
	const joined = new Set<string>();
	for (const {container} of members) for (const endpoint of container.endpoints) if (!ownIds.has(endpoint.networkId)) joined.add(endpoint.networkName);
	const first = members[0]?.container.labels ?? {};
	const summary = stateSummary(members.map(({container}) => containerStateText(container)));
	const lines: DetailLine[] = [
		field('Containers', `${members.length} · ${summary.text}`),
		field('Services', String(new Set(members.map(({compose}) => compose?.service ?? '')).size)),
		field('Working dir', first[composeLabels.workingDir] ?? ''),
		field('Config files', first[composeLabels.configFiles] ?? ''),
		...own.map((network, index) => {
			const {ipv4, ipv6} = subnetsOf(network);
			return field(index === 0 ? 'Networks' : '', [network.name, network.driver, ...ipv4, ...ipv6, network.internal ? 'internal' : ''].filter(Boolean).join('  '));
		}),
		...(own.length === 0 ? [field('Networks', 'none of its own')] : []),
		field('Also joins', [...joined].sort().join(', ')),
	];
	return {
		title: `Compose project ${project}`,
		lines,
		table: {
			title: `Containers (${members.length}) — as docker compose ps`,
			columns: ['service', 'container', 'state', 'status', 'ports', 'command'],
			rows: members.map(({container, compose}) => ({
				service: serviceText(compose) || '–',
				container: container.name,
				state: containerStateText(container),
				status: container.status,
				ports: portItems(container).join(', ') || '–',
				command: container.command ?? '–',
			})),
			emptyText: 'No container of this project is left.',
		},
	};
}

/** The details of a project's row (its id names the project); undefined for any other row. */
export function projectDetailsOf(rowId: string, data: {containers: readonly DockerContainer[]; networks: readonly DockerNetwork[]}): Details | undefined {
	const project = projectOfGroupRow(rowId);
	return project === undefined ? undefined : projectDetails(project, data.containers, data.networks);
}
