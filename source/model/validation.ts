import {cidrContains, cidrsOverlap, parseCidr, parseIp} from './addressing.js';
import type {ParsedCidr} from './addressing.js';
import type {NetworkCreateSpec} from './gateway.js';
import {predefinedNetworkNames} from './selectors.js';
import type {DockerNetwork} from './types.js';
import {checkCidr, formatCidr, hasProblems, namePattern, parseKeyValues, reservedRole, type Checked, type FieldProblems} from './form-checks.js';

// What can be checked before a request goes to the engine, as pure functions. Every problem
// names the field it belongs to, so a form can point at it. Errors stop the request;
// warnings are shown once and the user may send anyway (the engine has the last word).
// The network create form's checks are here; the shared pieces and the connect form's have
// their own modules, re-exported.

export * from './form-checks.js';
export * from './connect-validation.js';

export function checkNetworkName(name: string, networks: readonly DockerNetwork[]): string | undefined {
	if (name === '') return 'a network needs a name';
	if (!namePattern.test(name)) return `"${name}" is not a valid name: use letters, digits, ".", "-" and "_", starting with a letter or digit`;
	if (predefinedNetworkNames.has(name)) return `${name} is a predefined network's name`;
	if (networks.some(network => network.name === name)) return `a network named ${name} exists already`;
	return undefined;
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
