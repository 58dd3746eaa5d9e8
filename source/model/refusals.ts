import {parseCidr} from './addressing.js';
import {EngineError} from './gateway.js';
import type {EngineErrorKind, NetworkCreateSpec} from './gateway.js';
import {membersOf, nameList} from './membership.js';
import {isPredefinedNetwork, specialNetworkMode} from './selectors.js';
import type {DockerContainer, DockerNetwork} from './types.js';
import {overlappingNetworks} from './validation.js';

// The engine's refusals in plain words. The engine's own message is always kept (it is the
// truth, and what a search engine knows); the reason says what it means for this user and
// what to do, and `field` points a form at the value to change.

export interface Refusal {
	kind: EngineErrorKind;
	/** What the engine said, as is. */
	engineMessage: string;
	/** The plain-language reason, where docknet knows one. */
	reason?: string;
	/** The form field the refusal is about (connect: ipv4, ipv6, …; create: name, subnet, …). */
	field?: string;
}

export type RefusedAction = 'connect' | 'disconnect' | 'create' | 'remove';

export interface RefusalContext {
	action: RefusedAction;
	network?: DockerNetwork;
	/** The name to use when the network is not (or no longer) known. */
	networkName?: string;
	container?: DockerContainer;
	containerName?: string;
	/** The request, for create refusals. */
	spec?: NetworkCreateSpec;
	/** What the store knows, to name who is attached or what overlaps. */
	networks?: readonly DockerNetwork[];
	containers?: readonly DockerContainer[];
}

interface Rule {
	pattern: RegExp;
	explain(context: RefusalContext, names: {network: string; container: string}): {reason: string; field?: string} | undefined;
}

