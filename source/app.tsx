import {Box} from 'ink';
import React, {useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState} from 'react';
import {safeDeep} from './text/safe-text.js';
import {useAppServices} from './ui/app-context.js';
import type {AppServices} from './ui/app-context.js';
import {nodeEngineOffers} from './model/node-engines.js';
import {containerNamer} from './model/cluster-selectors.js';
import type {NodeEngineOffer} from './model/node-engines.js';
import {DetailsView} from './ui/components/details-view.js';
import {DialogHost} from './ui/components/dialogs/dialog-host.js';
import {EventsStrip} from './ui/components/events-strip.js';
import {Footer} from './ui/components/footer.js';
import {Header, shownEngines} from './ui/components/header.js';
import {isMultiEngine, onShownHost, ownerLabel} from './model/picture.js';
import {HelpView, helpLines} from './ui/components/help-view.js';
import {PaneView} from './ui/components/pane-view.js';
import {StatusLine} from './ui/components/status-line.js';
import {TooSmall} from './ui/components/too-small.js';
import {TextScreen} from './ui/components/text-screen.js';
import {TopologyView} from './ui/components/topology-view.js';
import {activeScopes} from './ui/hooks/use-app-input.js';
import {useRoutedInput} from './ui/hooks/use-dialog-input.js';
import {CommandLineView} from './ui/command-line/command-line-view.js';
import {firstOpen, useAppCommandLine} from './ui/command-line/use-app-command-line.js';
import {keymap as builtInKeymap} from './ui/keys/keymap.js';
import {chosenColumns, shownEvents} from './ui/chosen-view.js';
import {useEngineActions} from './ui/hooks/use-engine-actions.js';
import {useCommandLog} from './ui/hooks/use-command-log.js';
import {useEngineSnapshot} from './ui/hooks/use-engine-snapshot.js';
import {useNow} from './ui/hooks/use-now.js';
import {useTerminalSize} from './ui/hooks/use-terminal-size.js';
import {hostViewOf, useViewModel} from './ui/hooks/use-view-model.js';
import {computeLayout} from './ui/layout.js';
import type {Layout} from './ui/layout.js';
import {containerDetails, interfaceDetails, networkDetails, withEngine} from './ui/presentation/details.js';
import type {Details} from './ui/presentation/details.js';
import {detailsScrollExtent} from './ui/presentation/details-window.js';
import {swarmLines, withCluster} from './ui/presentation/swarm-view.js';
import {insideDetails} from './ui/presentation/inside-details.js';
import {useForwarding, useInsideView} from './ui/hooks/use-inside-view.js';
import type {ForwardingScan} from './model/forwarding.js';
import type {InsideView} from './model/inside.js';
import {rowIdsOf} from './model/list-filter.js';
import {buildTopology, flattenTopology, visibleTopologyRows} from './ui/presentation/topology.js';
import type {TopologyRow} from './ui/presentation/topology.js';
import {initialUiState, paneOrder, paneTitles, resolveIndex, scrollToShow, uiReducer} from './ui/state/ui-state.js';
import type {PaneId, UiAction, UiState} from './ui/state/ui-state.js';
import {statusAt} from './model/status-text.js';
import type {EngineSnapshot, HostSnapshot} from './model/store.js';
import type {ViewModel} from './ui/hooks/use-view-model.js';

export interface AppProps {
	/** Shown until the engine answered: where docknet is trying to connect. */
	endpoint: string;
	initialState?: UiState;
}

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function openDetails(ui: UiState, snapshot: EngineSnapshot, view: ViewModel, now: number, inside: InsideView | undefined, forwarding: ForwardingScan | undefined): Details | undefined {
	const details = itemDetails(ui, snapshot, view, now, inside, forwarding);
	const overlay = ui.overlay;
	// With several engines open, a network's or container's details say whose it is.
	if (details === undefined || overlay?.kind !== 'details' || overlay.pane === 'interfaces') return details;
	return withEngine(details, ownerLabel(snapshot, overlay.pane, overlay.id));
}

