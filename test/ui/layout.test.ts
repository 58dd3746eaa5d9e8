import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {computeLayout} from '../../source/ui/layout.js';

const total = (layout: ReturnType<typeof computeLayout>): number =>
	layout.arrangement === 'wide'
		? layout.panes.networks.height + layout.panes.interfaces.height
		: layout.panes.networks.height + layout.panes.containers.height + layout.panes.interfaces.height;

describe('layout', () => {
	for (const [columns, rows] of [[80, 24], [100, 30], [120, 40], [200, 50], [60, 16]] as const) {
		test(`${columns}x${rows} fills exactly rows − 1 lines`, () => {
			const layout = computeLayout(columns, rows, 'containers');
			assert.equal(layout.lines, rows - 1);
			// header + status + footer + events + panes
			assert.equal(3 + layout.eventLines + total(layout), rows - 1);
			assert.equal(layout.tooSmall, false);
			for (const pane of Object.values(layout.panes)) assert.ok(pane.rowsVisible >= 1, 'every pane keeps a row');
		});
	}

	test('wide terminals put networks and containers side by side', () => {
		const layout = computeLayout(200, 50, 'networks');
		assert.equal(layout.arrangement, 'wide');
		assert.equal(layout.panes.networks.width + 1 + layout.panes.containers.width, 200);
	});

	test('the focused pane gets the room when stacked', () => {
		const layout = computeLayout(80, 24, 'interfaces');
		assert.ok(layout.panes.interfaces.rowsVisible > layout.panes.networks.rowsVisible);
	});

	test('short panes give spare rows to the others', () => {
		const layout = computeLayout(100, 40, 'networks', {networks: 4, containers: 30, interfaces: 8});
		assert.equal(layout.panes.networks.rowsVisible, 4);
		assert.ok(layout.panes.containers.rowsVisible > 8);
	});

	test('wide: the top row shrinks to the longer of networks and containers', () => {
		const layout = computeLayout(200, 50, 'networks', {networks: 4, containers: 6, interfaces: 20});
		assert.equal(layout.panes.networks.rowsVisible, 6);
		assert.equal(layout.panes.containers.rowsVisible, 6);
		assert.equal(layout.panes.interfaces.rowsVisible, 29, 'the interfaces keep the spare rows');
		assert.equal(3 + layout.eventLines + layout.panes.networks.height + layout.panes.interfaces.height, 49);
	});

	test('below 60x16 the terminal is too small', () => {
		assert.ok(computeLayout(59, 30, 'networks').tooSmall);
		assert.ok(computeLayout(100, 15, 'networks').tooSmall);
	});
});
