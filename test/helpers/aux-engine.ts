import {runProcess} from './run-process.js';

// Names for the extra private engines some tests start (a killed engine, the fuzz's
// disposable state): `<prefix>-<role>-<pid>`. DOCKNET_AUX_ENGINE_PREFIX lets runs that share a
// machine keep their engines apart; each test stops its own engine whatever happens.

export function auxEngineName(role: string): string {
	const prefix = process.env['DOCKNET_AUX_ENGINE_PREFIX'] ?? 'docknet-aux';
	return `${prefix}-${role}-${process.pid}`;
}

/** `docker -H <host> …` on a test's own engine; rejects with the CLI's words when it fails. */
export async function dockerOn(host: string, args: readonly string[]): Promise<string> {
	const result = await runProcess('docker', ['-H', host, ...args]);
	if (result.code !== 0) throw new Error(`docker -H ${host} ${args.join(' ')}: ${result.stderr.trim()}`);
	return result.stdout.trim();
}