function itemDetails(ui: UiState, snapshot: EngineSnapshot, view: ViewModel, now: number, inside: InsideView | undefined, forwarding: ForwardingScan | undefined): Details | undefined {
	const overlay = ui.overlay;
	if (overlay?.kind !== 'details') return undefined;
	if (overlay.pane === 'networks') {
		const network = snapshot.networks.find(item => item.id === overlay.id);
		const cluster = network && snapshot.swarm.networks.get(network.id);
		const plain = network && networkDetails(network, snapshot.containers);
		return plain && network && cluster ? withCluster(plain, snapshot, network, cluster) : plain;
	}

	if (overlay.pane === 'containers') {
		const container = snapshot.containers.find(item => item.id === overlay.id);
		if (container && overlay.view === 'inside') return insideDetails(container, snapshot.containers, inside);
		// The status text ("Up 2 minutes") is made for now, not for when it was read.
		return container && containerDetails({...container, status: statusAt(container, now)}, snapshot.containers, snapshot.host, forwarding, snapshot.loaded ? snapshot.networks : undefined, (snapshot.engines?.length ?? 1) > 1 ? undefined : snapshot.engine);
	}

	const item = snapshot.host.interfaces.find(candidate => candidate.name === overlay.id);
	return item && interfaceDetails(item, snapshot.host, view.hostView, containerNamer(snapshot));
}

// Kept for the snapshot they were made from: every key in the topology asks for them, and
// the tree of 200,000 networks is not built again for each.
const topologyRowsCache = new WeakMap<EngineSnapshot, readonly TopologyRow[]>();

/** The topology of the store's snapshot as of now (the tree may have opened this tick). */
function latestTopologyRows(raw: EngineSnapshot): readonly TopologyRow[] {
	let rows = topologyRowsCache.get(raw);
	if (rows === undefined) {
		const latest = safeDeep(raw);
		rows = flattenTopology(buildTopology(latest, hostViewOf({...latest, ...onShownHost(latest)}, latest.swarm.networks)));
		topologyRowsCache.set(raw, rows);
	}

	return rows;
}

