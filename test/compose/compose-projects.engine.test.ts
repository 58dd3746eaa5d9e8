import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {filterRows} from '../../source/model/list-filter.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {SnapshotStore} from '../../source/model/store.js';
import {paneModels} from '../../source/ui/hooks/use-view-model.js';
import {eventLines} from '../../source/ui/presentation/event-lines.js';
import {containerColumns, containerRows, networkColumns, networkPane} from '../../source/view/pane-rows.js';
import {projectDetails} from '../../source/ui/presentation/project-details.js';
import {initialUiState, uiReducer} from '../../source/ui/state/ui-state.js';
import {dockerCli, requireTestEngine, TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources, testEngineEnv} from '../helpers/engine-harness.js';
import {docknetBundle} from '../helpers/pty-app.js';
import {waitFor} from '../helpers/wait-for.js';

// Real Compose projects (docker-compose 1.29) on the test engine, read through the real
// gateway and the panes' own rows, and through `docknet snapshot`: what the user sees of a
// project must be what the engine's labels say. Every expectation comes from the engine.

const engine = requireTestEngine();
const endpoint = resolveEngineEndpoint({hostFlag: engine.dockerHost, env: {}, homeDir: '/nonexistent'});
const resources = new TestResources();
const directory = mkdtempSync(path.join(tmpdir(), 'docknet-compose-'));
// Unique per run: two runs side by side never share a project.
const webapp = `webapp${TEST_RUN_ID}`;
const other = `other${TEST_RUN_ID}`;
const syncs: EngineSync[] = [];

const label = {[TEST_LABEL]: TEST_RUN_ID};
const webappFile = `
version: "2.4"
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "100000"]
    labels: ${JSON.stringify(label)}
    networks: [front, back]
    ports: ["127.0.0.1::8080"]
  db:
    image: ${TEST_IMAGE}
    command: ["sleep", "100000"]
    labels: ${JSON.stringify(label)}
    networks:
      back:
        ipv4_address: 172.31.${(process.pid % 200) + 20}.10
    healthcheck:
      test: ["CMD-SHELL", "exit 0"]
      interval: 1s
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "sleep 1; exit 3"]
    restart: always
    labels: ${JSON.stringify(label)}
    networks: [back]
networks:
  front:
    enable_ipv6: true
    labels: ${JSON.stringify(label)}
    ipam:
      config:
        - subnet: 172.30.${(process.pid % 200) + 20}.0/24
        - subnet: fd00:${(process.pid % 200).toString(16)}:dc::/64
  back:
    internal: true
    labels: ${JSON.stringify(label)}
    ipam:
      config:
        - subnet: 172.31.${(process.pid % 200) + 20}.0/24
`;
// The other project joins webapp's front network from outside: it names webapp in its
// endpoints, and must still not be found by /webapp.
const otherFile = `
version: "2.4"
services:
  api:
    image: ${TEST_IMAGE}
    command: ["sleep", "100000"]
    labels: ${JSON.stringify(label)}
    networks: [shared]
networks:
  shared:
    external: true
    name: ${webapp}_front
`;

function compose(project: string, file: string, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('docker-compose', ['-p', project, '-f', file, ...args], {env: testEngineEnv(), timeout: 120_000}, (error, stdout, stderr) => {
			if (error) reject(new Error(`docker-compose ${args.join(' ')}: ${stderr || error.message}`));
			else resolve(stdout.trim());
		});
	});
}

const webappPath = path.join(directory, 'webapp.yml');
const otherPath = path.join(directory, 'other.yml');

let shared: SnapshotStore | undefined;

before(async () => {
	// Watching from before the projects come up: the restart loop's events are all seen.
	shared = await startSync();
	writeFileSync(webappPath, webappFile);
	writeFileSync(otherPath, otherFile);
	await compose(webapp, webappPath, ['up', '-d', '--scale', 'web=2']);
	await compose(other, otherPath, ['up', '-d']);
	// A one-off, as `docker compose run` makes it.
	await compose(webapp, webappPath, ['run', '-d', '--no-deps', 'web', 'sleep', '100000']);
});

after(async () => {
	for (const sync of syncs) sync.stop();
	// Down even when a test failed; the other project first, it holds webapp's network.
	for (const [project, file] of [[other, otherPath], [webapp, webappPath]] as const) {
		try {
			await compose(project, file, ['down', '--remove-orphans', '--timeout', '1']);
		} catch {
			// Whatever is left carries the run's label: cleanup below takes it.
		}
	}

	await resources.cleanup();
	rmSync(directory, {recursive: true, force: true});
});

/** The store watching since before `up`. */
function startedStore(): SnapshotStore {
	assert.ok(shared, 'the store started before the projects');
	return shared;
}

