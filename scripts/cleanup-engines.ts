import {cleanupStaleEngines} from '../source/playground/private-engine.js';

// Removes private engines left behind by killed runs (namespace, dockerd, containers, mounts,
// directory). Engines whose owner process is still alive are left alone.
// Usage: tsx scripts/cleanup-engines.ts [prefix …]   (default prefix: docknet-)

const prefixes = process.argv.slice(2);
for (const prefix of prefixes.length === 0 ? ['docknet-'] : prefixes) {
	const removed = await cleanupStaleEngines(prefix);
	for (const item of removed) {
		process.stderr.write(`[cleanup-engines] removed ${item}\n`);
	}
}
