// Answers of Docker Engine API 1.44–1.55, written for these tests from the published Engine
// API specification of each version: the same host (one IPv6-only network, a dual-stack one,
// a config-only network and one made from it, one container on two networks), with each
// field present from the version that added it and absent before.
//   1.44 EndpointSettings.DNSNames
//   1.47 Network.EnableIPv4 (and EnableIPv4 in POST /networks/create)
//   1.48 EndpointSettings.GwPriority (and in POST /networks/{id}/connect)
//   1.49 SystemInfo.FirewallBackend
//   1.52 Network.Status.IPAM (GET /networks/{id})
//   1.54 POST /networks/{id}/connect applies EndpointSettings.MacAddress

/** Written into the JSON as the engine writes it (2^64 − 1, digits no JS number holds): see replay-server.ts. */
export const UINT64_MAX = '<uint64 max>';
export const UINT64_MAX_TEXT = '18446744073709551615';

export const CONTRACT_VERSIONS = [44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55] as const;
export type ContractVersion = (typeof CONTRACT_VERSIONS)[number];

type Json = Record<string, unknown>;

export const IDS = {
	v6only: 'a1'.repeat(32),
	dual: 'b2'.repeat(32),
	template: 'c3'.repeat(32),
	fromTemplate: 'd4'.repeat(32),
	container: 'e5'.repeat(32),
	created: 'f6'.repeat(32),
};

/** Engine release of each API version (for /version's Version). */
const releases: Record<ContractVersion, string> = {
	44: '25.0.5', 45: '26.0.2', 46: '26.1.4', 47: '27.5.1', 48: '28.0.4', 49: '28.2.2',
	50: '28.3.3', 51: '28.4.0', 52: '28.5.1', 53: '29.0.0', 54: '29.1.0', 55: '29.2.0',
};

