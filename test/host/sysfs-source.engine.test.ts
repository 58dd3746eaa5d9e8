import assert from 'node:assert/strict';
import {fakeNetwork} from '../helpers/fake-gateway.js';
import * as fs from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {bridgeNameForNetwork, joinHostView} from '../../source/host/bridges.js';
import type {VethPeerScan} from '../../source/model/host-source.js';
import type {DockerContainer, DockerNetwork, HostInterface} from '../../source/model/types.js';
import {TestResources, dockerCli, requireTestEngine, uniqueName} from '../helpers/engine-harness.js';
import {fakeContainer} from './fake-host-tree.js';
import {runOrThrow} from '../helpers/run-process.js';

// The real thing: containers on the private test engine, host interfaces read inside its
// network namespace, checked against what the kernel says directly (each container's own
// /proc/<pid>/root/sys/class/net/*/iflink and `ip -n <netns> -j link`).

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const dumpScript = path.join(import.meta.dirname, 'fixtures', 'dump-host-view.ts');

const run = async (file: string, args: string[], options: {cwd?: string} = {}): Promise<string> => runOrThrow(file, args, {timeoutMs: 60_000, ...options});

interface Dump {
	scan: HostInterface[];
	peers: VethPeerScan;
	heuristicKinds: Record<string, string>;
	sshScan: HostInterface[];
	sshPeers: VethPeerScan;
}

interface Truth {
	/** Container interface name → host ifindex, from the container's own sysfs. */
	hostIndexes: Map<string, number>;
}

