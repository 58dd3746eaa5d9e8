import {engineTakes, FIELD_SINCE} from '../../model/api-versions.js';
import {commandLine, disconnectArgv, networkArgument, onEngine, removeArgv} from '../../commands/docker-command.js';
import {formatCount, parseCidr, usableAddressCount} from '../../model/addressing.js';
import {endpointOn, membersOf, nameList} from '../../model/membership.js';
import {commandFlagsOf, onSameEngine} from '../../model/picture.js';
import {networkJoinBlocker} from '../../model/refusals.js';
import {containerNetworksText} from '../../view/pane-rows.js';
import {chosenAliases, isPredefinedNetwork, subnetsOf} from '../../model/selectors.js';
import type {EngineSnapshot} from '../../model/store.js';
import type {DockerContainer, DockerNetwork} from '../../model/types.js';
import {creatableDrivers} from '../../model/validation.js';
import type {ConnectInput, NetworkInput} from '../../model/validation.js';
import type {FormDialog, FormField, PickerItem} from '../state/dialog-state.js';

// What the action dialogs show, built from the snapshot: picker rows, form fields, the
// lines of a confirmation. Pure; the actions hook decides when to show them.

type Data = Pick<EngineSnapshot, 'networks' | 'containers' | 'engines' | 'owners'>;

/** Addresses still free in the network's first IPv4 subnet, as a short text. */
export function freeAddresses(network: DockerNetwork, containers: readonly DockerContainer[]): string {
	const pool = network.pools.find(entry => parseCidr(entry.subnet)?.family === 4);
	const cidr = pool ? parseCidr(pool.subnet) : undefined;
	if (!cidr) return '–';
	const used = membersOf(network, containers).filter(member => member.endpoint.ipv4 ?? member.endpoint.requestedIpv4).length;
	// The engine's IPAM takes a gateway address from the pool whether or not the config names
	// one (the default bridge lists none on many engines), and never hands out aux addresses.
	const reserved = 1 + Object.keys(pool?.auxAddresses ?? {}).length;
	const free = usableAddressCount(cidr) - BigInt(used + reserved);
	return formatCount(free < 0n ? 0n : free);
}

const subnetText = (network: DockerNetwork): string => {
	const {ipv4, ipv6} = subnetsOf(network);
	return [...ipv4, ...ipv6].join(' ') || '–';
};

export const networkPickerColumns = ['NAME', 'DRIVER', 'SUBNET', 'FREE'];

/** Networks `container` could join: not on them yet, and not host/none/ingress. */
export function networksToJoin(container: DockerContainer, data: Data): {items: PickerItem[]; note?: string} {
	const items: PickerItem[] = [];
	const withheld: string[] = [];
	let elsewhere = 0;
	for (const network of data.networks) {
		if (endpointOn(container, network)) continue;
		if (!onSameEngine(data, network, container.id)) {
			elsewhere++;
			continue;
		}

		if (networkJoinBlocker(network)) {
			withheld.push(network.name);
			continue;
		}

		items.push({
			id: network.id,
			cells: [network.name, network.driver, subnetText(network), freeAddresses(network, data.containers)],
			search: [network.name, network.driver, subnetText(network)],
		});
	}

	const notes = [
		withheld.length > 0 ? `Not offered: ${nameList(withheld)} — host and none are set only at docker run; a swarm network without --attachable takes services only.` : undefined,
		elsewhere > 0 ? `${elsewhere} network${elsewhere === 1 ? '' : 's'} of other engines not offered: a container joins its own engine's networks and swarm overlays.` : undefined,
	].filter(note => note !== undefined);
	return notes.length > 0 ? {items, note: notes.join(' ')} : {items};
}

export const containerPickerColumns = ['NAME', 'STATE', 'NETWORKS'];

