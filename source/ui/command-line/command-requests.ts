import {engineTakes, FIELD_SINCE} from '../../model/api-versions.js';
import type {EngineSnapshot} from '../../model/store.js';
import type {DockerContainer, DockerNetwork} from '../../model/types.js';
import type {ConnectInput, NetworkInput} from '../../model/validation.js';
import type {ParsedCommand} from './parse-command.js';
import {switchOn} from './parse-command.js';

// A parsed `:connect`, `:disconnect`, `:create` or `:rm` → the request the actions hook runs
// through the same checks and the same engine path as the keys' dialogs. Names are looked
// up here; the values stay as typed, so the form's checks judge them.

export type EngineRequest =
	| {kind: 'connect'; networkId: string; containerId: string; input: ConnectInput}
	| {kind: 'disconnect'; networkId: string; containerId: string; force: boolean}
	| {kind: 'create'; input: NetworkInput; engine?: string}
	| {kind: 'remove'; networkId: string};

type Data = Pick<EngineSnapshot, 'networks' | 'containers' | 'engines' | 'owners' | 'hostEngine'> & Partial<Pick<EngineSnapshot, 'engine'>>;
type Owned = 'containers' | 'networks';

/**
 * The one item a name means: its exact name, else a unique id prefix (as docker takes them).
 * With several engines open the same name may exist on each: the current engine's wins.
 */
function lookUp<Item extends {id: string; name: string}>(items: readonly Item[], text: string, kind: Owned, data: Data): Item | string {
	const what = kind === 'containers' ? 'container' : 'network';
	let found = items.filter(item => item.name === text);
	if (found.length === 0 && text.length >= 3) found = items.filter(item => item.id.startsWith(text));
	if (found.length > 1 && data.hostEngine !== undefined) {
		const current = found.filter(item => data.owners?.[kind].get(item.id) === data.hostEngine);
		if (current.length === 1) found = current;
	}

	if (found.length === 1 && found[0]) return found[0];
	if (found.length === 0) return `no ${what} "${text}"`;
	return `"${text}" names ${found.length} ${what}s: give an id, or :ctx to the engine you mean`;
}

/** Container and network in either order: `docker network connect` puts the network first. */
function pair(data: Data, first: string, second: string): {container: DockerContainer; network: DockerNetwork} | string {
	const asGiven = {container: lookUp(data.containers, first, 'containers', data), network: lookUp(data.networks, second, 'networks', data)};
	if (typeof asGiven.container !== 'string' && typeof asGiven.network !== 'string') return {container: asGiven.container, network: asGiven.network};
	const swapped = {container: lookUp(data.containers, second, 'containers', data), network: lookUp(data.networks, first, 'networks', data)};
	if (typeof swapped.container !== 'string' && typeof swapped.network !== 'string') return {container: swapped.container, network: swapped.network};
	return typeof asGiven.container === 'string' ? asGiven.container : (asGiven.network as string);
}

const joined = (values: readonly string[] | undefined): string => (values ?? []).join(', ');

/** `--subnet` and `--gateway` may be given for each family, as with docker: the IPv6 ones go to the IPv6 fields. */
function byFamily(values: readonly string[] | undefined): {ipv4: string; ipv6: string; extra?: string} {
	const ipv4 = (values ?? []).filter(value => !value.includes(':'));
	const ipv6 = (values ?? []).filter(value => value.includes(':'));
	const extra = ipv4.length > 1 ? ipv4[1] : ipv6.length > 1 ? ipv6[1] : undefined;
	return {ipv4: ipv4[0] ?? '', ipv6: ipv6[0] ?? '', ...(extra === undefined ? {} : {extra})};
}

export function createInput(command: ParsedCommand, defaultDriver = 'bridge'): NetworkInput | string {
	const {flags} = command;
	const subnets = byFamily(flags['subnet']);
	const gateways = byFamily(flags['gateway']);
	const extra = subnets.extra ?? gateways.extra;
	if (extra !== undefined) return `one subnet and gateway per family here: ${extra} is one too many`;
	const ipv6 = switchOn(command, 'ipv6') || subnets.ipv6 !== '';
	// As docker refuses it: the form has no state for "neither family".
	if (flags['ipv4'] !== undefined && !switchOn(command, 'ipv4') && !ipv6) return '--ipv4=false makes an IPv6-only network: add --ipv6 (or an IPv6 --subnet)';
	return {
		name: command.positionals[0] ?? '',
		driver: flags['driver']?.at(-1) ?? defaultDriver,
		subnet: subnets.ipv4,
		gateway: gateways.ipv4,
		ipRange: flags['ip-range']?.at(-1) ?? '',
		auxAddresses: joined(flags['aux-address']),
		// Given only when typed, so a `:create` without it leaves the form's IPv4 as it is.
		...(flags['ipv4'] === undefined ? {} : {ipv4: switchOn(command, 'ipv4')}),
		ipv6,
		ipv6Subnet: subnets.ipv6,
		ipv6Gateway: gateways.ipv6,
		internal: switchOn(command, 'internal'),
		attachable: switchOn(command, 'attachable'),
		labels: joined(flags['label']),
		options: joined(flags['opt']),
	};
}

/** The request a parsed engine command asks for, or what is wrong with the names it gives. */
export function engineRequest(command: ParsedCommand, data: Data): EngineRequest | string {
	const [first = '', second = ''] = command.positionals;
	switch (command.spec.name) {
		case 'connect': {
			const found = pair(data, first, second);
			if (typeof found === 'string') return found;
			const {flags} = command;
			return {
				kind: 'connect',
				networkId: found.network.id,
				containerId: found.container.id,
				input: {
					ipv4: flags['ip']?.at(-1) ?? '',
					ipv6: flags['ip6']?.at(-1) ?? '',
					aliases: joined(flags['alias']),
					links: joined(flags['link']),
					driverOptions: joined(flags['driver-opt']),
				},
			};
		}

		case 'disconnect': {
			const found = pair(data, first, second);
			if (typeof found === 'string') return found;
			return {kind: 'disconnect', networkId: found.network.id, containerId: found.container.id, force: switchOn(command, 'force')};
		}

		case 'create': {
			const input = createInput(command);
			if (typeof input === 'string') return input;
			// Several engines: on the current one (:ctx chooses it).
			const several = (data.engines?.length ?? 1) > 1;
			const apiVersion = several ? data.engines?.find(engine => engine.key === data.hostEngine)?.info?.apiVersion : data.engine?.apiVersion;
			// An older engine would ignore the field and make a dual-stack network: say so instead.
			if (input.ipv4 === false && !engineTakes(apiVersion, 'enableIPv4')) {
				return `--ipv4=false needs Engine API 1.${FIELD_SINCE.enableIPv4} or later${apiVersion ? ` (this engine: ${apiVersion})` : ' (this engine did not say its version)'}`;
			}

			return several && data.hostEngine ? {kind: 'create', input, engine: data.hostEngine} : {kind: 'create', input};
		}

		case 'rm': {
			const network = lookUp(data.networks, first, 'networks', data);
			return typeof network === 'string' ? network : {kind: 'remove', networkId: network.id};
		}

		default:
			return `:${command.spec.name} is not an engine command`;
	}
}
