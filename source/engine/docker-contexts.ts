import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {isRecord} from '../text/json-read.js';

// The user's docker contexts as `docker context ls` lists them: the picker and :ctx offer them.

export interface KnownContext {
	name: string;
	/** The context's Docker endpoint, e.g. "ssh://me@node-b" or "tcp://10.0.0.2:2376". */
	host: string;
}

/** The user's docker contexts (`docker context ls`), read from their metadata; unreadable ones are left out. */
export function listDockerContexts(env: Record<string, string | undefined>, homeDir: string): KnownContext[] {
	const configDir = nonEmpty(env['DOCKER_CONFIG']) ?? join(homeDir, '.docker');
	const metaDir = join(configDir, 'contexts', 'meta');
	let entries: string[];
	try {
		entries = readdirSync(metaDir);
	} catch {
		return [];
	}

	const contexts: KnownContext[] = [];
	for (const entry of entries) {
		try {
			const meta = JSON.parse(readFileSync(join(metaDir, entry, 'meta.json'), 'utf8')) as unknown;
			if (!isRecord(meta) || typeof meta['Name'] !== 'string') continue;
			const endpoints = meta['Endpoints'];
			const docker = isRecord(endpoints) ? endpoints['docker'] : undefined;
			const host = isRecord(docker) && typeof docker['Host'] === 'string' ? nonEmpty(docker['Host']) : undefined;
			if (host !== undefined) contexts.push({name: meta['Name'], host});
		} catch {
			// Not a context docker could read either.
		}
	}

	return contexts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function nonEmpty(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
