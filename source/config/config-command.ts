import {loadConfig} from './load-config.js';

// `docknet config path` and `docknet config check`: where the file is, and every problem in it
// with its line (the app itself shows only the first, in one line).

export async function configCommand(action: 'path' | 'check', env: Record<string, string | undefined>, homeDir: string): Promise<{output: string; exitCode: number}> {
	const loaded = await loadConfig(env, homeDir);
	if (action === 'path') return {output: `${loaded.path}\n`, exitCode: 0};
	if (loaded.problems.length > 0) return {output: `${loaded.problems.join('\n')}\n`, exitCode: 1};
	if (!loaded.found) return {output: `${loaded.path}: no file; docknet uses its defaults\n`, exitCode: 0};
	const {config} = loaded;
	const set = [
		config.readOnly === undefined ? undefined : `readOnly ${String(config.readOnly)}`,
		config.theme ? `theme ${config.theme.name}` : undefined,
		loaded.rebound.length > 0 ? `keys for ${loaded.rebound.join(', ')}` : undefined,
		Object.keys(config.columns).length > 0 ? `columns of ${Object.keys(config.columns).join(', ')}` : undefined,
		config.engines.length > 0 ? `engines ${config.engines.join(', ')}` : undefined,
		config.hideEvents.length > 0 ? `hidden events ${config.hideEvents.join(', ')}` : undefined,
	].filter(item => item !== undefined);
	return {output: `${loaded.path}: fine${set.length > 0 ? ` — ${set.join('; ')}` : ' (sets nothing)'}\n`, exitCode: 0};
}