export function containersToJoin(network: DockerNetwork, data: Data): PickerItem[] {
	return data.containers
		.filter(container => !endpointOn(container, network) && onSameEngine(data, network, container.id))
		.map(container => {
			const networks = containerNetworksText(container, data.containers);
			return {id: container.id, cells: [container.name, container.state, networks], search: [container.name, container.state, networks]};
		});
}

const endpointText = (address: string | undefined): string => address ?? 'no address';

export const attachmentColumns = ['NAME', 'ADDRESS'];

/** The networks a container is on, for picking which to leave. */
export function networksOfContainer(container: DockerContainer, data: Data): PickerItem[] {
	return container.endpoints.map(endpoint => {
		const network = data.networks.find(item => item.id === endpoint.networkId || item.name === endpoint.networkName);
		return {
			id: network?.id ?? endpoint.networkId,
			cells: [endpoint.networkName, endpointText(endpoint.ipv4 ?? endpoint.ipv6)],
			search: [endpoint.networkName, endpoint.ipv4, endpoint.ipv6],
		};
	});
}

/** The containers on a network, for picking which to disconnect. */
export function containersOfNetwork(network: DockerNetwork, data: Data): PickerItem[] {
	return membersOf(network, data.containers).map(({container, endpoint}) => ({
		id: container.id,
		cells: [container.name, endpointText(endpoint.ipv4 ?? endpoint.ipv6)],
		search: [container.name, endpoint.ipv4, endpoint.ipv6],
	}));
}

function describeTarget(network: DockerNetwork, data: Data): string {
	const parts = [network.driver, subnetText(network) === '–' ? 'no subnet' : subnetText(network)];
	const gateways = network.pools.map(pool => pool.gateway).filter(Boolean);
	if (gateways.length > 0) parts.push(`gateway ${gateways.join(' ')}`);
	parts.push(`${membersOf(network, data.containers).length} attached`);
	return parts.join(' · ');
}

/** What the form says of a field the engine's API version may not have. */
function newerFieldNote(apiVersion: string | undefined, field: keyof typeof FIELD_SINCE, usage: string): string {
	if (engineTakes(apiVersion, field)) return usage;
	const needs = `Engine API 1.${FIELD_SINCE[field]}`;
	return apiVersion ? `not sent: engine API ${apiVersion}, needs 1.${FIELD_SINCE[field]}` : `${usage} · sent only to engines of ${needs} and later`;
}

export function connectFields(network: DockerNetwork, apiVersion?: string): FormField[] {
	const {ipv4, ipv6} = subnetsOf(network);
	const fixedAllowed = !isPredefinedNetwork(network) && ipv4.length > 0;
	return [
		{
			kind: 'text',
			id: 'ipv4',
			label: 'IPv4 address',
			value: '',
			placeholder: fixedAllowed ? `automatic (from ${ipv4[0] ?? ''})` : 'automatic (this network takes no fixed address)',
		},
		{
			kind: 'text',
			id: 'ipv6',
			label: 'IPv6 address',
			value: '',
			placeholder: network.enableIPv6 && ipv6.length > 0 ? `automatic (from ${ipv6[0] ?? ''})` : 'none (IPv6 is off here)',
		},
		{kind: 'text', id: 'aliases', label: 'Aliases', value: '', placeholder: 'none · comma-separated, e.g. db, cache'},
		{kind: 'text', id: 'links', label: 'Links', value: '', placeholder: 'none · container or container:alias'},
		{kind: 'text', id: 'driverOptions', label: 'Driver options', value: '', placeholder: 'none · key=value, comma-separated'},
		{kind: 'text', id: 'gwPriority', label: 'Gateway prio', value: '', placeholder: newerFieldNote(apiVersion, 'gwPriority', '0 · the highest endpoint gives the default gateway')},
	];
}

export function connectFormText(network: DockerNetwork, container: DockerContainer, data: Data): {title: string; subtitle: string; footnote: string} {
	return {
		title: `Connect ${container.name} to ${network.name}`,
		subtitle: describeTarget(network, data),
		footnote: 'Enter connects (empty fields: the engine decides) · Esc cancels, nothing changes',
	};
}

