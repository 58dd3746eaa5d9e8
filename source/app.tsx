import {Box} from 'ink';
import React, {useCallback, useMemo, useReducer, useRef} from 'react';
import {safeDeep} from './text/safe-text.js';
import {useAppServices} from './ui/app-context.js';
import {DialogHost} from './ui/components/dialogs/dialog-host.js';
import {Footer} from './ui/components/footer.js';
import {Header, shownEngines} from './ui/components/header.js';
import {StatusLine} from './ui/components/status-line.js';
import {TooSmall} from './ui/components/too-small.js';
import {CommandLineView} from './ui/command-line/command-line-view.js';
import {firstOpen, useAppCommandLine} from './ui/command-line/use-app-command-line.js';
import {useFlows} from './ui/flows/use-flows.js';
import {useSelectCreated} from './ui/flows/use-select-created.js';
import {useRoutedInput} from './ui/hooks/use-dialog-input.js';
import {useEngineSnapshot} from './ui/hooks/use-engine-snapshot.js';
import {useInterfaceRates} from './ui/hooks/use-interface-rates.js';
import {useNow} from './ui/hooks/use-now.js';
import {useTerminalSize} from './ui/hooks/use-terminal-size.js';
import {useViewModel} from './ui/hooks/use-view-model.js';
import {keymap as builtInKeymap} from './ui/keys/keymap.js';
import {computeLayout} from './ui/layout.js';
import {interfacesNotice, PanesBody} from './ui/screens/panes-body.js';
import type {ScreenExtent} from './ui/screens/screen.js';
import {activeScopes, screenOf} from './ui/screens/screen-registry.js';
import {initialUiState, uiReducer} from './ui/state/ui-state.js';
import type {Overlay, PaneId, UiAction, UiState} from './ui/state/ui-state.js';

// The root: the UI state, the layout, the key routing, and the frame around whichever body
// is on screen (a dialog, a screen from the registry, or the panes).

export interface AppProps {
	/** Shown until the engine answered: where docknet is trying to connect. */
	endpoint: string;
	initialState?: UiState;
}

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const noExtent: ScreenExtent = {total: 0, viewport: 0};

export function App({endpoint, initialState = initialUiState}: AppProps) {
	const services = useAppServices();
	const {theme, readOnly, keymap = builtInKeymap, hiddenEvents, paneColumns} = services;
	const snapshot = useEngineSnapshot();
	const [ui, dispatchToReact] = useReducer(uiReducer, initialState);
	// The reducer is pure, so applying each action here too gives key handlers the state
	// React will render next, even when several keys arrive before that render.
	const latestUi = useRef(ui);
	const dispatch = useCallback((action: UiAction) => {
		latestUi.current = uiReducer(latestUi.current, action);
		dispatchToReact(action);
	}, []);
	const size = useTerminalSize();
	const view = useViewModel(snapshot, ui);
	// Row counts let short panes hand their spare lines to longer ones.
	const networkCount = view.panes.networks.rows.length;
	const containerCount = view.panes.containers.rows.length;
	const interfaceCount = view.panes.interfaces.rows.length + (interfacesNotice(snapshot.host) ? 1 : 0);
	const layoutFor = useCallback(
		(focus: PaneId) => computeLayout(size.columns, size.rows, focus, {networks: networkCount, containers: containerCount, interfaces: interfaceCount}),
		[size, networkCount, containerCount, interfaceCount],
	);
	const layout = useMemo(() => layoutFor(ui.focus), [layoutFor, ui.focus]);
	// What the open screen scrolls through, as it last said (before the next key).
	const screenExtent = useRef(noExtent);
	const publishExtent = useCallback((extent: ScreenExtent) => {
		screenExtent.current = extent;
	}, []);

	// c d D u n x p: dialogs that take every key while open, then the engine call.
	const onNetworkCreated = useSelectCreated(view.allRows, layoutFor, dispatch);
	const flows = useFlows({dispatch, dialogLines: layout.overlayLines, onNetworkCreated});
	// Also while one of several engines is down: its banner counts down to the next retry.
	const lost = snapshot.connection.status !== 'live' || shownEngines(snapshot).some(item => item.connection.status !== 'live');
	const busy = ui.status?.tone === 'busy' || flows.inFlight.length > 0 || snapshot.connection.status === 'connecting';
	const now = useNow(busy ? 100 : 1000, lost || busy);
	useInterfaceRates(ui, snapshot, view, layout, flows.dialog !== undefined);

	const commandLine = useAppCommandLine({getUi: () => latestUi.current, allRows: view.allRows, dispatch, engineActions: flows});
	useRoutedInput(
		{
			getUi: () => latestUi.current,
			allRows: view.allRows,
			layoutFor,
			readOnly,
			keymap,
			screenExtent: () => screenExtent.current,
			snapshot: () => safeDeep(services.store.getSnapshot()),
			services,
			dispatch,
			quit: services.quit,
			onCommand: (command, current, panes) => {
				if (command === 'commandMode') commandLine.open();
				else if (command === 'nextHost') dispatch({type: 'status', tone: 'info', text: services.showNextHost?.() ?? 'One engine is open: its host is the one shown.'});
				else flows.onCommand(command, current, panes);
			},
		},
		firstOpen(flows, commandLine),
	);

	if (layout.tooSmall) return <TooSmall columns={size.columns} rows={size.rows} />;
	const frame = {ui, snapshot, view, width: layout.columns, height: layout.overlayLines, theme, readOnly, keymap, dispatch, publishExtent};
	const body = flows.dialog
		? <DialogHost dialog={flows.dialog} width={layout.columns} height={layout.overlayLines} theme={theme} />
		: ui.overlay
			? <OpenScreen overlay={ui.overlay} frame={frame} />
			: <PanesBody ui={ui} snapshot={snapshot} view={view} layout={layout} theme={theme} hiddenEvents={hiddenEvents} paneColumns={paneColumns} />;
	const spinner = spinnerFrames[Math.floor(now / 100) % spinnerFrames.length] ?? '';
	return (
		<Box flexDirection="column" width={layout.columns} height={layout.lines}>
			<Header snapshot={snapshot} endpoint={endpoint} readOnly={readOnly} width={layout.columns} now={now} theme={theme} />
			{body}
			<StatusLine connection={snapshot.connection} engines={snapshot.engines} status={ui.status} inFlight={flows.inFlight} width={layout.columns} now={now} theme={theme} spinner={spinner} />
			{commandLine.state.open && !flows.dialog ? (
				<CommandLineView state={commandLine.state} width={layout.columns} theme={theme} />
			) : (
				<Footer
					scopes={activeScopes(ui)}
					width={layout.columns}
					readOnly={readOnly}
					theme={theme}
					bindings={keymap}
					override={flows.footer ?? (ui.filtering ? 'type to filter  Enter keep  Esc clear  ↑↓ move' : undefined)}
				/>
			)}
		</Box>
	);
}

type ScreenFrame = Omit<Parameters<ReturnType<typeof screenOf>['View']>[0], 'overlay'>;

/** The registry's view for the open screen's kind. */
function OpenScreen({overlay, frame}: {overlay: Overlay; frame: ScreenFrame}) {
	const {View} = screenOf(overlay);
	return <View overlay={overlay} {...frame} />;
}
