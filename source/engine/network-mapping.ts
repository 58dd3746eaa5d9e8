import type {ConnectOptions, NetworkCreateSpec} from '../model/gateway.js';
import type {ContainerEndpoint, DockerNetwork, IpamPool, SubnetStatus} from '../model/types.js';
import {engineTakes} from '../model/api-versions.js';
import {bool, nonEmptyStr, num, str, stringList, stringMap, withoutUndefined} from './json-fields.js';
import {asRecord, type JsonRecord} from '../text/json-read.js';

// Networks and endpoints in the engine's JSON, both ways: what each field means, and from
// which API version the engine has it.

export function toNetwork(raw: JsonRecord): DockerNetwork {
	const ipam = asRecord(raw['IPAM']);
	const config = Array.isArray(ipam['Config']) ? ipam['Config'] : [];
	const pools: IpamPool[] = [];
	for (const item of config) {
		const entry = asRecord(item);
		const subnet = nonEmptyStr(entry, 'Subnet');
		if (subnet === undefined) {
			continue;
		}

		const pool: IpamPool = {subnet};
		const gateway = nonEmptyStr(entry, 'Gateway');
		const ipRange = nonEmptyStr(entry, 'IPRange');
		const auxAddresses = stringMap(entry['AuxiliaryAddresses']);
		if (gateway !== undefined) {
			pool.gateway = gateway;
		}

		if (ipRange !== undefined) {
			pool.ipRange = ipRange;
		}

		if (Object.keys(auxAddresses).length > 0) {
			pool.auxAddresses = auxAddresses;
		}

		pools.push(pool);
	}

	return {
		id: str(raw, 'Id') ?? '',
		name: str(raw, 'Name') ?? '',
		driver: str(raw, 'Driver') ?? '',
		scope: str(raw, 'Scope') ?? '',
		internal: bool(raw, 'Internal'),
		attachable: bool(raw, 'Attachable'),
		ingress: bool(raw, 'Ingress'),
		enableIPv6: bool(raw, 'EnableIPv6'),
		ipamDriver: nonEmptyStr(ipam, 'Driver') ?? 'default',
		pools,
		options: stringMap(raw['Options']),
		labels: stringMap(raw['Labels']),
		created: str(raw, 'Created') ?? '',
		...newerNetworkFields(raw),
	};
}

/** Fields of later API versions, present only when the engine sent them. */
function newerNetworkFields(raw: JsonRecord): Partial<DockerNetwork> {
	const fields: Partial<DockerNetwork> = {};
	if (typeof raw['EnableIPv4'] === 'boolean') fields.enableIPv4 = raw['EnableIPv4'];
	if (raw['ConfigOnly'] === true) fields.configOnly = true;
	const configFrom = nonEmptyStr(asRecord(raw['ConfigFrom']), 'Network');
	if (configFrom !== undefined) fields.configFrom = configFrom;
	const subnets = asRecord(asRecord(asRecord(raw['Status'])['IPAM'])['Subnets']);
	const status: SubnetStatus[] = [];
	for (const [subnet, value] of Object.entries(subnets)) {
		const counts = asRecord(value);
		const inUse = bigCount(counts['IPsInUse']);
		const dynamicAvailable = bigCount(counts['DynamicIPsAvailable']);
		if (inUse !== undefined && dynamicAvailable !== undefined) status.push({subnet, inUse, dynamicAvailable});
	}

	if (status.length > 0) fields.subnetStatus = status;
	return fields;
}

/** A uint64 count; JSON.parse has rounded one past 2^53, which only matters at sizes shown as 2^n. */
function bigCount(value: unknown): bigint | undefined {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? BigInt(Math.trunc(value)) : undefined;
}

/**
 * `live` says whether the addresses may be taken: Docker 20.10 lists a created container
 * whose start failed with the address, MAC and endpoint it had for that moment, which its
 * inspect no longer reports (and another container may hold that address since). Only a
 * running or paused container has an endpoint; for the others the list's live fields are
 * dropped and the inspect decides.
 */