async function inspectContainer(id: string): Promise<DockerContainer> {
	const raw = JSON.parse(await dockerCli(['inspect', id])) as Array<{
		Id: string;
		Name: string;
		State: {Pid: number};
		HostConfig: {NetworkMode: string};
		NetworkSettings: {Networks: Record<string, {NetworkID: string; MacAddress: string; EndpointID: string}>};
	}>;
	const [entry] = raw;
	assert.ok(entry);
	const pid = Number(await dockerCli(['inspect', '-f', '{{.State.Pid}}', id]));
	return fakeContainer(
		{id: entry.Id, name: entry.Name.replace(/^\//, ''), pid, networkMode: entry.HostConfig.NetworkMode},
		Object.entries(entry.NetworkSettings.Networks).map(([networkName, network]) => ({
			networkName,
			networkId: network.NetworkID,
			endpointId: network.EndpointID,
			mac: network.MacAddress || undefined,
		})),
	);
}

async function inspectNetwork(idOrName: string): Promise<DockerNetwork> {
	const [entry] = JSON.parse(await dockerCli(['network', 'inspect', idOrName])) as Array<{
		Id: string;
		Name: string;
		Driver: string;
		Options: Record<string, string> | null;
	}>;
	assert.ok(entry);
	return fakeNetwork({id: entry.Id, name: entry.Name, driver: entry.Driver, options: entry.Options ?? {}});
}

/** What the kernel says, read without docknet's code: the container's interfaces and their iflink. */
async function groundTruth(pid: number): Promise<Truth> {
	const directory = `/proc/${pid}/root/sys/class/net`;
	const hostIndexes = new Map<string, number>();
	for (const name of await fs.readdir(directory)) {
		if (name === 'lo') continue;
		hostIndexes.set(name, Number((await fs.readFile(path.join(directory, name, 'iflink'), 'utf8')).trim()));
	}
	return {hostIndexes};
}

describe('host interfaces of the real test engine', () => {
	const engine = requireTestEngine();
	const resources = new TestResources();
	let workDirectory: string;
	let dump: Dump;
	let kernelLinks: Array<{ifindex: number; ifname: string; master?: string}>;
	let userNetwork: DockerNetwork;
	let bridgeNetwork: DockerNetwork;
	const containers: Record<'solo' | 'dual' | 'user' | 'hostMode' | 'noneMode', DockerContainer> = {} as never;
	const truths = new Map<string, Truth>();
	const others: DockerContainer[] = [];

	before(async () => {
		workDirectory = await fs.mkdtemp(path.join(tmpdir(), 'docknet-host-engine-'));
		const userNetworkId = await resources.createNetwork(uniqueName('hostnet'));
		const ids = {
			solo: await resources.runContainer(uniqueName('solo')),
			dual: await resources.runContainer(uniqueName('dual')),
			user: await resources.runContainer(uniqueName('user'), {network: userNetworkId}),
			hostMode: await resources.runContainer(uniqueName('hostmode'), {network: 'host'}),
			noneMode: await resources.runContainer(uniqueName('nonemode'), {network: 'none'}),
		};
		await dockerCli(['network', 'connect', userNetworkId, ids.dual]);
		for (const [key, id] of Object.entries(ids) as Array<[keyof typeof ids, string]>) {
			containers[key] = await inspectContainer(id);
			assert.ok((containers[key].pid ?? 0) > 0, `${key} is running`);
			truths.set(containers[key].id, await groundTruth(containers[key].pid ?? 0));
		}
		userNetwork = await inspectNetwork(userNetworkId);
		bridgeNetwork = await inspectNetwork('bridge');

		// Containers other test files left running on the shared engine, so every veth has an owner.
		const ours = new Set(Object.values(containers).map((container) => container.id));
		const running = (await dockerCli(['ps', '-q', '--no-trunc'])).split('\n').filter((id) => id !== '' && !ours.has(id));
		for (const id of running) others.push(await inspectContainer(id));

		const containersFile = path.join(workDirectory, 'containers.json');
		await fs.writeFile(containersFile, JSON.stringify([...Object.values(containers), ...others]));
		// An ssh that runs the remote command right here, inside the namespace.
		const standInSsh = path.join(workDirectory, 'ssh');
		await fs.writeFile(standInSsh, '#!/bin/sh\nfor a; do last=$a; done\nexec sh -c "$last"\n', {mode: 0o755});
		const output = await run('ip', ['netns', 'exec', engine.netns, process.execPath, '--import', 'tsx', dumpScript, containersFile, standInSsh], {
			cwd: repoRoot,
		});
		dump = JSON.parse(output) as Dump;
		kernelLinks = JSON.parse(await run('ip', ['-n', engine.netns, '-j', 'link', 'show'])) as typeof kernelLinks;
	});

	after(async () => {
		await resources.cleanup();
		if (workDirectory) await fs.rm(workDirectory, {recursive: true, force: true});
	});

	const byIndex = (index: number) => dump.scan.find((item) => item.ifindex === index);
	const peersOf = (scan: VethPeerScan, container: DockerContainer) =>
		scan.status === 'ok' ? scan.peers.filter((peer) => peer.containerId === container.id) : [];

	test('the scan lists exactly the namespace interfaces, docker0 and the user bridge as bridges', () => {
		assert.deepEqual(
			dump.scan.map((item) => `${item.ifindex}:${item.name}`).sort(),
			kernelLinks.map((link) => `${link.ifindex}:${link.ifname}`).sort(),
		);
		const docker0 = dump.scan.find((item) => item.name === 'docker0');
		assert.equal(docker0?.kind, 'bridge');
		assert.ok(docker0?.addresses.some((address) => address.startsWith('172.17.0.1/')), JSON.stringify(docker0?.addresses));
		const userBridge = bridgeNameForNetwork(userNetwork);
		assert.equal(userBridge, `br-${userNetwork.id.slice(0, 12)}`);
		assert.equal(dump.scan.find((item) => item.name === userBridge)?.kind, 'bridge');
		assert.equal(dump.scan.find((item) => item.name === 'lo')?.kind, 'loopback');
		for (const link of kernelLinks) {
			assert.equal(dump.scan.find((item) => item.name === link.ifname)?.master, link.master, `master of ${link.ifname}`);
		}
	});

	test('sysfs heuristics alone agree with ip on every kind', () => {
		assert.deepEqual(dump.heuristicKinds, Object.fromEntries(dump.scan.map((item) => [item.name, item.kind])));
	});

	test('every container on a bridge network has one veth per network, with the right interface and network', () => {
		assert.equal(dump.peers.status, 'ok', JSON.stringify(dump.peers));
		const expectedBridge = new Map([
			[bridgeNetwork.id, 'docker0'],
			[userNetwork.id, `br-${userNetwork.id.slice(0, 12)}`],
		]);
		for (const key of ['solo', 'dual', 'user'] as const) {
			const container = containers[key];
			const truth = truths.get(container.id)!;
			const peers = peersOf(dump.peers, container);
			assert.equal(peers.length, truth.hostIndexes.size, `${key}: one veth per container interface`);
			assert.equal(peers.length, container.endpoints.length, `${key}: one veth per network`);
			for (const peer of peers) {
				assert.equal(peer.hostIfindex, truth.hostIndexes.get(peer.containerInterface), `${key} ${peer.containerInterface}`);
				const veth = byIndex(peer.hostIfindex);
				assert.equal(veth?.kind, 'veth');
				const endpoint = container.endpoints.find((candidate) => candidate.mac === peer.containerMac);
				assert.ok(endpoint, `${key}: the MAC ${peer.containerMac} is one of the container's endpoints`);
				assert.equal(peer.networkId, endpoint.networkId);
				assert.equal(peer.networkName, endpoint.networkName);
				assert.equal(veth?.master, expectedBridge.get(endpoint.networkId), `${key}: the veth hangs on its network's bridge`);
			}
		}
		assert.deepEqual(peersOf(dump.peers, containers.dual).map((peer) => peer.networkId).sort(), [bridgeNetwork.id, userNetwork.id].sort());
	});

	test('host-mode and none-mode containers have no veth', () => {
		assert.deepEqual(peersOf(dump.peers, containers.hostMode), []);
		assert.deepEqual(peersOf(dump.peers, containers.noneMode), []);
		assert.equal(truths.get(containers.noneMode.id)?.hostIndexes.size, 0, 'none: only lo inside');
	});

	test('every veth in the namespace belongs to exactly one container interface', () => {
		const veths = dump.scan.filter((item) => item.kind === 'veth').map((item) => item.ifindex).sort((a, b) => a - b);
		const mapped = dump.peers.status === 'ok' ? dump.peers.peers.map((peer) => peer.hostIfindex).sort((a, b) => a - b) : [];
		assert.ok(veths.length >= 4, 'solo, dual ×2, user');
		assert.deepEqual(mapped, veths);
	});

	test('joinHostView maps bridges to networks and containers to veths', () => {
		const view = joinHostView({
			interfaces: dump.scan,
			peers: dump.peers.status === 'ok' ? dump.peers.peers : [],
			networks: [bridgeNetwork, userNetwork],
			containers: Object.values(containers),
		});
		const userBridge = `br-${userNetwork.id.slice(0, 12)}`;
		assert.equal(view.networkByBridge.get(userBridge), userNetwork.id);
		assert.equal(view.networkByBridge.get('docker0'), bridgeNetwork.id);
		assert.deepEqual(view.interfaces.get(userBridge)?.network, {id: userNetwork.id, name: userNetwork.name});
		assert.equal(view.vethsByContainer.get(containers.dual.id)?.length, 2);
		assert.equal(view.vethsByContainer.get(containers.hostMode.id), undefined);
		const userSide = view.byNetwork.get(userNetwork.id);
		assert.equal(userSide?.bridge, userBridge);
		assert.equal(userSide?.veths.length, 2, 'dual and user');
		for (const veth of userSide?.veths ?? []) assert.equal(view.interfaces.get(veth)?.bridgeNetwork?.id, userNetwork.id);
	});

	test('the ssh source, run against the same namespace, sees the same', () => {
		assert.deepEqual(dump.sshPeers, dump.peers);
		const kinds = (scan: HostInterface[]) => Object.fromEntries(scan.map((item) => [item.name, `${item.kind} ${item.master ?? ''}`]));
		assert.deepEqual(kinds(dump.sshScan), kinds(dump.scan));
	});
});
