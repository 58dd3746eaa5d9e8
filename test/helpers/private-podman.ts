import {existsSync, readFileSync, readdirSync, rmdirSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {engineRequest, waitForPing} from '../../source/playground/engine-api.js';
import {
	deleteNetns,
	findProgram,
	isAlive,
	isLive,
	listNetns,
	listProcesses,
	NETNS_DIR,
	netnsPath,
	netnsPids,
	readProcess,
	removeDirectory,
	run,
	signal,
	spawnDaemon,
	tailOfFile,
	waitForExit,
} from '../../source/playground/linux-host.js';
import {formatRequirementProblems, type PrivateEngine, type RequirementProblem} from '../../source/playground/private-engine.js';

// A private rootful Podman serving the Docker Engine API, for the *.podman.test.ts files.
// Podman runs inside its own network namespace (netavark puts its bridges, veths and
// NETAVARK_* chains there, never in the machine's) and its own mount namespace, where a
// tmpfs covers /run/containers and /run/netns: rootful netavark keeps its IPAM database and
// aardvark-dns state in /run/containers/networks whatever --root says, and Podman bind-mounts
// container namespaces under /run/netns, so a real Podman on the same machine is never
// touched and nothing is left there when the namespace dies. Storage, run and tmp
// directories, network configs and the socket all live under one directory.

/** A handle like the private engine's, less keep(): a test Podman never outlives its run. */
export interface PrivatePodman extends Omit<PrivateEngine, 'keep' | 'stop'> {
	/** Removes its containers, stops the service and everything in its namespace, deletes the namespace and the directory. Never throws. */
	stop(): Promise<void>;
}

const OWNER_FILE = 'owner.json';
const STOP_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5000;

// Without the ulimit defaults every `run` fails in a sandbox that may not raise them
// ("error setting rlimit type 7"); without the file events logger Podman looks for journald.
const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
events_logger = "file"
`;

const tool = (program: string): string => findProgram(program) ?? program;

const NETAVARK_PATHS = ['/usr/lib/podman/netavark', '/usr/libexec/podman/netavark', '/usr/local/libexec/podman/netavark'];

export function checkPrivatePodmanRequirements(): RequirementProblem[] {
	if (process.platform !== 'linux') {
		return [{what: 'Linux', fix: `a private Podman needs Linux namespaces; this is ${process.platform}`}];
	}

	const problems: RequirementProblem[] = [];
	if (process.getuid?.() !== 0) {
		problems.push({what: 'root privileges (namespaces and rootful Podman need them)', fix: 'run as root, e.g. with sudo'});
	}

	const tools: Array<[string, string, string]> = [
		['podman', 'podman', 'install the Debian package podman'],
		['ip', 'ip (network namespaces)', 'install the Debian package iproute2'],
		['nsenter', 'nsenter', 'install the Debian package util-linux'],
		['unshare', 'unshare', 'install the Debian package util-linux'],
		['iptables', 'iptables (netavark sets up NAT with it)', 'install the Debian package iptables'],
	];
	for (const [program, what, fix] of tools) {
		if (findProgram(program) === undefined) problems.push({what: `${what} not found`, fix});
	}

	if (!NETAVARK_PATHS.some(file => existsSync(file))) {
		problems.push({what: 'netavark (Podman 4 network backend) not found', fix: 'install the Debian package netavark'});
	}

	return problems;
}

/** Live processes whose network namespace is the named one (the service, conmon, aardvark-dns, containers' conmon). */
function processesInNetns(name: string): number[] {
	return netnsPids(name).filter(pid => isAlive(pid));
}

/** Processes that name the directory in their arguments (the service, conmon), wherever they run. */
function processesUsing(dir: string): number[] {
	const names = (arg: string) => arg === dir || arg.startsWith(`${dir}/`) || arg.startsWith(`unix://${dir}/`);
	return listProcesses()
		.filter(info => info.pid !== process.pid && isLive(info) && info.argv.some(arg => names(arg)))
		.map(info => info.pid);
}

