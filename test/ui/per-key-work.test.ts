import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Key} from 'ink';
import {handleKey} from '../../source/ui/hooks/use-app-input.js';
import type {InputContext} from '../../source/ui/hooks/use-app-input.js';
import {paneModels} from '../../source/ui/hooks/use-view-model.js';
import type {PaneRows} from '../../source/ui/hooks/use-view-model.js';
import {noKey} from '../../source/ui/keys/match-key.js';
import {computeLayout} from '../../source/ui/layout.js';
import type {PaneRow} from '../../source/view/pane-rows.js';
import {rowIdsOf} from '../../source/model/list-filter.js';
import {dialogReducer, newPicker, pickedItem, visibleItems} from '../../source/ui/state/dialog-state.js';
import type {DialogState, PickerItem} from '../../source/ui/state/dialog-state.js';
import {initialUiState, scrollToShow, uiReducer} from '../../source/ui/state/ui-state.js';
import type {UiState} from '../../source/ui/state/ui-state.js';
import {keymap} from '../../source/ui/keys/keymap.js';
import {initialSnapshot, SnapshotStore} from '../../source/model/store.js';
import {createTheme} from '../../source/ui/theme.js';

// No key may cost work proportional to the whole list: with 200,000 network rows, every row
// read is counted (the list is a Proxy, each row's id a counting getter) while keys go
// through the UI's own key handling and the pane models each render computes. A timed
// benchmark (bench/crowded-keys.ts) measures the milliseconds; this counts, so it cannot
// be flaky and fails on the first O(N) step in a key's path.

const NETWORKS = 200_000;
let reads = 0;

function countedRow(index: number): PaneRow {
	const id = `net-${String(index).padStart(6, '0')}`;
	const name = `crowd-${String(index).padStart(6, '0')}`;
	return {
		get id() {
			reads++;
			return id;
		},
		cells: [{text: name}, {text: 'bridge'}],
		search: [name, 'bridge'],
	};
}

function countedList<T extends object>(rows: T[]): T[] {
	return new Proxy(rows, {
		get(target, property, receiver) {
			if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
			return Reflect.get(target, property, receiver) as unknown;
		},
	});
}

const plain = (id: string): PaneRow => ({id, cells: [{text: id}], search: [id]});
const allRows: PaneRows = {
	networks: countedList(Array.from({length: NETWORKS}, (_, index) => countedRow(index))),
	containers: Array.from({length: 40}, (_, index) => plain(`ctr-${index}`)),
	interfaces: Array.from({length: 12}, (_, index) => plain(`if-${index}`)),
};

let ui: UiState = initialUiState;
const layoutFor = (focus: UiState['focus']) => computeLayout(160, 45, focus, {networks: NETWORKS, containers: 40, interfaces: 12});
const context: InputContext = {
	getUi: () => ui,
	allRows,
	layoutFor,
	keymap,
	readOnly: false,
	screenExtent: () => ({total: 0, viewport: 0}),
	snapshot: () => initialSnapshot,
	services: {store: new SnapshotStore(), theme: createTheme(false), readOnly: false, setInterfaceRatesActive: () => undefined, quit: () => undefined},
	dispatch: action => {
		ui = uiReducer(ui, action);
	},
	quit: () => undefined,
};

/** One key as Ink delivers it, then what the next render computes: the pane models and the rows on screen. */
function press(input: string, key: Partial<Key> = {}): number {
	const before = reads;
	handleKey(input, {...noKey, ...key}, context);
	const panes = paneModels(allRows, ui);
	for (const pane of ['networks', 'containers', 'interfaces'] as const) {
		const model = panes[pane];
		const viewport = layoutFor(ui.focus).panes[pane].rowsVisible;
		const top = scrollToShow(ui.panes[pane].scrollTop, Math.max(0, model.selectedIndex), viewport, model.rows.length);
		for (const row of model.rows.slice(top, top + viewport)) assert.ok(row.cells.length > 0);
	}

	return reads - before;
}

