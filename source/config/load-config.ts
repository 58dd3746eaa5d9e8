import {keymap as builtInKeymap} from '../ui/keys/keymap.js';
import type {Command, KeyBinding} from '../ui/keys/keymap.js';
import {configFilePath, readConfigText} from './config-file.js';
import {emptyConfig} from './config-types.js';
import type {ConfigProblem, DocknetConfig} from './config-types.js';
import {applyKeyOverrides} from './key-bindings.js';

// The config file, read once at start: its settings with the keymap they make, and every
// problem as `file:line: what`. A bad file never stops docknet: what is wrong keeps its
// default, and the start-up says so in one line.

export interface LoadedConfig {
	path: string;
	/** Whether a file was there and read (it may still have had problems). */
	found: boolean;
	config: DocknetConfig;
	keymap: readonly KeyBinding[];
	rebound: readonly Command[];
	/** Every problem, `file:line: what`; a refused file is one problem without a line. */
	problems: string[];
	/** The one line docknet shows at start when there were problems. */
	notice?: string;
}

export function noticeOf(problems: readonly string[]): string | undefined {
	const [first] = problems;
	if (first === undefined) return undefined;
	const more = problems.length > 1 ? ` (and ${problems.length - 1} more: docknet config check lists them)` : '';
	return `Config: ${first}${more}; defaults apply there.`;
}

export async function loadConfig(env: Record<string, string | undefined>, homeDir: string, uid?: number): Promise<LoadedConfig> {
	const file = configFilePath(env, homeDir);
	const read = readConfigText(file, uid);
	const defaults = {path: file, config: emptyConfig, keymap: builtInKeymap, rebound: []};
	if (read.kind === 'absent') return {...defaults, found: false, problems: []};
	if (read.kind === 'refused') {
		const problems = [`${read.reason} — not read`];
		return {...defaults, found: false, problems, notice: noticeOf(problems)};
	}

	// The YAML parser is loaded only when there is a file to parse.
	const {parseConfig} = await import('./config-schema.js');
	const parsed = parseConfig(read.text);
	const keys = applyKeyOverrides(parsed.config.keys);
	const located = (problem: ConfigProblem): string => `${file}:${problem.line}: ${problem.message}`;
	const problems = [...parsed.problems, ...keys.problems].sort((a, b) => a.line - b.line).map(located);
	return {path: file, found: true, config: parsed.config, keymap: keys.keymap, rebound: keys.rebound, problems, notice: noticeOf(problems)};
}