/** Container cgroups Podman leaves when it is killed before it could remove them. */
function removeContainerCgroups(ids: string[]): void {
	let roots: string[];
	try {
		roots = ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map(controller => path.join('/sys/fs/cgroup', controller))];
	} catch {
		return;
	}

	for (const id of ids) {
		for (const root of roots) {
			for (const candidate of [path.join(root, 'libpod_parent', `libpod-${id}`), path.join(root, 'libpod_parent', `libpod-conmon-${id}`)]) {
				try {
					rmdirSync(candidate);
				} catch {
					// Not there, or not empty (then not ours to force).
				}
			}
		}
	}
}

function containerIdsIn(dir: string): string[] {
	try {
		return readdirSync(path.join(dir, 'root', 'overlay-containers')).filter(id => /^[0-9a-f]{64}$/.test(id));
	} catch {
		return [];
	}
}

async function removeRemains(name: string, dir: string, log: (line: string) => void): Promise<string[]> {
	const removed: string[] = [];
	const pids = [...new Set([...processesInNetns(name), ...processesUsing(dir)])];
	for (const pid of pids) signal(pid, 'SIGKILL');
	if (pids.length > 0) removed.push(`processes ${pids.join(', ')}`);
	if (!(await waitForExit(pids, KILL_TIMEOUT_MS))) log(`some processes of ${name} did not exit after SIGKILL`);
	removed.push(...(await deleteNetns(name, log)));

	removeContainerCgroups(containerIdsIn(dir));
	if (existsSync(dir)) removed.push(...(await removeDirectory(dir, log)));

	return removed;
}

/** Force-removes every container through the API, so Podman itself tears down veths, rules and namespaces. */
async function removeContainers(socketPath: string): Promise<void> {
	try {
		const list = await engineRequest(socketPath, 'GET', '/containers/json?all=true', {timeoutMs: 5000});
		const parsed: unknown = JSON.parse(list.body);
		if (!Array.isArray(parsed)) return;
		for (const item of parsed) {
			const id = typeof item === 'object' && item !== null && 'Id' in item && typeof item.Id === 'string' ? item.Id : undefined;
			if (id !== undefined) await engineRequest(socketPath, 'DELETE', `/containers/${id}?force=true&v=true`, {timeoutMs: 15_000}).catch(() => undefined);
		}
	} catch {
		// The service is not answering: the namespace's processes are killed instead.
	}
}

function validateName(name: string): void {
	if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,40}$/.test(name)) throw new Error(`Invalid private Podman name "${name}"`);
}

