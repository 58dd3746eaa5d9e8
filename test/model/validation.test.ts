import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {EngineError} from '../../source/model/gateway.js';
import {connectBlocker, describeRefusal, explainRefusal, networkJoinBlocker, removeBlocker} from '../../source/model/refusals.js';
import {
	checkAlias,
	checkCidr,
	checkLink,
	creatableDrivers,
	parseKeyValues,
	splitList,
	validateConnect,
	validateNetworkCreate,
} from '../../source/model/validation.js';
import type {ConnectInput, NetworkInput} from '../../source/model/validation.js';
import {classicState, endpointOn, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

const emptyConnect: ConnectInput = {ipv4: '', ipv6: '', aliases: '', links: '', driverOptions: ''};
const emptyNetwork: NetworkInput = {
	name: 'new-net',
	driver: 'bridge',
	subnet: '',
	gateway: '',
	ipRange: '',
	auxAddresses: '',
	ipv6: false,
	ipv6Subnet: '',
	ipv6Gateway: '',
	internal: false,
	attachable: false,
	labels: '',
	options: '',
};

function world() {
	const state = classicState();
	const find = (name: string) => {
		const network = state.networks.find(item => item.name === name);
		assert.ok(network);
		return network;
	};

	const container = (name: string) => {
		const found = state.containers.find(item => item.name === name);
		assert.ok(found);
		return found;
	};

	return {state, network: find, container};
}

describe('lists and key=value fields', () => {
	test('commas and spaces both separate items', () => {
		assert.deepEqual(splitList(' a, b  c,,d '), ['a', 'b', 'c', 'd']);
	});

	test('key=value pairs, with the value allowed to be empty or hold "="', () => {
		assert.deepEqual(parseKeyValues('parent=eth0, mtu=1400 x=a=b y='), {values: {parent: 'eth0', mtu: '1400', x: 'a=b', y: ''}});
		assert.equal(parseKeyValues('parent').error, '"parent" is not key=value');
		assert.equal(parseKeyValues('=x').error, '"=x" is not key=value');
		assert.equal(parseKeyValues('a=1 a=2').error, 'a is given twice');
	});
});

describe('connect options', () => {
	test('empty fields connect with the engine defaults', () => {
		const {state, network, container} = world();
		const checked = validateConnect(emptyConnect, {network: network('front'), container: container('ctn1'), containers: state.containers});
		assert.deepEqual(checked.errors, {});
		assert.deepEqual(checked.value, {});
	});

	test('a good fixed address, aliases, links and driver options become the request', () => {
		const {state, network, container} = world();
		const checked = validateConnect(
			{ipv4: '10.88.0.50', ipv6: '', aliases: 'db, cache db', links: 'web:www', driverOptions: 'com.example.x=1'},
			{network: network('front'), container: container('ctn1'), containers: state.containers},
		);
		assert.deepEqual(checked.value, {ipv4: '10.88.0.50', aliases: ['db', 'cache'], links: ['web:www'], driverOptions: {'com.example.x': '1'}});
	});

	const cases: Array<[string, Partial<ConnectInput>, keyof ConnectInput, RegExp]> = [
		['address syntax', {ipv4: '10.88.0'}, 'ipv4', /"10\.88\.0" is not an IPv4 address/],
		['IPv6 in the IPv4 field', {ipv4: 'fd00::1'}, 'ipv4', /not an IPv4 address/],
		['outside the subnet', {ipv4: '10.9.9.9'}, 'ipv4', /10\.9\.9\.9 is outside front's subnet 10\.88\.0\.0\/24/],
		['the gateway', {ipv4: '10.88.0.1'}, 'ipv4', /is the gateway of front/],
		['the network address', {ipv4: '10.88.0.0'}, 'ipv4', /network address of 10\.88\.0\.0\/24/],
		['the broadcast address', {ipv4: '10.88.0.255'}, 'ipv4', /broadcast address/],
		['used by another endpoint', {ipv4: '10.88.0.2'}, 'ipv4', /10\.88\.0\.2 is used by web on front/],
		['an IPv6 address on a network without IPv6', {ipv6: 'fd00::5'}, 'ipv6', /front has no IPv6 subnet/],
		['alias syntax', {aliases: 'ok, -bad'}, 'aliases', /"-bad" is not a valid alias/],
		['a link to a container that does not exist', {links: 'ghost:db'}, 'links', /no container named ghost/],
		['link syntax', {links: 'web:a:b'}, 'links', /not container or container:alias/],
		['driver options', {driverOptions: 'novalue'}, 'driverOptions', /"novalue" is not key=value/],
	];
	for (const [what, input, field, message] of cases) {
		test(`points at the field: ${what}`, () => {
			const {state, network, container} = world();
			const checked = validateConnect({...emptyConnect, ...input}, {network: network('front'), container: container('ctn1'), containers: state.containers});
			assert.equal(checked.value, undefined);
			assert.match(checked.errors[field] ?? '', message);
			assert.deepEqual(Object.keys(checked.errors), [field]);
		});
	}

	test('a fixed address only on a user-defined network with a subnet', () => {
		const {state, network, container} = world();
		const onBridge = validateConnect({...emptyConnect, ipv4: '172.17.0.50'}, {network: network('bridge'), container: container('web'), containers: state.containers});
		assert.match(onBridge.errors.ipv4 ?? '', /needs a user-defined network: bridge hands out its addresses itself/);
		const bare = fakeNetwork({name: 'bare', driver: 'macvlan'});
		const onBare = validateConnect({...emptyConnect, ipv4: '10.1.0.5'}, {network: bare, container: container('web'), containers: state.containers});
		assert.match(onBare.errors.ipv4 ?? '', /bare has no IPv4 subnet/);
	});

	test('aliases only on user-defined networks', () => {
		const {state, network, container} = world();
		const checked = validateConnect({...emptyConnect, aliases: 'db'}, {network: network('bridge'), container: container('web'), containers: state.containers});
		assert.match(checked.errors.aliases ?? '', /aliases work on user-defined networks only/);
	});

	test('a container already on the network is a general problem, not a field', () => {
		const {state, network, container} = world();
		const checked = validateConnect(emptyConnect, {network: network('front'), container: container('web'), containers: state.containers});
		assert.equal(checked.general, 'web is already on front');
		assert.equal(checked.value, undefined);
	});

	test('an address held by a stopped container (fixed with --ip) counts as used', () => {
		const {state, network, container} = world();
		const front = network('front');
		state.containers.push(
			fakeContainer({name: 'sleeper', state: 'exited', endpoints: [endpointOn(front, undefined, {networkId: '', requestedIpv4: '10.88.0.77'})]}),
		);
		const checked = validateConnect({...emptyConnect, ipv4: '10.88.0.77'}, {network: front, container: container('ctn1'), containers: state.containers});
		assert.match(checked.errors.ipv4 ?? '', /used by sleeper/);
	});

	test('single checks', () => {
		assert.equal(checkAlias('db.internal_1-x'), undefined);
		assert.match(checkAlias('has space') ?? '', /not a valid alias/);
		assert.equal(checkLink('web', classicState().containers), undefined);
	});
});

describe('network create', () => {
	const context = () => ({networks: classicState().networks, swarm: 'inactive'});

	test('a name alone is enough: the engine picks the subnet', () => {
		const checked = validateNetworkCreate(emptyNetwork, context());
		assert.deepEqual(checked.value, {name: 'new-net', driver: 'bridge'});
	});

	test('every field goes into the spec', () => {
		const checked = validateNetworkCreate(
			{
				...emptyNetwork,
				subnet: '10.201.3.0/24',
				gateway: '10.201.3.254',
				ipRange: '10.201.3.128/25',
				auxAddresses: 'router=10.201.3.5, nas=fd00:201:3::5',
				ipv6: true,
				ipv6Subnet: 'fd00:201:3::/64',
				internal: true,
				attachable: true,
				labels: 'team=net, env=test',
				options: 'com.docker.network.bridge.name=br-test',
			},
			context(),
		);
		assert.deepEqual(checked.errors, {});
		assert.deepEqual(checked.warnings, {});
		assert.deepEqual(checked.value, {
			name: 'new-net',
			driver: 'bridge',
			subnet: '10.201.3.0/24',
			gateway: '10.201.3.254',
			ipRange: '10.201.3.128/25',
			auxAddresses: {router: '10.201.3.5'},
			ipv6Subnet: 'fd00:201:3::/64',
			ipv6AuxAddresses: {nas: 'fd00:201:3::5'},
			enableIPv6: true,
			internal: true,
			attachable: true,
			labels: {team: 'net', env: 'test'},
			options: {'com.docker.network.bridge.name': 'br-test'},
		});
	});

	const cases: Array<[string, Partial<NetworkInput>, keyof NetworkInput, RegExp]> = [
		['an empty name', {name: ''}, 'name', /needs a name/],
		['a name with a space', {name: 'my net'}, 'name', /not a valid name/],
		['a taken name', {name: 'front'}, 'name', /a network named front exists already/],
		['a predefined name', {name: 'host'}, 'name', /predefined/],
		['CIDR syntax', {subnet: '10.201.3.0'}, 'subnet', /not a subnet in CIDR form/],
		['an IPv6 subnet in the IPv4 field', {subnet: 'fd00::/64'}, 'subnet', /IPv6 subnet; this field takes IPv4/],
		['a gateway without a subnet', {gateway: '10.201.3.1'}, 'gateway', /needs a subnet/],
		['a gateway outside the subnet', {subnet: '10.201.3.0/24', gateway: '10.201.4.1'}, 'gateway', /outside the subnet 10\.201\.3\.0\/24/],
		['a gateway that is the broadcast address', {subnet: '10.201.3.0/24', gateway: '10.201.3.255'}, 'gateway', /broadcast/],
		['an IP range outside the subnet', {subnet: '10.201.3.0/24', ipRange: '10.201.4.0/25'}, 'ipRange', /not inside the subnet/],
		['an IP range larger than the subnet', {subnet: '10.201.3.0/24', ipRange: '10.201.0.0/16'}, 'ipRange', /not inside the subnet/],
		['an IPv6 subnet with IPv6 off', {ipv6Subnet: 'fd00:1::/64'}, 'ipv6Subnet', /IPv6 is off/],
		['an IPv6 gateway without an IPv6 subnet', {ipv6: true, ipv6Gateway: 'fd00:1::1'}, 'ipv6Gateway', /fill in IPv6 subnet first/],
		['an IPv4 address as IPv6 gateway', {ipv6: true, ipv6Subnet: 'fd00:1::/64', ipv6Gateway: '10.0.0.1'}, 'ipv6Gateway', /not an IPv6 address/],
		['an IPv6 gateway outside its subnet', {ipv6: true, ipv6Subnet: 'fd00:1::/64', ipv6Gateway: 'fd00:2::1'}, 'ipv6Gateway', /outside the subnet fd00:1::\/64/],
		['an IPv6 gateway behind a broken subnet', {ipv6: true, ipv6Subnet: 'fd00:1::', ipv6Gateway: 'fd00:1::1'}, 'ipv6Gateway', /fix the IPv6 subnet first/],
		['an aux address without name=', {subnet: '10.201.3.0/24', auxAddresses: '10.201.3.5'}, 'auxAddresses', /"10\.201\.3\.5" is not key=value: write name=address/],
		['an aux address that is no address', {subnet: '10.201.3.0/24', auxAddresses: 'router=10.201.3'}, 'auxAddresses', /router=10\.201\.3: "10\.201\.3" is not an IP address/],
		['an aux address without a subnet', {auxAddresses: 'router=10.201.3.5'}, 'auxAddresses', /needs a subnet: fill in Subnet first/],
		['an aux address behind a broken subnet', {subnet: '10.201.3.0', auxAddresses: 'router=10.201.3.5'}, 'auxAddresses', /fix the subnet first/],
		['an aux address outside the subnet', {subnet: '10.201.3.0/24', auxAddresses: 'router=10.201.4.5'}, 'auxAddresses', /outside the subnet 10\.201\.3\.0\/24/],
		['an aux address that is the gateway', {subnet: '10.201.3.0/24', gateway: '10.201.3.1', auxAddresses: 'router=10.201.3.1'}, 'auxAddresses', /10\.201\.3\.1 is the gateway/],
		['an aux address where the engine puts the gateway', {subnet: '10.201.3.0/24', auxAddresses: 'router=10.201.3.1'}, 'auxAddresses', /10\.201\.3\.1 is the gateway the engine picks/],
		['an IPv6 aux address where the engine puts the gateway', {ipv6: true, ipv6Subnet: 'fd00:1::/64', auxAddresses: 'nas=fd00:1::1'}, 'auxAddresses', /fd00:1::1 is the gateway the engine picks/],
		['one aux address under two names', {subnet: '10.201.3.0/24', auxAddresses: 'a=10.201.3.5,b=10.201.3.5'}, 'auxAddresses', /b=10\.201\.3\.5: 10\.201\.3\.5 is aux address a already/],
		['an IPv6 aux address with no IPv6 subnet', {subnet: '10.201.3.0/24', auxAddresses: 'nas=fd00:1::5'}, 'auxAddresses', /fill in IPv6 subnet first/],
		['labels', {labels: 'team'}, 'labels', /"team" is not key=value/],
		['driver options', {options: 'mtu'}, 'options', /"mtu" is not key=value/],
		['macvlan without a parent', {driver: 'macvlan'}, 'options', /macvlan needs the host interface.*parent=eth0/],
		['overlay outside swarm mode', {driver: 'overlay'}, 'driver', /swarm mode/],
	];
	for (const [what, input, field, message] of cases) {
		test(`points at the field: ${what}`, () => {
			const checked = validateNetworkCreate({...emptyNetwork, ...input}, context());
			assert.equal(checked.value, undefined, JSON.stringify(checked));
			assert.match(checked.errors[field] ?? '', message);
		});
	}

	test('/31 and /32 subnets are taken, with a word on their size', () => {
		for (const [subnet, words] of [['10.201.3.0/31', /holds 2 addresses/], ['10.201.3.7/32', /holds one address/]] as const) {
			const checked = validateNetworkCreate({...emptyNetwork, subnet}, context());
			assert.equal(checked.value?.subnet, subnet, JSON.stringify(checked));
			assert.match(checked.warnings.subnet ?? '', words);
		}

		const v6 = validateNetworkCreate({...emptyNetwork, ipv6: true, ipv6Subnet: 'fd00:1::/127'}, context());
		assert.equal(v6.value?.ipv6Subnet, 'fd00:1::/127');
	});

	test('an IPv6-only network: IPv4 off needs IPv6 on and no IPv4 subnet', () => {
		assert.equal(validateNetworkCreate({...emptyNetwork, ipv4: false, ipv6: true, ipv6Subnet: 'fd00:7::/64'}, context()).value?.enableIPv4, false);
		assert.match(validateNetworkCreate({...emptyNetwork, ipv4: false}, context()).errors.ipv4 ?? '', /turn IPv6 on/);
		assert.match(validateNetworkCreate({...emptyNetwork, ipv4: false, ipv6: true, subnet: '10.201.3.0/24'}, context()).errors.subnet ?? '', /IPv4 is off/);
		assert.equal(validateNetworkCreate({...emptyNetwork, ipv6: true}, context()).value?.enableIPv4, undefined);
	});

	test('an IPv6 gateway inside its subnet goes into the request', () => {
		const checked = validateNetworkCreate({...emptyNetwork, ipv6: true, ipv6Subnet: 'fd00:1::/64', ipv6Gateway: 'fd00:1::fe'}, context());
		assert.equal(checked.value?.ipv6Subnet, 'fd00:1::/64');
		assert.equal(checked.value?.ipv6Gateway, 'fd00:1::fe');
	});

	test('overlaps with an existing network are a warning that names it', () => {
		const checked = validateNetworkCreate({...emptyNetwork, subnet: '10.88.0.0/16'}, context());
		assert.match(checked.warnings.subnet ?? '', /overlaps front \(10\.88\.0\.0\/24\)/);
		assert.ok(checked.value, 'a warning does not stop the request');
	});

	test('host bits set and IPv6 without a subnet are warnings', () => {
		assert.match(validateNetworkCreate({...emptyNetwork, subnet: '10.201.3.7/24'}, context()).warnings.subnet ?? '', /did you mean 10\.201\.3\.0\/24/);
		assert.match(validateNetworkCreate({...emptyNetwork, ipv6: true}, context()).warnings.ipv6Subnet ?? '', /default IPv6 pools/);
	});

	test('macvlan with a parent, or internal, is fine; overlay on a swarm node is offered', () => {
		assert.ok(validateNetworkCreate({...emptyNetwork, driver: 'macvlan', options: 'parent=eth0'}, context()).value);
		assert.ok(validateNetworkCreate({...emptyNetwork, driver: 'ipvlan', internal: true}, context()).value);
		assert.deepEqual(creatableDrivers('inactive'), ['bridge', 'macvlan', 'ipvlan']);
		assert.deepEqual(creatableDrivers('active'), ['bridge', 'macvlan', 'ipvlan', 'overlay']);
		// The engine's own list (docker info: Plugins.Network), a plugin driver included.
		const engine = ['bridge', 'host', 'ipvlan', 'macvlan', 'null', 'overlay', 'weaveworks/net-plugin:latest'];
		assert.deepEqual(creatableDrivers('inactive', engine), ['bridge', 'macvlan', 'ipvlan', 'weaveworks/net-plugin:latest']);
		assert.deepEqual(creatableDrivers('active', engine), ['bridge', 'macvlan', 'ipvlan', 'overlay', 'weaveworks/net-plugin:latest']);
		assert.ok(validateNetworkCreate({...emptyNetwork, driver: 'overlay'}, {...context(), swarm: 'active'}).value);
		assert.ok(validateNetworkCreate({...emptyNetwork, driver: 'overlay'}, {...context(), swarm: 'active', swarmManager: true}).value);
	});

	test('a swarm worker: overlay refused before sending, with the plain reason', () => {
		const checked = validateNetworkCreate({...emptyNetwork, driver: 'overlay'}, {...context(), swarm: 'active', swarmManager: false});
		assert.equal(checked.value, undefined);
		assert.match(checked.errors.driver ?? '', /only a swarm manager can create overlay networks/);
	});

	test('checkCidr', () => {
		assert.equal(checkCidr('fd00:1::/64', 6).error, undefined);
		assert.match(checkCidr('10.0.0.0/8', 6).error ?? '', /IPv4 subnet/);
	});
});

describe('refusals in plain words', () => {
	const {state} = world();
	const front = state.networks.find(network => network.name === 'front');
	const web = state.containers.find(container => container.name === 'web');

	// The messages are what Docker 20.10 answers (checked against the test engine).
	const cases: Array<[string, EngineError, Parameters<typeof explainRefusal>[1], RegExp, string?]> = [
		[
			'joining host',
			new EngineError('bad-request', 'container cannot be disconnected from host network or connected to host network', 400),
			{action: 'connect', networkName: 'host', containerName: 'ctn1'},
			/cannot join host while it is on other networks/,
		],
		[
			'joining none',
			new EngineError('bad-request', 'container cannot be connected to multiple networks with one of the networks in private (none) mode', 400),
			{action: 'connect', networkName: 'none', containerName: 'ctn1'},
			/cannot join none while it is on other networks/,
		],
		[
			'a host-mode container joining anything',
			new EngineError('bad-request', 'container sharing network namespace with another container or host cannot be connected to any other network', 400),
			{action: 'connect', networkName: 'front', container: fakeContainer({name: 'h', networkMode: 'host'})},
			/h shares the host's network stack/,
		],
		['address in use', new EngineError('engine', 'Address already in use', 500), {action: 'connect', network: front}, /that address is taken on front/, 'ipv4'],
		[
			'outside the subnets',
			new EngineError('bad-request', "Invalid address 10.9.9.9: It does not belong to any of this network's subnets", 400),
			{action: 'connect', network: front},
			/outside front's subnet 10\.88\.0\.0\/24/,
			'ipv4',
		],
		[
			'fixed address on an engine-picked subnet',
			new EngineError('bad-request', 'user specified IP address is supported only when connecting to networks with user configured subnets', 400),
			{action: 'connect', networkName: 'auto'},
			/subnet was picked by the engine/,
			'ipv4',
		],
		['network vanished', new EngineError('not-found', 'network front not found', 404), {action: 'connect', networkName: 'front', containerName: 'ctn1'}, /network front is gone: it was removed meanwhile/],
		['container vanished', new EngineError('not-found', 'No such container: abc', 404), {action: 'connect', networkName: 'front', containerName: 'ctn1'}, /container ctn1 is gone/],
		['not running', new EngineError('engine', 'Container abc is not running', 409), {action: 'connect', networkName: 'mv', containerName: 'old'}, /old is not running.*start it first/],
		['predefined', new EngineError('forbidden', 'bridge is a pre-defined network and cannot be removed', 403), {action: 'remove', networkName: 'bridge'}, /engine's own networks/],
		[
			'active endpoints, naming who',
			new EngineError('forbidden', `error while removing network: network front id ${front?.id ?? ''} has active endpoints`, 403),
			{action: 'remove', network: front, containers: state.containers},
			/containers are still attached to front: web/,
		],
		['name conflict', new EngineError('conflict', 'network with name front already exists', 409), {action: 'create', spec: {name: 'front', driver: 'bridge'}}, /exists already/, 'name'],
		[
			'pool overlap, naming the other network',
			new EngineError('forbidden', 'Pool overlaps with other one on this address space', 403),
			{action: 'create', spec: {name: 'x', driver: 'bridge', subnet: '10.88.0.0/25'}, networks: state.networks},
			/overlaps front \(10\.88\.0\.0\/24\)/,
			'subnet',
		],
		['no IPv6 pool', new EngineError('forbidden', 'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network', 403), {action: 'create', spec: {name: 'x', driver: 'bridge', enableIPv6: true}}, /give an IPv6 subnet/, 'ipv6Subnet'],
		[
			'aux address on the gateway',
			new EngineError('forbidden', 'failed to allocate secondary ip address (r:10.210.0.1): Address already in use', 403),
			{action: 'create', spec: {name: 'x', driver: 'bridge', subnet: '10.210.0.0/24', auxAddresses: {r: '10.210.0.1'}}},
			/aux address is taken: by the gateway/,
			'auxAddresses',
		],
		['aux address outside', new EngineError('bad-request', 'no matching subnet for aux-address 10.212.0.1', 400), {action: 'create', spec: {name: 'x', driver: 'bridge'}}, /aux address is outside/, 'auxAddresses'],
		['bad parent', new EngineError('engine', 'invalid subinterface vlan name eth9, example formatting is eth0.10', 500), {action: 'create', spec: {name: 'x', driver: 'macvlan'}}, /parent must be an existing host interface/, 'options'],
		['a timeout', new EngineError('timeout', 'the engine did not answer in time while connecting', undefined), {action: 'connect'}, /may still happen/],
	];
	for (const [what, error, context, reason, field] of cases) {
		test(what, () => {
			const refusal = explainRefusal(error, context);
			assert.match(refusal.reason ?? '', reason);
			assert.equal(refusal.field, field);
			assert.equal(refusal.engineMessage, error.message);
			assert.ok(describeRefusal(refusal).endsWith(`(engine: ${error.message})`));
		});
	}

	test('an unknown refusal keeps the engine message; a non-error never throws', () => {
		assert.equal(describeRefusal(explainRefusal(new EngineError('engine', 'something odd', 500), {action: 'connect'})), 'something odd');
		assert.equal(explainRefusal('weird', {action: 'remove'}).engineMessage, 'weird');
	});

	test('known before asking: host/none containers and networks, predefined and busy networks', () => {
		assert.match(connectBlocker(fakeContainer({name: 'h', networkMode: 'host'}), []) ?? '', /runs with --network host/);
		assert.match(connectBlocker(fakeContainer({name: 'n', networkMode: 'none'}), []) ?? '', /--network none/);
		assert.equal(connectBlocker(web ?? fakeContainer({name: 'x'}), state.containers), undefined);
		assert.match(networkJoinBlocker(state.networks.find(network => network.name === 'none') ?? fakeNetwork({name: 'none'})) ?? '', /no networking/);
		const bridge = state.networks.find(network => network.name === 'bridge') ?? fakeNetwork({name: 'bridge'});
		assert.match(removeBlocker(bridge, state.containers) ?? '', /predefined/);
		assert.match(removeBlocker(front ?? bridge, state.containers) ?? '', /front has a container attached: web/);
	});
});
