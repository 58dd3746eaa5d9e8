import {commandCatalog, findCommand} from './command-catalog.js';
import type {ArgumentKind, CommandSpec} from './command-catalog.js';
import {tokenize} from './parse-command.js';

// What Tab offers at the end of a `:` line: command names first, then what the command's
// next argument or flag value names (containers, networks, docker contexts, drivers), or its
// flags after a dash. Pure: the names come in `sources`.

export type CompletionSources = Partial<Record<ArgumentKind, readonly string[]>>;

export interface Completion {
	/** The line up to the token being completed. */
	head: string;
	/** The token as typed so far. */
	typed: string;
	candidates: string[];
}

/** The argument kind at positional `index`; connect and disconnect take their two names in either order. */
function positionalKind(spec: CommandSpec, index: number, earlier: readonly string[], sources: CompletionSources): ArgumentKind | undefined {
	const last = spec.args.at(-1);
	const arg = spec.args[index] ?? (last?.kind === 'words' ? last : undefined);
	if (!arg) return undefined;
	if ((spec.name === 'connect' || spec.name === 'disconnect') && index === 1) {
		const first = earlier[0] ?? '';
		const firstIsNetwork = (sources.network ?? []).includes(first) && !(sources.container ?? []).includes(first);
		return firstIsNetwork ? 'container' : 'network';
	}

	if ((spec.name === 'connect' || spec.name === 'disconnect') && index === 0) return undefined;
	return arg.kind;
}

/** Names offered for the first argument of connect/disconnect: containers and networks both. */
const eitherName = (sources: CompletionSources): string[] => [...(sources.container ?? []), ...(sources.network ?? [])];

function offered(line: string, sources: CompletionSources): {typed: string; start: number; candidates: string[]} {
	const body = line.replace(/^:/, '');
	const offset = line.length - body.length;
	const tokens = tokenize(body);
	const endsInSpace = body === '' || /\s$/.test(body);
	const current = endsInSpace ? {text: '', start: body.length} : tokens.at(-1) ?? {text: '', start: 0};
	const before = endsInSpace ? tokens : tokens.slice(0, -1);
	const start = current.start + offset;
	if (before.length === 0) {
		const names = commandCatalog.map(spec => spec.name);
		const byName = names.filter(name => name.startsWith(current.text));
		const byAlias = commandCatalog.flatMap(spec => spec.aliases).filter(alias => alias.startsWith(current.text));
		return {typed: current.text, start, candidates: byName.length > 0 ? byName : byAlias};
	}

	const spec = findCommand(before[0]?.text ?? '');
	if (!spec) return {typed: current.text, start, candidates: []};
	const rest = before.slice(1).map(token => token.text);
	const previousFlag = spec.flags.find(flag => flag.value && (rest.at(-1) === `--${flag.name}` || (flag.short !== undefined && rest.at(-1) === `-${flag.short}`)));
	if (previousFlag?.value) return {typed: current.text, start, candidates: sources[previousFlag.value]?.slice() ?? []};
	if (current.text.startsWith('-')) {
		const given = new Set(rest.map(token => token.replace(/=.*$/, '')));
		const flags = spec.flags.filter(flag => flag.repeatable || !given.has(`--${flag.name}`)).map(flag => (flag.onByDefault ? `--${flag.name}=false` : `--${flag.name}`));
		return {typed: current.text, start, candidates: flags};
	}

	const positionals: string[] = [];
	for (let index = 0; index < rest.length; index++) {
		const token = rest[index] ?? '';
		if (token.startsWith('-')) {
			const flag = spec.flags.find(item => token === `--${item.name}` || (item.short !== undefined && token === `-${item.short}`));
			if (flag?.value && !token.includes('=')) index++;
			continue;
		}

		positionals.push(token);
	}

	if ((spec.name === 'connect' || spec.name === 'disconnect') && positionals.length === 0) return {typed: current.text, start, candidates: eitherName(sources)};
	const kind = positionalKind(spec, positionals.length, positionals, sources);
	return {typed: current.text, start, candidates: kind ? (sources[kind]?.slice() ?? []) : []};
}

/** Quotes a name that holds white space or quotes, so it stays one argument. */
export function quoteArgument(text: string): string {
	return /^[^\s'"\\]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

export function completionsAt(line: string, sources: CompletionSources): Completion {
	const {typed, start, candidates} = offered(line, sources);
	const matching = [...new Set(candidates.filter(candidate => candidate.startsWith(typed)))].sort((a, b) => a.localeCompare(b));
	return {head: line.slice(0, start), typed, candidates: matching};
}

/** The longest start every candidate shares. */
export function commonPrefix(candidates: readonly string[]): string {
	const [first = '', ...others] = candidates;
	let length = first.length;
	for (const other of others) {
		while (length > 0 && !other.startsWith(first.slice(0, length))) length--;
	}

	return first.slice(0, length);
}