function interfacesNotice(host: HostSnapshot): string | undefined {
	if (host.status === 'unavailable') return `Host interfaces unavailable: ${host.reason ?? 'unknown reason'}`;
	if (host.peers.status === 'unavailable') {
		return `Veth owners unknown: ${host.peers.reason}${host.peers.hint ? ` — ${host.peers.hint}` : ''}`;
	}

	return undefined;
}

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
		(focus: PaneId) =>
			computeLayout(size.columns, size.rows, focus, {networks: networkCount, containers: containerCount, interfaces: interfaceCount}),
		[size, networkCount, containerCount, interfaceCount],
	);
	const layout: Layout = useMemo(() => layoutFor(ui.focus), [layoutFor, ui.focus]);
	// Also while one of several engines is down: its banner counts down to the next retry.
	const lost = snapshot.connection.status !== 'live' || shownEngines(snapshot).some(item => item.connection.status !== 'live');
	// A container's details tick once a second: their status text counts time.
	const detailsNow = useNow(1000, ui.overlay?.kind === 'details' && ui.overlay.pane === 'containers');
	const insideOf = ui.overlay?.kind === 'details' && ui.overlay.view === 'inside' ? ui.overlay.id : undefined;
	const inside = useInsideView(snapshot.containers.find(item => item.id === insideOf));
	const detailsOf = ui.overlay?.kind === 'details' && ui.overlay.pane === 'containers' && ui.overlay.view !== 'inside' ? ui.overlay.id : undefined;
	const forwarding = useForwarding(snapshot.containers.find(item => item.id === detailsOf));
	const details = openDetails(ui, snapshot, view, detailsNow, inside, forwarding);
	const topologyOpen = ui.overlay?.kind === 'topology';
	const topologyTree = useMemo(
		() => (topologyOpen ? flattenTopology(buildTopology(snapshot, view.hostView)) : []),
		[topologyOpen, snapshot, view.hostView],
	);
	const topologyQuery = ui.overlay?.kind === 'topology' ? ui.overlay.query : undefined;
	const topologyRows = visibleTopologyRows(topologyTree, topologyQuery);
	const overlayHeight = layout.overlayLines;

	// Wrapped to the width once, for both the scroll bounds and the view.
	const help = ui.overlay?.kind === 'help' ? helpLines(readOnly, layout.columns, snapshot.engine?.drivers, keymap) : undefined;
	const swarmOpen = ui.overlay?.kind === 'swarm';
	// Read when the swarm screen opens: contexts change rarely, and never while it is looked at.
	const dockerContexts = useMemo(() => (swarmOpen ? (services.dockerContexts?.() ?? []) : []), [swarmOpen, services]);
	const offers = useMemo(() => nodeEngineOffers(snapshot.swarm, dockerContexts, openHostnames(snapshot)), [snapshot, dockerContexts]);
	const swarm = swarmOpen ? swarmLines(snapshot, offers) : undefined;
	const commandLog = useCommandLog(ui.overlay?.kind === 'log', layout.columns);
	const overlayExtent = help
		? {total: help.length, viewport: overlayHeight - 1}
		: swarm
			? {total: swarm.length, viewport: overlayHeight - 1}
			: commandLog
				? {total: commandLog.lines.length, viewport: overlayHeight - 1}
				: details
					? detailsScrollExtent(details, overlayHeight)
					: {total: 0, viewport: 0};

	// The details of something that vanished (container removed) close by themselves.
	const detailsGone = ui.overlay?.kind === 'details' && !details;
	useEffect(() => {
		if (detailsGone) {
			dispatch({type: 'closeOverlay'});
			dispatch({type: 'status', tone: 'info', text: 'The item shown in the details is gone from the engine.'});
		}
	}, [detailsGone, dispatch]);

	// c d D u n x p: dialogs that take every key while open, then the engine call.
	// A network just created gets selected once its row is there (the store may bring it a
	// render after the engine said yes). A layout effect: it runs before the next key can.
	const [createdNetwork, setCreatedNetwork] = useState<string>();
	const engineActions = useEngineActions({dispatch, dialogLines: overlayHeight, onNetworkCreated: setCreatedNetwork});
	useLayoutEffect(() => {
		if (createdNetwork === undefined) return;
		const allRowIds = view.allRows.networks.map(row => row.id);
		if (!allRowIds.includes(createdNetwork)) return;
		setCreatedNetwork(undefined);
		dispatch({type: 'jumpTo', pane: 'networks', allRowIds, id: createdNetwork, viewport: layoutFor('networks').panes.networks.rowsVisible});
	}, [createdNetwork, view.allRows, layoutFor, dispatch]);
	const busy = ui.status?.tone === 'busy' || engineActions.inFlight.length > 0 || snapshot.connection.status === 'connecting';
	const now = useNow(busy ? 100 : 1000, lost || busy);
	const interfacesVisible = !ui.overlay && !layout.tooSmall && !engineActions.dialog;
	// The interface rows on screen, computed as PaneView does: rates are read for these.
	const interfacesModel = view.panes.interfaces;
	const interfacesViewport = layout.panes.interfaces.rowsVisible - (interfacesNotice(snapshot.host) ? 1 : 0);
	const interfacesTop = scrollToShow(ui.panes.interfaces.scrollTop, Math.max(0, interfacesModel.selectedIndex), interfacesViewport, interfacesModel.rowIds.length);
	const visibleInterfaces = interfacesModel.rowIds.slice(interfacesTop, interfacesTop + interfacesViewport).join('\n');
	useEffect(() => {
		services.setInterfaceRatesActive(interfacesVisible, visibleInterfaces.split('\n'));
	}, [services, interfacesVisible, visibleInterfaces]);

	const commandLine = useAppCommandLine({getUi: () => latestUi.current, allRows: view.allRows, dispatch, engineActions});
	useRoutedInput(
		{
			getUi: () => latestUi.current,
			allRows: view.allRows,
			layoutFor,
			readOnly,
			keymap,
			overlayExtent,
			getTopologyRows: () => latestTopologyRows(services.store.getSnapshot()),
			dispatch,
			quit: services.quit,
			onCommand: (command, current, panes) => {
				if (command === 'writeCommands') dispatch(commandLog?.writeScript() ?? {type: 'status', tone: 'info', text: 'No command log in this session.'});
				else if (command === 'openNodeEngines') openNodeEngines(offers, services.openNodeEngines, dispatch);
				else if (command === 'commandMode') commandLine.open();
				else if (command === 'nextHost') dispatch({type: 'status', tone: 'info', text: services.showNextHost?.() ?? 'One engine is open: its host is the one shown.'});
				else engineActions.onCommand(command, current, panes);
			},
		},
		firstOpen(engineActions, commandLine),
	);

	if (layout.tooSmall) {
		return <TooSmall columns={size.columns} rows={size.rows} />;
	}

	const events = shownEvents(snapshot.events, hiddenEvents);
	const spinner = spinnerFrames[Math.floor(now / 100) % spinnerFrames.length] ?? '';
	const stale = snapshot.connection.status === 'lost' || snapshot.connection.status === 'stalled';
	const containerName = (id: string): string | undefined => snapshot.containers.find(item => item.id === id)?.name;

	const pane = (id: PaneId) => {
		const model = view.panes[id];
		const cursor = ui.panes[id];
		const box = layout.panes[id];
		return (
			<PaneView
				key={id}
				title={paneTitles[id]}
				titleNote={paneNote(id, snapshot, layout.columns)}
				shortcut={String(paneOrder.indexOf(id) + 1)}
				focused={ui.focus === id}
				columns={chosenColumns(model.columns, paneColumns?.[id])}
				rows={model.rows}
				totalRows={model.totalRows}
				selectedIndex={model.selectedIndex}
				scrollTop={cursor.scrollTop}
				width={box.width}
				height={box.height}
				filter={cursor.filter}
				filtering={ui.filtering && ui.focus === id}
				stale={stale}
				emptyText={snapshot.loaded ? emptyTextFor(id) : 'loading…'}
				related={view.related[id]}
				theme={theme}
				notice={id === 'interfaces' ? interfacesNotice(snapshot.host) : undefined}
			/>
		);
	};

	let body: React.ReactNode;
	if (engineActions.dialog) {
		body = <DialogHost dialog={engineActions.dialog} width={layout.columns} height={overlayHeight} theme={theme} />;
	} else if (ui.overlay?.kind === 'help' && help) {
		body = <HelpView lines={help} scrollTop={ui.overlay.scrollTop} width={layout.columns} height={overlayHeight} theme={theme} />;
	} else if (ui.overlay?.kind === 'swarm' && swarm) {
		body = (
			<TextScreen
				title="Swarm — nodes, services, tasks, overlay networks · s or Esc closes, ↑↓ scroll"
				lines={swarm}
				scrollTop={ui.overlay.scrollTop}
				width={layout.columns}
				height={overlayHeight}
				theme={theme}
			/>
		);
	} else if (ui.overlay?.kind === 'log' && commandLog) {
		body = (
			<TextScreen
				title="Command log — newest first · y writes a script · L or Esc closes, ↑↓ scroll"
				lines={commandLog.lines}
				scrollTop={ui.overlay.scrollTop}
				width={layout.columns}
				height={overlayHeight}
				theme={theme}
			/>
		);
	} else if (ui.overlay?.kind === 'topology') {
		body = (
			<TopologyView
				rows={topologyRows}
				totalRows={topologyTree.length}
				query={ui.overlay.query}
				searching={ui.filtering}
				selectedIndex={resolveIndex(ui.overlay, rowIdsOf(topologyRows))}
				scrollTop={ui.overlay.scrollTop}
				width={layout.columns}
				height={overlayHeight}
				theme={theme}
			/>
		);
	} else if (details && ui.overlay?.kind === 'details') {
		body = <DetailsView details={details} scrollTop={ui.overlay.scrollTop} width={layout.columns} height={overlayHeight} theme={theme} />;
	} else {
		body = (
			<>
				{layout.arrangement === 'wide' ? (
					<>
						<Box>
							{pane('networks')}
							<Box width={1} />
							{pane('containers')}
						</Box>
						{pane('interfaces')}
					</>
				) : (
					paneOrder.map(pane)
				)}
				<EventsStrip
					events={events}
					lines={layout.eventLines}
					width={layout.columns}
					containerName={containerName}
					theme={theme}
				/>
			</>
		);
	}

	return (
		<Box flexDirection="column" width={layout.columns} height={layout.lines}>
			<Header snapshot={snapshot} endpoint={endpoint} readOnly={readOnly} width={layout.columns} now={now} theme={theme} />
			{body}
			<StatusLine connection={snapshot.connection} engines={snapshot.engines} status={ui.status} inFlight={engineActions.inFlight} width={layout.columns} now={now} theme={theme} spinner={spinner} />
			{commandLine.state.open && !engineActions.dialog ? (
				<CommandLineView state={commandLine.state} width={layout.columns} theme={theme} />
			) : (
				<Footer
					scopes={activeScopes(ui)}
					width={layout.columns}
					readOnly={readOnly}
					theme={theme}
					bindings={keymap}
					override={engineActions.footer ?? (ui.filtering ? 'type to filter  Enter keep  Esc clear  ↑↓ move' : undefined)}
				/>
			)}
		</Box>
	);
}

