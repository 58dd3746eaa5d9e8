// Every `:` command as data: its names, what it takes, its flags. The parser, the Tab
// completion and the help screen all read this one table.

/** What a positional argument or a flag's value names, so Tab knows what to offer. */
export type ArgumentKind = 'container' | 'network' | 'context' | 'driver' | 'words' | 'text';

export interface FlagSpec {
	/** The long name, without the dashes: `ip` is `--ip`. */
	name: string;
	short?: string;
	/** Takes a value (`--ip 10.0.0.5` or `--ip=10.0.0.5`); otherwise a switch. */
	value?: ArgumentKind;
	/** May be given more than once (`--alias a --alias b`). */
	repeatable?: boolean;
	/** A switch that is on unless turned off (`--ipv4=false`), so Tab offers the `=false` form. */
	onByDefault?: boolean;
	description: string;
}

export type CommandName =
	| 'networks'
	| 'containers'
	| 'host'
	| 'topology'
	| 'swarm'
	| 'log'
	| 'help'
	| 'ctx'
	| 'connect'
	| 'disconnect'
	| 'create'
	| 'rm'
	| 'prune'
	| 'undo'
	| 'filter'
	| 'quit';

export interface CommandSpec {
	name: CommandName;
	/** Other names it answers to (k9s habits: `:net`, `:ctr`, `:q`). */
	aliases: readonly string[];
	/** The positional arguments, in order; `words` takes the rest of the line. */
	args: ReadonlyArray<{name: string; kind: ArgumentKind; optional?: boolean}>;
	flags: readonly FlagSpec[];
	description: string;
	/** Changes the engine: refused in read-only mode. */
	changesEngine?: boolean;
}

export const commandCatalog: readonly CommandSpec[] = [
	{name: 'networks', aliases: ['net', 'nets', 'network'], args: [], flags: [], description: 'The Networks pane'},
	{name: 'containers', aliases: ['ctr', 'ctrs', 'container', 'ps'], args: [], flags: [], description: 'The Containers pane'},
	{name: 'host', aliases: ['if', 'interfaces'], args: [], flags: [], description: 'The Host interfaces pane'},
	{name: 'topology', aliases: ['topo', 'tree'], args: [], flags: [], description: 'The whole host as a tree'},
	{name: 'swarm', aliases: ['nodes'], args: [], flags: [], description: 'The swarm screen: nodes, services, tasks'},
	{name: 'log', aliases: ['commands'], args: [], flags: [], description: 'The command log: every change docknet made'},
	{name: 'help', aliases: ['h', 'keys'], args: [], flags: [], description: 'The help screen: keys and these commands'},
	{
		name: 'ctx',
		aliases: ['context', 'engine'],
		args: [{name: 'name', kind: 'context', optional: true}],
		flags: [],
		description: 'Switch to an open engine (host pane, default for :create) or open a docker context; alone: list them',
	},
	{
		name: 'connect',
		aliases: ['conn'],
		args: [
			{name: 'container', kind: 'container'},
			{name: 'network', kind: 'network'},
		],
		flags: [
			{name: 'ip', value: 'text', description: 'IPv4 address'},
			{name: 'ip6', value: 'text', description: 'IPv6 address'},
			{name: 'alias', value: 'text', repeatable: true, description: 'network-scoped alias'},
			{name: 'link', value: 'container', repeatable: true, description: 'container or container:alias'},
			{name: 'driver-opt', value: 'text', repeatable: true, description: 'driver option key=value'},
		],
		description: 'Connect a container to a network (either order, as docker network connect NETWORK CONTAINER)',
		changesEngine: true,
	},
	{
		name: 'disconnect',
		aliases: ['disc'],
		args: [
			{name: 'container', kind: 'container'},
			{name: 'network', kind: 'network'},
		],
		flags: [{name: 'force', short: 'f', description: 'drop the endpoint even if it cannot be cleaned up'}],
		description: 'Disconnect a container from a network (either order)',
		changesEngine: true,
	},
	{
		name: 'create',
		aliases: ['new'],
		args: [{name: 'name', kind: 'text'}],
		flags: [
			{name: 'driver', short: 'd', value: 'driver', description: 'bridge, macvlan, ipvlan, overlay, …'},
			{name: 'subnet', value: 'text', repeatable: true, description: 'subnet (an IPv6 one turns IPv6 on)'},
			{name: 'gateway', value: 'text', repeatable: true, description: 'gateway of the subnet'},
			{name: 'ip-range', value: 'text', description: 'allocate from this range'},
			{name: 'aux-address', value: 'text', repeatable: true, description: 'name=ip the engine never hands out'},
			{name: 'ipv4', onByDefault: true, description: 'IPv4 is on; --ipv4=false with --ipv6: an IPv6-only network (Engine API 1.47+)'},
			{name: 'ipv6', description: 'enable IPv6'},
			{name: 'internal', description: 'no access to outside networks'},
			{name: 'attachable', description: 'containers may attach (overlay)'},
			{name: 'label', value: 'text', repeatable: true, description: 'label key=value'},
			{name: 'opt', short: 'o', value: 'text', repeatable: true, description: 'driver option key=value'},
		],
		description: 'Create a network, checked as the create form checks it',
		changesEngine: true,
	},
	{name: 'rm', aliases: ['remove', 'delete'], args: [{name: 'network', kind: 'network'}], flags: [], description: 'Remove a network', changesEngine: true},
	{name: 'prune', aliases: [], args: [], flags: [], description: 'Remove unused networks: shows which, then asks', changesEngine: true},
	{name: 'undo', aliases: [], args: [], flags: [], description: 'Undo the last connect or disconnect of this session', changesEngine: true},
	{
		name: 'filter',
		aliases: ['f', 'grep'],
		args: [{name: 'words', kind: 'words', optional: true}],
		flags: [],
		description: 'Filter the focused pane (every word must match); alone: clear it',
	},
	{name: 'quit', aliases: ['q', 'q!', 'exit'], args: [], flags: [], description: 'Quit docknet'},
];

/** The command a typed name means: its name or one of its aliases, exactly. */
export function findCommand(name: string): CommandSpec | undefined {
	return commandCatalog.find(spec => spec.name === name || spec.aliases.includes(name));
}

/** How the help writes a command: `:connect <container> <network> [--ip …]`. */
export function commandUsage(spec: CommandSpec): string {
	const args = spec.args.map(arg => (arg.optional ? `[${arg.name}]` : `<${arg.name}>`));
	const flags = spec.flags.map(flag => {
		const names = flag.short ? `-${flag.short}|--${flag.name}` : `--${flag.name}`;
		return `[${names}${flag.value ? ' …' : flag.onByDefault ? '=false' : ''}]`;
	});
	return [`:${spec.name}`, ...args, ...flags].join(' ');
}
