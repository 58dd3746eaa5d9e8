import {cidrContains, cidrsOverlap, formatIp, parseCidr, parseIp} from './addressing.js';
import type {ParsedCidr} from './addressing.js';
import type {ConnectOptions, NetworkCreateSpec} from './gateway.js';
import {endpointOn, membersOf} from './membership.js';
import {effectiveGateways, isPredefinedNetwork, predefinedNetworkNames} from './selectors.js';
import type {DockerContainer, DockerNetwork} from './types.js';

// What can be checked before a request goes to the engine, as pure functions. Every problem
// names the field it belongs to, so a form can point at it. Errors stop the request;
// warnings are shown once and the user may send anyway (the engine has the last word).

export type FieldProblems<Field extends string> = Partial<Record<Field, string>>;

export interface Checked<Field extends string, Value> {
	errors: FieldProblems<Field>;
	warnings: FieldProblems<Field>;
	/** A problem no single field is to blame for. */
	general?: string;
	/** Set when there are no errors: what to send. */
	value?: Value;
}

export const hasProblems = (problems: Partial<Record<string, string>>): boolean => Object.values(problems).some(Boolean);

/** Items of a list field: commas or white space separate them, empty items are dropped. */
export function splitList(text: string): string[] {
	return text
		.split(/[\s,]+/)
		.map(item => item.trim())
		.filter(item => item !== '');
}

/** key=value pairs, separated by commas or white space. */
export function parseKeyValues(text: string): {values: Record<string, string>; error?: string} {
	const values: Record<string, string> = {};
	for (const item of splitList(text)) {
		const separator = item.indexOf('=');
		if (separator <= 0) return {values, error: `"${item}" is not key=value`};
		const key = item.slice(0, separator);
		if (Object.hasOwn(values, key)) return {values, error: `${key} is given twice`};
		values[key] = item.slice(separator + 1);
	}

	return {values};
}

// Names as DNS and the docker CLI accept them: a letter or digit first, then letters,
// digits, "_", "." or "-".
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

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

export function checkNetworkName(name: string, networks: readonly DockerNetwork[]): string | undefined {
	if (name === '') return 'a network needs a name';
	if (!namePattern.test(name)) return `"${name}" is not a valid name: use letters, digits, ".", "-" and "_", starting with a letter or digit`;
	if (predefinedNetworkNames.has(name)) return `${name} is a predefined network's name`;
	if (networks.some(network => network.name === name)) return `a network named ${name} exists already`;
	return undefined;
}

const familyName = (family: 4 | 6): string => (family === 4 ? 'IPv4' : 'IPv6');

/** A CIDR of the wanted family; errors in words, and the parsed value. */
export function checkCidr(text: string, family: 4 | 6): {cidr?: ParsedCidr; error?: string; warning?: string} {
	const cidr = parseCidr(text);
	if (!cidr) {
		return {error: `"${text}" is not a subnet in CIDR form, e.g. ${family === 4 ? '10.201.3.0/24' : 'fd00:1::/64'}`};
	}

	if (cidr.family !== family) return {error: `${text} is an ${familyName(cidr.family)} subnet; this field takes ${familyName(family)}`};
	const limit = family === 4 ? 30 : 126;
	if (cidr.prefixLength > limit) return {error: `/${cidr.prefixLength} leaves no room for containers (at most /${limit})`};
	if (cidr.network !== cidr.address) {
		return {cidr, warning: `host bits are set: did you mean ${formatIp(cidr.family, cidr.network)}/${cidr.prefixLength}?`};
	}

	return {cidr};
}

function formatCidr(cidr: ParsedCidr): string {
	return `${formatIp(cidr.family, cidr.network)}/${cidr.prefixLength}`;
}

function lastAddress(cidr: ParsedCidr): bigint {
	const hostBits = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefixLength);
	return cidr.network + (1n << hostBits) - 1n;
}

