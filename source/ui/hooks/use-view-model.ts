import {useMemo} from 'react';
import {emptyHostView, joinHostView} from '../../host/bridges.js';
import type {HostView} from '../../host/bridges.js';
import {initialHostSnapshot} from '../../model/store.js';
import type {EngineSnapshot} from '../../model/store.js';
import {containerNamer, nodeNamer} from '../../model/cluster-selectors.js';
import {isMultiEngine, onShownHost} from '../../model/picture.js';
import {attachmentsByNetwork} from '../../model/selectors.js';
import type {Column} from '../../view/columns.js';
import {
	containerColumns,
	containerRows,
	interfaceColumns,
	interfaceRows,
	networkColumns,
	networkPane,
	withEngineColumn,
} from '../../view/pane-rows.js';
import type {PaneModel, PaneRow, RowOwner} from '../../view/pane-rows.js';
import {filterRows, rowIdsOf} from '../../model/list-filter.js';
import {groupByProject} from '../presentation/project-groups.js';
import {resolveIndex} from '../state/ui-state.js';
import type {PaneId, UiState} from '../state/ui-state.js';

export interface PaneViewModel {
	columns: readonly Column[];
	totalRows: number;
	rows: readonly PaneRow[];
	rowIds: readonly string[];
	selectedIndex: number;
	selectedId?: string;
}

export type PaneRows = Record<PaneId, readonly PaneRow[]>;

export interface ViewModel {
	/** Every row of each pane before filtering, for key handling between renders. */
	allRows: PaneRows;
	panes: Record<PaneId, PaneViewModel>;
	hostView: HostView;
	/** Rows of each pane related to the selection in the focused pane. */
	related: Record<PaneId, ReadonlySet<string>>;
}

const noFolds: readonly string[] = [];

function paneModel(columns: readonly Column[], allRows: readonly PaneRow[], cursor: UiState['panes'][PaneId], grouped: boolean): PaneViewModel {
	const matching = filterRows(allRows, cursor.filter);
	// Grouped after the filter: a project row counts what matched, and a match inside a folded project is not lost.
	const rows = grouped ? groupByProject(matching, columns, {unfolded: cursor.unfolded ?? noFolds, ...(cursor.reveal === undefined ? {} : {reveal: cursor.reveal})}) : matching;
	const rowIds = rowIdsOf(rows);
	const selectedIndex = resolveIndex(cursor, rowIds);
	return {columns, totalRows: allRows.length, rows, rowIds, selectedIndex, selectedId: rowIds[selectedIndex]};
}

const groupedCache = new WeakMap<readonly Column[], readonly Column[]>();

/** Grouped, every row sits under its project: the PROJECT column would repeat it. */
function groupedColumns(columns: readonly Column[], ui: UiState): readonly Column[] {
	if (ui.grouped !== true) return columns;
	let grouped = groupedCache.get(columns);
	if (grouped === undefined) {
		grouped = columns.map(column => (column.title === 'PROJECT' ? {...column, hidden: true} : column));
		groupedCache.set(columns, grouped);
	}

	return grouped;
}

const paneColumns: Record<PaneId, readonly Column[]> = {
	networks: networkColumns,
	containers: containerColumns,
	interfaces: interfaceColumns,
};

/** Filtered rows and resolved selection of every pane for a UI state. */
export function paneModels(allRows: PaneRows, ui: UiState, columns: Record<PaneId, readonly Column[]> = paneColumns): Record<PaneId, PaneViewModel> {
	return {
		networks: paneModel(groupedColumns(columns.networks, ui), allRows.networks, ui.panes.networks, ui.grouped === true),
		containers: paneModel(groupedColumns(columns.containers, ui), allRows.containers, ui.panes.containers, ui.grouped === true),
		interfaces: paneModel(columns.interfaces, allRows.interfaces, ui.panes.interfaces, false),
	};
}

const none: ReadonlySet<string> = new Set();

/** What the selection in the focused pane touches in the other two panes. */
export function relatedRows(
	snapshot: EngineSnapshot,
	hostView: HostView,
	focus: PaneId,
	selectedId: string | undefined,
): Record<PaneId, ReadonlySet<string>> {
	const related = {networks: new Set<string>(), containers: new Set<string>(), interfaces: new Set<string>()};
	if (!selectedId) return {networks: none, containers: none, interfaces: none};
	const attachments = attachmentsByNetwork(snapshot.containers);
	const addNetwork = (networkId: string, withContainers: boolean): void => {
		related.networks.add(networkId);
		const side = hostView.byNetwork.get(networkId);
		if (side?.bridge) related.interfaces.add(side.bridge);
		if (side?.parent) related.interfaces.add(side.parent);
		if (withContainers) {
			for (const veth of side?.veths ?? []) related.interfaces.add(veth);
			for (const attachment of attachments.get(networkId) ?? []) related.containers.add(attachment.container.id);
		}
	};

	if (focus === 'networks') {
		addNetwork(selectedId, true);
		related.networks.delete(selectedId);
	} else if (focus === 'containers') {
		const container = snapshot.containers.find(item => item.id === selectedId);
		for (const endpoint of container?.endpoints ?? []) addNetwork(endpoint.networkId, false);
		for (const veth of hostView.vethsByContainer.get(selectedId) ?? []) related.interfaces.add(veth);
	} else {
		const links = hostView.interfaces.get(selectedId);
		if (links?.peer) {
			related.containers.add(links.peer.containerId);
			if (links.peer.networkId) related.networks.add(links.peer.networkId);
		}

		if (links?.network) addNetwork(links.network.id, true);
		if (links?.bridgeNetwork) related.networks.add(links.bridgeNetwork.id);
		for (const member of links?.members ?? []) related.interfaces.add(member);
		for (const network of links?.parentOf ?? []) addNetwork(network.id, true);
		if (links?.localPeer) related.interfaces.add(links.localPeer);
		if (links?.parent) related.interfaces.add(links.parent);
		related.interfaces.delete(selectedId);
	}

	return related;
}

