import {Box} from 'ink';
import React from 'react';
import {isMultiEngine} from '../../model/picture.js';
import type {EngineSnapshot, HostSnapshot} from '../../model/store.js';
import {chosenColumns, shownEvents} from '../chosen-view.js';
import {EventsStrip} from '../components/events-strip.js';
import {shownEngines} from '../components/header.js';
import {PaneView} from '../components/pane-view.js';
import type {ViewModel} from '../hooks/use-view-model.js';
import type {Layout} from '../layout.js';
import {paneOrder, paneTitles} from '../state/ui-state.js';
import type {PaneId, UiState} from '../state/ui-state.js';
import type {Theme} from '../theme.js';

// The three panes and the events strip: what shows when no screen is open over them.

export interface PanesBodyProps {
	ui: UiState;
	snapshot: EngineSnapshot;
	view: ViewModel;
	layout: Layout;
	theme: Theme;
	hiddenEvents?: readonly string[];
	paneColumns?: Partial<Record<PaneId, readonly string[]>>;
}

/** Why the interfaces pane lists less than it could, on a line of its own. */
export function interfacesNotice(host: HostSnapshot): string | undefined {
	if (host.status === 'unavailable') return `Host interfaces unavailable: ${host.reason ?? 'unknown reason'}`;
	if (host.peers.status === 'unavailable') {
		return `Veth owners unknown: ${host.peers.reason}${host.peers.hint ? ` — ${host.peers.hint}` : ''}`;
	}

	return undefined;
}

export function PanesBody({ui, snapshot, view, layout, theme, hiddenEvents, paneColumns}: PanesBodyProps) {
	const stale = snapshot.connection.status === 'lost' || snapshot.connection.status === 'stalled';
	const containerName = (id: string): string | undefined => snapshot.containers.find(item => item.id === id)?.name;
	const pane = (id: PaneId) => {
		const model = view.panes[id];
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
				scrollTop={ui.panes[id].scrollTop}
				width={box.width}
				height={box.height}
				filter={ui.panes[id].filter}
				filtering={ui.filtering && ui.focus === id}
				stale={stale}
				emptyText={snapshot.loaded ? emptyTextFor(id) : 'loading…'}
				related={view.related[id]}
				theme={theme}
				notice={id === 'interfaces' ? interfacesNotice(snapshot.host) : undefined}
			/>
		);
	};

	return (
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
			<EventsStrip events={shownEvents(snapshot.events, hiddenEvents)} lines={layout.eventLines} width={layout.columns} containerName={containerName} theme={theme} view={ui.events} />
		</>
	);
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
