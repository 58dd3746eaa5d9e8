import type {InsideRoute, InsideView} from '../../model/inside.js';
import {specialNetworkMode} from '../../model/selectors.js';
import type {DockerContainer} from '../../model/types.js';
import type {DetailLine, Details} from './details.js';

// A container's network stack as seen inside it: what `docker exec … ip addr`, `ip route`,
// `cat /etc/resolv.conf` and `cat /etc/hosts` would print, in the details layout.

/** Docker answers names on user-defined networks with its resolver at this address. */
export const EMBEDDED_DNS = '127.0.0.11';

/** Whose stack this is: its own, another container's, the host's, or none but lo. */
export function stackOwner(container: DockerContainer, containers: readonly DockerContainer[]): string {
	const mode = specialNetworkMode(container, containers);
	switch (mode?.kind) {
		case 'host':
			return "the host's own (--network host): these are the host's interfaces and routes";
		case 'none':
			return 'none: only the loopback interface lo';
		case 'container':
			return `${mode.containerName ?? mode.containerId.slice(0, 12)}'s (container:${mode.containerName ?? mode.containerId.slice(0, 12)}): the same interfaces, addresses and routes`;
		default:
			return 'its own network namespace';
	}
}

/** A route as `ip route` prints it. */
export function routeText(route: InsideRoute): string {
	return [
		route.destination,
		route.gateway ? `via ${route.gateway}` : '',
		route.device ? `dev ${route.device}` : '',
		route.protocol ? `proto ${route.protocol}` : '',
		route.scope ? `scope ${route.scope}` : '',
		route.source ? `src ${route.source}` : '',
		route.metric === undefined ? '' : `metric ${route.metric}`,
	]
		.filter(Boolean)
		.join(' ');
}

export function insideDetails(container: DockerContainer, containers: readonly DockerContainer[], inside: InsideView | undefined): Details {
	const lines: DetailLine[] = [{text: `Stack          ${stackOwner(container, containers)}`}];
	const title = `Inside ${container.name} — i: endpoints`;
	const columns = ['what', 'entry'];
	if (!inside || inside.status === 'unavailable') {
		lines.push({text: inside ? `Unavailable: ${inside.reason}` : 'Reading…', tone: inside ? 'warn' : 'muted'});
		return {title, lines, table: {title: 'Routes and /etc/hosts', columns, rows: [], emptyText: inside ? 'Nothing to show.' : 'Reading…'}};
	}

	for (const item of inside.interfaces) {
		const name = item.peerIfindex === undefined ? item.name : `${item.name}@if${item.peerIfindex}`;
		lines.push({
			text: `${name.padEnd(14)} ${item.state} mtu ${item.mtu}${item.mac ? ` ${item.mac}` : ''}  ${item.addresses.join(' ') || 'no address'}`,
			tone: item.state === 'DOWN' ? 'warn' : undefined,
		});
	}

	const {dns} = inside;
	const servers = dns.nameservers.map(server => (server === EMBEDDED_DNS ? `${server} (Docker's embedded DNS)` : server));
	lines.push({text: `DNS            ${servers.join(', ') || 'no nameserver'}${dns.search.length > 0 ? ` · search ${dns.search.join(' ')}` : ''}${dns.options.length > 0 ? ` · options ${dns.options.join(' ')}` : ''}`});
	// A file the container made odd (a FIFO, a link out, 20 MB) says so instead of its content.
	for (const file of inside.files) {
		if (!file.note) continue;
		const said = file.note.startsWith(`${file.path} `) ? file.note : `${file.path}: ${file.note}`;
		lines.push({text: `${'File'.padEnd(14)} ${said}`, tone: file.status === 'missing' ? 'muted' : 'warn'});
	}

	const rows = [
		...inside.routes.map(route => ({what: route.family === 4 ? 'route' : 'route -6', entry: routeText(route)})),
		...inside.hosts.map(entry => ({what: '/etc/hosts', entry: `${entry.address}  ${entry.names.join(' ')}`})),
	];
	return {
		title,
		lines,
		table: {title: `Routes (IPv4, IPv6) and /etc/hosts (${rows.length})`, columns, rows, emptyText: 'No routes and no /etc/hosts entries.'},
	};
}