/** The network and broadcast addresses of an IPv4 subnet cannot be given to anyone. */
function reservedRole(cidr: ParsedCidr, value: bigint): string | undefined {
	if (cidr.family !== 4 || cidr.prefixLength > 30) return undefined;
	if (value === cidr.network) return 'network address';
	if (value === lastAddress(cidr)) return 'broadcast address';
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

export type NetworkField =
	| 'name'
	| 'driver'
	| 'subnet'
	| 'gateway'
	| 'ipRange'
	| 'auxAddresses'
	| 'ipv4'
	| 'ipv6'
	| 'ipv6Subnet'
	| 'ipv6Gateway'
	| 'internal'
	| 'attachable'
	| 'labels'
	| 'options';

export interface NetworkInput {
	name: string;
	driver: string;
	subnet: string;
	gateway: string;
	ipRange: string;
	/** name=address pairs (docker network create --aux-address), IPv4 or IPv6. */
	auxAddresses: string;
	/** Off makes an IPv6-only network (`--ipv4=false`); absent from callers without the field (on). */
	ipv4?: boolean;
	ipv6: boolean;
	ipv6Subnet: string;
	ipv6Gateway: string;
	internal: boolean;
	attachable: boolean;
	labels: string;
	options: string;
}

/** Drivers a network can be created with here; overlay only on a swarm node. */
/** Drivers `docker network create` can use on an engine that has none of its own listed. */
const builtInDrivers = ['bridge', 'macvlan', 'ipvlan', 'overlay'];
/** The engine lists these, but they exist once per engine and no network of theirs can be created. */
const singletonDrivers = new Set(['host', 'null', 'none']);

/**
 * The create form's driver choices: the engine's own network drivers (Plugins.Network in
 * /info, plugin drivers included) less host and null; overlay only on a swarm node, where it
 * can work. Without the engine's list, the built-in ones.
 */
export function creatableDrivers(swarm: string | undefined, engineDrivers?: readonly string[]): string[] {
	const known = engineDrivers && engineDrivers.length > 0 ? engineDrivers : builtInDrivers;
	const usable = known.filter(driver => !singletonDrivers.has(driver) && (driver !== 'overlay' || swarm === 'active'));
	// The built-in ones in their usual order (bridge first: the form's default), then plugins.
	return [...builtInDrivers.filter(driver => usable.includes(driver)), ...usable.filter(driver => !builtInDrivers.includes(driver))];
}

/** Existing networks whose subnets overlap `cidr`, as "name (subnet)". */
export function overlappingNetworks(cidr: ParsedCidr, networks: readonly DockerNetwork[]): string[] {
	const found: string[] = [];
	for (const network of networks) {
		for (const pool of network.pools) {
			const other = parseCidr(pool.subnet);
			if (other && cidrsOverlap(cidr, other)) found.push(`${network.name} (${pool.subnet})`);
		}
	}

	return found;
}

function checkAddressIn(text: string, subnet: ParsedCidr | undefined, what: string, family: 4 | 6 = 4): string | undefined {
	const ip = parseIp(text);
	if (!ip || ip.family !== family) return `"${text}" is not an IPv${family} address`;
	if (!subnet) return `a ${what} needs a subnet: fill in ${family === 4 ? 'Subnet' : 'IPv6 subnet'} first`;
	if (!cidrContains(subnet, ip)) return `${text} is outside the subnet ${formatCidr(subnet)}`;
	const role = reservedRole(subnet, ip.value);
	return role ? `${text} is the ${role} of ${formatCidr(subnet)}` : undefined;
}

interface AuxFamily {
	/** The subnet field as typed, and parsed when it is good. */
	subnetText: string;
	subnet: ParsedCidr | undefined;
	/** The gateway field as typed ('' when left empty). */
	gateway: string;
}

/**
 * Aux addresses the IPAM driver must never hand out (a router, a NAS already on the LAN of a
 * macvlan network): each inside the subnet of its family, not its network or broadcast
 * address, not the gateway, and no address given twice.
 */
function checkAuxAddresses(text: string, families: Record<4 | 6, AuxFamily>): {byFamily: Record<4 | 6, Record<string, string>>; error?: string} {
	const byFamily: Record<4 | 6, Record<string, string>> = {4: {}, 6: {}};
	const parsed = parseKeyValues(text);
	if (parsed.error) return {byFamily, error: `${parsed.error}: write name=address, e.g. router=10.201.3.5`};
	const taken = new Map<string, string>();
	for (const family of [4, 6] as const) {
		const {subnet, gateway} = families[family];
		if (gateway !== '') {
			const given = parseIp(gateway);
			if (given) taken.set(`${family}:${given.value}`, 'the gateway');
		} else if (subnet) {
			// Left empty, the gateway is the subnet's first address, and the engine refuses an
			// aux address there ("failed to allocate secondary ip address").
			taken.set(`${family}:${subnet.network + 1n}`, "the gateway the engine picks (the subnet's first address): give the Gateway another one");
		}
	}

	for (const [name, address] of Object.entries(parsed.values)) {
		const ip = parseIp(address);
		if (!ip) return {byFamily, error: `${name}=${address}: "${address}" is not an IP address`};
		const {subnet, subnetText} = families[ip.family];
		if (!subnet) {
			const [label, field] = ip.family === 4 ? ['Subnet', 'subnet'] : ['IPv6 subnet', 'IPv6 subnet'];
			const error = subnetText === '' ? `${name}=${address}: an aux address needs a subnet: fill in ${label} first` : `fix the ${field} first`;
			return {byFamily, error};
		}

		const problem = checkAddressIn(address, subnet, 'aux address', ip.family);
		if (problem) return {byFamily, error: `${name}=${address}: ${problem}`};
		const key = `${ip.family}:${ip.value}`;
		const holder = taken.get(key);
		if (holder) return {byFamily, error: `${name}=${address}: ${address} is ${holder}`};
		taken.set(key, `aux address ${name} already`);
		byFamily[ip.family][name] = address;
	}

	return {byFamily};
}

export interface NetworkContext {
	networks: readonly DockerNetwork[];
	/** EngineInfo.swarm; overlay needs "active". */
	swarm?: string;
	/** EngineInfo.swarmManager: a worker cannot create overlay networks. */
	swarmManager?: boolean;
	/** The engine's network drivers (Plugins.Network). */
	drivers?: readonly string[];
}

export function validateNetworkCreate(input: NetworkInput, context: NetworkContext): Checked<NetworkField, NetworkCreateSpec> {
	const errors: FieldProblems<NetworkField> = {};
	const warnings: FieldProblems<NetworkField> = {};
	const name = input.name.trim();
	const nameProblem = checkNetworkName(name, context.networks);
	if (nameProblem) errors.name = nameProblem;

	const driver = input.driver;
	if (driver === 'overlay' && context.swarm !== 'active') errors.driver = 'overlay networks need swarm mode (docker swarm init)';
	else if (driver === 'overlay' && context.swarmManager === false) {
		errors.driver = 'only a swarm manager can create overlay networks, and this engine is a worker: create it on a manager';
	} else if (!creatableDrivers(context.swarm, context.drivers).includes(driver)) errors.driver = `this engine creates ${creatableDrivers(context.swarm, context.drivers).join(', ')} networks, not ${driver}`;

	const spec: NetworkCreateSpec = {name, driver};
	let subnet: ParsedCidr | undefined;
	const subnetText = input.subnet.trim();
	if (subnetText !== '') {
		const checked = checkCidr(subnetText, 4);
		subnet = checked.cidr;
		if (checked.error) errors.subnet = checked.error;
		else {
			spec.subnet = subnetText;
			const overlaps = subnet ? overlappingNetworks(subnet, context.networks) : [];
			if (overlaps.length > 0) warnings.subnet = `overlaps ${overlaps.join(', ')}: the engine refuses overlapping subnets`;
			else if (checked.warning) warnings.subnet = checked.warning;
		}
	}

	const gateway = input.gateway.trim();
	if (gateway !== '') {
		const problem = checkAddressIn(gateway, subnet, 'gateway');
		if (problem) errors.gateway = subnetText !== '' && !subnet ? 'fix the subnet first' : problem;
		else spec.gateway = gateway;
	}

	const ipRange = input.ipRange.trim();
	if (ipRange !== '') {
		const checked = checkCidr(ipRange, 4);
		if (checked.error) errors.ipRange = checked.error;
		else if (!subnet) errors.ipRange = subnetText === '' ? 'an IP range needs a subnet: fill in Subnet first' : 'fix the subnet first';
		else if (!checked.cidr || checked.cidr.prefixLength < subnet.prefixLength || !cidrContains(subnet, {family: 4, value: checked.cidr.network})) {
			errors.ipRange = `${ipRange} is not inside the subnet ${formatCidr(subnet)}`;
		} else spec.ipRange = ipRange;
	}

	const ipv6Subnet = input.ipv6Subnet.trim();
	let parsedIpv6Subnet: ParsedCidr | undefined;
	if (ipv6Subnet !== '') {
		const checked = checkCidr(ipv6Subnet, 6);
		parsedIpv6Subnet = checked.error ? undefined : checked.cidr;
		if (checked.error) errors.ipv6Subnet = checked.error;
		else if (!input.ipv6) errors.ipv6Subnet = 'IPv6 is off: turn it on (Space on IPv6) or clear this field';
		else {
			spec.ipv6Subnet = ipv6Subnet;
			const overlaps = checked.cidr ? overlappingNetworks(checked.cidr, context.networks) : [];
			if (overlaps.length > 0) warnings.ipv6Subnet = `overlaps ${overlaps.join(', ')}: the engine refuses overlapping subnets`;
			else if (checked.warning) warnings.ipv6Subnet = checked.warning;
		}
	} else if (input.ipv6) {
		warnings.ipv6Subnet = 'no IPv6 subnet: the engine picks one only if its daemon has default IPv6 pools (Docker 20.10 has none)';
	}

	const ipv6Gateway = input.ipv6Gateway.trim();
	if (ipv6Gateway !== '') {
		const problem = checkAddressIn(ipv6Gateway, parsedIpv6Subnet, 'gateway', 6);
		if (problem) errors.ipv6Gateway = ipv6Subnet !== '' && !parsedIpv6Subnet ? 'fix the IPv6 subnet first' : problem;
		else if (spec.ipv6Subnet !== undefined) spec.ipv6Gateway = ipv6Gateway;
	}

	const aux = checkAuxAddresses(input.auxAddresses, {
		4: {subnetText, subnet, gateway},
		6: {subnetText: ipv6Subnet, subnet: parsedIpv6Subnet, gateway: ipv6Gateway},
	});
	if (aux.error) errors.auxAddresses = aux.error;
	else {
		if (Object.keys(aux.byFamily[4]).length > 0) spec.auxAddresses = aux.byFamily[4];
		if (Object.keys(aux.byFamily[6]).length > 0) spec.ipv6AuxAddresses = aux.byFamily[6];
	}

	if (input.ipv6) spec.enableIPv6 = true;
	if (input.ipv4 === false) {
		if (!input.ipv6) errors.ipv4 = 'a network needs IPv4 or IPv6: turn IPv6 on for an IPv6-only network';
		else if (subnetText !== '') errors.subnet = 'IPv4 is off (an IPv6-only network): clear the IPv4 subnet or turn IPv4 on';
		else spec.enableIPv4 = false;
	}

	if (input.internal) spec.internal = true;
	if (input.attachable) spec.attachable = true;

	const labels = parseKeyValues(input.labels);
	if (labels.error) errors.labels = labels.error;
	else if (Object.keys(labels.values).length > 0) spec.labels = labels.values;

	const options = parseKeyValues(input.options);
	if (options.error) errors.options = options.error;
	else {
		if (Object.keys(options.values).length > 0) spec.options = options.values;
		const needsParent = driver === 'macvlan' || driver === 'ipvlan';
		if (needsParent && !options.values['parent'] && !input.internal) {
			errors.options = `${driver} needs the host interface it hangs off: add parent=<interface>, e.g. parent=eth0 (or parent=eth0.10 for a VLAN)`;
		}
	}

	return hasProblems(errors) ? {errors, warnings} : {errors, warnings, value: spec};
}
