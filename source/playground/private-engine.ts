import {
	existsSync,
	readdirSync,
} from 'node:fs';
import {mkdir, readFile, rm, rmdir, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {waitForPing} from './engine-api.js';
import {OWNER_FILE, engineInUse, validateName, type OwnerRecord} from './engine-owner.js';
import {
	deleteNetns,
	findProgram,
	isLive,
	listNetns,
	listProcesses,
	mountsUnder,
	netnsPath,
	programName,
	readProcess,
	removeDirectory,
	run,
	searchDirs,
	signal,
	spawnDaemon,
	tailOfFile,
	waitForExit,
	type ProcessInfo,
} from './linux-host.js';
import {appendAll} from '../model/large-arrays.js';

export {findProgram} from './linux-host.js';
export {checkPrivateEngineRequirements, formatRequirementProblems, type RequirementOptions, type RequirementProblem} from './engine-requirements.js';
export {BUSYBOX_IMAGE, ensureTestImage} from './test-image.js';
import {LONGEST_SOCKET_SUFFIX, MAX_SOCKET_PATH, checkPrivateEngineRequirements, formatRequirementProblems} from './engine-requirements.js';

// A private dockerd in its own network namespace: its own docker0, veths and iptables rules,
// so neither the machine's networking nor another engine is touched, and several can run side
// by side. Everything it owns lives under one directory (socket, data-root, exec-root, log).

export interface PrivateEngine {
	name: string;
	netns: string;
	dir: string;
	socketPath: string;
	dockerHost: string;
	pid: number;
	/** Kills dockerd, its containerd and containers, deletes the namespace and the directory. Never throws. */
	stop(): Promise<void>;
	/**
	 * Lets the engine outlive this process: it no longer counts as stale when this process
	 * ends, only once its dockerd has died. findRunningEngine() picks it up again.
	 */
	keep(): Promise<void>;
}

export interface StartOptions {
	name: string;
	/** Parent of the engine's directory; default os.tmpdir(). */
	baseDir?: string;
	onProgress?: (step: string) => void;
	readyTimeoutMs?: number;
}

const STOP_TIMEOUT_MS = 15_000;
const KILL_TIMEOUT_MS = 5000;
// ---------------------------------------------------------------------------------------------
// The engine's processes (Linux /proc)

/** dockerd, containerd, shims and proxies started for the engine in `dir`, found by their arguments. */
function engineProcesses(dir: string): ProcessInfo[] {
	const inside = (arg: string) => arg.startsWith(`${dir}/`) || arg.startsWith(`unix://${dir}/`);
	return listProcesses().filter(info => {
		const program = programName(info);
		const ours = program === 'dockerd' || program === 'containerd' || program.startsWith('containerd-shim') || program === 'docker-proxy';
		return ours && isLive(info) && info.argv.some(arg => inside(arg));
	});
}

/** Checked before signalling a remembered pid: it may have exited and been reused. */
function isEngineDockerd(pid: number, dir: string): boolean {
	const info = readProcess(pid);
	return isLive(info) && programName(info) === 'dockerd' && info.argv.includes(path.join(dir, 'docker.pid'));
}

function liveDockerd(dir: string): ProcessInfo | undefined {
	return engineProcesses(dir).find(info => programName(info) === 'dockerd');
}

/** Kills the containers' processes (children of the engine's shims) so dockerd need not wait for them. */
function killContainerProcesses(dir: string): number[] {
	const shims = new Set(engineProcesses(dir).filter(info => programName(info).startsWith('containerd-shim')).map(info => info.pid));
	if (shims.size === 0) {
		return [];
	}

	const children = listProcesses().filter(info => shims.has(info.ppid) && isLive(info));
	for (const child of children) {
		signal(child.pid, 'SIGKILL');
	}

	return children.map(child => child.pid);
}

// ---------------------------------------------------------------------------------------------
// Removing an engine's remains (shared by stop() and cleanupStaleEngines)

function containerIds(dir: string): string[] {
	try {
		return readdirSync(path.join(dir, 'data', 'containers')).filter(id => /^[0-9a-f]{64}$/.test(id));
	} catch {
		return [];
	}
}

/** dockerd removes a container's cgroups itself, except when it was killed. */
async function removeContainerCgroups(ids: string[]): Promise<void> {
	if (ids.length === 0) {
		return;
	}

	const roots = ['/sys/fs/cgroup'];
	try {
		for (const controller of readdirSync('/sys/fs/cgroup')) {
			roots.push(path.join('/sys/fs/cgroup', controller));
		}
	} catch {
		return;
	}

	for (const id of ids) {
		for (const root of roots) {
			// rmdir only succeeds on an empty cgroup, which is exactly the leftover case.
			await rmdir(path.join(root, 'docker', id)).catch(() => undefined);
		}
	}
}

async function removeEngineRemains(name: string, dir: string, log: (step: string) => void): Promise<string[]> {
	const removed: string[] = [];

	const killed = killContainerProcesses(dir);
	if (killed.length > 0) {
		removed.push(`container processes ${killed.join(', ')}`);
	}

	const processes = engineProcesses(dir);
	for (const info of processes) {
		signal(info.pid, 'SIGKILL');
		removed.push(`process ${info.pid} (${programName(info)})`);
	}

	if (!(await waitForExit([...killed, ...processes.map(info => info.pid)], KILL_TIMEOUT_MS))) {
		log(`some processes of ${name} did not exit after SIGKILL`);
	}

	const mounts = mountsUnder(dir);
	if (mounts.length > 0) {
		await run(findProgram('umount') ?? 'umount', ['-l', ...mounts]);
		const left = mountsUnder(dir);
		for (const point of left) {
			await run(findProgram('umount') ?? 'umount', ['-l', point]);
		}

		removed.push(`${mounts.length} mount${mounts.length === 1 ? '' : 's'} under ${dir}`);
	}

	appendAll(removed, await deleteNetns(name, log));

	await removeContainerCgroups(containerIds(dir));

	if (existsSync(dir)) {
		if (mountsUnder(dir).length > 0) {
			// Deleting through a mount could reach files outside the engine's directory.
			log(`${dir} still has mounts; left in place`);
		} else {
			appendAll(removed, await removeDirectory(dir, log));
		}
	}

	return removed;
}

async function stopEngine(name: string, dir: string, pid: number, log: (step: string) => void): Promise<void> {
	// Containers whose main process ignores SIGTERM (sleep as PID 1) would each hold dockerd's
	// shutdown for their 10 s stop timeout; killing them first makes the stop take ~1 s.
	const killed = killContainerProcesses(dir);
	await waitForExit(killed, KILL_TIMEOUT_MS);

	if (isEngineDockerd(pid, dir)) {
		log(`stopping dockerd ${pid}`);
		signal(pid, 'SIGTERM');
		if (!(await waitForExit([pid], STOP_TIMEOUT_MS))) {
			log(`dockerd ${pid} did not stop within ${STOP_TIMEOUT_MS} ms; killing it`);
			signal(pid, 'SIGKILL');
			await waitForExit([pid], KILL_TIMEOUT_MS);
		}
	}

	// dockerd stops its managed containerd on a clean shutdown and containerd dies with it on a
	// kill (parent-death signal); whatever is still running under the directory is killed here.
	await removeEngineRemains(name, dir, log);
}

// ---------------------------------------------------------------------------------------------
// Starting

function engineHandle(name: string, dir: string, pid: number, log: (step: string) => void): PrivateEngine {
	const socketPath = path.join(dir, 'docker.sock');
	let stopping: Promise<void> | undefined;
	return {
		name,
		netns: name,
		dir,
		socketPath,
		dockerHost: `unix://${socketPath}`,
		pid,
		async stop() {
			stopping ??= stopEngine(name, dir, pid, log).catch((error: unknown) => {
				log(`stopping ${name}: ${String(error)}`);
			});
			return stopping;
		},
		async keep() {
			await rm(path.join(dir, OWNER_FILE), {force: true});
		},
	};
}

/** A handle on an engine started earlier (e.g. kept by another process), if its dockerd runs. */
export function findRunningEngine(name: string, options: {baseDir?: string; onProgress?: (step: string) => void} = {}): PrivateEngine | undefined {
	if (process.platform !== 'linux') {
		return undefined;
	}

	validateName(name);
	const dir = path.resolve(options.baseDir ?? os.tmpdir(), name);
	const dockerd = liveDockerd(dir);
	if (dockerd === undefined || !existsSync(netnsPath(name))) {
		return undefined;
	}

	return engineHandle(name, dir, dockerd.pid, options.onProgress ?? (() => undefined));
}

export async function startPrivateEngine(options: StartOptions): Promise<PrivateEngine> {
	const {name, baseDir = os.tmpdir(), readyTimeoutMs = 30_000} = options;
	const log = options.onProgress ?? (() => undefined);
	validateName(name);
	const problems = checkPrivateEngineRequirements();
	if (problems.length > 0) {
		throw new Error(`Cannot start a private Docker engine:\n${formatRequirementProblems(problems)}`);
	}

	const dir = path.resolve(baseDir, name);
	if (Buffer.byteLength(path.join(dir, LONGEST_SOCKET_SUFFIX)) > MAX_SOCKET_PATH) {
		throw new Error(`The private engine's directory ${dir} is too long for unix sockets; use a shorter baseDir`);
	}

	const socketPath = path.join(dir, 'docker.sock');
	const ip = findProgram('ip') ?? 'ip';
	const nsenter = findProgram('nsenter') ?? 'nsenter';
	const dockerd = findProgram('dockerd') ?? 'dockerd';

	if (existsSync(dir) || existsSync(netnsPath(name))) {
		if (liveDockerd(dir) !== undefined) {
			throw new Error(`A private engine named ${name} is already running (${dir})`);
		}

		log(`removing the remains of an earlier engine named ${name}`);
		await removeEngineRemains(name, dir, log);
	}

	await mkdir(dir, {recursive: true, mode: 0o700});
	await writeFile(
		path.join(dir, OWNER_FILE),
		JSON.stringify({pid: process.pid, startTime: readProcess(process.pid)?.startTime ?? ''} satisfies OwnerRecord),
	);

	log(`creating network namespace ${name}`);
	const added = await run(ip, ['netns', 'add', name]);
	if (added.code !== 0) {
		await removeEngineRemains(name, dir, log);
		throw new Error(`ip netns add ${name} failed: ${added.stderr.trim()}`);
	}

	await run(nsenter, [`--net=${netnsPath(name)}`, ip, 'link', 'set', 'lo', 'up']);

	log('starting dockerd');
	const logFile = path.join(dir, 'dockerd.log');
	// nsenter, not `ip netns exec`: the latter remounts /sys, which hides the cgroup mounts, and
	// dockerd then fails with "Devices cgroup isn't mounted". nsenter execs dockerd, so the pid
	// is dockerd's.
	const daemon = spawnDaemon(
		nsenter,
		[
			`--net=${netnsPath(name)}`,
			dockerd,
			'--host',
			`unix://${socketPath}`,
			'--data-root',
			path.join(dir, 'data'),
			'--exec-root',
			path.join(dir, 'exec'),
			'--pidfile',
			path.join(dir, 'docker.pid'),
			'--containerd-namespace',
			name,
			'--containerd-plugins-namespace',
			`${name}-plugins`,
		],
		// dockerd looks up containerd, runc, docker-init and docker-proxy on its PATH.
		{logFile, env: {...process.env, PATH: searchDirs(undefined).join(':')}},
	);
	const engine = engineHandle(name, dir, daemon.pid, log);
	if (await waitForPing(socketPath, readyTimeoutMs, () => daemon.exited !== undefined)) {
		log('engine ready');
		return engine;
	}

	const reason =
		daemon.exited === undefined
			? `did not answer on ${socketPath} within ${readyTimeoutMs} ms`
			: `exited before it was ready (${daemon.exited})`;
	const tail = tailOfFile(logFile, 15);
	await engine.stop();
	throw new Error(`dockerd ${reason}. Last lines of ${logFile}:\n${tail}`);
}

// ---------------------------------------------------------------------------------------------
// Stale engines

/** Removes what killed runs left behind: engines named `prefix…` whose owner or dockerd is dead. */
export async function cleanupStaleEngines(prefix: string, options: {baseDir?: string; onProgress?: (step: string) => void} = {}): Promise<string[]> {
	if (process.platform !== 'linux' || prefix === '') {
		return [];
	}

	const baseDir = path.resolve(options.baseDir ?? os.tmpdir());
	const log = options.onProgress ?? (() => undefined);
	const names = new Set<string>();
	for (const name of await listNetns()) {
		if (name.startsWith(prefix)) {
			names.add(name);
		}
	}

	try {
		for (const entry of readdirSync(baseDir, {withFileTypes: true})) {
			const dir = path.join(baseDir, entry.name);
			const looksLikeEngine = ['docker.pid', OWNER_FILE, 'dockerd.log', 'data'].some(file => existsSync(path.join(dir, file)));
			if (entry.isDirectory() && entry.name.startsWith(prefix) && looksLikeEngine) {
				names.add(entry.name);
			}
		}
	} catch {
		// No base directory: nothing there.
	}

	// A dockerd whose directory is gone but which still runs.
	for (const info of listProcesses()) {
		const pidfileIndex = info.argv.indexOf('--pidfile');
		const pidfile = pidfileIndex === -1 ? undefined : info.argv[pidfileIndex + 1];
		if (programName(info) === 'dockerd' && isLive(info) && pidfile !== undefined) {
			const dir = path.dirname(pidfile);
			if (path.dirname(dir) === baseDir && path.basename(dir).startsWith(prefix)) {
				names.add(path.basename(dir));
			}
		}
	}

	const removed: string[] = [];
	for (const name of [...names].sort()) {
		const dir = path.join(baseDir, name);
		if (engineInUse(name, dir, liveDockerd(dir) !== undefined)) {
			continue;
		}

		log(`removing the remains of ${name}`);
		appendAll(removed, await removeEngineRemains(name, dir, log));
	}

	return removed;
}

/** The engine's own log, for error messages. */
export async function readEngineLog(engine: Pick<PrivateEngine, 'dir'>, lines = 30): Promise<string> {
	try {
		return (await readFile(path.join(engine.dir, 'dockerd.log'), 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}
