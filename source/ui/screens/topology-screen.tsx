import React, {useLayoutEffect} from 'react';
import {rowIdsOf} from '../../model/list-filter.js';
import {onShownHost} from '../../model/picture.js';
import type {EngineSnapshot} from '../../model/store.js';
import {TopologyView} from '../components/topology-view.js';
import {hostViewOf} from '../hooks/use-view-model.js';
import {buildTopology, flattenTopology, topologyViewport, visibleTopologyRows} from '../presentation/topology.js';
import type {TopologyRow} from '../presentation/topology.js';
import {movements} from '../keys/movements.js';
import {resolveIndex} from '../state/ui-state.js';
import type {OverlayOf, ScreenDefinition, ScreenKeyContext} from './screen.js';

// t: networks, their containers and the host side as one tree; / searches it, Enter goes to
// the row's item in its pane.

// Built once per snapshot, for the view and for every key alike: the tree of 200,000
// networks is not built again for each.
const topologyRowsCache = new WeakMap<EngineSnapshot, readonly TopologyRow[]>();

/** Every row of the topology of this (safe) snapshot. */
export function topologyRows(snapshot: EngineSnapshot): readonly TopologyRow[] {
	let rows = topologyRowsCache.get(snapshot);
	if (rows === undefined) {
		rows = flattenTopology(buildTopology(snapshot, hostViewOf({...snapshot, ...onShownHost(snapshot)}, snapshot.swarm.networks)));
		topologyRowsCache.set(snapshot, rows);
	}

	return rows;
}


/** The rows the screen lists now (its search applied), their ids and how many fit. */
function listed(overlay: OverlayOf<'topology'>, context: ScreenKeyContext) {
	const rows = visibleTopologyRows(topologyRows(context.snapshot()), overlay.query);
	const viewport = topologyViewport(rows.length, context.layoutFor(context.ui.focus).overlayLines);
	return {rows, rowIds: rowIdsOf(rows), viewport};
}

export const topologyScreen: ScreenDefinition<'topology'> = {
	scopes: ['topology'],
	openers: [{command: 'topology', open: () => ({kind: 'topology', selectedIndex: 0, scrollTop: 0})}],
	closesWith: 'topology',
	searchable: true,
	handleCommand(command, overlay, context) {
		const {dispatch} = context;
		const movement = movements[command];
		if (movement) {
			const {rowIds, viewport} = listed(overlay, context);
			dispatch({type: 'moveTopology', rowIds, movement: movement(viewport), viewport});
		} else if (command === 'filter') {
			dispatch({type: 'startFilter'});
		} else if (command === 'back' && overlay.query !== undefined) {
			dispatch({type: 'clearFilter'});
		} else if (command === 'open') {
			const {rows, rowIds} = listed(overlay, context);
			const target = rows[resolveIndex(overlay, rowIds)]?.target;
			if (target) {
				const allRowIds = rowIdsOf(context.allRows[target.pane]);
				const viewport = context.layoutFor(target.pane).panes[target.pane].rowsVisible;
				dispatch({type: 'jumpTo', pane: target.pane, allRowIds, id: target.id, viewport});
			}
		} else {
			return false;
		}

		return true;
	},
	View({overlay, ui, snapshot, width, height, theme, publishExtent}) {
		const tree = topologyRows(snapshot);
		const rows = visibleTopologyRows(tree, overlay.query);
		useLayoutEffect(() => publishExtent({total: rows.length, viewport: topologyViewport(rows.length, height)}));
		return (
			<TopologyView
				rows={rows}
				totalRows={tree.length}
				query={overlay.query}
				searching={ui.filtering}
				selectedIndex={resolveIndex(overlay, rowIdsOf(rows))}
				scrollTop={overlay.scrollTop}
				width={width}
				height={height}
				theme={theme}
			/>
		);
	},
};
