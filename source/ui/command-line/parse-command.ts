import {commandCatalog, findCommand} from './command-catalog.js';
import type {CommandSpec, FlagSpec} from './command-catalog.js';

// A typed `:` line → the command it names, its arguments and flags, read the way the docker
// CLI reads its own: `--ip 10.0.0.5` or `--ip=10.0.0.5`, `-f`, repeated flags, `--` ends the
// flags, quotes keep spaces. Pure; what the command does is decided elsewhere.

export interface Token {
	text: string;
	/** Where the token starts in the line, so Tab can replace it. */
	start: number;
	/** The token's quote is still open. */
	open: boolean;
}

/** Splits like a POSIX shell does, without expansions: quotes and backslashes only. */
export function tokenize(line: string): Token[] {
	const tokens: Token[] = [];
	let current: Token | undefined;
	let quote: '"' | "'" | undefined;
	for (let index = 0; index < line.length; index++) {
		const character = line.charAt(index);
		if (quote === undefined && /\s/.test(character)) {
			if (current) tokens.push(current);
			current = undefined;
			continue;
		}

		current ??= {text: '', start: index, open: false};
		if (quote !== undefined) {
			if (character === quote) quote = undefined;
			else if (character === '\\' && quote === '"' && index + 1 < line.length) current.text += line.charAt(++index);
			else current.text += character;
		} else if (character === '"' || character === "'") {
			quote = character;
		} else if (character === '\\' && index + 1 < line.length) {
			current.text += line.charAt(++index);
		} else {
			current.text += character;
		}
	}

	if (current) tokens.push({...current, open: quote !== undefined});
	return tokens;
}

export interface ParsedCommand {
	spec: CommandSpec;
	positionals: string[];
	/** Values by long flag name; a switch holds `['true']`. */
	flags: Record<string, string[]>;
}

export type ParseResult = {ok: true; command: ParsedCommand} | {ok: false; error: string};

const fail = (error: string): ParseResult => ({ok: false, error});

function flagNamed(spec: CommandSpec, token: string): FlagSpec | undefined {
	if (token.startsWith('--')) return spec.flags.find(flag => flag.name === token.slice(2));
	return spec.flags.find(flag => flag.short !== undefined && flag.short === token.slice(1));
}

export function parseCommand(line: string): ParseResult {
	const tokens = tokenize(line.replace(/^:/, ''));
	if (tokens.some(token => token.open)) return fail('a quote is not closed');
	const [first, ...rest] = tokens.map(token => token.text);
	if (first === undefined) return fail('no command: type one, Tab lists them');
	const spec = findCommand(first);
	if (!spec) {
		const near = commandCatalog.filter(candidate => candidate.name.startsWith(first)).map(candidate => `:${candidate.name}`);
		return fail(`unknown command ":${first}"${near.length > 0 ? ` — did you mean ${near.join(', ')}?` : ' (:help lists them)'}`);
	}

	const positionals: string[] = [];
	const flags: Record<string, string[]> = {};
	let flagsEnded = false;
	for (let index = 0; index < rest.length; index++) {
		const token = rest[index] ?? '';
		const isFlag = !flagsEnded && token.startsWith('-') && token.length > 1;
		if (!isFlag) {
			positionals.push(token);
			continue;
		}

		if (token === '--') {
			flagsEnded = true;
			continue;
		}

		const equals = token.indexOf('=');
		const written = equals > 0 ? token.slice(0, equals) : token;
		const flag = flagNamed(spec, written);
		if (!flag) return fail(`unknown flag: ${written} (for :${spec.name}: ${spec.flags.map(item => `--${item.name}`).join(' ') || 'none'})`);
		let value: string;
		if (flag.value) {
			if (equals > 0) value = token.slice(equals + 1);
			else if (index + 1 < rest.length) value = rest[++index] ?? '';
			else return fail(`flag needs an argument: ${written}`);
		} else {
			const given = equals > 0 ? token.slice(equals + 1) : 'true';
			if (given !== 'true' && given !== 'false') return fail(`${written} is a switch: true or false, not "${given}"`);
			value = given;
		}

		const previous = flags[flag.name];
		if (previous && !flag.repeatable) return fail(`--${flag.name} is given twice`);
		flags[flag.name] = [...(previous ?? []), value];
	}

	const takesRest = spec.args.some(arg => arg.kind === 'words');
	const required = spec.args.filter(arg => !arg.optional).length;
	const usage = spec.args.map(arg => (arg.optional ? `[${arg.name}]` : `<${arg.name}>`)).join(' ');
	if (positionals.length < required || (!takesRest && positionals.length > spec.args.length)) {
		const count = required === spec.args.length ? `exactly ${required}` : `at most ${spec.args.length}`;
		return fail(`:${spec.name} takes ${spec.args.length === 0 ? 'no' : count} argument${spec.args.length === 1 ? '' : 's'}${usage ? `: ${usage}` : ''}`);
	}

	return {ok: true, command: {spec, positionals, flags}};
}

/** A switch's value: given and not `=false`. */
export const switchOn = (command: ParsedCommand, name: string): boolean => (command.flags[name] ?? []).at(-1) === 'true';