const rules: Rule[] = [
	// Ahead of "address already in use", which an aux-address refusal also ends with.
	{
		pattern: /no matching subnet for aux-address/i,
		explain: () => ({reason: 'an aux address is outside the subnets', field: 'auxAddresses'}),
	},
	{
		pattern: /failed to allocate secondary ip address/i,
		explain: () => ({reason: 'an aux address is taken: by the gateway, or by another aux address', field: 'auxAddresses'}),
	},
	{
		pattern: /cannot be disconnected from host network or connected to host network/i,
		explain: ({action}, {container}) =>
			action === 'disconnect'
				? {reason: `${container} uses the host's network stack; that mode is fixed when a container is created and cannot be left`}
				: {reason: `a container cannot join host while it is on other networks: host mode is chosen at docker run (--network host)`},
	},
	{
		pattern: /one of the networks in private \(none\) mode|disconnected from none network|connected to none network/i,
		explain: ({container}, names) =>
			container?.networkMode === 'none'
				? {reason: `${names.container} was started with --network none (no networking): it cannot join other networks; recreate it on a network instead`}
				: {reason: `a container cannot join none while it is on other networks (none means no networking at all; ${names.network === 'none' ? 'disconnect the others first' : 'pick another network'})`},
	},
	{
		pattern: /sharing network namespace with another container or host/i,
		explain: ({container, containers}, names) => {
			const mode = container ? specialNetworkMode(container, containers) : undefined;
			const how = mode?.kind === 'container' ? `another container's (${mode.containerName ?? mode.containerId.slice(0, 12)})` : "the host's";
			return {reason: `${names.container} shares ${how} network stack, so it cannot join other networks`};
		},
	},
	{
		pattern: /endpoint with name .* already exists in network/i,
		explain: (_context, names) => ({reason: `${names.container} is already on ${names.network}`}),
	},
	{
		pattern: /is not connected to (the )?network/i,
		explain: (_context, names) => ({reason: `${names.container} is not on ${names.network} (any more)`}),
	},
	{
		pattern: /user specified IP address is supported on user defined networks only/i,
		explain: (_context, names) => ({
			reason: `a fixed address needs a user-defined network; ${names.network} hands out its addresses itself`,
			field: 'ipv4',
		}),
	},
	{
		pattern: /user specified IP address is supported only when connecting to networks with user configured subnets/i,
		explain: (_context, names) => ({
			reason: `${names.network}'s subnet was picked by the engine, not configured: a fixed address needs a network created with a subnet (leave the address empty to get one automatically)`,
			field: 'ipv4',
		}),
	},
	{
		pattern: /address already in use/i,
		explain: (_context, names) => ({
			reason: `that address is taken on ${names.network} (by another container, the gateway or a reserved address)`,
			field: 'ipv4',
		}),
	},
	{
		pattern: /does not belong to any of this network's subnets/i,
		explain: ({network}, names) => ({
			reason: `the address is outside ${names.network}'s subnet${network ? ` ${network.pools.map(pool => pool.subnet).join(', ')}` : ''}`,
			field: 'ipv4',
		}),
	},
	{
		pattern: /no available (IPv4 )?addresses|could not find an available IP|no available ip addresses/i,
		explain: (_context, names) => ({reason: `${names.network} has no free address left; pick a network with room, or create one with a larger subnet`}),
	},
	{
		pattern: /network-scoped alias is supported only/i,
		explain: (_context, names) => ({reason: `${names.network} gives its containers no DNS: aliases work on user-defined networks only`, field: 'aliases'}),
	},
	{
		pattern: /not manually attachable/i,
		explain: (_context, names) => ({
			reason: `${names.network} is a swarm network created without --attachable: only services can join it`,
		}),
	},
	{
		pattern: /is restarting/i,
		explain: (_context, names) => ({reason: `${names.container} is restarting; wait until it runs, then try again`}),
	},
	{
		pattern: /is not running|container .* not running/i,
		explain: (_context, names) => ({
			reason: `${names.container} is not running, and ${names.network}'s driver attaches running containers only: start it first`,
		}),
	},
	{
		pattern: /pre-defined network|predefined .*network/i,
		explain: ({action}, names) => ({
			reason: `${names.network} is one of the engine's own networks (bridge, host, none): it cannot be removed or recreated`,
			field: action === 'create' ? 'name' : undefined,
		}),
	},
	{
		pattern: /has active endpoints/i,
		explain: ({network, containers}, names) => {
			const attached = network && containers ? membersOf(network, containers).map(member => member.container.name) : [];
			return {
				reason:
					attached.length > 0
						? `containers are still attached to ${names.network}: ${nameList(attached, 8)} — disconnect them first (d)`
						: `something is still attached to ${names.network} (a container docknet has not seen yet, or a swarm task)`,
			};
		},
	},
	{
		pattern: /network with name .* already exists/i,
		explain: (_context, names) => ({reason: `a network named ${names.network} exists already: pick another name`, field: 'name'}),
	},
	{
		pattern: /pool overlaps/i,
		explain: ({spec, networks}) => {
			const subnets = [spec?.subnet, spec?.ipv6Subnet].filter((text): text is string => Boolean(text));
			const overlaps = subnets.flatMap(text => {
				const cidr = parseCidr(text);
				return cidr && networks ? overlappingNetworks(cidr, networks) : [];
			});
			const field = spec?.ipv6Subnet && !spec.subnet ? 'ipv6Subnet' : 'subnet';
			return {
				reason:
					overlaps.length > 0
						? `the subnet overlaps ${nameList(overlaps)}: pick a subnet no other network uses`
						: subnets.length > 0
							? 'the subnet overlaps one the engine already uses: pick another'
							: "the engine's default address pools are used up: give a subnet",
				field,
			};
		},
	},
	{
		pattern: /no matching subnet for gateway/i,
		explain: () => ({reason: 'the gateway is outside the subnet', field: 'gateway'}),
	},
	{
		pattern: /no matching subnet for range/i,
		explain: () => ({reason: 'the IP range is outside the subnet', field: 'ipRange'}),
	},
	{
		pattern: /non-overlapping IPv6 address pool/i,
		explain: () => ({reason: 'the engine has no default IPv6 pools: give an IPv6 subnet, e.g. fd00:1::/64', field: 'ipv6Subnet'}),
	},
	{
		pattern: /not a swarm manager|swarm init/i,
		explain: () => ({reason: 'overlay networks need swarm mode on this engine (docker swarm init)', field: 'driver'}),
	},
	{
		pattern: /invalid subinterface vlan name|parent link|parent interface|is not a valid .*parent/i,
		explain: ({spec}) => ({
			reason: `parent must be an existing host interface of the engine's machine (e.g. parent=eth0, or parent=eth0.10 for a VLAN)${spec?.driver ? ` for ${spec.driver}` : ''}`,
			field: 'options',
		}),
	},
	{
		pattern: /operation not supported/i,
		explain: ({spec}) =>
			spec && (spec.driver === 'macvlan' || spec.driver === 'ipvlan')
				? {
						reason: `the engine's kernel refused to make a ${spec.driver} link: check parent=<host interface> in the driver options and that the ${spec.driver} module is available`,
						field: 'options',
					}
				: undefined,
	},
];

function kindReason(kind: EngineErrorKind, context: RefusalContext, names: {network: string; container: string}): string | undefined {
	switch (kind) {
		case 'not-found': {
			if (context.action === 'create') return undefined;
			return `${names.network}${context.action === 'connect' || context.action === 'disconnect' ? ` or ${names.container}` : ''} is gone: removed meanwhile`;
		}

		case 'timeout':
			return 'the engine did not answer in time; the change may still happen — the panes show it if it does';
		case 'unreachable':
			return 'the engine cannot be reached; nothing was changed that docknet knows of';
		case 'permission':
			return 'docknet may not use this engine (permission denied)';
		case 'aborted':
			return 'cancelled by docknet';
		default:
			return undefined;
	}
}