/** Bridges and veths joined to networks and containers (and, in a swarm, the engine's own endpoint lists). */
export function hostViewOf(
	{host, networks, containers}: Pick<EngineSnapshot, 'host' | 'networks' | 'containers'>,
	endpointLists?: EngineSnapshot['swarm']['networks'],
): HostView {
	if (host.status !== 'ok') return emptyHostView();
	return joinHostView({
		interfaces: host.interfaces,
		peers: host.peers.status === 'ok' ? host.peers.peers : [],
		networks,
		containers,
		...(endpointLists === undefined ? {} : {endpointLists}),
	});
}

/** Whose each row is, when several engines are open; undefined with one (no ENGINE column). */
export function engineOwnership(snapshot: Pick<EngineSnapshot, 'engines' | 'owners'>): ((kind: 'containers' | 'networks', id: string) => RowOwner | undefined) | undefined {
	const {engines, owners} = snapshot;
	if (!isMultiEngine(snapshot) || owners === undefined || engines === undefined) return undefined;
	const down = new Set(engines.filter(item => item.connection.status === 'lost' || item.connection.status === 'stalled').map(item => item.key));
	return (kind, id) => {
		const key = owners[kind].get(id);
		return key === undefined ? undefined : {label: owners.labels.get(key) ?? key, down: down.has(key)};
	};
}

function ownedBy(ownership: ReturnType<typeof engineOwnership>, kind: 'containers' | 'networks', model: PaneModel): PaneModel {
	return ownership === undefined ? model : withEngineColumn(model, id => ownership(kind, id));
}

export function useViewModel(snapshot: EngineSnapshot, ui: UiState): ViewModel {
	const {networks, containers, freshUntil, host, swarm, engine} = snapshot;
	// Keyed on what the join reads, not on `host`: rates change every second and must not
	// redo the veth ↔ container join.
	const {status: hostStatus, interfaces, peers} = host;
	const endpointLists = swarm.networks;
	const {engines, owners, hostEngine} = snapshot;
	// With several engines, the host shown is one engine's: joined with that engine's rows only.
	const hostRows = useMemo(() => onShownHost({networks, containers, engines, owners, hostEngine}), [networks, containers, engines, owners, hostEngine]);
	const hostView = useMemo(
		() => hostViewOf({host: {...initialHostSnapshot, status: hostStatus, interfaces, peers}, ...hostRows}, endpointLists),
		[hostStatus, interfaces, peers, hostRows, endpointLists],
	);
	const clusters = swarm.networks;
	const ownership = useMemo(() => engineOwnership({engines, owners}), [engines, owners]);
	const networkModel = useMemo(() => ownedBy(ownership, 'networks', networkPane(networks, containers, clusters)), [networks, containers, clusters, ownership]);
	const nodeName = useMemo(() => nodeNamer(swarm, engine), [swarm, engine]);
	const knownNetworks = snapshot.loaded ? networks : undefined;
	const containerModel = useMemo(() => ownedBy(ownership, 'containers', {columns: containerColumns, rows: containerRows(containers, freshUntil, nodeName, knownNetworks)}), [containers, freshUntil, nodeName, knownNetworks, ownership]);
	// A task's veth is named like its row: `web.2@node-a:eth1`.
	const displayName = useMemo(() => containerNamer({containers, swarm, engine}), [containers, swarm, engine]);
	const allInterfaceRows = useMemo(() => interfaceRows(host, hostView, displayName), [host, hostView, displayName]);
	const allRows = useMemo(
		() => ({networks: networkModel.rows, containers: containerModel.rows, interfaces: allInterfaceRows}),
		[networkModel, containerModel, allInterfaceRows],
	);
	const columns = useMemo(
		() => ({networks: networkModel.columns, containers: containerModel.columns, interfaces: interfaceColumns}),
		[networkModel.columns, containerModel.columns],
	);
	const panes = useMemo(() => paneModels(allRows, ui, columns), [allRows, ui, columns]);
	const focusedId = panes[ui.focus].selectedId;
	const related = useMemo(
		() => relatedRows(snapshot, hostView, ui.focus, focusedId),
		[snapshot, hostView, ui.focus, focusedId],
	);
	return {allRows, panes, hostView, related};
}
