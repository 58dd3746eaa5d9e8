import {execFile} from 'node:child_process';
import path from 'node:path';
import type {DockerContainer, HostInterface, InterfaceStats} from '../model/types.js';
import {exitMasterArguments, sshArguments} from '../ssh/arguments.js';
import type {SshConnection} from '../ssh/arguments.js';
import {defaultControlDirectory, prepareControlDirectory} from '../ssh/control-directory.js';
import {describeSshFailure} from '../ssh/failure.js';
import {remoteShCommand} from '../ssh/shell-quote.js';
import {sshOrigin} from '../ssh/target.js';
import type {SshTarget} from '../ssh/target.js';
import {type HostInterfaceSource, HostSourceError, type VethPeerScan, sharesForeignNetworkNamespace} from '../model/host-source.js';
import {IpJsonError, hostInterfaceFromIpLink, parseIpLinkJson, parseProcNetDev} from './ip-json.js';
import {COUNTER_STREAM_SCRIPT, openCounterStream} from './ssh-counter-stream.js';
import {parsePeerReport, peerScript} from './ssh-peer-script.js';
import type {CounterStream, CounterStreamFailure} from './ssh-counter-stream.js';

// Host interfaces of an engine reached as ssh://user@host: every read is one run of the
// local ssh binary (so the user's keys, agent, config and known_hosts apply), never
// prompting. The connection is multiplexed (ControlMaster) so the once-a-second counter
// read costs a round trip, not a handshake.

export interface SshSourceOptions {
	/** Default "ssh". */
	sshBinary?: string;
	/** Whole-command timeout; ssh's ConnectTimeout is derived from it. Default 10 000 ms. */
	timeoutMs?: number;
	/** Keep one master connection open for 60 s between reads. Default true. */
	multiplex?: boolean;
	/**
	 * Where the master connection's socket lives. Default <tmpdir>/docknet-ssh-<uid>, one
	 * per user and reused, so runs that never call close() leave nothing behind but it.
	 */
	controlDirectory?: string;
	/**
	 * The control socket of a master connection someone else owns (the engine's ssh
	 * transport): every read rides on it and none opens a connection of its own. Undefined
	 * while that connection is down.
	 */
	sharedControlPath?: () => Promise<string | undefined>;
}

export const SCAN_SCRIPT =
	"ip -j -d -s addr show && echo @@wlan && { grep -l '^DEVTYPE=wlan' /sys/class/net/*/uevent 2>/dev/null; true; }";
export const LIST_SCRIPT = 'cd /sys/class/net && for n in *; do echo "$n"; done';

/** Parses SCAN_SCRIPT output. Pure, for tests. */
export function parseRemoteScan(stdout: string): HostInterface[] {
	const marker = stdout.indexOf('\n@@wlan\n');
	const json = marker < 0 ? stdout : stdout.slice(0, marker);
	const wlanNames = new Set(
		(marker < 0 ? '' : stdout.slice(marker + '\n@@wlan\n'.length))
			.split('\n')
			.map((line) => /\/sys\/class\/net\/([^/]+)\/uevent/.exec(line)?.[1])
			.filter((name): name is string => name !== undefined),
	);
	return parseIpLinkJson(json)
		.map((link) => hostInterfaceFromIpLink(link, !link.kind && wlanNames.has(link.name) ? {kind: 'wifi'} : undefined))
		.sort((a, b) => a.ifindex - b.ifindex);
}

interface RunResult {
	stdout: string;
	stderr: string;
	exitCode: number | null;
	spawnError?: string;
	timedOut: boolean;
}

