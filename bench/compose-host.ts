import {execFile} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {createDockerGateway} from '../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../source/engine/endpoint.js';
import {EngineSync} from '../source/model/engine-sync.js';
import {SnapshotStore} from '../source/model/store.js';
import {BUSYBOX_IMAGE, ensureTestImage, findRunningEngine, startPrivateEngine} from '../source/playground/private-engine.js';
import {cpuTicks, docknetBundle, startDocknet} from '../test/helpers/pty-app.js';

// A realistic Compose host on a private engine, and three measurements on it:
// 1. mismatches of `docknet snapshot --json` against `docker inspect`, by kind of field;
// 2. how long the live picture takes to match `docker inspect` after each compose step;
// 3. docknet's CPU (the UI, in a pty) while containers of a project restart in a loop.
// Usage: npx tsx bench/compose-host.ts [--name=docknet-compose] [--loop-seconds=30] [--keep] [--script=dist/docknet.js]
//   --keep leaves the engine and its projects running and prints its DOCKER_HOST;
//   --reuse measures again on an engine kept before (same --name): the JSON and the CPU only,
//   so two builds (--script) can be compared on one host.

const argument = (name: string, fallback: string): string =>
	process.argv.find(item => item.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const name = argument('name', `docknet-compose-${process.pid % 100_000}`);
const loopSeconds = Number(argument('loop-seconds', '30'));
const keep = process.argv.includes('--keep');
const reuse = process.argv.includes('--reuse');
const script = argument('script', docknetBundle);
const clockTicks = 100;

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(program, args, {env, timeout: 180_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error) reject(new Error(`${program} ${args.join(' ')}: ${stderr || error.message}`));
			else resolve(stdout.trim());
		});
	});
}

const ports = (count: number, first: number): string => Array.from({length: count}, (_, index) => `"127.0.0.1:${first + index}:${9000 + index}"`).join(', ');

const files: Record<string, string> = {
	webapp: `
version: "2.4"
services:
  frontend:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "1000000"]
    networks: [frontend, shared]
    ports: [${ports(30, 18000)}]
  backend:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "1000000"]
    scale: 2
    networks:
      frontend: {}
      backend: {aliases: [api]}
  db:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "1000000"]
    healthcheck: {test: ["CMD-SHELL", "exit 1"], interval: 2s, retries: 1}
    networks:
      db: {ipv4_address: 10.203.0.10}
  sidecar:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "1000000"]
    network_mode: "service:backend"
networks:
  frontend:
    enable_ipv6: true
    ipam: {config: [{subnet: 10.201.0.0/24}, {subnet: "fd00:201::/64"}]}
  backend:
    ipam: {config: [{subnet: 10.202.0.0/24}]}
  db:
    internal: true
    ipam: {config: [{subnet: 10.203.0.0/24}]}
  shared:
    external: true
    name: shared-external
`,
	shop: `
version: "2.4"
services:
  api:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "1000000"]
    networks: [default, shared]
    ports: [${ports(20, 19000)}]
  worker:
    image: ${BUSYBOX_IMAGE}
    command: ["sh", "-c", "sleep 1; exit 3"]
    restart: always
networks:
  shared:
    external: true
    name: shared-external
`,
	monitor: `
version: "2.4"
services:
  probe:
    image: ${BUSYBOX_IMAGE}
    command: ["sleep", "1000000"]
    networks: [default, shared, metrics, logs]
networks:
  metrics: {}
  logs: {}
  shared:
    external: true
    name: shared-external
`,
};

interface InspectedContainer {
	Id: string;
	Name: string;
	Path: string;
	Args: string[];
	Config: {Labels: Record<string, string> | null};
	State: {Status: string; Health?: {Status: string}};
	HostConfig: {NetworkMode: string};
	NetworkSettings: {
		Ports: Record<string, Array<{HostIp: string; HostPort: string}> | null> | null;
		Networks: Record<string, {NetworkID: string; IPAddress: string; GlobalIPv6Address: string; MacAddress: string; Gateway: string; IPv6Gateway: string; Aliases: string[] | null}>;
	};
}

interface InspectedNetwork {
	Id: string;
	Name: string;
	Internal: boolean;
	Attachable: boolean;
	EnableIPv6: boolean;
	IPAM: {Config: Array<{Subnet: string; Gateway?: string}> | null};
	Labels: Record<string, string> | null;
}

