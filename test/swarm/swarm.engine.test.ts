import {execFile} from 'node:child_process';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {clusterUse} from '../../source/model/cluster-selectors.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {networkJoinBlocker} from '../../source/model/refusals.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import {SnapshotStore} from '../../source/model/store.js';
import {readSwarm, SwarmSync} from '../../source/model/swarm-sync.js';
import type {SwarmSnapshot} from '../../source/model/swarm-types.js';
import {TEST_IMAGE} from '../helpers/engine-harness.js';
import {disposeAllDocknets, docknetBundle, startDocknet} from '../helpers/pty-app.js';
import {startSwarmLab} from '../helpers/swarm-lab.js';
import {startTestSshd, TEST_SSHD_PORT} from '../helpers/test-sshd.js';
import type {SwarmLab, SwarmNodeHandle} from '../helpers/swarm-lab.js';

const execFileAsync = promisify(execFile);

// A real 3-node swarm (three private engines in their own namespaces, see swarm-lab.sh),
// one cluster for the whole file: the manager's picture of the cluster in `snapshot
// --json` and on screen, a randomized sequence of changes after each of which every
// watched engine's store equals a fresh listing, and a node's engine killed.

let lab: SwarmLab;

interface Watcher {
	node: SwarmNodeHandle;
	gateway: EngineGateway;
	store: SnapshotStore;
	sync: EngineSync;
	swarmSync: SwarmSync;
}

const watchers: Watcher[] = [];

function watch(node: SwarmNodeHandle): Watcher {
	const gateway = createDockerGateway(resolveEngineEndpoint({hostFlag: node.dockerHost, env: {}, homeDir: '/nonexistent'}));
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store);
	const sync = new EngineSync(gateway, store, {onSwarmHint: why => swarmSync.request(why)});
	sync.start();
	const watcher = {node, gateway, store, sync, swarmSync};
	watchers.push(watcher);
	return watcher;
}

before(async () => {
	lab = await startSwarmLab();
	process.stderr.write(`[swarm] 3-node cluster ${lab.base} up in ${Math.round(lab.setupMs)} ms\n`);
	const [a, b, c] = lab.nodes as [SwarmNodeHandle, SwarmNodeHandle, SwarmNodeHandle];
	await lab.docker(a, ['network', 'create', '-d', 'overlay', '--attachable', 'ov']);
	await lab.docker(a, ['service', 'create', '-d', '--name', 'web', '--replicas', '3', '--network', 'ov', '--no-resolve-image', TEST_IMAGE, 'sleep', '1000000']);
	await lab.docker(b, ['run', '-d', '--name', 'ct-b', '--network', 'ov', TEST_IMAGE, 'sleep', '1000000']);
	await lab.docker(c, ['run', '-d', '--name', 'ct-c', '--network', 'ov', TEST_IMAGE, 'sleep', '1000000']);
});

after(async () => {
	await disposeAllDocknets();
	for (const watcher of watchers) {
		watcher.sync.stop();
		watcher.swarmSync.stop();
	}

	const stopped = performance.now();
	await lab?.stop();
	process.stderr.write(`[swarm] cluster removed in ${Math.round(performance.now() - stopped)} ms\n`);
});

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, ms));
}

async function snapshotJson(node: SwarmNodeHandle): Promise<Record<string, unknown>> {
	const output = await new Promise<string>((resolve, reject) => {
		execFile(process.execPath, [docknetBundle, 'snapshot', '--json', '--host', node.dockerHost], {timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error === null) resolve(stdout);
			else reject(new Error(`docknet snapshot: ${stderr || error.message}`));
		});
	});
	return JSON.parse(output) as Record<string, unknown>;
}

/** What a fresh listing says, and what the store says, in one comparable form. */
function listingKey(
	networks: ReadonlyArray<{id: string; name: string}>,
	containers: ReadonlyArray<{name: string; state: string; endpoints: ReadonlyArray<{networkId: string; ipv4?: string}>}>,
): string {
	return JSON.stringify({
		networks: networks.map(network => `${network.name} ${network.id}`).sort(),
		containers: containers
			.map(container => `${container.name} ${container.state} ${container.endpoints.map(endpoint => `${endpoint.networkId}=${endpoint.ipv4 ?? ''}`).sort().join(',')}`)
			.sort(),
	});
}