export async function startPrivatePodman(options: {name: string; baseDir?: string; onProgress?: (line: string) => void; readyTimeoutMs?: number}): Promise<PrivatePodman> {
	const {name, baseDir = os.tmpdir(), readyTimeoutMs = 30_000} = options;
	const log = options.onProgress ?? (() => undefined);
	validateName(name);
	const problems = checkPrivatePodmanRequirements();
	if (problems.length > 0) throw new Error(`Cannot start a private Podman:\n${formatRequirementProblems(problems)}`);
	const dir = path.resolve(baseDir, name);
	if (existsSync(dir) || existsSync(netnsPath(name))) await removeRemains(name, dir, log);
	await mkdir(dir, {recursive: true, mode: 0o700});
	await writeFile(path.join(dir, OWNER_FILE), JSON.stringify({pid: process.pid, startTime: readProcess(process.pid)?.startTime ?? ''}));
	await writeFile(path.join(dir, 'containers.conf'), CONTAINERS_CONF);
	// The tmpfs mounts need their mount points in the machine's tree.
	await mkdir('/run/containers', {recursive: true});
	await mkdir(NETNS_DIR, {recursive: true});

	const added = await run(tool('ip'), ['netns', 'add', name]);
	if (added.code !== 0) {
		await removeRemains(name, dir, log);
		throw new Error(`ip netns add ${name} failed: ${added.stderr.trim()}`);
	}

	await run(tool('ip'), ['-n', name, 'link', 'set', 'lo', 'up']);
	const socketPath = path.join(dir, 'podman.sock');
	const podman = tool('podman');
	const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
	const serve = [
		'mount -t tmpfs -o mode=0755 docknet-podman /run/containers',
		'mount -t tmpfs -o mode=0755 docknet-podman /run/netns',
		`exec ${[podman, '--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run'), '--tmpdir', path.join(dir, 'tmp'),
			'--network-config-dir', path.join(dir, 'net'), 'system', 'service', '--time=0', `unix://${socketPath}`].map(quote).join(' ')}`,
	].join(' && ');
	const logFile = path.join(dir, 'podman.log');
	// nsenter and unshare exec their command and sh execs podman: the daemon's pid is the service's.
	const daemon = spawnDaemon(
		tool('nsenter'),
		[`--net=${netnsPath(name)}`, tool('unshare'), '--mount', '--propagation', 'slave', 'sh', '-c', serve],
		{logFile, env: {...process.env, CONTAINERS_CONF: path.join(dir, 'containers.conf')}},
	);
	const {pid} = daemon;
	let stopping: Promise<void> | undefined;
	const engine: PrivatePodman = {
		name,
		netns: name,
		dir,
		socketPath,
		dockerHost: `unix://${socketPath}`,
		pid,
		async stop() {
			stopping ??= (async () => {
				await removeContainers(socketPath);
				if (isAlive(pid)) {
					signal(pid, 'SIGTERM');
					if (!(await waitForExit([pid], STOP_TIMEOUT_MS))) log(`podman ${pid} did not stop within ${STOP_TIMEOUT_MS} ms; killing it`);
				}

				await removeRemains(name, dir, log);
			})().catch((error: unknown) => log(`stopping ${name}: ${String(error)}`));
			return stopping;
		},
	};

	if (await waitForPing(socketPath, readyTimeoutMs, () => daemon.exited !== undefined)) return engine;
	const tail = tailOfFile(logFile, 15);
	await engine.stop();
	throw new Error(`podman system service ${daemon.exited === undefined ? `did not answer within ${readyTimeoutMs} ms` : `exited (${daemon.exited})`}. Its log:\n${tail}`);
}

/** Removes private Podmans named `prefix…` whose owning process is gone (a killed test run). */
export async function cleanupStalePodmans(prefix: string, baseDir = os.tmpdir()): Promise<string[]> {
	const names = new Set<string>();
	for (const name of await listNetns()) if (name.startsWith(prefix)) names.add(name);

	try {
		for (const entry of readdirSync(baseDir, {withFileTypes: true})) {
			if (entry.isDirectory() && entry.name.startsWith(prefix) && existsSync(path.join(baseDir, entry.name, 'containers.conf'))) names.add(entry.name);
		}
	} catch {
		// No base directory.
	}

	const removed: string[] = [];
	for (const name of [...names].sort()) {
		const dir = path.join(baseDir, name);
		let owner: {pid?: unknown; startTime?: unknown} = {};
		try {
			owner = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as typeof owner;
		} catch {
			// No owner: a remain.
		}

		const ownerPid = typeof owner.pid === 'number' ? owner.pid : -1;
		if (ownerPid > 0 && isAlive(ownerPid) && readProcess(ownerPid)?.startTime === owner.startTime) continue;
		removed.push(...(await removeRemains(name, dir, () => undefined)));
	}

	return removed;
}

/**
 * What of Podman's is in the machine's own network namespace: NETAVARK chains, podman*
 * bridges, interfaces enslaved to them. Empty when the namespaces held everything.
 */
export async function podmanRemainsInRootNamespace(): Promise<string[]> {
	const found: string[] = [];
	for (const table of ['filter', 'nat']) {
		const rules = await run(tool('iptables'), ['-t', table, '-S']);
		for (const line of rules.stdout.split('\n')) if (/NETAVARK/i.test(line)) found.push(`iptables -t ${table}: ${line.trim()}`);
	}

	const links = await run(tool('ip'), ['-j', 'link', 'show']);
	try {
		const parsed = JSON.parse(links.stdout) as Array<{ifname?: string; master?: string}>;
		for (const link of parsed) {
			if (link.ifname?.startsWith('podman')) found.push(`interface ${link.ifname}`);
			if (link.master?.startsWith('podman')) found.push(`interface ${link.ifname ?? '?'} on bridge ${link.master}`);
		}
	} catch {
		found.push(`ip -j link show gave no JSON: ${links.stderr.trim()}`);
	}

	return found;
}
