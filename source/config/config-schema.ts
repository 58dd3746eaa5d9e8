import {isMap, isScalar, isSeq, LineCounter, parseDocument} from 'yaml';
import type {Node} from 'yaml';
import {containerColumns, interfaceColumns, networkColumns} from '../view/pane-rows.js';
import type {PaneId} from '../ui/state/ui-state.js';
import {builtInPalettes, builtInThemeNames, colorNames, isColor} from '../ui/theme.js';
import type {Palette} from '../ui/theme.js';
import {emptyConfig} from './config-types.js';
import type {ConfigProblem, DocknetConfig} from './config-types.js';
import type {KeyOverride} from './key-bindings.js';

// config.yaml, read into settings. Every problem names its line; a setting with a problem
// keeps its default and the others still apply.

const settings = ['readOnly', 'theme', 'themes', 'keys', 'columns', 'engines', 'hideEvents'];

const paneTitles: Record<PaneId, readonly string[]> = {
	networks: networkColumns.map(column => column.title),
	containers: containerColumns.map(column => column.title),
	interfaces: interfaceColumns.map(column => column.title),
};

class Reader {
	readonly problems: ConfigProblem[] = [];
	constructor(private readonly lines: LineCounter) {}

	lineOf(node: Node | null | undefined): number {
		const start = node?.range?.[0];
		return start === undefined ? 1 : this.lines.linePos(start).line;
	}

	problem(node: Node | null | undefined, message: string): undefined {
		this.problems.push({line: this.lineOf(node), message});
		return undefined;
	}

	/** A string, or a list of strings (one string is a list of one). */
	strings(node: unknown, what: string): Array<{text: string; line: number}> | undefined {
		const items = isSeq(node) ? node.items : [node];
		const texts: Array<{text: string; line: number}> = [];
		for (const item of items) {
			if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number')) return this.problem(item as Node, `${what}: a name or a list of names`);
			texts.push({text: String(item.value), line: this.lineOf(item)});
		}

		return texts;
	}
}

function palettes(reader: Reader, node: unknown): Map<string, Palette> {
	const found = new Map<string, Palette>();
	if (!isMap(node)) {
		if (node !== null && node !== undefined) reader.problem(node as Node, 'themes: a map of theme names to colours');
		return found;
	}

	for (const pair of node.items) {
		const name = isScalar(pair.key) ? String(pair.key.value) : '';
		if (!isMap(pair.value)) {
			reader.problem(pair.key as Node, `themes.${name}: a map of tone: colour (good, warn, bad, muted, accent, new, danger; base: a built-in theme)`);
			continue;
		}

		let palette: Palette = builtInPalettes.dark;
		const colours: Partial<Palette> = {};
		let bad = false;
		for (const entry of pair.value.items) {
			const tone = isScalar(entry.key) ? String(entry.key.value) : '';
			const value = isScalar(entry.value) ? String(entry.value.value) : '';
			if (tone === 'base') {
				const base = builtInPalettes[value as keyof typeof builtInPalettes] as Palette | undefined;
				if (base) palette = base;
				else bad = reader.problem(entry.value as Node, `themes.${name}.base: "${value}" is not a built-in theme (${Object.keys(builtInPalettes).join(', ')})`) ?? true;
			} else if (!(tone in builtInPalettes.dark)) {
				bad = reader.problem(entry.key as Node, `themes.${name}: "${tone}" is not a tone (${Object.keys(builtInPalettes.dark).join(', ')}, base)`) ?? true;
			} else if (!isColor(value)) {
				bad = reader.problem(entry.value as Node, `themes.${name}.${tone}: "${value}" is not a colour (${[...colorNames].join(', ')})`) ?? true;
			} else {
				colours[tone as keyof Palette] = value;
			}
		}

		if (!bad) found.set(name, {...palette, ...colours});
	}

	return found;
}