async function inspectAll(env: NodeJS.ProcessEnv): Promise<{containers: InspectedContainer[]; networks: InspectedNetwork[]}> {
	const ids = (await run('docker', ['ps', '-aq', '--no-trunc'], env)).split('\n').filter(Boolean);
	const networkIds = (await run('docker', ['network', 'ls', '-q', '--no-trunc'], env)).split('\n').filter(Boolean);
	const containers = ids.length === 0 ? [] : (JSON.parse(await run('docker', ['inspect', ...ids], env)) as InspectedContainer[]);
	const networks = JSON.parse(await run('docker', ['network', 'inspect', ...networkIds], env)) as InspectedNetwork[];
	return {containers, networks};
}

type Json = Record<string, unknown>;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const sorted = (values: readonly string[]): string[] => [...values].sort();
const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

/** Every field docknet's JSON states that `docker inspect` also states, compared; the kinds that differ, counted. */
function mismatches(snapshot: Json, truth: Awaited<ReturnType<typeof inspectAll>>): Map<string, string[]> {
	const found = new Map<string, string[]>();
	const note = (kind: string, what: string): void => {
		found.set(kind, [...(found.get(kind) ?? []), what]);
	};

	const shown = new Map(((snapshot['containers'] as Json[]) ?? []).map(item => [item['id'] as string, item]));
	for (const container of truth.containers) {
		const mine = shown.get(container.Id);
		const label = container.Name.replace(/^\//, '');
		if (mine === undefined) {
			note('container missing', label);
			continue;
		}

		const running = container.State.Status === 'running';
		if (mine['state'] !== container.State.Status) note('state', `${label}: ${String(mine['state'])} ≠ ${container.State.Status}`);
		const health = running ? (container.State.Health?.Status ?? null) : null;
		if (mine['health'] !== health) note('health', `${label}: ${String(mine['health'])} ≠ ${String(health)}`);
		if (!same(mine['labels'], container.Config.Labels ?? {})) note('labels', label);
		const command = [container.Path, ...container.Args].join(' ');
		if (mine['command'] !== command) note('command', `${label}: ${String(mine['command'])} ≠ ${command}`);
		const labels = container.Config.Labels ?? {};
		const compose = mine['compose'] as Json | null;
		if ((compose?.['project'] ?? null) !== (labels['com.docker.compose.project'] ?? null)) note('compose project', label);
		if ((compose?.['service'] ?? null) !== (labels['com.docker.compose.service'] ?? null)) note('compose service', label);
		const endpoints = new Map(((mine['endpoints'] as Json[]) ?? []).map(item => [item['network'] as string, item]));
		const networks = container.NetworkSettings.Networks ?? {};
		if (!same(sorted([...endpoints.keys()]), sorted(Object.keys(networks)))) note('endpoint networks', label);
		for (const [network, endpoint] of Object.entries(networks)) {
			const ours = endpoints.get(network);
			if (ours === undefined) continue;
			const where = `${label} on ${network}`;
			if (ours['networkId'] !== endpoint.NetworkID) note('endpoint networkId', where);
			if (ours['ipv4'] !== orNull(endpoint.IPAddress)) note('endpoint ipv4', `${where}: ${String(ours['ipv4'])} ≠ ${endpoint.IPAddress}`);
			if (ours['ipv6'] !== orNull(endpoint.GlobalIPv6Address)) note('endpoint ipv6', where);
			if (ours['mac'] !== orNull(endpoint.MacAddress)) note('endpoint mac', where);
			if (ours['gateway'] !== orNull(endpoint.Gateway)) note('endpoint gateway', where);
			if (ours['ipv6Gateway'] !== orNull(endpoint.IPv6Gateway)) note('endpoint ipv6Gateway', where);
			if (!same(sorted((ours['aliases'] as string[]) ?? []), sorted(endpoint.Aliases ?? []))) note('endpoint aliases', where);
		}

		const bindings: Array<{containerPort: number; protocol: string; hostIp: string | null; hostPort: number | null}> = [];
		for (const [key, hosts] of Object.entries(container.NetworkSettings.Ports ?? {})) {
			const [port, protocol] = key.split('/');
			if (hosts === null || hosts.length === 0) bindings.push({containerPort: Number(port), protocol: protocol ?? 'tcp', hostIp: null, hostPort: null});
			else for (const host of hosts) bindings.push({containerPort: Number(port), protocol: protocol ?? 'tcp', hostIp: host.HostIp, hostPort: Number(host.HostPort)});
		}

		const key = (item: Json): string => `${String(item['hostIp'])}:${String(item['hostPort'])}->${String(item['containerPort'])}/${String(item['protocol'])}`;
		if (!same(sorted(((mine['ports'] as Json[]) ?? []).map(key)), sorted(bindings.map(item => key(item))))) note('ports', label);
	}

	const shownNetworks = new Map(((snapshot['networks'] as Json[]) ?? []).map(item => [item['id'] as string, item]));
	for (const network of truth.networks) {
		const mine = shownNetworks.get(network.Id);
		if (mine === undefined) {
			note('network missing', network.Name);
			continue;
		}

		if (mine['internal'] !== network.Internal) note('network internal', network.Name);
		if (mine['attachable'] !== network.Attachable) note('network attachable', network.Name);
		if (mine['ipv6'] !== network.EnableIPv6) note('network ipv6', network.Name);
		if (!same(mine['labels'], network.Labels ?? {})) note('network labels', network.Name);
		const pools = ((mine['ipam'] as Json)['pools'] as Json[]).map(pool => `${String(pool['subnet'])} ${String(pool['gateway'])}`);
		if (!same(sorted(pools), sorted((network.IPAM.Config ?? []).map(pool => `${pool.Subnet} ${pool.Gateway ?? null}`)))) note('network pools', network.Name);
		// Members as every container's own endpoints say (a stopped one too).
		const members = truth.containers.filter(container => Object.values(container.NetworkSettings.Networks ?? {}).some(endpoint => endpoint.NetworkID === network.Id)).map(container => container.Id);
		if (!same(sorted(((mine['containers'] as Json[]) ?? []).map(item => item['id'] as string)), sorted(members))) note('network members', network.Name);
	}

	return found;
}

/** Whether the live store says what `docker inspect` says about containers, their states and networks. */
function storeMatches(store: SnapshotStore, truth: Awaited<ReturnType<typeof inspectAll>>): boolean {
	const {containers, networks} = store.getSnapshot();
	const mine = sorted(containers.map(container => `${container.id} ${container.state} ${sorted(container.endpoints.map(endpoint => `${endpoint.networkName}=${endpoint.ipv4 ?? ''}`)).join(',')}`));
	const theirs = sorted(
		truth.containers.map(container => {
			const endpoints = Object.entries(container.NetworkSettings.Networks ?? {}).map(([network, endpoint]) => `${network}=${endpoint.IPAddress}`);
			return `${container.Id} ${container.State.Status} ${sorted(endpoints).join(',')}`;
		}),
	);
	return same(mine, theirs) && same(sorted(networks.map(network => network.id)), sorted(truth.networks.map(network => network.Id)));
}

const kept = reuse ? findRunningEngine(name) : undefined;
if (reuse && kept === undefined) throw new Error(`no kept engine named ${name}: run with --keep first`);
const engine = kept ?? (await startPrivateEngine({name}));
const env: NodeJS.ProcessEnv = {...process.env, DOCKER_HOST: engine.dockerHost};
delete env['DOCKER_CONTEXT'];
const report: Json = {};
const syncStore = new SnapshotStore();
const sync = new EngineSync(createDockerGateway(resolveEngineEndpoint({hostFlag: engine.dockerHost, env: {}, homeDir: '/nonexistent'})), syncStore);
try {
	await ensureTestImage(engine.dockerHost);
	for (const [project, text] of Object.entries(files)) writeFileSync(path.join(engine.dir, `${project}.yml`), text);
	sync.start();
	await sync.firstLoad;
	if (!reuse) await measureSteps();
	await measureTruthAndCpu();
} finally {
	sync.stop();
	process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	if (keep || reuse) {
		await engine.keep();
		process.stdout.write(`engine kept: DOCKER_HOST=${engine.dockerHost} (namespace ${engine.netns}, folder ${engine.dir})\n`);
	} else {
		await engine.stop();
	}
}

function composeArgs(project: string, args: string[]): string[] {
	return ['-p', project, '-f', path.join(engine.dir, `${project}.yml`), ...args];
}

async function measureSteps(): Promise<void> {
	await run('docker', ['network', 'create', '--subnet', '10.200.0.0/24', 'shared-external'], env);

	// 2. Each step: from the moment the command returns until the live picture matches.
	const steps: Array<[string, string, string[]]> = [
		['up webapp', 'webapp', ['up', '-d']],
		['up shop', 'shop', ['up', '-d']],
		['up monitor', 'monitor', ['up', '-d']],
		['scale backend=3', 'webapp', ['up', '-d', '--scale', 'backend=3']],
		['stop db', 'webapp', ['stop', 'db']],
		['start db', 'webapp', ['start', 'db']],
		['restart frontend', 'webapp', ['restart', 'frontend']],
		['run one-off', 'webapp', ['run', '-d', '--no-deps', 'backend', 'sleep', '1000000']],
		['rm -sf api', 'shop', ['rm', '-sf', 'api']],
		['up shop again', 'shop', ['up', '-d']],
	];
	const converge: Json[] = [];
	for (const [label, project, args] of steps) {
		const started = performance.now();
		await run('docker-compose', composeArgs(project, args), env);
		const returned = performance.now();
		let matched = false;
		while (performance.now() - returned < 30_000) {
			// The worker restarts all the time: compare against a fresh inspect each round.
			if (storeMatches(syncStore, await inspectAll(env))) {
				matched = true;
				break;
			}
		}

		converge.push({step: label, commandSeconds: Number(((returned - started) / 1000).toFixed(2)), convergedAfterSeconds: matched ? Number(((performance.now() - returned) / 1000).toFixed(2)) : null});
	}

	report['converge'] = converge;
}

async function measureTruthAndCpu(): Promise<void> {

	// 1. The JSON against docker inspect, once the host has settled.
	await new Promise(resolve => setTimeout(resolve, 3000));
	const snapshotEnv: NodeJS.ProcessEnv = {...process.env};
	delete snapshotEnv['DOCKER_HOST'];
	// A looping container changes between any two reads: a value counts as wrong only when it
	// matches neither the inspect just before the snapshot nor the one just after.
	const before = await inspectAll(env);
	const json = JSON.parse(await run(process.execPath, [script, 'snapshot', '--json', '--host', engine.dockerHost], snapshotEnv)) as Json;
	const truth = await inspectAll(env);
	const earlier = mismatches(json, before);
	const found = new Map([...mismatches(json, truth)].map(([kind, items]) => [kind, items.filter(item => earlier.get(kind)?.includes(item))] as const).filter(([, items]) => items.length > 0));
	report['mismatchKinds'] = found.size;
	report['mismatches'] = Object.fromEntries([...found].map(([kind, items]) => [kind, items.slice(0, 5)]));
	report['host'] = {containers: truth.containers.length, networks: truth.networks.length};

	// 3. CPU of the UI while the worker restarts in a loop (scaled to three).
	// Recreated, so the loop is young and restarts often (the engine backs off a looping container).
	await run('docker-compose', composeArgs('shop', ['up', '-d', '--force-recreate', '--scale', 'worker=3', 'worker']), env);
	const app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, script, columns: 160, rows: 45, recordOutput: false});
	try {
		await app.waitForText('● live', 30_000);
		await new Promise(resolve => setTimeout(resolve, 3000));
		const pid = app.nodePid();
		if (pid === undefined) throw new Error('no docknet process');
		const ticks = cpuTicks(pid);
		const bytes = app.bytesReceived;
		const events = syncStore.getSnapshot().events.length;
		const started = performance.now();
		await new Promise(resolve => setTimeout(resolve, loopSeconds * 1000));
		const elapsed = (performance.now() - started) / 1000;
		const restarts = syncStore.getSnapshot().events.slice(0, Math.max(0, syncStore.getSnapshot().events.length - events)).filter(event => event.action === 'start').length;
		report['restartLoop'] = {seconds: Math.round(elapsed), cpuPercent: Number((((cpuTicks(pid) - ticks) / clockTicks / elapsed) * 100).toFixed(2)), bytesToTerminal: app.bytesReceived - bytes, starts: restarts};
	} finally {
		await app.dispose();
	}
}