/** The hostnames of the engines in the picture, so a node already open is not offered again. */
function openHostnames(snapshot: EngineSnapshot): ReadonlySet<string> {
	const engines = snapshot.engines ?? [];
	return new Set([...engines.map(item => item.info?.hostname), snapshot.engine?.hostname].filter((name): name is string => name !== undefined && name !== ''));
}

function openNodeEngines(offers: readonly NodeEngineOffer[], open: AppServices['openNodeEngines'], dispatch: (action: UiAction) => void): void {
	if (offers.length === 0) {
		dispatch({type: 'status', tone: 'info', text: 'No other node to open: this is not a swarm manager, or every node is open already.'});
		return;
	}

	if (!open) {
		dispatch({type: 'status', tone: 'info', text: 'Opening more engines is not possible in this session.'});
		return;
	}

	dispatch({type: 'status', tone: 'busy', text: "Asking your docker contexts which are this swarm's nodes…"});
	void open(offers).then(text => dispatch({type: 'status', tone: 'info', text}));
}

function paneNote(id: PaneId, snapshot: EngineSnapshot, columns: number): string | undefined {
	// With several engines, the host pane is one machine's: the first engine's.
	if (id === 'interfaces' && isMultiEngine(snapshot)) return `of ${snapshot.owners?.labels.get(snapshot.hostEngine ?? '') ?? shownEngines(snapshot)[0]?.label ?? 'the first engine'}'s host · h next`;
	if (id === 'networks' && snapshot.engine && !isMultiEngine(snapshot) && columns >= DRIVERS_IN_TITLE_COLUMNS) return driversNote(snapshot.engine.drivers);
	return undefined;
}

/** Wide enough that the drivers do not crowd the title (the help's "From the CLI" page shows them always). */
const DRIVERS_IN_TITLE_COLUMNS = 150;

/** `docker info | grep Network`, on the Networks pane's title. */
function driversNote(drivers: readonly string[]): string | undefined {
	return drivers.length > 0 ? `drivers: ${drivers.join(' ')}` : undefined;
}

function emptyTextFor(pane: PaneId): string {
	switch (pane) {
		case 'networks':
			return 'No networks.';
		case 'containers':
			return 'No containers: start one and it appears here.';
		case 'interfaces':
			return 'No interfaces.';
	}
}
