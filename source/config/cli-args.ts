import {parseArgs} from 'node:util';
import type {EngineChoice} from '../engine/endpoint.js';

// Argument parsing and usage, kept apart from the UI so `--version`, `--help` and a bad flag
// are answered before Ink, React or dockerode are even compiled.

export const usageText = (version: string): string => `docknet ${version} — Docker networking in your terminal

Usage
  docknet [options]              full-screen view: networks, containers, host interfaces
  docknet snapshot [options]     print the same picture once and exit
  docknet --playground           a private throwaway engine with sample containers (root)
  docknet config path|check      where the config file is; check it (every problem, with its line)
  docknet completion bash|zsh|fish   a shell completion script (flags, commands, context names)

Options
  -H, --host <url>       engine to use: unix:///path, tcp://host:2376, ssh://user@host
  -c, --context <name>   docker context to use (as in \`docker context ls\`)
                         Repeat -H and --context to open several engines in one picture
                         (the nodes of a swarm): rows say whose they are, each engine
                         has its own connection state, one that fails never holds up
                         the others.
      --read-only        disable every action that changes the engine
      --json             (snapshot) machine-readable output, schema docknet.snapshot/1
      --tree             (snapshot) the host as a tree: network → bridge → veth → container
      --dot              (snapshot) the same picture as a Graphviz graph (dot -Tsvg)
      --mermaid          (snapshot) the same picture as a Mermaid flowchart (GitHub markdown)
      --keep             (playground) leave the private engine running on exit
      --no-color         no colours (NO_COLOR is honoured too)
      --debug            add the stack trace to error reports (or DOCKNET_DEBUG=1)
  -h, --help             this help
  -v, --version          docknet's version

Engine selection follows the docker CLI: --host or --context, then DOCKER_HOST, then
DOCKER_CONTEXT, the current context in ~/.docker/config.json, then
unix:///var/run/docker.sock. Keys: press ? inside docknet.

Exit codes: 0 done; 1 the engine could not be reached or answered with an error;
2 bad usage, or no terminal for the full-screen view; 3 the engine's answer could not be
read; 70 a bug in docknet; 128+N ended by signal N.`;

/** The flags, for parseArgs and for the shell completion scripts alike. */
export const cliFlags = {
	host: {type: 'string', short: 'H', multiple: true},
	context: {type: 'string', short: 'c', multiple: true},
	'read-only': {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	tree: {type: 'boolean', default: false},
	dot: {type: 'boolean', default: false},
	mermaid: {type: 'boolean', default: false},
	playground: {type: 'boolean', default: false},
	keep: {type: 'boolean', default: false},
	'no-color': {type: 'boolean', default: false},
	debug: {type: 'boolean', default: false},
	help: {type: 'boolean', short: 'h', default: false},
	version: {type: 'boolean', short: 'v', default: false},
} as const;

/** Subcommands and what each takes next, for the completion scripts. */
export const subcommands: Readonly<Record<string, readonly string[]>> = {
	snapshot: [],
	config: ['path', 'check'],
	completion: ['bash', 'zsh', 'fish'],
};

export type CompletionShell = 'bash' | 'zsh' | 'fish';

export interface CliOptions {
	/** The engines named with -H and --context, in the order given. */
	engines: EngineChoice[];
	readOnly: boolean;
	json: boolean;
	tree: boolean;
	dot: boolean;
	mermaid: boolean;
	playground: boolean;
	keep: boolean;
	noColor: boolean;
	command: 'app' | 'snapshot' | 'config' | 'completion';
	/** `docknet config path|check`. */
	configAction?: 'path' | 'check';
	/** `docknet completion <shell>`; `contexts` is what the scripts call for context names. */
	completion?: CompletionShell | 'contexts';
}

export class UsageError extends Error {}

/** Throws UsageError (or parseArgs' own TypeError) on arguments docknet does not take. */
export function parseCli(argv: string[]): CliOptions | 'help' | 'version' {
	const {values, positionals, tokens} = parseArgs({
		args: argv,
		allowPositionals: true,
		tokens: true,
		options: cliFlags,
	});
	if (values.help) return 'help';
	if (values.version) return 'version';
	const [command, ...rest] = positionals;
	const action = subcommandAction(command, rest);

	const engines: EngineChoice[] = [];
	for (const token of tokens) {
		if (token.kind !== 'option' || token.value === undefined) continue;
		if (token.name === 'host') engines.push({kind: 'host', value: token.value});
		else if (token.name === 'context') engines.push({kind: 'context', value: token.value});
	}

	return {
		engines,
		readOnly: values['read-only'] ?? false,
		json: values.json ?? false,
		tree: values.tree ?? false,
		dot: values.dot ?? false,
		mermaid: values.mermaid ?? false,
		playground: values.playground ?? false,
		keep: values.keep ?? false,
		noColor: values['no-color'] ?? false,
		command: command === 'snapshot' || command === 'config' || command === 'completion' ? command : 'app',
		...action,
	};
}

function subcommandAction(command: string | undefined, rest: readonly string[]): Pick<CliOptions, 'configAction' | 'completion'> {
	const [what, ...extra] = rest;
	const unknown = (): UsageError => new UsageError(`unknown command "${[command, ...rest].join(' ')}"`);
	if (command === undefined || command === 'snapshot') {
		if (rest.length > 0) throw unknown();
		return {};
	}

	if (extra.length > 0) throw unknown();
	if (command === 'config') {
		if (what === 'path' || what === 'check') return {configAction: what};
		throw new UsageError('docknet config takes path or check');
	}

	if (command === 'completion') {
		if (what === 'bash' || what === 'zsh' || what === 'fish' || what === 'contexts') return {completion: what};
		throw new UsageError('docknet completion takes bash, zsh or fish');
	}

	throw unknown();
}

/**
 * The ssh:// engine this start will most likely use, known from the arguments and the
 * environment alone (one -H, or DOCKER_HOST with no context named): its login can start while
 * the rest of docknet loads. Undefined when it takes more to know (contexts, a config file).
 */
export function likelySshEngine(options: CliOptions, env: Record<string, string | undefined>): string | undefined {
	if (options.command !== 'app' && options.command !== 'snapshot') return undefined;
	if (options.playground) return undefined;
	const [only, ...others] = options.engines;
	if (others.length > 0) return undefined;
	const address = only === undefined ? (env['DOCKER_CONTEXT'] ? undefined : env['DOCKER_HOST']) : only.kind === 'host' ? only.value : undefined;
	return address?.startsWith('ssh://') ? address : undefined;
}
