import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, describe, test} from 'node:test';
import {emptyHostView} from '../../source/host/bridges.js';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {SnapshotStore} from '../../source/model/store.js';
import type {DockerContainer, DockerNetwork} from '../../source/model/types.js';
import {freeAddresses} from '../../source/ui/presentation/action-dialogs.js';
import {containerDetails, networkDetails} from '../../source/ui/presentation/details.js';
import {containerColumns, containerRows, networkColumns, networkRows} from '../../source/view/pane-rows.js';
import {buildTopology, flattenTopology} from '../../source/ui/presentation/topology.js';
import {dockerCli, requireTestEngine, TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {docknetBundle} from '../helpers/pty-app.js';
import {waitFor} from '../helpers/wait-for.js';

// The live picture against `docker inspect`, for what a realistic host has and the first
// version got wrong: healthchecks, stopped containers on networks, a start that failed,
// aliases of stopped containers, IPv6 gateways, exposed-only ports, pools whose IPAM config
// names no gateway, restart loops. Every expectation is read from the engine itself.

const engine = requireTestEngine();
const endpoint = resolveEngineEndpoint({hostFlag: engine.dockerHost, env: {}, homeDir: '/nonexistent'});
const resources = new TestResources();
const syncs: EngineSync[] = [];

/** An EngineSync with docknet's own defaults (reconcile every 5 s), started and loaded. */
async function startSync(): Promise<{store: SnapshotStore; sync: EngineSync}> {
	const store = new SnapshotStore();
	const sync = new EngineSync(createDockerGateway(endpoint), store);
	syncs.push(sync);
	sync.start();
	await sync.firstLoad;
	return {store, sync};
}

after(async () => {
	for (const sync of syncs) sync.stop();
	await resources.cleanup();
});

interface Inspected {
	Id: string;
	State: {Status: string; Health?: {Status: string}};
	NetworkSettings: {Networks: Record<string, {NetworkID: string; IPAddress: string; IPv6Gateway: string; Aliases: string[] | null}>};
}

async function inspect(name: string): Promise<Inspected> {
	return (JSON.parse(await dockerCli(['inspect', name])) as Inspected[])[0] as Inspected;
}

async function networkId(name: string): Promise<string> {
	return dockerCli(['network', 'inspect', '--format', '{{.Id}}', name]);
}

/** Polls an engine-side condition (a CLI call each time, so not in a tight loop). */
async function waitUntil(predicate: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await predicate())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}

const byName = (store: SnapshotStore, name: string): DockerContainer | undefined => store.getSnapshot().containers.find(container => container.name === name);
const network = (store: SnapshotStore, name: string): DockerNetwork => {
	const found = store.getSnapshot().networks.find(item => item.name === name);
	assert.ok(found, `network ${name} in the store`);
	return found;
};

/** What the Networks pane shows in CTRS for one network. */
function ctrs(store: SnapshotStore, name: string): string {
	const {networks, containers} = store.getSnapshot();
	const row = networkRows(networks, containers).find(item => item.id === network(store, name).id);
	return row?.cells[networkColumns.findIndex(column => column.title === 'CTRS')]?.text ?? '';
}

/** The STATE cell of a container's row, with its tone. */
function stateCell(store: SnapshotStore, name: string): {text: string; tone?: string} {
	const snapshot = store.getSnapshot();
	const row = containerRows(snapshot.containers, snapshot.freshUntil).find(item => item.id === byName(store, name)?.id);
	const state = row?.cells[containerColumns.findIndex(column => column.title === 'STATE')];
	return {text: state?.text ?? '', tone: state?.tone};
}

async function snapshotJson(): Promise<{containers: Array<Record<string, unknown> & {name: string; endpoints: Array<Record<string, unknown>>}>}> {
	return new Promise((resolve, reject) => {
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env['DOCKER_HOST'];
		execFile(process.execPath, [docknetBundle, 'snapshot', '--json', '--host', engine.dockerHost], {env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error) reject(new Error(`snapshot --json: ${stderr || error.message}`));
			else resolve(JSON.parse(stdout) as never);
		});
	});
}

