import {useAppServices} from '../app-context.js';
import type {FlowsUi} from '../flows/use-flows.js';
import type {DialogKeys} from '../hooks/use-dialog-input.js';
import {paneModels} from '../hooks/use-view-model.js';
import type {PaneRows} from '../hooks/use-view-model.js';
import type {UiAction, UiState} from '../state/ui-state.js';
import type {CompletionSources} from './complete-command.js';
import {useCommandLine} from './use-command-line.js';
import type {CommandLineUi} from './use-command-line.js';

// The `:` line wired to the app: what its commands act on (the UI state, the engine actions
// of the keys, the engine switch) and the names Tab offers.

export interface AppCommandLineOptions {
	getUi(): UiState;
	allRows: PaneRows;
	dispatch(action: UiAction): void;
	engineActions: FlowsUi;
}

export function useAppCommandLine({getUi, allRows, dispatch, engineActions}: AppCommandLineOptions): CommandLineUi {
	const services = useAppServices();
	return useCommandLine({
		effects: () => {
			const ui = getUi();
			const panes = paneModels(allRows, ui);
			return {
				ui,
				panes,
				data: services.store.getSnapshot(),
				readOnly: services.readOnly,
				dispatch,
				quit: services.quit,
				keyCommand: command => engineActions.onCommand(command, ui, panes),
				request: engineActions.request,
				switchEngine: name => {
					if (!services.switchEngine) {
						dispatch({type: 'status', tone: 'info', text: 'Switching engines is not possible in this session.'});
						return;
					}

					dispatch({type: 'status', tone: 'busy', text: name === undefined ? 'Listing engines and docker contexts…' : `Switching to ${name}…`});
					void services.switchEngine(name).then(
						text => dispatch({type: 'status', tone: 'info', text}),
						(error: unknown) => dispatch({type: 'status', tone: 'error', text: error instanceof Error ? error.message : String(error)}),
					);
				},
			};
		},
		sources: () => completionSources(services),
	});
}

function completionSources(services: ReturnType<typeof useAppServices>): CompletionSources {
	const data = services.store.getSnapshot();
	const labels = [...(data.owners?.labels.values() ?? [])];
	const contexts = services.dockerContexts?.().map(context => context.name) ?? [];
	return {
		container: data.containers.map(container => container.name),
		network: data.networks.map(network => network.name),
		context: [...labels, ...contexts],
		driver: data.engine?.drivers.filter(driver => driver !== 'host' && driver !== 'null') ?? ['bridge', 'macvlan', 'ipvlan'],
	};
}

/** The first open of several modal key takers gets the key: a dialog before the command line. */
export function firstOpen(...takers: readonly DialogKeys[]): DialogKeys {
	return {
		isOpen: () => takers.some(taker => taker.isOpen()),
		handleKey: (input, key) => takers.find(taker => taker.isOpen())?.handleKey(input, key),
	};
}