function swarmKey(swarm: SwarmSnapshot): string {
	return JSON.stringify({
		role: swarm.role,
		nodes: swarm.nodes.map(node => `${node.hostname} ${node.id} ${node.state} ${node.availability} ${node.role}`),
		services: swarm.services.map(service => `${service.name} ${service.mode}`),
		tasks: swarm.tasks.map(task => `${task.name} ${task.id} ${task.state} ${task.desiredState}`),
		networks: [...swarm.networks.values()]
			.map(cluster => `${cluster.networkId} ${cluster.vni} ${cluster.endpoints.map(endpoint => `${endpoint.endpointId}=${endpoint.ipv4 ?? ''}`).sort().join(',')}`)
			.sort(),
	});
}

interface RawEndpoint {
	EndpointID?: string;
	IPv4Address?: string;
}

interface RawOverlay {
	Containers?: Record<string, RawEndpoint> | null;
	Peers?: Array<{IP?: string}> | null;
	Services?: Record<string, {VIP?: string; Tasks?: Array<{EndpointID?: string; EndpointIP?: string}>}> | null;
}

/**
 * `ov` counted from `docker network inspect -v` on every node in it (the manager's peers):
 * members are the endpoints of containers and tasks, addresses every endpoint's (each node's
 * load balancer included) and the VIPs. Returns "truth | store's clusterUse" for `ov`.
 */
async function overlayCounts(snapshot: ReturnType<SnapshotStore['getSnapshot']>, networks: ReadonlyArray<{id: string; name: string}>): Promise<string> {
	const ov = networks.find(network => network.name === 'ov');
	if (ov === undefined) return ' | ';
	const inspect = async (node: SwarmNodeHandle): Promise<RawOverlay | undefined> => {
		try {
			return (JSON.parse(await lab.docker(node, ['network', 'inspect', '-v', ov.id])) as RawOverlay[])[0];
		} catch {
			return undefined;
		}
	};

	const manager = await inspect(lab.manager);
	const peers = new Set((manager?.Peers ?? []).map(peer => peer.IP));
	const members = new Set<string>();
	const addresses = new Set<string>();
	for (const node of lab.nodes) {
		if (!peers.has(node.address)) continue;
		const view = node === lab.manager ? manager : await inspect(node);
		for (const [key, endpoint] of Object.entries(view?.Containers ?? {})) {
			if (!endpoint.EndpointID) continue;
			if (!key.startsWith('lb-')) members.add(endpoint.EndpointID);
			if (endpoint.IPv4Address) addresses.add(endpoint.IPv4Address.split('/')[0] ?? '');
		}
	}

	for (const service of Object.values(manager?.Services ?? {})) {
		if (service.VIP && service.VIP !== '<nil>') addresses.add(service.VIP);
	}

	const cluster = snapshot.swarm.networks.get(ov.id);
	const use = cluster === undefined ? {members: 0, used: 0} : clusterUse(cluster);
	return `ov ${members.size} members ${addresses.size} used | ov ${use.members} members ${use.used} used`;
}

