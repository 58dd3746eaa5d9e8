import {cliFlags, subcommands} from '../config/cli-args.js';
import type {CompletionShell} from '../config/cli-args.js';

// `docknet completion bash|zsh|fish`: scripts made from the same flag table parseArgs reads,
// so a new flag completes without anyone remembering to. Context names are asked of docknet
// itself (`docknet completion contexts`), which reads the docker context store as the app does.

type FlagName = keyof typeof cliFlags;

export const flagDescriptions: Record<FlagName, string> = {
	host: 'engine to use: unix:///path, tcp://host:2376, ssh://user@host',
	context: 'docker context to use',
	'read-only': 'disable every action that changes the engine',
	json: '(snapshot) machine-readable output',
	tree: '(snapshot) the host as a tree',
	dot: '(snapshot) a Graphviz graph',
	mermaid: '(snapshot) a Mermaid flowchart',
	playground: 'a private throwaway engine with sample containers',
	keep: '(playground) leave the private engine running',
	'no-color': 'no colours',
	debug: 'add the stack trace to error reports',
	help: 'usage',
	version: "docknet's version",
};

const flags = Object.entries(cliFlags).map(([name, spec]) => ({
	name,
	short: 'short' in spec ? spec.short : undefined,
	takesValue: spec.type === 'string',
	repeatable: 'multiple' in spec && spec.multiple,
	description: flagDescriptions[name as FlagName],
}));

const flagWords = flags.flatMap(flag => [`--${flag.name}`, ...(flag.short ? [`-${flag.short}`] : [])]).join(' ');
const commandWords = Object.keys(subcommands).join(' ');
const schemes = 'unix:// tcp:// ssh://';
/** Single quotes for a shell word; descriptions never hold one, but a new one might. */
const quoted = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

function bashScript(): string {
	const nested = Object.entries(subcommands)
		.filter(([, words]) => words.length > 0)
		.map(([command, words]) => `\t\t${command}) [[ $COMP_CWORD -eq $((sub_index + 1)) ]] && COMPREPLY=($(compgen -W ${quoted(words.join(' '))} -- "$cur")); return ;;`)
		.join('\n');
	return `# docknet completion for bash. Load it with:  source <(docknet completion bash)
_docknet() {
	local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
	case "$prev" in
		-c|--context) COMPREPLY=($(compgen -W "$(command "\${COMP_WORDS[0]}" completion contexts 2>/dev/null)" -- "$cur")); return ;;
		-H|--host) COMPREPLY=($(compgen -W ${quoted(schemes)} -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
	esac
	local i sub="" sub_index=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		case "\${COMP_WORDS[i]}" in
			-H|--host|-c|--context) ((i++)) ;;
			-*) ;;
			*) sub="\${COMP_WORDS[i]}"; sub_index=$i; break ;;
		esac
	done
	case "$sub" in
${nested}
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W ${quoted(flagWords)} -- "$cur"))
	elif [[ -z "$sub" ]]; then
		COMPREPLY=($(compgen -W ${quoted(commandWords)} -- "$cur"))
	fi
}
complete -F _docknet docknet
`;
}

function zshScript(): string {
	const specs = flags.map(flag => {
		const names = flag.short ? `{-${flag.short},--${flag.name}}` : `--${flag.name}`;
		const repeat = flag.repeatable ? "'*'" : '';
		const value = flag.name === 'context' ? ':context:_docknet_contexts' : flag.takesValue ? `:url:(${schemes})` : '';
		return `\t\t${repeat}${names}${quoted(`[${flag.description.replaceAll(/[[\]]/g, '')}]${value}`)} \\`;
	});
	const nested = Object.entries(subcommands)
		.filter(([, words]) => words.length > 0)
		.map(([command, words]) => `\t\t\t\t${command}) _values ${quoted(command)} ${words.join(' ')} ;;`)
		.join('\n');
	return `#compdef docknet
# docknet completion for zsh. Load it with:  source <(docknet completion zsh)
# (or save it as _docknet in a directory of your $fpath)
_docknet_contexts() {
	local -a contexts
	contexts=(\${(f)"$(docknet completion contexts 2>/dev/null)"})
	_describe 'docker context' contexts
}
_docknet() {
	local state line
	_arguments -C \\
${specs.join('\n')}
		'1:command:(${commandWords})' \\
		'2:argument:->argument'
	case $state in
		argument)
			case $line[1] in
${nested}
			esac
			;;
	esac
}
if (( $+functions[compdef] )); then compdef _docknet docknet; fi
`;
}

function fishScript(): string {
	const lines = flags.map(flag => {
		const short = flag.short ? ` -s ${flag.short}` : '';
		const value = flag.name === 'context' ? " -x -a '(docknet completion contexts 2>/dev/null)'" : flag.takesValue ? ` -x -a ${quoted(schemes)}` : '';
		return `complete -c docknet${short} -l ${flag.name}${value} -d ${quoted(flag.description)}`;
	});
	const nested = Object.entries(subcommands)
		.filter(([, words]) => words.length > 0)
		.map(([command, words]) => `complete -c docknet -n '__fish_seen_subcommand_from ${command}' -a ${quoted(words.join(' '))}`);
	return `# docknet completion for fish. Load it with:  docknet completion fish | source
complete -c docknet -f
${lines.join('\n')}
complete -c docknet -n '__fish_use_subcommand' -a ${quoted(commandWords)}
${nested.join('\n')}
`;
}

export function completionScript(shell: CompletionShell): string {
	switch (shell) {
		case 'bash':
			return bashScript();
		case 'zsh':
			return zshScript();
		case 'fish':
			return fishScript();
	}
}