async function startSync(): Promise<SnapshotStore> {
	const store = new SnapshotStore();
	const sync = new EngineSync(createDockerGateway(endpoint), store);
	syncs.push(sync);
	sync.start();
	await sync.firstLoad;
	return store;
}

async function idsWithLabel(kind: 'ps' | 'network', filter: string): Promise<string[]> {
	const args = kind === 'ps' ? ['ps', '-a', '--no-trunc', '-q', '--filter', filter] : ['network', 'ls', '--no-trunc', '-q', '--filter', filter];
	const output = await dockerCli(args);
	return output === '' ? [] : output.split('\n').sort();
}

const column = (columns: ReadonlyArray<{title: string}>, title: string): number => columns.findIndex(item => item.title === title);

describe('Compose projects on the real engine', () => {
	test('PROJECT and SERVICE show the labels: web #1, web #2, db #1, a one-off as run; networks carry their project', {timeout: 120_000}, async () => {
		const store = startedStore();
		const expected = await idsWithLabel('ps', `label=com.docker.compose.project=${webapp}`);
		await waitFor(() => expected.every(id => store.getSnapshot().containers.some(container => container.id === id)), 'the project in the store', 20_000);
		const {containers, networks} = store.getSnapshot();
		const rows = containerRows(containers, new Map());
		const project = column(containerColumns, 'PROJECT');
		const service = column(containerColumns, 'SERVICE');
		const services = rows.filter(row => row.cells[project]?.text === webapp).map(row => row.cells[service]?.text).sort();
		assert.deepEqual(services, ['db #1', 'web #1', 'web #2', 'web run', 'worker #1']);
		const inspected = JSON.parse(await dockerCli(['inspect', `${webapp}_web_2`])) as Array<{Config: {Labels: Record<string, string>}}>;
		assert.equal(inspected[0]?.Config.Labels['com.docker.compose.container-number'], '2');
		const pane = networkPane(networks, containers);
		const networkProject = column(networkColumns, 'PROJECT');
		const projectNetworks = pane.rows.filter(row => row.cells[networkProject]?.text === webapp).map(row => row.cells[0]?.text).sort();
		assert.deepEqual(projectNetworks, [`${webapp}_back`, `${webapp}_front`]);
		// The dual-stack network lists both subnets, as items that are never cut in half.
		const front = pane.rows.find(row => row.cells[0]?.text === `${webapp}_front`);
		assert.equal(front?.cells[column(networkColumns, 'SUBNET')]?.items?.length, 2);
		// internal comes before attachable: what tells networks apart first.
		const back = pane.rows.find(row => row.cells[0]?.text === `${webapp}_back`);
		assert.match(back?.cells[column(networkColumns, 'FLAGS')]?.text ?? '', /^internal/);
	});

	test('/project keeps every container and network of that project and only those, though another project names it', {timeout: 60_000}, async () => {
		const store = startedStore();
		const containerIds = await idsWithLabel('ps', `label=com.docker.compose.project=${webapp}`);
		const networkIds = await idsWithLabel('network', `label=com.docker.compose.project=${webapp}`);
		await waitFor(() => containerIds.every(id => store.getSnapshot().containers.some(container => container.id === id)), 'the project in the store', 20_000);
		const {containers, networks} = store.getSnapshot();
		const rows = containerRows(containers, new Map());
		// The other project's api is on webapp's front network: a text search finds it too.
		assert.ok(rows.some(row => row.project === other && row.search.some(text => text?.includes(webapp))));
		assert.deepEqual(filterRows(rows, webapp).map(row => row.id).sort(), containerIds);
		assert.deepEqual(filterRows(networkPane(networks, containers).rows, webapp).map(row => row.id).sort(), networkIds);
		// Labels are searched: a label value finds its container.
		assert.deepEqual(filterRows(rows, 'com.docker.compose.service=db').map(row => row.id).length, 1);
	});

	test('grouped by project: project rows first, folded with count and health, z opens one; Enter shows it as docker compose ps', {timeout: 60_000}, async () => {
		const store = startedStore();
		const containerIds = await idsWithLabel('ps', `label=com.docker.compose.project=${webapp}`);
		await waitFor(() => {
			const db = store.getSnapshot().containers.find(container => container.name === `${webapp}_db_1`);
			return containerIds.every(id => store.getSnapshot().containers.some(container => container.id === id)) && db?.health === 'healthy';
		}, 'the project in the store, db healthy', 30_000);
		const {containers, networks} = store.getSnapshot();
		const allRows = {networks: networkPane(networks, containers).rows, containers: containerRows(containers, new Map()), interfaces: []};
		let ui = uiReducer({...initialUiState, focus: 'containers'}, {type: 'toggleGrouping'});
		let pane = paneModels(allRows, ui).containers;
		const projectRows = pane.rows.filter(row => row.group !== undefined).map(row => row.group?.project);
		assert.deepEqual(projectRows.slice(0, 2), [other, webapp].sort());
		const webappRow = pane.rows.find(row => row.group?.project === webapp);
		assert.match(webappRow?.cells[0]?.text ?? '', new RegExp(`▸ ${webapp} \\(5\\)`));
		const state = column(pane.columns, 'STATE');
		assert.match(webappRow?.cells[state]?.text ?? '', /\d+ up/);
		assert.equal(pane.columns[column(pane.columns, 'PROJECT')]?.hidden, true, 'grouped, PROJECT would repeat the group');
		// Loose containers come after every project.
		const firstLoose = pane.rows.findIndex(row => row.project === undefined);
		const lastGroup = pane.rows.findLastIndex(row => row.group !== undefined);
		assert.ok(firstLoose === -1 || firstLoose > lastGroup);
		ui = uiReducer(ui, {type: 'toggleFold', pane: 'containers', id: webappRow?.id ?? '', folded: true});
		pane = paneModels(allRows, ui).containers;
		assert.equal(pane.rows.filter(row => row.project === webapp && row.group === undefined).length, 5);
		const details = projectDetails(webapp, containers, networks);
		const ps = (await compose(webapp, webappPath, ['ps', '--services'])).split('\n').sort();
		assert.deepEqual([...new Set(details.table.rows.map(row => (row['service'] ?? '').split(' ')[0]))].sort(), ps);
		const web = details.table.rows.find(row => row['service'] === 'web #1');
		const port = await dockerCli(['port', `${webapp}_web_1`, '8080']);
		assert.ok(web?.['ports']?.includes(`${port.split('\n')[0]}->8080/tcp`), `ports ${web?.['ports']} has ${port}`);
		assert.match(web?.['command'] ?? '', /sleep 100000/);
	});

	test('a restart loop is one line with its count in the events strip; hiding the container hides it', {timeout: 90_000}, async () => {
		const store = startedStore();
		const worker = `${webapp}_worker_1`;
		const name = (id: string): string | undefined => store.getSnapshot().containers.find(container => container.id === id)?.name;
		await waitFor(() => {
			const lines = eventLines(store.getSnapshot().events, name);
			return lines.some(line => new RegExp(`^${worker} restarted ×([2-9]|\\d\\d)`).test(line.text));
		}, 'the worker restarting', 60_000);
		const lines = eventLines(store.getSnapshot().events, name);
		assert.equal(lines.filter(line => line.text.startsWith(worker)).length, 1, 'one line for the loop, not one per die and start');
		const id = store.getSnapshot().containers.find(container => container.name === worker)?.id ?? '';
		assert.ok(!eventLines(store.getSnapshot().events, name, [id]).some(line => line.text.includes(worker)));
	});

	test('snapshot --json carries labels, command and compose per container; --tree names project and service', {timeout: 60_000}, async () => {
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env['DOCKER_HOST'];
		const run = (args: string[]) =>
			new Promise<string>((resolve, reject) => {
				execFile(process.execPath, [docknetBundle, 'snapshot', ...args, '--host', engine.dockerHost], {env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
					if (error) reject(new Error(`snapshot: ${stderr || error.message}`));
					else resolve(stdout);
				});
			});
		const json = JSON.parse(await run(['--json'])) as {containers: Array<{name: string; labels: Record<string, string>; command: string | null; compose: unknown}>; networks: Array<{name: string; compose: unknown}>};
		const web2 = json.containers.find(container => container.name === `${webapp}_web_2`);
		const inspected = (JSON.parse(await dockerCli(['inspect', `${webapp}_web_2`])) as Array<{Config: {Labels: Record<string, string>}}>)[0];
		assert.deepEqual(web2?.labels, inspected?.Config.Labels);
		assert.deepEqual(web2?.compose, {project: webapp, service: 'web', replica: 2, oneoff: false});
		assert.match(web2?.command ?? '', /sleep 100000/);
		const oneoff = json.containers.find(container => (container.compose as {oneoff?: boolean} | null)?.oneoff === true);
		assert.deepEqual(oneoff?.compose, {project: webapp, service: 'web', replica: null, oneoff: true});
		assert.deepEqual(json.networks.find(network => network.name === `${webapp}_back`)?.compose, {project: webapp, network: 'back'});
		const tree = await run(['--tree']);
		assert.match(tree, new RegExp(`${webapp}_web_2.*\\[${webapp} web #2\\]`));
	});
});
