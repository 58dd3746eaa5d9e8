import {cidrContains, parseCidr, parseIp} from './addressing.js';
import type {ParsedCidr} from './addressing.js';
import type {ConnectOptions} from './gateway.js';
import {endpointOn, membersOf} from './membership.js';
import {effectiveGateways, isPredefinedNetwork} from './selectors.js';
import type {DockerContainer, DockerNetwork} from './types.js';
import {familyName, formatCidr, hasProblems, namePattern, parseKeyValues, reservedRole, splitList, type Checked, type FieldProblems} from './form-checks.js';

// The connect form's checks: a fixed address, aliases, links, driver options and the
// gateway priority, before the request goes to the engine.

export function checkAlias(alias: string): string | undefined {
	if (alias.length > 253) return `alias "${alias.slice(0, 20)}…" is longer than 253 characters`;
	if (!namePattern.test(alias)) return `"${alias}" is not a valid alias: use letters, digits, ".", "-" and "_", starting with a letter or digit`;
	return undefined;
}

/** `container` or `container:alias`, naming a container that exists. */
export function checkLink(link: string, containers: readonly DockerContainer[]): string | undefined {
	const [name = '', alias, extra] = link.split(':');
	if (extra !== undefined || name === '' || alias === '') return `"${link}" is not container or container:alias`;
	if (!namePattern.test(name)) return `"${name}" is not a container name`;
	if (alias !== undefined) {
		const problem = checkAlias(alias);
		if (problem) return `link ${link}: ${problem}`;
	}

	if (!containers.some(container => container.name === name || container.id.startsWith(name))) return `no container named ${name}`;
	return undefined;
}

function subnetsOfFamily(network: DockerNetwork, family: 4 | 6): ParsedCidr[] {
	return network.pools
		.map(pool => parseCidr(pool.subnet))
		.filter((cidr): cidr is ParsedCidr => cidr?.family === family);
}

/**
 * A fixed address for `containerId` on `network`: right family, inside one of the network's
 * subnets, not its network/broadcast address, not a gateway or reserved aux address, not used
 * by another endpoint, and only on a user-defined network with a subnet.
 */
export function checkFixedAddress(
	text: string,
	family: 4 | 6,
	network: DockerNetwork,
	containers: readonly DockerContainer[],
	containerId?: string,
): string | undefined {
	const ip = parseIp(text);
	if (!ip || ip.family !== family) return `"${text}" is not an ${familyName(family)} address`;
	if (isPredefinedNetwork(network)) {
		return `a fixed address needs a user-defined network: ${network.name} hands out its addresses itself (n in Networks creates one with a subnet)`;
	}

	const subnets = subnetsOfFamily(network, family);
	if (subnets.length === 0) return `${network.name} has no ${familyName(family)} subnet, so it cannot give a fixed ${familyName(family)} address`;
	const subnet = subnets.find(cidr => cidrContains(cidr, ip));
	if (!subnet) return `${text} is outside ${network.name}'s subnet ${subnets.map(formatCidr).join(', ')}`;
	const role = reservedRole(subnet, ip.value);
	if (role) return `${text} is the ${role} of ${formatCidr(subnet)}`;
	const same = (other: string | undefined): boolean => {
		const parsed = other === undefined ? undefined : parseIp(other);
		return parsed !== undefined && parsed.family === ip.family && parsed.value === ip.value;
	};

	const members = membersOf(network, containers);
	const gateways = effectiveGateways(network, members);
	if (gateways.some(same)) return `${text} is the gateway of ${network.name}`;
	for (const pool of network.pools) {
		for (const [name, address] of Object.entries(pool.auxAddresses ?? {})) {
			if (same(address)) return `${text} is reserved on ${network.name} (aux address ${name})`;
		}
	}

	const holder = members.find(
		({container, endpoint}) => container.id !== containerId && (same(endpoint.ipv4) || same(endpoint.ipv6) || same(endpoint.requestedIpv4) || same(endpoint.requestedIpv6)),
	);
	if (holder) return `${text} is used by ${holder.container.name} on ${network.name}`;
	return undefined;
}

export type ConnectField = 'ipv4' | 'ipv6' | 'aliases' | 'links' | 'driverOptions' | 'gwPriority';

export interface ConnectInput {
	ipv4: string;
	ipv6: string;
	aliases: string;
	links: string;
	driverOptions: string;
	/** GwPriority, an integer; absent from callers that have no such field. */
	gwPriority?: string;
}

export interface ConnectTarget {
	network: DockerNetwork;
	container: DockerContainer;
	containers: readonly DockerContainer[];
}

export function validateConnect(input: ConnectInput, target: ConnectTarget): Checked<ConnectField, ConnectOptions> {
	const errors: FieldProblems<ConnectField> = {};
	const warnings: FieldProblems<ConnectField> = {};
	const {network, container, containers} = target;
	const options: ConnectOptions = {};

	const ipv4 = input.ipv4.trim();
	if (ipv4 !== '') {
		const problem = checkFixedAddress(ipv4, 4, network, containers, container.id);
		if (problem) errors.ipv4 = problem;
		else options.ipv4 = ipv4;
	}

	const ipv6 = input.ipv6.trim();
	if (ipv6 !== '') {
		const problem = checkFixedAddress(ipv6, 6, network, containers, container.id);
		if (problem) errors.ipv6 = problem;
		else options.ipv6 = ipv6;
	}

	const aliases = [...new Set(splitList(input.aliases))];
	const aliasProblem = aliases.map(checkAlias).find(Boolean);
	if (aliasProblem) errors.aliases = aliasProblem;
	else if (aliases.length > 0) {
		if (isPredefinedNetwork(network)) errors.aliases = `${network.name} has no DNS for its containers: aliases work on user-defined networks only`;
		else options.aliases = aliases;
	}

	const links = [...new Set(splitList(input.links))];
	const linkProblem = links.map(link => checkLink(link, containers)).find(Boolean);
	if (linkProblem) errors.links = linkProblem;
	else if (links.length > 0) options.links = links;

	const driverOptions = parseKeyValues(input.driverOptions);
	if (driverOptions.error) errors.driverOptions = driverOptions.error;
	else if (Object.keys(driverOptions.values).length > 0) options.driverOptions = driverOptions.values;

	const gwPriority = (input.gwPriority ?? '').trim();
	if (gwPriority !== '') {
		const value = Number(gwPriority);
		if (!/^-?\d+$/.test(gwPriority) || !Number.isSafeInteger(value) || Math.abs(value) > 2 ** 31 - 1) errors.gwPriority = `"${gwPriority}" is not a whole number (e.g. 10, or -1 to never be the default gateway)`;
		else options.gwPriority = value;
	}

	if (endpointOn(container, network)) {
		return {errors, warnings, general: `${container.name} is already on ${network.name}`};
	}

	return hasProblems(errors) ? {errors, warnings} : {errors, warnings, value: options};
}