/** Waits until the watcher's store equals a fresh listing (networks, containers inspected, and the swarm). */
async function converged(watcher: Watcher, what: string, timeoutMs = 25_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	for (;;) {
		try {
			const [info, networks, listed] = await Promise.all([
				watcher.gateway.info(),
				watcher.gateway.listNetworks(),
				watcher.gateway.listContainers(),
			]);
			// Each listed container as its inspect says, as `docknet snapshot` collects them:
			// Docker 20.10 under load lists a started task as "created" while its inspect says running.
			const containers = await Promise.all(listed.map(async container => (await watcher.gateway.inspectContainer(container.id)) ?? container));
			const swarm = await readSwarm(watcher.gateway, info, networks);
			const snapshot = watcher.store.getSnapshot();
			const counts = watcher.node === lab.manager ? await overlayCounts(snapshot, networks) : '';
			const want = `${listingKey(networks, containers)}\n${swarmKey(swarm)}\n${counts.split(' | ')[0] ?? ''}`;
			const have = `${listingKey(snapshot.networks, snapshot.containers)}\n${swarmKey(snapshot.swarm)}\n${counts.split(' | ')[1] ?? ''}`;
			if (want === have) return;
			last = `store:  ${have}\nengine: ${want}`;
		} catch (error) {
			last = String(error);
		}

		if (Date.now() > deadline) assert.fail(`${watcher.node.key} after ${what}: the store did not converge\n${last}`);
		await sleep(400);
	}
}

/** A small seeded generator, so a failing sequence can be replayed (DOCKNET_SWARM_SEED). */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

