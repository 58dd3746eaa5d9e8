// Every key docknet answers to, as data. The input handler, the footer hints and the `?`
// help screen all read this one table, so they cannot drift apart.

export type Command =
	| 'quit'
	| 'help'
	| 'focusNext'
	| 'focusPrevious'
	| 'focusNetworks'
	| 'focusContainers'
	| 'focusInterfaces'
	| 'moveUp'
	| 'moveDown'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'filter'
	| 'open'
	| 'back'
	| 'topology'
	| 'swarm'
	| 'connect'
	| 'disconnect'
	| 'forceDisconnect'
	| 'undo'
	| 'createNetwork'
	| 'removeNetwork'
	| 'prune'
	| 'commandLog'
	| 'insideView'
	| 'writeCommands'
	| 'openNodeEngines'
	| 'nextHost'
	| 'commandMode'
	| 'groupProjects'
	| 'fold'
	| 'hideEvents'
	| 'olderEvents'
	| 'newerEvents';

export type SpecialKey =
	| 'upArrow'
	| 'downArrow'
	| 'leftArrow'
	| 'rightArrow'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'return'
	| 'escape'
	| 'tab';

export interface KeyChord {
	/** A printable character, matched exactly (case matters: `d` and `D` differ). */
	input?: string;
	special?: SpecialKey;
	ctrl?: boolean;
	shift?: boolean;
	/** How the help screen and footer write it. */
	display: string;
}

/**
 * Where a binding applies. 'list' is any of the three panes; 'overlay' is the details,
 * help and topology screens.
 */
export type KeyScope = 'global' | 'list' | 'networks' | 'containers' | 'interfaces' | 'overlay' | 'topology' | 'swarm' | 'log' | 'details';

export interface KeyBinding {
	command: Command;
	keys: readonly KeyChord[];
	/** One or two words for the footer. */
	label: string;
	/** A sentence for the help screen. */
	description: string;
	scopes: readonly KeyScope[];
	/** Shown in the footer of the scopes it applies to. */
	footer: boolean;
	/** Changes the engine; refused in --read-only mode. */
	changesEngine?: boolean;
}

const key = (input: string, display = input): KeyChord => ({input, display});
const ctrl = (input: string, display: string): KeyChord => ({input, ctrl: true, display});
const special = (name: SpecialKey, display: string, modifiers: {shift?: boolean; ctrl?: boolean} = {}): KeyChord => ({
	special: name,
	display,
	...modifiers,
});