describe('the picture matches docker inspect', () => {
	test('health: STATE and details follow the healthcheck live, from its health_status events', {timeout: 60_000}, async () => {
		const {store} = await startSync();
		const sick = uniqueName('sick');
		const well = uniqueName('well');
		const flip = uniqueName('flip');
		await resources.runContainer(sick, {args: ['--health-cmd', 'exit 1', '--health-interval', '1s', '--health-retries', '1']});
		await resources.runContainer(well, {args: ['--health-cmd', 'exit 0', '--health-interval', '1s']});
		// Healthy while /tmp/ok exists: it turns unhealthy, then healthy once the file is made.
		await resources.runContainer(flip, {args: ['--health-cmd', 'cat /tmp/ok', '--health-interval', '1s', '--health-retries', '1']});
		await waitFor(() => byName(store, sick)?.health === 'unhealthy', `${sick} unhealthy in the store`, 15_000);
		await waitFor(() => byName(store, well)?.health === 'healthy', `${well} healthy in the store`, 15_000);
		assert.equal((await inspect(sick)).State.Health?.Status, 'unhealthy');
		assert.equal((await inspect(well)).State.Health?.Status, 'healthy');
		assert.deepEqual(stateCell(store, sick), {text: 'unhealthy', tone: 'bad'});
		assert.deepEqual(stateCell(store, well), {text: 'healthy', tone: 'good'});
		const sickDetails = containerDetails(byName(store, sick) as DockerContainer, store.getSnapshot().containers, store.getSnapshot().host);
		const stateLine = sickDetails.lines.find(line => line.text.startsWith('State'))?.text ?? '';
		assert.match(stateLine, /\(unhealthy\)/, stateLine);
		assert.doesNotMatch(stateLine, /starting/, stateLine);

		await waitFor(() => byName(store, flip)?.health === 'unhealthy', `${flip} unhealthy`, 15_000);
		const turned = Date.now();
		await dockerCli(['exec', flip, 'sh', '-c', 'echo ok > /tmp/ok']);
		// Well within a reconcile's full container round (a minute): the event brought it.
		await waitFor(() => byName(store, flip)?.health === 'healthy', `${flip} healthy after the check passes`, 8000);
		assert.ok(Date.now() - turned < 8000);
		assert.equal((await inspect(flip)).State.Health?.Status, 'healthy');
		assert.ok(store.getSnapshot().events.some(event => event.actorId === byName(store, flip)?.id && event.action.startsWith('health_status')), 'the change is in the events strip');
		await dockerCli(['stop', '-t', '0', sick]);
		await waitFor(() => byName(store, sick)?.state === 'exited', `${sick} exited`);
		assert.equal(byName(store, sick)?.health, undefined, 'a stopped container shows no health, as docker ps');
	});

	test('a stopped container connected to a network is on it within 5 s: CTRS, details, topology', {timeout: 60_000}, async t => {
		const {store} = await startSync();
		const net = uniqueName('stopnet');
		await resources.createNetwork(net);
		const parked = uniqueName('parked');
		const id = await dockerCli(['create', '--name', parked, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, TEST_IMAGE, 'sleep', '100000']);
		resources.track('container', id);
		await waitFor(() => byName(store, parked) !== undefined, 'the created container');
		assert.equal(ctrs(store, net), '0');
		const sent = Date.now();
		// The engine sends no event for this: no endpoint is made until the container starts.
		await dockerCli(['network', 'connect', net, parked]);
		const netId = await networkId(net);
		await waitFor(() => byName(store, parked)?.endpoints.some(item => item.networkName === net) === true, 'the new network on its row', 8000);
		const took = Date.now() - sent;
		t.diagnostic(`a connect with no event shown after ${took} ms`);
		// At most one 5 s round, plus the list and the inspect it leads to (slower on a loaded machine).
		assert.ok(took <= 6500, `shown after ${took} ms`);
		assert.equal((await inspect(parked)).NetworkSettings.Networks[net]?.NetworkID, '', 'the engine reports no NetworkID while stopped');
		assert.equal(byName(store, parked)?.endpoints.find(item => item.networkName === net)?.networkId, netId, 'joined by name');
		assert.equal(ctrs(store, net), '1');
		const details = networkDetails(network(store, net), store.getSnapshot().containers);
		assert.deepEqual(details.table.rows.map(row => row['container']), [parked]);
		const snapshot = store.getSnapshot();
		const tree = flattenTopology(buildTopology({networks: snapshot.networks, containers: snapshot.containers, host: snapshot.host}, emptyHostView()));
		assert.ok(tree.some(row => row.id === `net/${netId}/ctr/${id}`), 'under its network in the topology');
	});

	test('a created container whose start failed shows no address, in a docknet started after it', {timeout: 60_000}, async () => {
		const net = uniqueName('failnet');
		await resources.createNetwork(net, ['--subnet', '10.213.7.0/24']);
		const names = [uniqueName('nostart'), uniqueName('nostart')];
		for (const name of names) {
			await dockerCli(['run', '-d', '--name', name, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--network', net, TEST_IMAGE, '/nonexistent']).catch(() => undefined);
			resources.track('container', name);
		}

		for (const name of names) {
			const seen = await inspect(name);
			assert.equal(seen.State.Status, 'created');
			assert.equal(seen.NetworkSettings.Networks[net]?.IPAddress, '', 'the inspect reports no address');
		}

		const {store} = await startSync();
		// Right after the first listing, and after the background inspect alike.
		for (const name of names) assert.equal(byName(store, name)?.endpoints[0]?.ipv4, undefined, `${name} right after the listing`);
		await waitFor(() => names.every(name => byName(store, name)?.inspected === true), 'the background inspects');
		for (const name of names) {
			assert.equal(byName(store, name)?.endpoints[0]?.ipv4, undefined, `${name} after its inspect`);
			assert.equal(byName(store, name)?.endpoints[0]?.mac, undefined);
		}
	});

	test('stopped containers get their aliases; JSON keeps every alias, the IPv6 gateway, health and null host ports', {timeout: 90_000}, async () => {
		const net = uniqueName('v6net');
		await resources.createNetwork(net, ['--ipv6', '--subnet', 'fd00:a2:7::/64']);
		const parked = uniqueName('aliased');
		const id = await dockerCli(['create', '--name', parked, '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--network', net, '--network-alias', 'db', TEST_IMAGE, 'sleep', '100000']);
		resources.track('container', id);
		const web = uniqueName('v6web');
		await resources.runContainer(web, {network: net, args: ['--expose', '9090', '--health-cmd', 'exit 0', '--health-interval', '1s']});
		const {store} = await startSync();
		await waitFor(() => byName(store, parked)?.inspected === true, 'the stopped container inspected');
		const engineAliases = (await inspect(parked)).NetworkSettings.Networks[net]?.Aliases ?? [];
		assert.deepEqual([...(byName(store, parked)?.endpoints[0]?.aliases ?? [])].sort(), [...engineAliases].sort(), 'the aliases as the engine has them');
		const details = containerDetails(byName(store, parked) as DockerContainer, store.getSnapshot().containers, store.getSnapshot().host);
		assert.equal(details.table.rows[0]?.['aliases'], 'db', 'details show the chosen alias');
		assert.ok(!details.lines.some(line => line.text.includes('appear once')), 'no promise of aliases still to come');

		await waitUntil(async () => (await inspect(web)).State.Health?.Status === 'healthy', 'the web container healthy', 15_000);
		const json = await snapshotJson();
		const webJson = json.containers.find(container => container.name === web);
		const webInspect = await inspect(web);
		const webEndpoint = webJson?.endpoints.find(item => item['network'] === net);
		assert.equal(webEndpoint?.['ipv6Gateway'], webInspect.NetworkSettings.Networks[net]?.IPv6Gateway);
		assert.match(String(webEndpoint?.['ipv6Gateway']), /^fd00:a2:7::/);
		await waitFor(() => byName(store, web)?.endpoints[0]?.ipv6Gateway !== undefined, 'the web container inspected');
		const {networks, containers} = store.getSnapshot();
		const gatewayCell = networkRows(networks, containers).find(row => row.id === network(store, net).id)?.cells[networkColumns.findIndex(column => column.title === 'GATEWAY')];
		assert.ok(gatewayCell?.text.split(' ').includes(String(webEndpoint?.['ipv6Gateway'])), `the Networks pane's GATEWAY shows the IPv6 one too: ${gatewayCell?.text}`);
		assert.deepEqual(webEndpoint?.['aliases'], webInspect.NetworkSettings.Networks[net]?.Aliases ?? []);
		assert.ok((webEndpoint?.['aliases'] as string[]).includes(webInspect.Id.slice(0, 12)), 'the short-id alias is kept in JSON (Docker 20.10 lists it)');
		assert.deepEqual(webJson?.['ports'], [{containerPort: 9090, protocol: 'tcp', hostIp: null, hostPort: null}]);
		assert.equal(webJson?.['health'], 'healthy');
		const parkedEndpoint = json.containers.find(container => container.name === parked)?.endpoints[0];
		assert.equal(parkedEndpoint?.['networkId'], await networkId(net));
	});

	test("the connect picker's FREE counts the gateway a pool without an explicit one still takes", {timeout: 90_000}, async () => {
		const net = uniqueName('tiny');
		// A /29 has 6 usable addresses; the config names no gateway, the engine takes .1 anyway.
		await resources.createNetwork(net, ['--subnet', '10.213.9.0/29']);
		const {store} = await startSync();
		assert.equal(network(store, net).pools[0]?.gateway, undefined, 'no gateway in the IPAM config');
		assert.equal(freeAddresses(network(store, net), store.getSnapshot().containers), '5');
		for (let index = 0; index < 5; index++) await resources.runContainer(uniqueName('fill'), {network: net});
		await waitFor(() => freeAddresses(network(store, net), store.getSnapshot().containers) === '0', 'FREE 0 after five containers');
		await assert.rejects(resources.runContainer(uniqueName('onetoomany'), {network: net}), /no available IPv4 addresses|no available/i);
	});

	test('new means first seen by this session: a restart loop is never new, a container created later is', {timeout: 60_000}, async () => {
		const looping = uniqueName('loop');
		await resources.runContainer(looping, {args: ['--restart', 'always'], command: ['sh', '-c', 'sleep 1; exit 3']});
		const {store} = await startSync();
		const id = byName(store, looping)?.id ?? '';
		let restarts = 0;
		let markedNew = 0;
		const unsubscribe = store.subscribe(() => {
			if (store.getSnapshot().freshUntil.has(id)) markedNew++;
		});
		try {
			const count = async (): Promise<number> => Number(await dockerCli(['inspect', '--format', '{{.RestartCount}}', looping]));
			const first = await count();
			await waitUntil(async () => (restarts = (await count()) - first) >= 2, 'two restarts', 20_000);
		} finally {
			unsubscribe();
		}

		assert.ok(restarts >= 2);
		assert.equal(markedNew, 0, 'the restart-looping container was never marked new');
		const later = uniqueName('later');
		const laterId = await resources.runContainer(later);
		await waitFor(() => store.getSnapshot().freshUntil.has(laterId), 'a container created later is new');
	});
});