function theme(reader: Reader, node: unknown, custom: Map<string, Palette>): DocknetConfig['theme'] {
	if (!isScalar(node) || typeof node.value !== 'string') return reader.problem(node as Node, 'theme: a theme name');
	const name = node.value;
	if (name === 'no-color') return {name, palette: undefined};
	const palette = custom.get(name) ?? (builtInPalettes[name as keyof typeof builtInPalettes] as Palette | undefined);
	if (palette) return {name, palette};
	return reader.problem(node, `theme: "${name}" is neither built in (${builtInThemeNames.join(', ')}) nor under themes:`);
}

function keys(reader: Reader, node: unknown): KeyOverride[] {
	if (!isMap(node)) return reader.problem(node as Node, 'keys: a map of command: key or [keys]') ?? [];
	return node.items.flatMap(pair => {
		const command = isScalar(pair.key) ? String(pair.key.value) : '';
		const given = pair.value === null || (isSeq(pair.value) && pair.value.items.length === 0) ? [] : reader.strings(pair.value, `keys.${command}`);
		return given ? [{command, keys: given, line: reader.lineOf(pair.key as Node)}] : [];
	});
}

function columns(reader: Reader, node: unknown): DocknetConfig['columns'] {
	const chosen: DocknetConfig['columns'] = {};
	if (!isMap(node)) return reader.problem(node as Node, 'columns: a map of pane (networks, containers, interfaces): [column titles]') ?? chosen;
	for (const pair of node.items) {
		const pane = isScalar(pair.key) ? String(pair.key.value) : '';
		const titles = paneTitles[pane as PaneId] as readonly string[] | undefined;
		if (!titles) {
			reader.problem(pair.key as Node, `columns: "${pane}" is not a pane (networks, containers, interfaces)`);
			continue;
		}

		const given = reader.strings(pair.value, `columns.${pane}`);
		const unknown = given?.find(item => !titles.includes(item.text.toUpperCase()));
		if (unknown) reader.problems.push({line: unknown.line, message: `columns.${pane}: "${unknown.text}" is not one of ${titles.join(', ')}`});
		else if (given) chosen[pane as PaneId] = given.map(item => item.text.toUpperCase());
	}

	return chosen;
}

/** Reads the file's text: what it sets, and each problem with its line. */
export function parseConfig(text: string): {config: DocknetConfig; problems: ConfigProblem[]} {
	const lines = new LineCounter();
	const document = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true});
	const reader = new Reader(lines);
	if (document.errors.length > 0) {
		// An error found at the end of the file (an unclosed bracket) belongs to its last line.
		const lastLine = text.trimEnd().split('\n').length;
		return {config: emptyConfig, problems: document.errors.map(error => ({line: Math.min(lastLine, lines.linePos(error.pos[0]).line), message: `not YAML: ${error.message.split('\n')[0] ?? ''}`}))};
	}

	const root = document.contents;
	if (root === null) return {config: emptyConfig, problems: []};
	if (!isMap(root)) return {config: emptyConfig, problems: [{line: reader.lineOf(root), message: `a map of settings (${settings.join(', ')})`}]};
	const value = (name: string): unknown => root.items.find(pair => isScalar(pair.key) && pair.key.value === name)?.value;
	for (const pair of root.items) {
		const name = isScalar(pair.key) ? String(pair.key.value) : '';
		if (!settings.includes(name)) reader.problem(pair.key as Node, `"${name}" is not a setting (${settings.join(', ')})`);
	}

	const config: DocknetConfig = {...emptyConfig};
	const readOnly = value('readOnly');
	if (readOnly !== undefined) {
		if (isScalar(readOnly) && typeof readOnly.value === 'boolean') config.readOnly = readOnly.value;
		else reader.problem(readOnly as Node, 'readOnly: true or false');
	}

	const custom = palettes(reader, value('themes'));
	if (value('theme') !== undefined) config.theme = theme(reader, value('theme'), custom);
	if (value('keys') !== undefined) config.keys = keys(reader, value('keys'));
	if (value('columns') !== undefined) config.columns = columns(reader, value('columns'));
	if (value('engines') !== undefined) config.engines = reader.strings(value('engines'), 'engines')?.map(item => item.text) ?? [];
	if (value('hideEvents') !== undefined) config.hideEvents = reader.strings(value('hideEvents'), 'hideEvents')?.map(item => item.text) ?? [];
	return {config, problems: reader.problems};
}