export const keymap: readonly KeyBinding[] = [
	{
		command: 'moveUp',
		keys: [special('upArrow', '↑'), key('k')],
		label: 'move',
		description: 'Move the selection up',
		scopes: ['list', 'overlay', 'topology'],
		footer: false,
	},
	{
		command: 'moveDown',
		keys: [special('downArrow', '↓'), key('j')],
		label: 'move',
		description: 'Move the selection down',
		scopes: ['list', 'overlay', 'topology'],
		footer: false,
	},
	{
		command: 'pageUp',
		keys: [special('pageUp', 'PgUp'), ctrl('b', 'Ctrl-B')],
		label: 'page up',
		description: 'Move one page up',
		scopes: ['list', 'overlay', 'topology'],
		footer: false,
	},
	{
		command: 'pageDown',
		keys: [special('pageDown', 'PgDn'), ctrl('f', 'Ctrl-F')],
		label: 'page down',
		description: 'Move one page down',
		scopes: ['list', 'overlay', 'topology'],
		footer: false,
	},
	{
		command: 'home',
		keys: [special('home', 'Home'), key('g')],
		label: 'first',
		description: 'Jump to the first row',
		scopes: ['list', 'overlay', 'topology'],
		footer: false,
	},
	{
		command: 'end',
		keys: [special('end', 'End'), key('G')],
		label: 'last',
		description: 'Jump to the last row',
		scopes: ['list', 'overlay', 'topology'],
		footer: false,
	},
	{
		command: 'focusNext',
		keys: [special('tab', 'Tab')],
		label: 'next pane',
		description: 'Focus the next pane',
		scopes: ['list'],
		footer: true,
	},
	{
		command: 'focusPrevious',
		keys: [special('tab', 'Shift-Tab', {shift: true})],
		label: 'previous pane',
		description: 'Focus the previous pane',
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'focusNetworks',
		keys: [key('1')],
		label: 'networks',
		description: 'Focus the Networks pane',
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'focusContainers',
		keys: [key('2')],
		label: 'containers',
		description: 'Focus the Containers pane',
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'focusInterfaces',
		keys: [key('3')],
		label: 'interfaces',
		description: 'Focus the Host interfaces pane',
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'open',
		keys: [special('return', 'Enter')],
		label: 'details',
		description: 'Show everything about the selected row (in the topology: jump to it)',
		scopes: ['list', 'topology'],
		footer: true,
	},
	{
		command: 'filter',
		keys: [key('/')],
		label: 'filter',
		description: 'Filter the focused pane, or search the topology, as you type (Enter keeps it, Esc clears it)',
		scopes: ['list', 'topology'],
		footer: true,
	},
	{
		command: 'connect',
		keys: [key('c')],
		label: 'connect',
		description: 'Connect the selected container to a network (or a container to the selected network)',
		scopes: ['networks', 'containers'],
		footer: true,
		changesEngine: true,
	},
	{
		command: 'disconnect',
		keys: [key('d')],
		label: 'disconnect',
		description: 'Disconnect a container from a network, after confirmation',
		scopes: ['networks', 'containers'],
		footer: true,
		changesEngine: true,
	},
	{
		command: 'forceDisconnect',
		keys: [key('D')],
		label: 'force disconnect',
		description: 'Disconnect with --force, after confirmation',
		scopes: ['networks', 'containers'],
		footer: false,
		changesEngine: true,
	},
	{
		command: 'undo',
		keys: [key('u')],
		label: 'undo',
		description: 'Undo the last connect or disconnect of this session',
		scopes: ['list'],
		footer: true,
		changesEngine: true,
	},
	{
		command: 'createNetwork',
		keys: [key('n')],
		label: 'new',
		description: 'Create a network (driver, subnet, gateway, IP range, aux addresses, IPv6, flags, labels)',
		scopes: ['networks'],
		footer: true,
		changesEngine: true,
	},
	{
		command: 'removeNetwork',
		keys: [key('x')],
		label: 'remove',
		description: 'Remove the selected network, after confirmation',
		scopes: ['networks'],
		footer: true,
		changesEngine: true,
	},
	{
		command: 'prune',
		keys: [key('p')],
		label: 'prune',
		description: 'Remove all unused networks: shows which, then asks',
		scopes: ['networks'],
		footer: true,
		changesEngine: true,
	},
	{
		command: 'groupProjects',
		keys: [key('P')],
		label: 'projects',
		description: 'Group the Networks and Containers panes by Compose project (P again lists them flat); projects come first',
		scopes: ['networks', 'containers'],
		footer: true,
	},
	{
		command: 'fold',
		keys: [key('z'), key(' ', 'Space')],
		label: 'fold',
		description: "Open or fold the selected project's rows (grouped by project); Enter on a project shows its services as `docker compose ps` does",
		scopes: ['networks', 'containers'],
		footer: true,
	},
	{
		command: 'hideEvents',
		keys: [key('e')],
		label: 'hide events',
		description: "Hide the selected container's events in the events strip (a noisy one), or show them again",
		scopes: ['containers'],
		footer: true,
	},
	{
		command: 'olderEvents',
		keys: [key('[')],
		label: 'older events',
		description: 'Scroll the events strip back to older events',
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'newerEvents',
		keys: [key(']')],
		label: 'newer events',
		description: 'Scroll the events strip forward to newer events',
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'topology',
		keys: [key('t')],
		label: 'topology',
		description: 'Show the whole host as a tree: bridges, veths, containers (t again closes it)',
		scopes: ['list', 'topology'],
		footer: true,
	},
	{
		command: 'swarm',
		keys: [key('s')],
		label: 'swarm',
		description: 'Show the swarm: nodes, services and their tasks, overlay networks across every node (s again closes it)',
		scopes: ['list', 'swarm'],
		footer: true,
	},
	{
		command: 'insideView',
		keys: [key('i')],
		label: 'inside',
		description: "The container's stack as seen inside it: interfaces (lo too), routes, DNS, /etc/hosts; read without exec (i again: its endpoints)",
		scopes: ['containers', 'details'],
		footer: true,
	},
	{
		command: 'commandLog',
		keys: [key('L')],
		label: 'log',
		description: 'Command log: every change docknet made, as the docker command it is, with time, engine and result (L again closes it)',
		scopes: ['list', 'log'],
		footer: true,
	},
	{
		command: 'nextHost',
		keys: [key('h')],
		label: 'next host',
		description: "With several engines open: show the next engine's host in the host interfaces pane (its bridges, veths and NICs)",
		scopes: ['list'],
		footer: false,
	},
	{
		command: 'openNodeEngines',
		keys: [key('o')],
		label: 'open nodes',
		description: "On a swarm manager: open the other nodes' engines in this picture, through the docker contexts that point at them",
		scopes: ['swarm'],
		footer: true,
	},
	{
		command: 'writeCommands',
		keys: [key('y')],
		label: 'write script',
		description: "Write this session's commands to a shell script (the path is shown); the journal keeps every session's",
		scopes: ['log'],
		footer: true,
	},
	{
		command: 'back',
		keys: [special('escape', 'Esc')],
		label: 'back',
		description: "Close the details, help or topology screen (in the topology, a kept search is cleared first)",
		scopes: ['overlay', 'topology'],
		footer: true,
	},
	{
		command: 'commandMode',
		keys: [key(':')],
		label: 'command',
		description: 'Command line: type a command (:connect, :create, :filter, :ctx, …), Tab completes, ↑ recalls; :help lists them',
		scopes: ['global'],
		footer: true,
	},
	{
		command: 'help',
		keys: [key('?')],
		label: 'help',
		description: 'Show or hide this help',
		scopes: ['global'],
		footer: true,
	},
	{
		command: 'quit',
		keys: [key('q'), ctrl('c', 'Ctrl-C')],
		label: 'quit',
		description: 'Quit docknet (the terminal is restored)',
		scopes: ['global'],
		footer: true,
	},
];

export function bindingFor(command: Command, bindings: readonly KeyBinding[] = keymap): KeyBinding {
	const binding = bindings.find(entry => entry.command === command);
	if (!binding) throw new Error(`No key binding for ${command}`);
	return binding;
}

/** Key names as the help screen writes them: "↑ k". */
export function keysDisplay(binding: KeyBinding): string {
	return binding.keys.map(chord => chord.display).join(' ');
}
