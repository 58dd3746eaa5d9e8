import {describeUnreachable, toEngineError} from '../engine/errors.js';
import type {ResolvedEndpoint} from '../engine/endpoint.js';
import type {SshTransport} from '../engine/ssh-transport.js';
import {connectTo, hostSourceFor, plumbingFor} from '../engine-connections.js';
import {debugWanted, exitCodes, formatFailure, reportFailure} from '../failure-report.js';
import type {EngineGateway} from '../model/gateway.js';
import {maxOf} from '../model/large-arrays.js';
import {engineAddressLabel} from '../model/picture.js';
import type {EngineInfo} from '../model/types.js';
import {collectSnapshot} from '../snapshot/collect-snapshot.js';
import type {CollectedSnapshot} from '../snapshot/collect-snapshot.js';
import {graphToDot, graphToMermaid, snapshotGraph} from '../snapshot/snapshot-graph.js';
import {snapshotSchema, snapshotToJson} from '../snapshot/snapshot-json.js';
import {snapshotToText} from '../snapshot/snapshot-text.js';
import type {CliOptions} from '../config/cli-args.js';
import {safeDeep, safeText} from '../text/safe-text.js';
import {buildTopology, flattenTopology, topologyText} from '../ui/presentation/topology.js';

// `docknet snapshot`: every engine asked once, printed as text, a tree, JSON or a graph.

async function connectOrExplain(endpoint: ResolvedEndpoint, info: Promise<EngineInfo>): Promise<EngineInfo> {
	try {
		return await info;
	} catch (error) {
		process.stderr.write(`${describeUnreachable(endpoint, toEngineError(error))}\n`);
		process.exit(1);
	}
}

async function runSnapshot(endpoint: ResolvedEndpoint, options: CliOptions): Promise<void> {
	const {gateway, sshTransport} = connectTo(endpoint);
	try {
		const collected = await collectOrExit(endpoint, gateway, sshTransport);
		process.stdout.write(renderSnapshot(collected, options));
	} finally {
		sshTransport?.close();
	}
}

async function collectOrExit(endpoint: ResolvedEndpoint, gateway: EngineGateway, sshTransport: SshTransport | undefined): Promise<CollectedSnapshot> {
	const info = await connectOrExplain(endpoint, gateway.info());
	try {
		return await collectSnapshot(gateway, hostSourceFor(endpoint, sshTransport, info), plumbingFor(endpoint));
	} catch (error) {
		const report = reportFailure(error, 'taking the snapshot', endpoint.url);
		process.stderr.write(formatFailure(report, debugWanted(process.argv, process.env)));
		process.exit(report.exitCode);
	}
}

function renderSnapshot(collected: CollectedSnapshot, options: CliOptions): string {
	// JSON keeps the exact values; JSON.stringify escapes every control character.
	if (options.json) return `${JSON.stringify(snapshotToJson(collected), null, 2)}\n`;
	// Text, tree and graphs go to a terminal as often as to a file: every value is shown safely.
	const shown = safeDeep(collected);
	if (options.dot) return graphToDot(snapshotGraph(shown));
	if (options.mermaid) return graphToMermaid(snapshotGraph(shown));
	if (options.tree) return `${topologyText(flattenTopology(buildTopology(shown.snapshot, shown.hostView)))}\n`;
	return snapshotToText(shown);
}

/**
 * Several engines: each is asked at once and printed in the order given, text under a line
 * naming it, JSON as `{schema, engines: [...]}` with each engine's snapshot or its error. An
 * engine that fails is reported and the others still print; the exit status then says so.
 */
export async function runSnapshots(endpoints: readonly ResolvedEndpoint[], options: CliOptions): Promise<void> {
	// `docknet snapshot --json | head`: the reader has what it wanted; end quietly, like any
	// filter whose output was cut short.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(exitCodes.ok);
		process.stderr.write(`docknet: could not write the snapshot: ${safeText(error.message)}\n`);
		process.exit(exitCodes.engine);
	});
	if (endpoints.length === 1 && endpoints[0]) {
		await runSnapshot(endpoints[0], options);
		return;
	}

	if (options.dot || options.mermaid) {
		process.stderr.write('docknet: --dot and --mermaid draw one engine; give one -H or --context.\n');
		process.exit(exitCodes.usage);
	}

	const results = await Promise.all(endpoints.map(async endpoint => {
		const {gateway, sshTransport} = connectTo(endpoint);
		try {
			const info = await gateway.info();
			return {endpoint, collected: await collectSnapshot(gateway, hostSourceFor(endpoint, sshTransport, info), plumbingFor(endpoint))};
		} catch (error) {
			return {endpoint, failure: reportFailure(error, 'taking the snapshot', endpoint.url)};
		} finally {
			sshTransport?.close();
		}
	}));
	const debug = debugWanted(process.argv, process.env);
	if (options.json) {
		const engines = results.map(result => result.collected
			? {endpoint: result.endpoint.url, source: result.endpoint.source, snapshot: snapshotToJson(result.collected)}
			: {endpoint: result.endpoint.url, source: result.endpoint.source, error: result.failure?.paragraph ?? 'unknown failure'});
		process.stdout.write(`${JSON.stringify({schema: snapshotSchema, engines}, null, 2)}\n`);
	} else {
		for (const result of results) {
			const name = safeText(result.collected?.snapshot.engine?.hostname || engineAddressLabel(result.endpoint.url));
			process.stdout.write(`== ${name} · ${safeText(result.endpoint.url)} ==\n`);
			process.stdout.write(result.collected ? renderSnapshot(result.collected, options) : 'not taken: the engine failed (see stderr)\n');
			process.stdout.write('\n');
		}
	}

	const failed = results.flatMap(result => (result.failure ? [result.failure] : []));
	for (const failure of failed) process.stderr.write(formatFailure(failure, debug));
	if (failed.length > 0) process.exit(maxOf(failed.map(failure => failure.exitCode)));
}

