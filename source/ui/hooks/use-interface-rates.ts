import {useEffect} from 'react';
import type {EngineSnapshot} from '../../model/store.js';
import {useAppServices} from '../app-context.js';
import type {Layout} from '../layout.js';
import {interfacesNotice} from '../screens/panes-body.js';
import {scrollToShow} from '../state/ui-state.js';
import type {UiState} from '../state/ui-state.js';
import type {ViewModel} from './use-view-model.js';

/** Counters are read only while the interfaces pane is on screen, and only for the rows it shows. */
export function useInterfaceRates(ui: UiState, snapshot: EngineSnapshot, view: ViewModel, layout: Layout, dialogOpen: boolean): void {
	const services = useAppServices();
	const visible = !ui.overlay && !layout.tooSmall && !dialogOpen;
	// The interface rows on screen, computed as PaneView does.
	const model = view.panes.interfaces;
	const viewport = layout.panes.interfaces.rowsVisible - (interfacesNotice(snapshot.host) ? 1 : 0);
	const top = scrollToShow(ui.panes.interfaces.scrollTop, Math.max(0, model.selectedIndex), viewport, model.rowIds.length);
	const shown = model.rowIds.slice(top, top + viewport).join('\n');
	useEffect(() => {
		services.setInterfaceRatesActive(visible, shown.split('\n'));
	}, [services, visible, shown]);
}
