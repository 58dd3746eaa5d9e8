import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {initialUiState, resolveIndex, scrollToShow, uiReducer} from '../../source/ui/state/ui-state.js';
import type {UiAction, UiState} from '../../source/ui/state/ui-state.js';

const apply = (state: UiState, ...actions: UiAction[]): UiState => actions.reduce(uiReducer, state);
const ids = ['a', 'b', 'c', 'd', 'e'];

describe('ui reducer', () => {
	test('moves by id and clamps at both ends', () => {
		const move = (movement: number | 'home' | 'end'): UiAction => ({type: 'move', pane: 'networks', rowIds: ids, movement, viewport: 3});
		let state = apply(initialUiState, move(1), move(1));
		assert.equal(state.panes.networks.selectedId, 'c');
		state = apply(state, move(10));
		assert.equal(state.panes.networks.selectedId, 'e');
		assert.equal(state.panes.networks.scrollTop, 2);
		state = apply(state, move(-10));
		assert.equal(state.panes.networks.selectedId, 'a');
		assert.equal(apply(state, move('end')).panes.networks.selectedId, 'e');
	});

	test('the selection follows its id when rows are inserted above, and falls to a neighbour when it vanishes', () => {
		const state = apply(initialUiState, {type: 'move', pane: 'containers', rowIds: ids, movement: 2, viewport: 5});
		assert.equal(resolveIndex(state.panes.containers, ['x', ...ids]), 3);
		assert.equal(resolveIndex(state.panes.containers, ['a', 'b', 'd', 'e']), 2);
		assert.equal(resolveIndex(state.panes.containers, []), -1);
	});

	test('typing a filter, erasing, Enter keeps it, Esc clears it', () => {
		let state = apply(initialUiState, {type: 'startFilter'}, {type: 'typeFilter', text: 'br'}, {type: 'typeFilter', text: 'x'}, {type: 'eraseFilter'});
		assert.equal(state.panes.networks.filter, 'br');
		assert.equal(state.filtering, true);
		state = apply(state, {type: 'acceptFilter'});
		assert.deepEqual([state.filtering, state.panes.networks.filter], [false, 'br']);
		state = apply(state, {type: 'startFilter'}, {type: 'clearFilter'});
		assert.deepEqual([state.filtering, state.panes.networks.filter], [false, '']);
	});

	test('focus cycles through the panes both ways', () => {
		assert.equal(apply(initialUiState, {type: 'focusNext'}).focus, 'containers');
		assert.equal(apply(initialUiState, {type: 'focusPrevious'}).focus, 'interfaces');
		assert.equal(apply(initialUiState, {type: 'focus', pane: 'interfaces'}, {type: 'focusNext'}).focus, 'networks');
	});

	test('jumpTo focuses, clears a hiding filter and selects', () => {
		const filtered = apply(initialUiState, {type: 'focus', pane: 'containers'}, {type: 'startFilter'}, {type: 'typeFilter', text: 'zzz'}, {type: 'acceptFilter'}, {type: 'openOverlay', overlay: {kind: 'topology', selectedIndex: 0, scrollTop: 0}});
		const state = apply(filtered, {type: 'jumpTo', pane: 'containers', allRowIds: ids, id: 'd', viewport: 2});
		assert.equal(state.overlay, undefined);
		assert.equal(state.focus, 'containers');
		assert.equal(state.panes.containers.filter, '');
		assert.equal(state.panes.containers.selectedId, 'd');
	});

	test('overlay scrolling stays in range', () => {
		let state = apply(initialUiState, {type: 'openOverlay', overlay: {kind: 'help', scrollTop: 0}});
		state = apply(state, {type: 'scrollOverlay', movement: 100, total: 30, viewport: 10});
		assert.equal(state.overlay?.kind === 'help' && state.overlay.scrollTop, 20);
		state = apply(state, {type: 'scrollOverlay', movement: 'home', total: 30, viewport: 10});
		assert.equal(state.overlay?.kind === 'help' && state.overlay.scrollTop, 0);
	});

	test('scrollToShow moves the window as little as possible', () => {
		assert.equal(scrollToShow(0, 2, 5, 20), 0);
		assert.equal(scrollToShow(0, 7, 5, 20), 3);
		assert.equal(scrollToShow(10, 4, 5, 20), 4);
		assert.equal(scrollToShow(18, 19, 5, 20), 15);
	});
});