describe('a 3-node swarm', {timeout: 240_000}, () => {
	test('snapshot --json on the manager: nodes, services, tasks, and overlay members on every node', async () => {
		const node = (name: string) => `${lab.base}-${name}`;
		// The tasks need a moment to be placed and started on the workers.
		let json: Record<string, unknown> = {};
		const deadline = Date.now() + 30_000;
		for (;;) {
			json = await snapshotJson(lab.manager);
			const tasks = json['tasks'] as Array<{state: string}>;
			const ovNow = (json['networks'] as Array<{name: string; cluster: null | {plumbing: {fdb?: Array<{node: string}>}}}>).find(item => item.name === 'ov');
			const fdbNodes = new Set((ovNow?.cluster?.plumbing.fdb ?? []).map(entry => entry.node));
			// The remote endpoints reach this node's fdb by gossip, a moment after they start.
			if (tasks.length === 3 && tasks.every(task => task.state === 'running') && fdbNodes.has(node('b')) && fdbNodes.has(node('c'))) break;
			if (Date.now() > deadline) assert.fail(`the tasks did not run: ${JSON.stringify(tasks)}`);
			await sleep(500);
		}

		assert.equal(json['schema'], 'docknet.snapshot/1');
		assert.deepEqual((json['swarm'] as {role: string}).role, 'manager');
		const nodes = json['nodes'] as Array<{hostname: string; role: string; state: string; address: string; self: boolean}>;
		assert.deepEqual(nodes.map(item => `${item.hostname} ${item.role} ${item.state} ${item.address}`), [
			`${node('a')} manager ready ${lab.nodes[0]?.address}`,
			`${node('b')} worker ready ${lab.nodes[1]?.address}`,
			`${node('c')} worker ready ${lab.nodes[2]?.address}`,
		]);
		assert.ok(nodes[0]?.self);
		const services = json['services'] as Array<{name: string; mode: string; vips: Array<{address: string}>}>;
		assert.equal(services[0]?.name, 'web');
		assert.equal(services[0]?.mode, 'replicated 3');
		assert.match(services[0]?.vips[0]?.address ?? '', /^10\.0\.\d+\.\d+\/\d+$/);
		const tasks = json['tasks'] as Array<{name: string; node: string; networks: Array<{network: string; addresses: string[]}>}>;
		for (const task of tasks) {
			assert.match(task.name, new RegExp(`^web\\.[123]@${lab.base}-[abc]$`));
			assert.equal(task.name.split('@')[1], task.node);
			assert.equal(task.networks[0]?.network, 'ov');
		}

		interface Plumbing {
			namespace: string;
			bridge: string;
			vxlan: {name: string; vni: string; port: string} | null;
			fdb: Array<{mac: string; address: string; node: string}>;
		}
		const networks = json['networks'] as Array<{name: string; cluster: null | {vni: string; peers: unknown[]; plumbing: Plumbing; members: Array<{name: string; kind: string; node: string; ipv4: string}>}}>;
		const ov = networks.find(item => item.name === 'ov');
		assert.ok(ov?.cluster, 'ov has a cluster view');
		assert.match(ov.cluster.vni, /^\d+$/);
		assert.equal(ov.cluster.peers.length, 3);
		const members = ov.cluster.members;
		assert.ok(members.some(member => member.name === 'ct-b' && member.node === node('b') && member.kind === 'container'), 'ct-b on b');
		assert.ok(members.some(member => member.name === 'ct-c' && member.node === node('c')), 'ct-c on c');
		assert.equal(members.filter(member => member.kind === 'task').length, 3);
		assert.ok(members.some(member => member.kind === 'lb' && member.node === node('a')), "the manager's load balancer");
		assert.equal(networks.find(item => item.name === 'bridge')?.cluster, null);
		// This node's plumbing of ov: its hidden namespace, br0, vxlan0 with the VNI, fdb entries to b and c.
		const plumbing = ov.cluster.plumbing;
		assert.match(plumbing.namespace, /^1-[a-z0-9]{10}$/);
		assert.equal(plumbing.bridge, 'br0');
		assert.deepEqual(plumbing.vxlan, {name: 'vxlan0', vni: ov.cluster.vni, port: '4789'});
		const remote = members.filter(member => member.node !== node('a') && member.kind !== 'lb').map(member => member.ipv4);
		for (const entry of plumbing.fdb) {
			assert.notEqual(entry.node, node('a'), 'fdb entries point at other nodes');
			// Overlay MACs are made from the IPv4 address (02:42 + its four bytes).
			const ip = entry.mac.split(':').slice(2).map(part => Number.parseInt(part, 16)).join('.');
			if (remote.includes(ip)) assert.equal(members.find(member => member.ipv4 === ip)?.node, entry.node, `${entry.mac} is on ${entry.node}`);
		}
	});

	test("the manager's screen: nodes, services, tasks by name, endpoints on every node; a task started on a worker appears", async () => {
		const app = startDocknet({args: ['--host', lab.manager.dockerHost], netns: lab.manager.name, columns: 220, rows: 60});
		await app.waitForText(/● live/, 20_000);
		// The host pane: a task's way out on docker_gwbridge by its task name and address there,
		// and the ingress sandbox's veth named though no container is behind it.
		await app.waitForText(new RegExp(`web\\.\\d@${lab.base}-a:eth1 \\(docker_gwbridge 172\\.\\d+\\.\\d+\\.\\d+\\)`), 15_000);
		await app.waitForText(/engine sandbox ingress-sbox \(docker_gwbridge 172\./, 15_000);
		app.press('s');
		await app.waitForText('Nodes (3)', 10_000);
		await app.waitForText(new RegExp(`${lab.base}-b\\s+worker\\s+active\\s+Ready\\s+${lab.nodes[1]?.address}`));
		await app.waitForText(new RegExp(`web\\.\\d@${lab.base}-c\\s+running\\s+ov 10\\.0\\.`));
		await app.waitForText(new RegExp(`ct-b\\s+container\\s+${lab.base}-b\\s+10\\.0\\.`));
		// A task placed on worker b: no event reaches the manager when it starts there.
		await lab.docker(lab.manager, ['service', 'create', '-d', '--name', 'solo', '--constraint', `node.hostname==${lab.base}-b`, '--network', 'ov', '--no-resolve-image', TEST_IMAGE, 'sleep', '1000000']);
		await app.waitForText(new RegExp(`solo\\.1@${lab.base}-b\\s+running\\s+ov 10\\.0\\.`), 30_000);
		// Back in the panes: the overlay counts its members on every node.
		app.press('s');
		// 3 web tasks, solo, ct-b and ct-c; the use adds the VIPs and load balancers.
		// (At 220 columns the SCOPE and GATEWAY columns are shown too.)
		await app.waitForText(/ov\s+overlay\s+swarm\s+10\.0\.\d+\.0\/24\s+10\.0\.\d+\.1\s+6\s+\d+\/254/, 10_000);
		await lab.docker(lab.manager, ['service', 'rm', 'solo']);
		await app.dispose();
	});

	test("the workers' engines in the manager's picture: o finds the docker contexts that are nodes and opens them; rows say whose, the overlay stays one row", async () => {
		const config = await mkdtemp(path.join(os.tmpdir(), 'docknet-contexts-'));
		try {
			const [, b, c] = lab.nodes;
			assert.ok(b && c);
			// Contexts as a user would make them; one more that is no node of this swarm.
			for (const [name, host] of [['lab-b', b.dockerHost], ['lab-c', c.dockerHost], ['elsewhere', 'unix:///nonexistent/docker.sock']] as const) {
				await execFileAsync('docker', ['context', 'create', name, '--docker', `host=${host}`], {env: {...process.env, DOCKER_CONFIG: config}});
			}

			const app = startDocknet({args: ['--host', lab.manager.dockerHost], netns: lab.manager.name, columns: 200, rows: 60, env: {DOCKER_CONFIG: config}});
			await app.waitForText(/● live/, 20_000);
			app.press('s');
			await app.waitForText("Other nodes' engines (2 not open here)", 10_000);
			assert.match(app.text(), /o asks your docker contexts/);
			app.press('o');
			await app.waitForText(/Opened lab-b, lab-c/, 15_000);
			app.press('s');
			await app.waitFor(lines => (lines[0] ?? '').includes('● 3 engines live'), 'three engines live', 20_000);
			const overlayRows = (lines: readonly string[]): number => lines.filter(line => /^\S?\s+ov\s/.test(line)).length;
			// The screen is read between frames too: judge a whole one, with the overlay's row on it.
			let judged: readonly string[] = [];
			await app.waitFor(
				lines => {
					const whole = lines.some(line => /\bct-b\b/.test(line) && line.includes('lab-b')) && lines.some(line => /\bct-c\b/.test(line) && line.includes('lab-c')) && overlayRows(lines) > 0;
					if (whole) judged = lines;
					return whole;
				},
				"each worker's container with its engine, and the overlay's row",
				15_000,
			);
			assert.equal(overlayRows(judged), 1, 'the overlay is one row');
			app.press('q');
			assert.equal((await app.exited).exitCode, 0);
		} finally {
			await rm(config, {recursive: true, force: true});
		}
	});

	test('a randomized sequence of changes: after each, every watched store equals a fresh listing', async () => {
		const seed = Number(process.env['DOCKNET_SWARM_SEED'] ?? Date.now() % 1_000_000);
		process.stderr.write(`[swarm] random sequence seed ${seed} (DOCKNET_SWARM_SEED=${seed} replays it)\n`);
		const next = random(seed);
		const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
		const [a, b, c] = lab.nodes as [SwarmNodeHandle, SwarmNodeHandle, SwarmNodeHandle];
		const watched = [watch(a), watch(b)];
		for (const watcher of watched) {
			await watcher.sync.firstLoad;
			await converged(watcher, 'the start');
		}

		interface Made {
			node: SwarmNodeHandle;
			name: string;
		}
		const made: {networks: Made[]; containers: Made[]; services: string[]} = {networks: [], containers: [], services: []};
		let serial = 0;
		let cInSwarm = true;
		const operations: Record<string, () => Promise<string | undefined>> = {
			async network() {
				const node = pick([a, b]);
				const name = `rn${++serial}`;
				await lab.docker(node, ['network', 'create', name]);
				made.networks.push({node, name});
				return `network create ${name} on ${node.key}`;
			},
			async run() {
				const node = pick([a, b]);
				const name = `rc${++serial}`;
				const local = made.networks.filter(item => item.node === node).map(item => item.name);
				const network = pick(['bridge', 'ov', ...local]);
				await lab.docker(node, ['run', '-d', '--name', name, '--network', network, TEST_IMAGE, 'sleep', '1000000']);
				made.containers.push({node, name});
				return `run ${name} on ${node.key} (${network})`;
			},
			async connect() {
				if (made.containers.length === 0) return undefined;
				const container = pick(made.containers);
				const local = made.networks.filter(item => item.node === container.node).map(item => item.name);
				const network = pick(['ov', ...local]);
				try {
					await lab.docker(container.node, ['network', 'connect', network, container.name]);
				} catch {
					return undefined;
				}

				return `connect ${container.name} to ${network}`;
			},
			async disconnect() {
				if (made.containers.length === 0) return undefined;
				const container = pick(made.containers);
				const network = pick(['bridge', 'ov', ...made.networks.filter(item => item.node === container.node).map(item => item.name)]);
				try {
					await lab.docker(container.node, ['network', 'disconnect', network, container.name]);
				} catch {
					return undefined;
				}

				return `disconnect ${container.name} from ${network}`;
			},
			async removeContainer() {
				if (made.containers.length === 0) return undefined;
				const container = pick(made.containers);
				made.containers = made.containers.filter(item => item !== container);
				await lab.docker(container.node, ['rm', '-f', container.name]);
				return `rm ${container.name}`;
			},
			async removeNetwork() {
				if (made.networks.length === 0) return undefined;
				const network = pick(made.networks);
				try {
					await lab.docker(network.node, ['network', 'rm', network.name]);
				} catch {
					return undefined;
				}

				made.networks = made.networks.filter(item => item !== network);
				return `network rm ${network.name}`;
			},
			async serviceCreate() {
				const name = `rs${++serial}`;
				await lab.docker(a, ['service', 'create', '-d', '--name', name, '--replicas', String(1 + Math.floor(next() * 3)), '--network', 'ov', '--no-resolve-image', TEST_IMAGE, 'sleep', '1000000']);
				made.services.push(name);
				return `service create ${name}`;
			},
			async serviceScale() {
				if (made.services.length === 0) return undefined;
				const name = pick(made.services);
				const replicas = Math.floor(next() * 4);
				await lab.docker(a, ['service', 'scale', '-d', `${name}=${replicas}`]);
				return `service scale ${name}=${replicas}`;
			},
			async serviceRemove() {
				if (made.services.length === 0) return undefined;
				const name = pick(made.services);
				made.services = made.services.filter(item => item !== name);
				await lab.docker(a, ['service', 'rm', name]);
				return `service rm ${name}`;
			},
			async leaveOrJoin() {
				// Node c leaves the swarm (no event on c for its networks going) or joins again.
				if (cInSwarm) {
					await lab.docker(c, ['swarm', 'leave', '--force']);
					cInSwarm = false;
					return 'c leaves the swarm';
				}

				const token = await lab.docker(a, ['swarm', 'join-token', '-q', 'worker']);
				await lab.docker(c, ['swarm', 'join', '--token', token, '--advertise-addr', c.address, `${a.address}:2377`]);
				cInSwarm = true;
				return 'c joins again';
			},
		};
		const names = Object.keys(operations);
		const done: string[] = [];
		// Nine changes that happened (a pick with nothing to act on is skipped); c leaves after
		// the third and joins again after the sixth.
		for (let attempt = 0; done.length < 9 && attempt < 40; attempt++) {
			const leaveOrJoin = (done.length === 3 && cInSwarm) || (done.length === 6 && !cInSwarm);
			const name = leaveOrJoin ? 'leaveOrJoin' : pick(names.filter(item => item !== 'leaveOrJoin'));
			const outcome = await operations[name]?.();
			if (outcome === undefined) continue;
			done.push(outcome);
			for (const watcher of watched) await converged(watcher, `${done.join(' → ')} (seed ${seed})`);
		}

		watch(c);
		assert.equal(done.length, 9, `nine operations ran: ${done.join(', ')}`);
		for (const service of made.services) await lab.docker(a, ['service', 'rm', service]).catch(() => undefined);
		if (!cInSwarm) {
			const token = await lab.docker(a, ['swarm', 'join-token', '-q', 'worker']);
			await lab.docker(c, ['swarm', 'join', '--token', token, '--advertise-addr', c.address, `${a.address}:2377`]);
		}
	});

	test("a run that fails on a worker leaves a created container: it shows at once; the overlay it asked for is one only services may join", async () => {
		const [a, b] = lab.nodes as [SwarmNodeHandle, SwarmNodeHandle, SwarmNodeHandle];
		const worker = watchers.find(watcher => watcher.node === b) ?? watch(b);
		await worker.sync.firstLoad;
		await lab.docker(a, ['network', 'create', '-d', 'overlay', 'svc-only']);
		// A task on b makes the network known there.
		await lab.docker(a, ['service', 'create', '-d', '--name', 'svc-only-task', '--network', 'svc-only', '--constraint', `node.hostname==${b.name}`, '--no-resolve-image', TEST_IMAGE, 'sleep', '1000000']);
		const knownBy = Date.now() + 30_000;
		while (!worker.store.getSnapshot().networks.some(network => network.name === 'svc-only')) {
			if (Date.now() > knownBy) assert.fail('svc-only never reached b');
			await sleep(200);
		}

		const network = worker.store.getSnapshot().networks.find(item => item.name === 'svc-only');
		assert.match(networkJoinBlocker(network!) ?? '', /only services can join it/);
		const ranAt = Date.now();
		await assert.rejects(lab.docker(b, ['run', '-d', '--name', 'failed-run', '--network', 'svc-only', TEST_IMAGE, 'sleep', '1000000']), /not manually attachable/);
		const shownBy = Date.now() + 5000;
		for (;;) {
			const container = worker.store.getSnapshot().containers.find(item => item.name === 'failed-run');
			if (container?.state === 'created') break;
			if (Date.now() > shownBy) assert.fail(`the created container is not in b's store 5 s after the run (${container?.state ?? 'missing'})`);
			await sleep(100);
		}

		process.stderr.write(`[swarm] failed run's container shown ${Date.now() - ranAt} ms after the run\n`);
		await lab.docker(b, ['rm', '-f', 'failed-run']);
		await lab.docker(a, ['service', 'rm', 'svc-only-task']);
		await converged(worker, 'the failed run removed');
	});

	test("a worker's engine killed and started again: its rows show exited as soon as it says so, never running while live; the counts follow", async () => {
		const [a, b] = lab.nodes as [SwarmNodeHandle, SwarmNodeHandle, SwarmNodeHandle];
		const manager = watchers.find(watcher => watcher.node === a) ?? watch(a);
		const worker = watchers.find(watcher => watcher.node === b) ?? watch(b);
		await manager.sync.firstLoad;
		await worker.sync.firstLoad;
		await lab.docker(b, ['run', '-d', '--name', 'doomed-b', '--network', 'ov', TEST_IMAGE, 'sleep', '1000000']);
		await converged(worker, 'doomed-b started');
		await converged(manager, 'doomed-b started');
		const runningBefore = new Set(worker.store.getSnapshot().containers.filter(container => container.state === 'running').map(container => container.id));
		assert.ok(runningBefore.size >= 2, 'ct-b, doomed-b and a task run on b');
		// Every moment the store calls the engine live, no container that died with it may say running.
		const runningWhileLive: string[] = [];
		let restartedAt = Number.POSITIVE_INFINITY;
		const unsubscribe = worker.store.subscribe(() => {
			const snapshot = worker.store.getSnapshot();
			if (snapshot.connection.status !== 'live' || Date.now() < restartedAt) return;
			for (const container of snapshot.containers) {
				if (runningBefore.has(container.id) && container.state === 'running') runningWhileLive.push(container.name);
			}
		});
		try {
			lab.killEngine(b);
			const lostBy = Date.now() + 20_000;
			while (worker.store.getSnapshot().connection.status === 'live' && Date.now() < lostBy) await sleep(100);
			assert.notEqual(worker.store.getSnapshot().connection.status, 'live', "b's engine is seen gone");
			restartedAt = Date.now();
			await lab.startEngine(b);
			const answeredAt = Date.now();
			const listed = await lab.docker(b, ['ps', '-a', '--format', '{{.ID}} {{.State}}']);
			const exitedNow = listed.split('\n').filter(line => line.endsWith(' exited')).length;
			assert.ok(exitedNow >= 2, `the engine lists its containers exited as it answers again:\n${listed}`);
			const shownBy = answeredAt + 12_000;
			for (;;) {
				const snapshot = worker.store.getSnapshot();
				const stillRunning = snapshot.containers.filter(container => runningBefore.has(container.id) && container.state === 'running');
				if (snapshot.connection.status === 'live' && stillRunning.length === 0) break;
				if (Date.now() > shownBy) assert.fail(`12 s after b answered: ${snapshot.connection.status}, still running: ${stillRunning.map(container => container.name).join(', ')}`);
				await sleep(100);
			}

			process.stderr.write(`[swarm] b restarted: exited shown ${Date.now() - answeredAt} ms after the engine answered\n`);
		} finally {
			unsubscribe();
		}

		assert.deepEqual(runningWhileLive, [], 'no dead container said running while b was live');
		await converged(worker, 'b restarted');
		// The manager's counts drop what died with b's engine (and count its new task).
		await converged(manager, 'b restarted');
		await lab.docker(b, ['rm', '-f', 'doomed-b']);
	});

	test("snapshot over ssh:// to the manager through an sshd with its default MaxSessions: every task and container, no session refused", async () => {
		const [a] = lab.nodes as [SwarmNodeHandle, SwarmNodeHandle, SwarmNodeHandle];
		const sshd = await startTestSshd({dir: path.join(os.tmpdir(), `docknet-swarm-sshd-${process.pid}`), netns: a.name, dockerHost: a.dockerHost, port: TEST_SSHD_PORT + 9});
		try {
			const listed = (await lab.docker(a, ['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(name => name !== '');
			const result = await new Promise<{stdout: string; stderr: string; code: number}>(resolve => {
				const env = {...process.env, PATH: `${sshd.binDir}:${process.env['PATH'] ?? ''}`};
				execFile('nsenter', [`--net=/var/run/netns/${a.name}`, process.execPath, docknetBundle, 'snapshot', '--json', '--host', sshd.url], {env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
					resolve({stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1});
				});
			});
			assert.equal(result.code, 0, result.stderr);
			const json = JSON.parse(result.stdout) as {swarm: {role: string}; tasks: unknown[]; containers: Array<{name: string}>};
			assert.equal(json.swarm.role, 'manager');
			assert.ok(json.tasks.length > 0, 'the tasks are listed');
			assert.deepEqual(json.containers.map(container => container.name).sort(), listed.sort());
			const refused = readFileSync(sshd.logFile, 'utf8').split('\n').filter(line => /no more sessions/i.test(line)).length;
			assert.ok(refused <= 1, `sshd refused ${refused} sessions`);
		} finally {
			await sshd.stop();
		}
	});

	test("a node's engine killed: the manager shows it Down, nothing crashes, the other engines keep going", async () => {
		const [a, b, c] = lab.nodes as [SwarmNodeHandle, SwarmNodeHandle, SwarmNodeHandle];
		const app = startDocknet({args: ['--host', a.dockerHost], netns: a.name, columns: 160, rows: 50});
		await app.waitForText(/● live/, 20_000);
		app.press('s');
		await app.waitForText(new RegExp(`${c.name}\\s+worker\\s+active\\s+Ready`), 30_000);
		lab.killEngine(c);
		// The manager declares a node down once its heartbeats stop (a few periods of 5 s).
		await app.waitForText(new RegExp(`${c.name}\\s+worker\\s+active\\s+Down`), 60_000);
		assert.equal(app.hasExited, false);
		const manager = watchers.find(watcher => watcher.node === a);
		if (manager !== undefined) await converged(manager, 'c went down');
		const worker = watchers.find(watcher => watcher.node === b);
		assert.equal(worker?.store.getSnapshot().connection.status, 'live', "b's engine is unaffected");
		await lab.docker(b, ['run', '-d', '--name', 'after-c', '--network', 'ov', TEST_IMAGE, 'sleep', '1000000']);
		await app.waitForText(new RegExp(`after-c\\s+container\\s+${b.name}`), 30_000);
		await app.dispose();
	});
});