export function createSshSource(target: SshTarget, options: SshSourceOptions = {}): HostInterfaceSource {
	const sshBinary = options.sshBinary ?? 'ssh';
	const timeoutMs = options.timeoutMs ?? 10_000;
	const connectTimeoutSeconds = Math.max(1, Math.floor((timeoutMs * 0.8) / 1000));
	// Without a usable directory every read makes its own connection: slower, still correct.
	let controlDirectory: Promise<string | undefined> | undefined;
	let closed = false;

	function controlPathFor(directory: string | undefined): string | undefined {
		return directory ? path.join(directory, '%C') : undefined;
	}

	async function ensureControlDirectory(): Promise<string | undefined> {
		if (options.multiplex === false || closed) return undefined;
		controlDirectory ??= prepareControlDirectory(options.controlDirectory ?? defaultControlDirectory());
		return controlDirectory;
	}

	function execSsh(args: string[]): Promise<RunResult> {
		return new Promise((resolve) => {
			execFile(
				sshBinary,
				args,
				{timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL'},
				(error, stdout, stderr) => {
					if (!error) {
						resolve({stdout, stderr, exitCode: 0, timedOut: false});
						return;
					}
					const details = error as NodeJS.ErrnoException & {code?: unknown; killed?: boolean};
					resolve({
						stdout,
						stderr,
						exitCode: typeof details.code === 'number' ? details.code : null,
						spawnError: typeof details.code === 'string' ? details.code : undefined,
						timedOut: details.killed === true,
					});
				},
			);
		});
	}

	async function connection(): Promise<SshConnection> {
		if (options.sharedControlPath !== undefined) {
			const shared = await options.sharedControlPath();
			// Never a second connection: while the engine's is down, so are the reads.
			if (shared === undefined) throw new HostSourceError(`the ssh connection to ${target.host} is down`, {hint: 'docknet reconnects to the engine and reads again'});
			return {role: 'client', controlPath: shared};
		}

		const controlPath = controlPathFor(await ensureControlDirectory());
		return controlPath === undefined ? {role: 'alone'} : {role: 'shared-auto', controlPath};
	}

	async function run(script: string): Promise<string> {
		return runWith(script, await connection());
	}

	// One ssh run stays open for the counters while they are read (see ssh-counter-stream.ts).
	let counters: CounterStream | undefined;
	async function readCounters(): Promise<string> {
		if (closed) throw new HostSourceError(`the ssh connection to ${target.host} is closed`);
		if (counters === undefined || counters.closed) {
			counters = openCounterStream(sshBinary, sshArguments(target, {connectTimeoutSeconds, connection: await connection(), stdin: true}, remoteShCommand(COUNTER_STREAM_SCRIPT)), timeoutMs);
		}

		try {
			return await counters.read();
		} catch (failure) {
			counters.close();
			counters = undefined;
			const {reason, hint} = describeSshFailure(target, failure as CounterStreamFailure);
			throw new HostSourceError(reason, {hint});
		}
	}

	async function runWith(script: string, using: SshConnection): Promise<string> {
		const result = await execSsh(sshArguments(target, {connectTimeoutSeconds, connection: using}, remoteShCommand(script)));
		if (result.exitCode === 0) return result.stdout;
		const {reason, hint} = describeSshFailure(target, result);
		throw new HostSourceError(reason, {hint});
	}

	async function scan(): Promise<HostInterface[]> {
		const stdout = await run(SCAN_SCRIPT);
		try {
			return parseRemoteScan(stdout);
		} catch (error) {
			if (error instanceof IpJsonError) {
				throw new HostSourceError(`the "ip" command on ${target.host} printed no usable JSON`, {
					hint: 'iproute2 4.14 or newer is needed',
					cause: error,
				});
			}
			throw error;
		}
	}

	async function listNames(): Promise<string[]> {
		const stdout = await run(LIST_SCRIPT);
		return stdout
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line !== '')
			.sort();
	}

	async function readStats(names: readonly string[]): Promise<Map<string, InterfaceStats>> {
		const all = parseProcNetDev(await readCounters());
		const result = new Map<string, InterfaceStats>();
		for (const name of names) {
			const stats = all.get(name);
			if (stats) result.set(name, stats);
		}
		return result;
	}

	async function readNamesAndStats(watched?: ReadonlySet<string>): Promise<{names: string[]; stats: Map<string, InterfaceStats>}> {
		// /proc/net/dev lists every interface of the namespace, as /sys/class/net does.
		const all = parseProcNetDev(await readCounters());
		const names = [...all.keys()].sort();
		const stats = watched === undefined ? all : new Map([...all].filter(([name]) => watched.has(name)));
		return {names, stats};
	}

	async function findVethPeers(containers: readonly DockerContainer[]): Promise<VethPeerScan> {
		const candidates = containers.filter(
			(container) => (container.pid ?? 0) > 0 && !sharesForeignNetworkNamespace(container),
		);
		if (candidates.length === 0) return {status: 'ok', peers: []};
		try {
			const stdout = await run(peerScript(candidates.map((container) => container.pid ?? 0)));
			return parsePeerReport(stdout, candidates, target);
		} catch (error) {
			if (error instanceof HostSourceError) return {status: 'unavailable', reason: error.reason, hint: error.hint};
			throw error;
		}
	}

	async function close(): Promise<void> {
		if (closed) return;
		closed = true;
		counters?.close();
		// A shared connection is closed by its owner.
		if (options.sharedControlPath !== undefined) return;
		const directory = await controlDirectory;
		if (!directory) return;
		// Ends the master connection now instead of 60 s later. The directory stays: it is
		// per user and may serve another docknet.
		const controlPath = controlPathFor(directory);
		if (controlPath === undefined) return;
		const exitArgs = exitMasterArguments(target, controlPath);
		await execSsh(exitArgs);
	}

	return {origin: sshOrigin(target), scan, listNames, readStats, readNamesAndStats, findVethPeers, close};
}
