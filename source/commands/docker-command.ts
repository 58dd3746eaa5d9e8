import type {ConnectOptions, NetworkCreateSpec} from '../model/gateway.js';

// Every change docknet makes, written as the docker CLI command that does the same thing,
// so it can be read, copied and repeated in a script. Pure: argv in, one shell line out.

/** Characters a POSIX shell reads literally outside quotes. */
const bare = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument as a POSIX shell reads it back unchanged: bare when it is plain, else in
 * single quotes (inside which nothing is special but the quote itself, written '\'').
 * Names come from anyone who can create a container or a network: `$(…)`, backquotes, `;`,
 * globs and newlines must all stay data.
 */
export function shellQuote(argument: string): string {
	if (bare.test(argument)) return argument;
	return `'${argument.replaceAll("'", `'\\''`)}'`;
}

export function commandLine(argv: readonly string[]): string {
	return argv.map(shellQuote).join(' ');
}

const pairs = (flag: string, record: Record<string, string> | undefined): string[] =>
	Object.entries(record ?? {}).flatMap(([key, value]) => [flag, `${key}=${value}`]);

const repeated = (flag: string, values: readonly string[] | undefined): string[] => (values ?? []).flatMap(value => [flag, value]);

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
		network,
		container,
	];
}

export function disconnectArgv(network: string, container: string, force: boolean): string[] {
	return ['docker', 'network', 'disconnect', ...(force ? ['--force'] : []), network, container];
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
		...(spec.enableIPv6 ? ['--ipv6'] : []),
		...(spec.ipv6Subnet ? ['--subnet', spec.ipv6Subnet] : []),
		...(spec.ipv6Gateway ? ['--gateway', spec.ipv6Gateway] : []),
		...pairs('--aux-address', spec.ipv6AuxAddresses),
		...(spec.internal ? ['--internal'] : []),
		...(spec.attachable ? ['--attachable'] : []),
		...pairs('--label', spec.labels),
		...pairs('--opt', spec.options),
		spec.name,
	];
}

export function removeArgv(network: string): string[] {
	return ['docker', 'network', 'rm', network];
}