describe(`per-key work at ${NETWORKS.toLocaleString('en')} networks`, () => {
	test('moving, paging, Home/End and Tab read only the rows on screen', () => {
		// The first render finds every row's id once.
		paneModels(allRows, ui);
		const ids = rowIdsOf(allRows.networks);
		const viewport = layoutFor('networks').panes.networks.rowsVisible;
		const keys: Array<[string, string, Partial<Key>]> = [
			...Array.from({length: 10}, (): [string, string, Partial<Key>] => ['j', 'j', {}]),
			['k', 'k', {}],
			['↓', '', {downArrow: true}],
			['PgDn', '', {pageDown: true}],
			['PgDn', '', {pageDown: true}],
			['PgUp', '', {pageUp: true}],
			['G', 'G', {}],
			['k', 'k', {}],
			['g', 'g', {}],
			['Tab', '', {tab: true}],
			['j', 'j', {}],
			['Tab', '', {tab: true}],
			['Tab', '', {tab: true}],
			['j', 'j', {}],
		];
		for (const [name, input, key] of keys) {
			const cost = press(input, key);
			assert.ok(cost <= viewport * 2, `${name} read ${cost} rows (a screen holds ${viewport})`);
		}

		assert.equal(ui.focus, 'networks');
		assert.equal(ui.panes.networks.selectedId, 'net-000001');
		assert.equal(rowIdsOf(allRows.networks), ids, 'the ids found once are still the ones used');
	});

	test('typing a filter: the first character searches every row, each next one only the matches so far', () => {
		press('/');
		let matches = NETWORKS;
		for (const character of 'crowd-00012') {
			const cost = press(character);
			const now = paneModels(allRows, ui).networks.rows.length;
			assert.ok(cost <= matches * 2 + 100, `"${character}" read ${cost} rows; ${matches} matched before it`);
			matches = now;
		}

		assert.equal(matches, 10, 'crowd-000120 … crowd-000129');
		const erased = press('', {delete: true});
		assert.ok(erased <= 200, `Backspace to an earlier query read ${erased} rows`);
		assert.equal(paneModels(allRows, ui).networks.rows.length, 100);
	});

	test("the connect picker's keys: moves read a screen of items, typing only the matches so far", () => {
		const items = countedList(Array.from({length: NETWORKS}, (_, index) => {
			const row = countedRow(index);
			return {get id() {
				return row.id;
			}, cells: row.cells.map(cell => cell.text), search: row.search} satisfies PickerItem;
		}));
		let dialog: DialogState = newPicker(1, {type: 'connectPickNetwork', containerId: 'c'}, 'Connect to', ['NAME', 'DRIVER'], items);
		/** What a key and the render after it compute: the reducer, the visible items, the one picked. */
		const key = (action: Parameters<typeof dialogReducer>[1]): number => {
			const before = reads;
			dialog = dialogReducer(dialog, action);
			if (dialog?.kind !== 'picker') throw new Error('the picker closed');
			const shown = visibleItems(dialog);
			const top = Math.min(dialog.scrollTop, Math.max(0, shown.length - 30));
			for (const item of shown.slice(top, top + 30)) assert.ok(item.cells.length > 0);
			pickedItem(dialog);
			return reads - before;
		};

		// From the end of the list: a search from its start would read every item.
		key({type: 'move', movement: 'end', viewport: 30});
		for (let index = 0; index < 10; index++) {
			const cost = key({type: 'move', movement: -1, viewport: 30});
			assert.ok(cost <= 100, `a move read ${cost} items`);
		}

		let matches = NETWORKS;
		for (const character of 'crowd-00012') {
			const cost = key({type: 'typeText', text: character});
			assert.ok(cost <= matches * 2 + 100, `"${character}" read ${cost} items; ${matches} matched before it`);
			matches = dialog?.kind === 'picker' ? visibleItems(dialog).length : 0;
		}

		assert.equal(matches, 10);
	});
});
