import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {emptyHostView} from '../../source/host/bridges.js';
import {filterRows} from '../../source/model/list-filter.js';
import {initialHostSnapshot, initialSnapshot, SnapshotStore} from '../../source/model/store.js';
import type {DockerContainer, DockerNetwork, EngineEvent} from '../../source/model/types.js';
import {footerText} from '../../source/ui/components/footer.js';
import {handleKey} from '../../source/ui/hooks/use-app-input.js';
import type {InputContext} from '../../source/ui/hooks/use-app-input.js';
import {paneModels} from '../../source/ui/hooks/use-view-model.js';
import {keymap} from '../../source/ui/keys/keymap.js';
import {noKey} from '../../source/ui/keys/match-key.js';
import {computeLayout} from '../../source/ui/layout.js';
import type {UiState} from '../../source/ui/state/ui-state.js';
import {columnContent, fitColumns, fitItems, layoutRow} from '../../source/view/columns.js';
import {eventLines} from '../../source/ui/presentation/event-lines.js';
import {containerColumns, containerRows, networkColumns, networkPane} from '../../source/view/pane-rows.js';
import {buildTopology, flattenTopology} from '../../source/ui/presentation/topology.js';
import {initialUiState, uiReducer} from '../../source/ui/state/ui-state.js';
import {createTheme} from '../../source/ui/theme.js';
import {endpointOn, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

// The Compose view and the fit of the panes on fake data: what each rule shows, quickly.

const composeLabels = (project: string, service: string, number: number, oneoff = false): Record<string, string> => ({
	'com.docker.compose.project': project,
	'com.docker.compose.service': service,
	'com.docker.compose.container-number': String(number),
	'com.docker.compose.oneoff': oneoff ? 'True' : 'False',
});

function host() {
	const front = fakeNetwork({name: 'webapp_frontend', attachable: true, enableIPv6: true, labels: {'com.docker.compose.project': 'webapp', 'com.docker.compose.network': 'frontend'}, pools: [{subnet: '172.28.0.0/16', gateway: '172.28.0.1'}, {subnet: 'fd00:28::/64', gateway: 'fd00:28::1'}]});
	const back = fakeNetwork({name: 'webapp_backend', attachable: true, internal: true, labels: {'com.docker.compose.project': 'webapp'}, pools: [{subnet: '172.29.0.0/16'}]});
	const shared = fakeNetwork({name: 'shared-external-network', attachable: true, pools: [{subnet: '172.30.0.0/16'}]});
	const extra = fakeNetwork({name: 'metrics', attachable: true, pools: [{subnet: '172.31.0.0/16'}]});
	const networks: DockerNetwork[] = [front, back, shared, extra];
	const web1 = fakeContainer({name: 'webapp_web_1', labels: composeLabels('webapp', 'web', 1), endpoints: [endpointOn(front, '172.28.0.2'), endpointOn(back, '172.29.0.2'), endpointOn(shared, '172.30.0.2'), endpointOn(extra, '172.31.0.2')]});
	const web2 = fakeContainer({name: 'webapp_web_2', labels: composeLabels('webapp', 'web', 2), health: 'unhealthy', endpoints: [endpointOn(front, '172.28.0.3')]});
	const oneoff = fakeContainer({name: 'webapp_web_run_1a2b', labels: composeLabels('webapp', 'web', 1, true), endpoints: [endpointOn(front, '172.28.0.9')]});
	// Another project's container on webapp's network: its text names webapp.
	const api = fakeContainer({name: 'shop_api_1', labels: composeLabels('shop', 'api', 1), endpoints: [endpointOn(front, '172.28.0.5')]});
	const loose = fakeContainer({name: 'loose', endpoints: [endpointOn(shared, '172.30.0.9')]});
	const containers: DockerContainer[] = [loose, web1, web2, oneoff, api];
	return {networks, containers, web1, web2, oneoff, api, loose, front, back};
}

const cellOf = (columns: ReadonlyArray<{title: string}>, title: string): number => columns.findIndex(column => column.title === title);

describe('Compose view', () => {
	test('service and replica: web #1, web #2, a one-off as run; PROJECT on containers and networks', () => {
		const {networks, containers} = host();
		const rows = containerRows(containers, new Map());
		const service = cellOf(containerColumns, 'SERVICE');
		assert.deepEqual(rows.map(row => row.cells[service]?.text), ['–', 'web #1', 'web #2', 'web run', 'api #1']);
		const pane = networkPane(networks, containers);
		assert.deepEqual(pane.rows.map(row => row.cells[cellOf(networkColumns, 'PROJECT')]?.text), ['webapp', 'webapp', '–', '–']);
	});

	test('/webapp keeps that project\'s containers and networks only; /web still searches as text', () => {
		const {networks, containers, web1, web2, oneoff, api} = host();
		const rows = containerRows(containers, new Map());
		assert.deepEqual(filterRows(rows, 'webapp').map(row => row.id), [web1.id, web2.id, oneoff.id]);
		assert.ok(filterRows(rows, 'web').some(row => row.id === api.id), 'a word that names no project matches text');
		// Typing on from a project's name narrows the text matches, not the project's rows.
		assert.deepEqual(filterRows(rows, 'webapp_web_2').map(row => row.id), [web2.id]);
		assert.deepEqual(filterRows(networkPane(networks, containers).rows, 'webapp').map(row => row.cells[0]?.text), ['webapp_frontend', 'webapp_backend']);
	});

	test('grouping: projects first and folded with count and health summary, z opens, a jump opens the way', () => {
		const {networks, containers, web2} = host();
		const allRows = {networks: networkPane(networks, containers).rows, containers: containerRows(containers, new Map()), interfaces: []};
		let ui = uiReducer({...initialUiState, focus: 'containers'}, {type: 'toggleGrouping'});
		let pane = paneModels(allRows, ui).containers;
		assert.deepEqual(pane.rows.map(row => row.cells[0]?.text), ['▸ shop (1)', '▸ webapp (3)', 'loose']);
		const state = cellOf(pane.columns, 'STATE');
		assert.equal(pane.rows[1]?.cells[state]?.text, '2 up, 1 unhealthy');
		assert.equal(pane.rows[1]?.cells[state]?.tone, 'bad');
		ui = uiReducer(ui, {type: 'toggleFold', pane: 'containers', id: pane.rows[1]?.id ?? '', folded: true});
		pane = paneModels(allRows, ui).containers;
		assert.deepEqual(pane.rows.map(row => row.cells[0]?.text.trim()), ['▸ shop (1)', '▾ webapp (3)', 'webapp_web_1', 'webapp_web_2', 'webapp_web_run_1a2b', 'loose']);
		ui = uiReducer(ui, {type: 'toggleFold', pane: 'containers', id: pane.rows[1]?.id ?? '', folded: false});
		assert.equal(paneModels(allRows, ui).containers.rows.length, 3);
		ui = uiReducer(ui, {type: 'jumpTo', pane: 'containers', allRowIds: allRows.containers.map(row => row.id), id: web2.id, viewport: 10});
		pane = paneModels(allRows, ui).containers;
		assert.equal(pane.selectedId, web2.id, 'the project of a container jumped to opens');
		assert.equal(paneModels(allRows, uiReducer(ui, {type: 'toggleGrouping'})).containers.rows.length, 5, 'P again: flat');
	});
});

describe('Compose keys through the key handler', () => {
	test('P groups, z opens the selected project, e hides a container\'s events, [ and ] scroll the strip', () => {
		const {networks, containers, web1} = host();
		const allRows = {networks: networkPane(networks, containers).rows, containers: containerRows(containers, new Map()), interfaces: []};
		let ui: UiState = {...initialUiState, focus: 'containers'};
		const context: InputContext = {
			getUi: () => ui,
			allRows,
			layoutFor: focus => computeLayout(120, 40, focus),
			keymap,
			readOnly: true,
			screenExtent: () => ({total: 0, viewport: 0}),
			snapshot: () => initialSnapshot,
			services: {store: new SnapshotStore(), theme: createTheme(false), readOnly: true, setInterfaceRatesActive: () => undefined, quit: () => undefined},
			dispatch: action => {
				ui = uiReducer(ui, action);
			},
			quit: () => undefined,
		};
		const press = (input: string) => handleKey(input, noKey, context);
		press('P');
		assert.equal(ui.grouped, true);
		press('j');
		press('z');
		let pane = paneModels(allRows, ui).containers;
		assert.deepEqual(pane.rows.map(row => row.cells[0]?.text.trim()).slice(1, 5), ['▾ webapp (3)', 'webapp_web_1', 'webapp_web_2', 'webapp_web_run_1a2b']);
		press('j');
		assert.equal(paneModels(allRows, ui).containers.selectedId, web1.id);
		press('e');
		assert.deepEqual(ui.events?.hidden, [web1.id], 'allowed in read-only mode: it changes nothing on the engine');
		assert.match(ui.status?.text ?? '', /Events of webapp_web_1 are hidden/);
		press('[');
		press('[');
		press(']');
		assert.equal(ui.events?.scrollTop, 1);
		press('P');
		pane = paneModels(allRows, ui).containers;
		assert.equal(pane.rows.length, 5);
	});
});

describe('fit', () => {
	test('at a wide pane names are whole and SCOPE, the same on every row, gives its room away', () => {
		const {networks, containers} = host();
		const pane = networkPane(networks, containers);
		const fitted = fitColumns(pane.columns, 87, columnContent(pane.rows, pane.columns.length));
		assert.ok(!fitted.some(column => column.title === 'SCOPE'));
		const name = fitted.find(column => column.title === 'NAME');
		assert.ok((name?.width ?? 0) >= 'shared-external-network'.length);
		const subnet = fitted.find(column => column.title === 'SUBNET');
		const text = layoutRow(pane.rows[0]?.cells ?? [], fitted, 87).map(segment => segment.text).join('');
		assert.match(text, /172\.28\.0\.0\/16 fd00:28::\/64/, `both subnets whole (SUBNET ${subnet?.width})`);
		// internal and ipv6 first; attachable, which every network here has, is said once in the title.
		assert.match(pane.columns.find(column => column.title.startsWith('FLAGS'))?.title ?? '', /all attachable/);
		assert.equal(pane.rows[1]?.cells[cellOf(pane.columns, 'FLAGS (all attachable)')]?.text, 'internal');
	});

	test('on a host without Compose or published ports, PROJECT, SERVICE and PORTS give their room away', () => {
		const {networks, loose} = host();
		const plain = fakeContainer({name: 'plain', endpoints: [endpointOn(networks[2]!, '172.30.0.10')]});
		const rows = containerRows([loose, plain], new Map());
		const titles = fitColumns(containerColumns, 120, columnContent(rows, containerColumns.length)).map(column => column.title);
		assert.ok(!titles.includes('PROJECT') && !titles.includes('SERVICE') && !titles.includes('PORTS'), titles.join(' '));
		assert.ok(titles.includes('NETWORKS'));
		// One Compose container brings PROJECT and SERVICE back for every row.
		const {web1} = host();
		const mixed = containerRows([loose, plain, web1], new Map());
		const withCompose = fitColumns(containerColumns, 120, columnContent(mixed, containerColumns.length)).map(column => column.title);
		assert.ok(withCompose.includes('PROJECT') && withCompose.includes('SERVICE'), withCompose.join(' '));
	});

	test('a 4-network container shows the networks that fit whole, then +n', () => {
		assert.equal(fitItems(['front 172.28.0.2', 'back 172.29.0.2', 'shared 172.30.0.2', 'metrics 172.31.0.2'], 40), 'front 172.28.0.2, back 172.29.0.2 +2');
		const {containers} = host();
		const row = containerRows(containers, new Map())[1];
		assert.equal(row?.cells[cellOf(containerColumns, 'NETWORKS')]?.items?.length, 4);
	});

	test('the footer at 80 columns: the focused pane\'s keys first, every key there at least by its letter', () => {
		const networks = footerText(['global', 'list', 'networks'], false, 80);
		assert.ok(networks.length <= 80);
		// The pane's most used keys keep a word, shortened where the full one does not fit.
		assert.match(networks, /^c conn {2}d disc {2}n new {2}x rm {2}·/);
		for (const key of ['t', 'n', 'x', 'p', 'u', 'L', 'P']) assert.match(networks, new RegExp(`(^|\\s)${key}(\\s|$)`), `${key} in "${networks}"`);
		const containers = footerText(['global', 'list', 'containers'], false, 80);
		for (const key of ['i', 'e', 'z']) assert.match(containers, new RegExp(`(^|\\s)${key}(\\s|$)`), `${key} in "${containers}"`);
		assert.match(containers, /\? help {2}q quit$/);
		assert.match(containers, /^c conn {2}d disc {2}P proj {2}z fold {2}·/);
		const interfaces = footerText(['global', 'list', 'interfaces'], false, 80);
		assert.match(interfaces, /^Tab next {2}Enter info {2}\/ filter/, 'a pane without keys of its own: the common ones keep words');
		assert.match(footerText(['global', 'list', 'networks'], false, 200), /^c connect {2}d disconnect {2}n new {2}x remove {2}p prune/, 'full words where they fit');
	});
});

describe('events strip and topology', () => {
	const event = (action: string, actorId: string, time: number, type = 'container', attributes: Record<string, string> = {}): EngineEvent => ({type, action, actorId, attributes: {name: 'worker', ...attributes}, time, timeNano: String(time * 1e6)});

	test('a restart loop is one line with its count and span; other events stay; hidden containers are left out', () => {
		const events: EngineEvent[] = [];
		for (let index = 0; index < 11; index++) {
			const at = 1_000_000 + index * 12_000;
			events.push(event('die', 'w', at), event('disconnect', 'net', at + 1, 'network', {container: 'w', name: 'back'}), event('start', 'w', at + 500), event('connect', 'net', at + 400, 'network', {container: 'w', name: 'back'}));
		}

		events.push(event('start', 'other', 1_200_000, 'container', {name: 'db'}));
		const newestFirst = events.sort((a, b) => b.time - a.time);
		const name = (id: string) => (id === 'w' ? 'worker' : id === 'other' ? 'db' : undefined);
		const lines = eventLines(newestFirst, name);
		assert.deepEqual(lines.map(line => line.text), ['container start db', 'worker restarted ×11 in 2 min (last: start)']);
		assert.deepEqual(eventLines(newestFirst, name, ['w']).map(line => line.text), ['container start db']);
	});

	test('an orphaned container:<id> sidecar has its own marked branch in the tree, and Enter reaches it', () => {
		const {networks, containers} = host();
		const orphan = fakeContainer({name: 'sidecar', networkMode: `container:${'e'.repeat(64)}`, labels: composeLabels('webapp', 'proxy', 1)});
		const rows = flattenTopology(buildTopology({networks, containers: [...containers, orphan], host: initialHostSnapshot}, emptyHostView()));
		const group = rows.findIndex(row => row.label === '⚠ orphaned sidecars');
		assert.ok(group >= 0);
		assert.equal(rows[group]?.tone, 'warn');
		const child = rows[group + 1];
		assert.equal(child?.label, 'sidecar');
		assert.match(child?.detail ?? '', /container:eeeeeeeeeeee gone .*\[webapp proxy #1\]/);
		assert.deepEqual(child?.target, {pane: 'containers', id: orphan.id});
		const healthy = flattenTopology(buildTopology({networks, containers, host: initialHostSnapshot}, emptyHostView()));
		assert.ok(!healthy.some(row => row.label.includes('orphaned')));
	});
});