function vanishedReason(engineMessage: string, names: {network: string; container: string}): string | undefined {
	if (/network .* not found|no such network/i.test(engineMessage)) return `network ${names.network} is gone: it was removed meanwhile`;
	if (/no such container/i.test(engineMessage)) return `container ${names.container} is gone: it was removed meanwhile`;
	return undefined;
}

/** Explains why the engine refused an action. Never throws, whatever `error` is. */
export function explainRefusal(error: unknown, context: RefusalContext): Refusal {
	const engineError = error instanceof EngineError ? error : undefined;
	const kind: EngineErrorKind = engineError?.kind ?? 'engine';
	const engineMessage = error instanceof Error ? error.message : String(error);
	const names = {
		network: context.network?.name ?? context.networkName ?? context.spec?.name ?? 'the network',
		container: context.container?.name ?? context.containerName ?? 'the container',
	};
	for (const rule of rules) {
		if (!rule.pattern.test(engineMessage)) continue;
		const explained = rule.explain(context, names);
		if (explained) return {kind, engineMessage, reason: explained.reason, field: explained.field};
	}

	const reason = (kind === 'not-found' ? vanishedReason(engineMessage, names) : undefined) ?? kindReason(kind, context, names);
	return {kind, engineMessage, reason};
}

/** One line: the reason, then what the engine said. */
export function describeRefusal(refusal: Refusal): string {
	if (!refusal.reason) return refusal.engineMessage;
	return `${refusal.reason} (engine: ${refusal.engineMessage})`;
}

// Refusals docknet knows before asking the engine: the rules users trip over, explained
// without a round trip.

/** Why `container` cannot join any other network, if so. */
export function connectBlocker(container: DockerContainer, containers: readonly DockerContainer[]): string | undefined {
	const mode = specialNetworkMode(container, containers);
	if (!mode) return undefined;
	switch (mode.kind) {
		case 'host':
			return `${container.name} runs with --network host: it shares the host's network stack and cannot join other networks`;
		case 'none':
			return `${container.name} runs with --network none (no networking): it cannot join other networks; recreate it on a network instead`;
		case 'container':
			return `${container.name} shares the network stack of ${mode.containerName ?? mode.containerId.slice(0, 12)} (--network container:…): it cannot join networks of its own`;
	}
}

/** Why nothing can be connected to `network` by hand, if so. */
export function networkJoinBlocker(network: DockerNetwork): string | undefined {
	if (network.driver === 'host' || network.name === 'host') {
		return `${network.name} is the host's own network stack: a container gets it only at docker run (--network host), never by connecting`;
	}

	if (network.driver === 'null' || network.name === 'none') {
		return `${network.name} means no networking: a container gets it only at docker run (--network none), never by connecting`;
	}

	if (network.ingress) return `${network.name} is the swarm routing mesh: only services use it`;
	if (network.scope === 'swarm' && network.driver === 'overlay' && !network.attachable) {
		// The engine refuses a by-hand connect to it for any container, task or not.
		return `${network.name} is a swarm network created without --attachable: only services can join it (docker service update --network-add)`;
	}

	return undefined;
}

/** Running, paused or restarting containers hold live endpoints; stopped ones only a config. */
export function holdsEndpoint(container: DockerContainer): boolean {
	return container.state === 'running' || container.state === 'paused' || container.state === 'restarting';
}

/** Why `network` cannot be removed, if so: predefined, or containers still attached (named). */
export function removeBlocker(network: DockerNetwork, containers: readonly DockerContainer[]): string | undefined {
	if (isPredefinedNetwork(network)) {
		return `${network.name} is one of the engine's predefined networks (bridge, host, none): it cannot be removed`;
	}

	// A stopped container holds no endpoint, so the engine lets its network go; the
	// confirmation warns about those instead.
	const running = membersOf(network, containers).filter(member => holdsEndpoint(member.container));
	if (running.length > 0) {
		const names = running.map(member => member.container.name);
		return `${network.name} has ${running.length === 1 ? 'a container' : `${running.length} containers`} attached: ${nameList(names, 6)} — disconnect ${running.length === 1 ? 'it' : 'them'} first (d)`;
	}

	return undefined;
}

/** Why `container` cannot leave `network`, if so: host and none are fixed at creation. */
export function leaveBlocker(network: DockerNetwork, container: DockerContainer): string | undefined {
	if (network.driver === 'host' || network.driver === 'null') {
		return `${container.name} runs with --network ${network.name}: that mode is fixed when a container is created and cannot be left (recreate the container to change it)`;
	}

	return undefined;
}