/** The IPv6 field's states; the last one only where the engine's API has EnableIPv4. */
export const IPV6_CHOICES = ['off', 'on', 'only (no IPv4)'] as const;

export function networkFields(swarm: string | undefined, engineDrivers?: readonly string[], apiVersion?: string): FormField[] {
	return [
		{kind: 'text', id: 'name', label: 'Name', value: '', placeholder: 'required, e.g. backend'},
		{kind: 'choice', id: 'driver', label: 'Driver', value: 'bridge', choices: creatableDrivers(swarm, engineDrivers)},
		{kind: 'text', id: 'subnet', label: 'Subnet', value: '', placeholder: 'automatic, e.g. 10.201.3.0/24'},
		{kind: 'text', id: 'gateway', label: 'Gateway', value: '', placeholder: "automatic (the subnet's first address)"},
		{kind: 'text', id: 'ipRange', label: 'IP range', value: '', placeholder: 'the whole subnet, e.g. 10.201.3.128/25'},
		{kind: 'text', id: 'auxAddresses', label: 'Aux addresses', value: '', placeholder: 'none · name=ip kept free, e.g. router=10.201.3.5'},
		// Off, on, or only: an IPv6-only network (--ipv4=false) is one more state of IPv6, not one more row.
		{kind: 'choice', id: 'ipv6', label: 'IPv6', value: IPV6_CHOICES[0], choices: engineTakes(apiVersion, 'enableIPv4') ? IPV6_CHOICES : IPV6_CHOICES.slice(0, 2)},
		{kind: 'text', id: 'ipv6Subnet', label: 'IPv6 subnet', value: '', placeholder: 'e.g. fd00:201:3::/64'},
		{kind: 'text', id: 'ipv6Gateway', label: 'IPv6 gateway', value: '', placeholder: "automatic (the subnet's first address)"},
		{kind: 'toggle', id: 'internal', label: 'Internal', value: false},
		{kind: 'toggle', id: 'attachable', label: 'Attachable', value: false},
		{kind: 'text', id: 'labels', label: 'Labels', value: '', placeholder: 'none · key=value, comma-separated'},
		{kind: 'text', id: 'options', label: 'Driver options', value: '', placeholder: 'none · key=value, e.g. parent=eth0 (macvlan)'},
	];
}

const text = (values: Record<string, string | boolean>, id: string): string => {
	const value = values[id];
	return typeof value === 'string' ? value : '';
};

const flag = (values: Record<string, string | boolean>, id: string): boolean => values[id] === true;

export function connectInputOf(form: FormDialog): ConnectInput {
	const values = Object.fromEntries(form.fields.map(field => [field.id, field.value]));
	return {
		ipv4: text(values, 'ipv4'),
		ipv6: text(values, 'ipv6'),
		aliases: text(values, 'aliases'),
		links: text(values, 'links'),
		driverOptions: text(values, 'driverOptions'),
		gwPriority: text(values, 'gwPriority'),
	};
}

export function networkInputOf(form: FormDialog): NetworkInput {
	const values = Object.fromEntries(form.fields.map(field => [field.id, field.value]));
	return {
		name: text(values, 'name'),
		driver: text(values, 'driver'),
		subnet: text(values, 'subnet'),
		gateway: text(values, 'gateway'),
		ipRange: text(values, 'ipRange'),
		auxAddresses: text(values, 'auxAddresses'),
		ipv4: values['ipv6'] !== IPV6_CHOICES[2],
		ipv6: flag(values, 'ipv6') || (typeof values['ipv6'] === 'string' && values['ipv6'] !== IPV6_CHOICES[0]),
		ipv6Subnet: text(values, 'ipv6Subnet'),
		ipv6Gateway: text(values, 'ipv6Gateway'),
		internal: flag(values, 'internal'),
		attachable: flag(values, 'attachable'),
		labels: text(values, 'labels'),
		options: text(values, 'options'),
	};
}