export function versionAnswer(minor: ContractVersion): Json {
	return {
		Platform: {Name: 'Docker Engine - Community'},
		Components: [{Name: 'Engine', Version: releases[minor], Details: {ApiVersion: `1.${minor}`, MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64'}}],
		Version: releases[minor],
		ApiVersion: `1.${minor}`,
		MinAPIVersion: '1.24',
		Os: 'linux',
		Arch: 'amd64',
		KernelVersion: '6.8.0-contract',
	};
}

export function infoAnswer(minor: ContractVersion): Json {
	return {
		ID: 'contract-engine',
		Name: 'contract-host',
		ServerVersion: releases[minor],
		OperatingSystem: 'Contract Linux',
		KernelVersion: '6.8.0-contract',
		SecurityOptions: ['name=seccomp,profile=builtin'],
		Plugins: {Network: ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay']},
		Swarm: {LocalNodeState: 'inactive', NodeID: '', NodeAddr: '', ControlAvailable: false},
		...(minor >= 49 ? {FirewallBackend: {Driver: 'nftables', Info: [['ReloadedAt', '2026-12-01T00:00:00Z']]}} : {}),
	};
}

function network(minor: ContractVersion, fields: Json, status?: Json): Json {
	const {EnableIPv4: enableIPv4, ...rest} = fields;
	return {
		Scope: 'local',
		Driver: 'bridge',
		Created: '2026-12-01T10:00:00.000000000Z',
		EnableIPv6: false,
		Internal: false,
		Attachable: false,
		Ingress: false,
		ConfigFrom: {Network: ''},
		ConfigOnly: false,
		Options: {},
		Labels: {},
		...rest,
		...(minor >= 47 ? {EnableIPv4: enableIPv4 ?? true} : {}),
		...(minor >= 52 && status !== undefined ? {Status: status} : {}),
	};
}

/** The networks, as GET /networks lists them and GET /networks/{id} inspects them. */
export function networkAnswers(minor: ContractVersion): Json[] {
	return [
		network(minor, {
			Name: 'v6only', Id: IDS.v6only, EnableIPv6: true, EnableIPv4: false,
			IPAM: {Driver: 'default', Options: null, Config: [{Subnet: 'fd00:c0::/64', Gateway: 'fd00:c0::1'}]},
		}, {IPAM: {Subnets: {'fd00:c0::/64': {IPsInUse: 3, DynamicIPsAvailable: UINT64_MAX}}}}),
		network(minor, {
			Name: 'dual', Id: IDS.dual, EnableIPv6: true,
			IPAM: {Driver: 'default', Options: null, Config: [{Subnet: '10.230.1.0/24', Gateway: '10.230.1.1'}, {Subnet: 'fd00:c1::/64', Gateway: 'fd00:c1::1'}]},
			Options: {'com.docker.network.bridge.gateway_mode_ipv4': 'routed'},
		}, {IPAM: {Subnets: {'10.230.1.0/24': {IPsInUse: 5, DynamicIPsAvailable: 251}, 'fd00:c1::/64': {IPsInUse: 3, DynamicIPsAvailable: UINT64_MAX}}}}),
		network(minor, {
			Name: 'template', Id: IDS.template, Scope: 'local', Driver: 'null', ConfigOnly: true,
			IPAM: {Driver: 'default', Options: null, Config: [{Subnet: '10.230.2.0/31'}]},
			Options: {parent: 'eth0'},
		}),
		network(minor, {
			Name: 'from-template', Id: IDS.fromTemplate, Driver: 'macvlan', ConfigFrom: {Network: 'template'},
			IPAM: {Driver: 'default', Options: null, Config: [{Subnet: '10.230.2.0/31'}]},
		}),
	];
}

function endpoint(minor: ContractVersion, fields: Json, dnsNames: string[], gwPriority: number): Json {
	return {
		IPAMConfig: null,
		Links: null,
		MacAddress: '',
		DriverOpts: null,
		NetworkID: '',
		EndpointID: '',
		Gateway: '',
		IPAddress: '',
		IPPrefixLen: 0,
		IPv6Gateway: '',
		GlobalIPv6Address: '',
		GlobalIPv6PrefixLen: 0,
		...fields,
		...(minor >= 44 ? {DNSNames: dnsNames} : {}),
		...(minor >= 48 ? {GwPriority: gwPriority} : {}),
	};
}

function containerNetworks(minor: ContractVersion): Json {
	return {
		v6only: endpoint(minor, {
			Aliases: ['web'], NetworkID: IDS.v6only, EndpointID: '1'.repeat(64), MacAddress: '02:42:0a:e6:00:02',
			IPv6Gateway: 'fd00:c0::1', GlobalIPv6Address: 'fd00:c0::2', GlobalIPv6PrefixLen: 64,
			DriverOpts: {'com.docker.network.endpoint.ifname': 'v6eth', 'com.docker.network.endpoint.sysctls': 'net.ipv6.conf.IFNAME.accept_ra=2'},
		}, ['web', 'e5e5e5e5e5e5'], 10),
		dual: endpoint(minor, {
			Aliases: null, NetworkID: IDS.dual, EndpointID: '2'.repeat(64), MacAddress: '02:42:0a:e6:01:02',
			Gateway: '10.230.1.1', IPAddress: '10.230.1.2', IPPrefixLen: 24,
			IPv6Gateway: 'fd00:c1::1', GlobalIPv6Address: 'fd00:c1::2', GlobalIPv6PrefixLen: 64,
		}, ['e5e5e5e5e5e5'], 0),
	};
}

export function containerListAnswer(minor: ContractVersion): Json[] {
	return [
		{
			Id: IDS.container,
			Names: ['/web'],
			Image: 'busybox',
			Command: 'sleep 1000',
			Created: 1_764_583_200,
			Ports: [{PrivatePort: 80, Type: 'tcp'}],
			Labels: {},
			State: 'running',
			Status: 'Up 2 hours',
			HostConfig: {NetworkMode: 'v6only'},
			NetworkSettings: {Networks: containerNetworks(minor)},
		},
	];
}

export function containerInspectAnswer(minor: ContractVersion): Json {
	return {
		Id: IDS.container,
		Created: '2026-12-01T10:00:00.000000000Z',
		Name: '/web',
		Image: 'sha256:' + '0'.repeat(64),
		State: {Status: 'running', Running: true, Pid: 4242, ExitCode: 0, StartedAt: '2026-12-01T10:00:01.000000000Z', FinishedAt: '0001-01-01T00:00:00Z'},
		Config: {Image: 'busybox', Labels: {}},
		HostConfig: {NetworkMode: 'v6only'},
		NetworkSettings: {
			SandboxKey: '/var/run/docker/netns/contract',
			Ports: {'80/tcp': null},
			Networks: containerNetworks(minor),
		},
	};
}
