import type {EngineChoice} from '../engine/endpoint.js';
import type {CliOptions} from './cli-args.js';
import type {KeyBinding} from '../ui/keys/keymap.js';
import type {PaneId} from '../ui/state/ui-state.js';
import {colorWanted, createTheme} from '../ui/theme.js';
import type {Theme} from '../ui/theme.js';
import type {LoadedConfig} from './load-config.js';

// The flags, the environment and the config file, merged the docker CLI's way: a flag wins
// over the environment, which wins over the file.

export interface StartSettings {
	readOnly: boolean;
	engines: EngineChoice[];
	theme: Theme;
	keymap: readonly KeyBinding[];
	hiddenEvents: readonly string[];
	columns: Partial<Record<PaneId, readonly string[]>>;
	/** The config file's one line, when it had problems. */
	notice?: string;
}

const nonEmpty = (value: string | undefined): boolean => value !== undefined && value !== '';

export function startSettings(options: CliOptions, loaded: LoadedConfig, env: Record<string, string | undefined>): StartSettings {
	const {config} = loaded;
	// The file's engines only when nothing else chose one: no -H/--context, no DOCKER_HOST, no DOCKER_CONTEXT.
	const chosenElsewhere = options.engines.length > 0 || nonEmpty(env['DOCKER_HOST']) || nonEmpty(env['DOCKER_CONTEXT']);
	const engines = chosenElsewhere || config.engines.length === 0
		? options.engines
		: config.engines.map((name): EngineChoice => (name.includes('://') ? {kind: 'host', value: name} : {kind: 'context', value: name}));
	// NO_COLOR and --no-color win over any theme.
	const colour = colorWanted(env) && !options.noColor && (config.theme === undefined || config.theme.palette !== undefined);
	return {
		readOnly: options.readOnly || config.readOnly === true,
		engines,
		theme: createTheme(colour, config.theme?.palette),
		keymap: loaded.keymap,
		hiddenEvents: config.hideEvents,
		columns: config.columns,
		...(loaded.notice === undefined ? {} : {notice: loaded.notice}),
	};
}