export function toEndpoints(networks: unknown, live = true): ContainerEndpoint[] {
	return Object.entries(asRecord(networks)).map(([networkName, value]) => {
		const raw = asRecord(value);
		const ipamConfig = asRecord(raw['IPAMConfig']);
		const endpoint: ContainerEndpoint = {
			networkName,
			networkId: str(raw, 'NetworkID') ?? '',
			endpointId: live ? (str(raw, 'EndpointID') ?? '') : '',
			// Exactly as the engine has them, its own short-id alias included (selectors.ts
			// tells the ones the user chose).
			aliases: stringList(raw['Aliases']),
			links: stringList(raw['Links']),
		};
		const ipv4 = live ? nonEmptyStr(raw, 'IPAddress') : undefined;
		const ipv6 = live ? nonEmptyStr(raw, 'GlobalIPv6Address') : undefined;
		const optional: Partial<ContainerEndpoint> = {
			ipv4,
			ipv4PrefixLength: ipv4 === undefined ? undefined : num(raw, 'IPPrefixLen'),
			ipv6,
			ipv6PrefixLength: ipv6 === undefined ? undefined : num(raw, 'GlobalIPv6PrefixLen'),
			gateway: live ? nonEmptyStr(raw, 'Gateway') : undefined,
			ipv6Gateway: live ? nonEmptyStr(raw, 'IPv6Gateway') : undefined,
			mac: live ? nonEmptyStr(raw, 'MacAddress') : undefined,
			requestedIpv4: nonEmptyStr(ipamConfig, 'IPv4Address'),
			requestedIpv6: nonEmptyStr(ipamConfig, 'IPv6Address'),
			gwPriority: num(raw, 'GwPriority'),
			dnsNames: Array.isArray(raw['DNSNames']) ? stringList(raw['DNSNames']) : undefined,
			driverOptions: Object.keys(stringMap(raw['DriverOpts'])).length > 0 ? stringMap(raw['DriverOpts']) : undefined,
		};
		return {...endpoint, ...withoutUndefined(optional)};
	});
}

/**
 * The connect request's EndpointConfig. Fields of later API versions go only to engines
 * that have them (an older engine would ignore them, or refuse the request).
 */
export function toEndpointConfig(options: ConnectOptions, apiVersion?: string): JsonRecord {
	const config: JsonRecord = {};
	if (options.mac !== undefined && engineTakes(apiVersion, 'mac')) config['MacAddress'] = options.mac;
	if (options.gwPriority !== undefined && engineTakes(apiVersion, 'gwPriority')) config['GwPriority'] = options.gwPriority;
	if (options.ipv4 !== undefined || options.ipv6 !== undefined) {
		config['IPAMConfig'] = withoutUndefined({IPv4Address: options.ipv4, IPv6Address: options.ipv6});
	}

	if (options.aliases !== undefined) {
		config['Aliases'] = options.aliases;
	}

	if (options.links !== undefined) {
		config['Links'] = options.links;
	}

	if (options.driverOptions !== undefined) {
		config['DriverOpts'] = options.driverOptions;
	}

	return config;
}

export function toCreateBody(spec: NetworkCreateSpec, apiVersion?: string): JsonRecord {
	const pools: JsonRecord[] = [];
	if (spec.subnet !== undefined) {
		pools.push(withoutUndefined({Subnet: spec.subnet, Gateway: spec.gateway, IPRange: spec.ipRange, AuxiliaryAddresses: spec.auxAddresses}));
	}

	if (spec.ipv6Subnet !== undefined) {
		pools.push(withoutUndefined({Subnet: spec.ipv6Subnet, Gateway: spec.ipv6Gateway, AuxiliaryAddresses: spec.ipv6AuxAddresses}));
	}

	const body: JsonRecord = {
		Name: spec.name,
		Driver: spec.driver,
		CheckDuplicate: true,
		Internal: spec.internal ?? false,
		Attachable: spec.attachable ?? false,
		EnableIPv6: spec.enableIPv6 ?? spec.ipv6Subnet !== undefined,
		Labels: spec.labels ?? {},
		Options: spec.options ?? {},
	};
	if (spec.enableIPv4 !== undefined && engineTakes(apiVersion, 'enableIPv4')) body['EnableIPv4'] = spec.enableIPv4;
	if (pools.length > 0) {
		body['IPAM'] = {Driver: 'default', Config: pools};
	}

	return body;
}
