import {useLayoutEffect, useState} from 'react';
import type {PaneRows} from '../hooks/use-view-model.js';
import type {Layout} from '../layout.js';
import type {PaneId, UiAction} from '../state/ui-state.js';

/**
 * A network just created gets selected once its row is there (the store may bring it a
 * render after the engine said yes). A layout effect: it runs before the next key can.
 * Returns what the create flow calls with the new network's id.
 */
export function useSelectCreated(allRows: PaneRows, layoutFor: (focus: PaneId) => Layout, dispatch: (action: UiAction) => void): (networkId: string) => void {
	const [created, setCreated] = useState<string>();
	useLayoutEffect(() => {
		if (created === undefined) return;
		const allRowIds = allRows.networks.map(row => row.id);
		if (!allRowIds.includes(created)) return;
		setCreated(undefined);
		dispatch({type: 'jumpTo', pane: 'networks', allRowIds, id: created, viewport: layoutFor('networks').panes.networks.rowsVisible});
	}, [created, allRows, layoutFor, dispatch]);
	return setCreated;
}
