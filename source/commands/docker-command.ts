import {posix} from 'node:path';
import type {ConnectOptions, NetworkCreateSpec} from '../model/gateway.js';
import {shellQuote} from '../ssh/shell-quote.js';

// Every change docknet makes, written as the docker CLI command that does the same thing,
// so it can be read, copied and repeated in a script. Pure: argv in, one shell line out.
// This is the one place in docknet that turns arguments into a command line for a person
// (the log, the journal, the `y` script, the forms, the confirmations, the ssh hints).

export {shellQuote};

export function commandLine(argv: readonly string[]): string {
	return argv.map(shellQuote).join(' ');
}

/**
 * Whether the docker CLI reaches the network when given this name. It puts the name in the
 * request's path: the engine cleans that path (a name of "..", "a//b" or "x/../y" names
 * something else) and its routes do not match a newline (the request is "page not found").
 */
export function cliCanName(name: string): boolean {
	const path = `/networks/${name}/connect`;
	return !name.includes('\n') && posix.normalize(path) === path;
}

export interface NamedNetwork {
	id: string;
	name: string;
}

/**
 * How a command names a network: by name, as a user types it, when the docker CLI reaches
 * exactly that network with it, else by id. `networks` (all the engine's) catches a name
 * two networks share.
 */
export function networkArgument(network: NamedNetwork, networks: readonly NamedNetwork[] = [network]): string {
	const unique = networks.filter(item => item.name === network.name).length <= 1;
	return unique && network.name !== '' && cliCanName(network.name) ? network.name : network.id;
}

/** How the docker CLI reaches one engine: by the context it was opened by, else by its address. */
export interface EngineAddress {
	context?: string;
	url: string;
}

/** The docker CLI's global flags that send a command to this engine. */
export function engineFlags(engine: EngineAddress): string[] {
	return engine.context === undefined ? ['-H', engine.url] : ['--context', engine.context];
}

/** `docker …` sent to the engine that `flags` name (none: the shell's default engine). */
export function onEngine(argv: readonly string[], flags: readonly string[] = []): string[] {
	const [docker, ...rest] = argv;
	return flags.length === 0 || docker === undefined ? [...argv] : [docker, ...flags, ...rest];
}

const pairs = (flag: string, record: Record<string, string> | undefined): string[] =>
	Object.entries(record ?? {}).flatMap(([key, value]) => [flag, `${key}=${value}`]);

const repeated = (flag: string, values: readonly string[] | undefined): string[] => (values ?? []).flatMap(value => [flag, value]);

// Every command ends its options with "--": a network named `--help` or `--alias=x` is a
// name, never an option (the docker CLI's flag parser stops at "--"). An option's value
// cannot be taken for an option: the parser gives a flag the word after it whatever it is.

export function connectArgv(network: string, container: string, options: ConnectOptions): string[] {
	return [
		'docker',
		'network',
		'connect',
		...(options.ipv4 ? ['--ip', options.ipv4] : []),
		...(options.ipv6 ? ['--ip6', options.ipv6] : []),
		...repeated('--alias', options.aliases),
		...repeated('--link', options.links),
		...pairs('--driver-opt', options.driverOptions),
		...(options.gwPriority === undefined ? [] : ['--gw-priority', String(options.gwPriority)]),
		'--',
		network,
		container,
	];
}

export function disconnectArgv(network: string, container: string, force: boolean): string[] {
	return ['docker', 'network', 'disconnect', ...(force ? ['--force'] : []), '--', network, container];
}

/**
 * The docker CLI pairs --gateway, --ip-range and --aux-address with the --subnet that
 * contains them, so the IPv4 and IPv6 pools can be listed one after the other.
 */
export function createArgv(spec: NetworkCreateSpec): string[] {
	return [
		'docker',
		'network',
		'create',
		...(spec.driver && spec.driver !== 'bridge' ? ['--driver', spec.driver] : []),
		...(spec.subnet ? ['--subnet', spec.subnet] : []),
		...(spec.gateway ? ['--gateway', spec.gateway] : []),
		...(spec.ipRange ? ['--ip-range', spec.ipRange] : []),
		...pairs('--aux-address', spec.auxAddresses),
		...(spec.enableIPv4 === false ? ['--ipv4=false'] : []),
		...(spec.enableIPv6 ? ['--ipv6'] : []),
		...(spec.ipv6Subnet ? ['--subnet', spec.ipv6Subnet] : []),
		...(spec.ipv6Gateway ? ['--gateway', spec.ipv6Gateway] : []),
		...pairs('--aux-address', spec.ipv6AuxAddresses),
		...(spec.internal ? ['--internal'] : []),
		...(spec.attachable ? ['--attachable'] : []),
		...pairs('--label', spec.labels),
		...pairs('--opt', spec.options),
		'--',
		spec.name,
	];
}

export function removeArgv(network: string): string[] {
	return ['docker', 'network', 'rm', '--', network];
}