/**
 * The network as the command log will name it (command-log.ts): among the networks of its
 * own engine, as the log of that engine sees them.
 */
export function networkAsLogged(network: DockerNetwork, data: Pick<Data, 'networks' | 'owners'>): string {
	const owner = data.owners?.networks.get(network.id);
	const ownEngine = owner === undefined ? data.networks : data.networks.filter(item => data.owners?.networks.get(item.id) === owner);
	return networkArgument(network, ownEngine);
}

/** The docker CLI's flags for the engine a command about this container or network goes to, as the log will write them. */
export function engineFlagsFor(data: Pick<Data, 'engines' | 'owners'>, about: {containerId: string} | {networkId: string}): readonly string[] {
	const key = 'containerId' in about ? data.owners?.containers.get(about.containerId) : data.owners?.networks.get(about.networkId);
	return commandFlagsOf(data, key);
}

export function disconnectConfirmText(network: DockerNetwork, container: DockerContainer, force: boolean, data: Pick<Data, 'networks' | 'owners' | 'engines'>): {title: string; lines: string[]; prompt: string} {
	const endpoint = endpointOn(container, network);
	const address = endpoint?.ipv4 ?? endpoint?.ipv6;
	const lines = [
		`${container.name} (${container.state}) leaves ${network.name}${address ? ` and loses its address ${address} there` : ''}.`,
	];
	const aliases = endpoint ? chosenAliases(endpoint, container.id) : [];
	if (aliases.length > 0) lines.push(`Its aliases there: ${aliases.join(', ')}.`);
	if (force) lines.push('--force: the engine drops the endpoint even if it cannot clean it up normally (e.g. a stale endpoint).');
	lines.push('u undoes it afterwards: reconnects with the same address and aliases.');
	lines.push(`Runs: ${commandLine(onEngine(disconnectArgv(networkAsLogged(network, data), container.name, force), engineFlagsFor(data, {containerId: container.id})))}`);
	return {
		title: `${force ? 'Force-disconnect' : 'Disconnect'} ${container.name} from ${network.name}?`,
		lines,
		prompt: `y ${force ? 'force-disconnects' : 'disconnects'} · any other key cancels`,
	};
}

export function removeConfirmText(network: DockerNetwork, data: Data): {title: string; lines: string[]; prompt: string} {
	const lines = [`${network.name}: ${network.driver}, ${subnetText(network) === '–' ? 'no subnet' : subnetText(network)}, scope ${network.scope}.`];
	const sleepers = membersOf(network, data.containers).map(member => member.container.name);
	if (sleepers.length > 0) {
		lines.push(`Stopped containers still refer to it and will not start without it: ${nameList(sleepers)}.`);
	}

	lines.push('This cannot be undone.');
	lines.push(`Runs: ${commandLine(onEngine(removeArgv(networkAsLogged(network, data)), engineFlagsFor(data, {networkId: network.id})))}`);
	return {title: `Remove network ${network.name}?`, lines, prompt: 'y removes it · any other key cancels'};
}

export function pruneConfirmText(
	networks: readonly DockerNetwork[],
	filter: string,
): {title: string; lines: string[]; list: string[]; notes: string[]; prompt: string} {
	const count = `${networks.length} unused network${networks.length === 1 ? '' : 's'}`;
	const intro = filter.trim() === '' ? [] : [`Only networks matching the filter "${filter}".`];
	const notes = [
		'Exactly these are removed, one at a time; a network created meanwhile is left alone.',
		...(networks.some(network => network.scope === 'swarm') ? ['Swarm networks that services use are refused by the engine and reported.'] : []),
	];
	const list = networks.map(network => `${network.name}  ${network.driver}  ${subnetText(network)}`);
	return {title: `Prune ${count}?`, lines: intro, list, notes, prompt: 'y removes them · ↑↓ PgUp PgDn scroll the list · any other key cancels'};
}
