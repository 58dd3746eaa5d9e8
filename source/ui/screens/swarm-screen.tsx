import React, {useMemo} from 'react';
import {nodeEngineOffers} from '../../model/node-engines.js';
import type {NodeEngineOffer} from '../../model/node-engines.js';
import type {EngineSnapshot} from '../../model/store.js';
import {useAppServices} from '../app-context.js';
import type {AppServices} from '../app-context.js';
import {TextScreen} from '../components/text-screen.js';
import {swarmLines} from '../presentation/swarm-view.js';
import type {UiAction} from '../state/ui-state.js';
import type {ScreenDefinition} from './screen.js';

// s: the swarm's nodes, services, tasks and overlays; o opens the other nodes' engines.

/** The hostnames of the engines in the picture, so a node already open is not offered again. */
function openHostnames(snapshot: EngineSnapshot): ReadonlySet<string> {
	const engines = snapshot.engines ?? [];
	return new Set([...engines.map(item => item.info?.hostname), snapshot.engine?.hostname].filter((name): name is string => name !== undefined && name !== ''));
}

const offersOf = (snapshot: EngineSnapshot, services: AppServices): readonly NodeEngineOffer[] =>
	nodeEngineOffers(snapshot.swarm, services.dockerContexts?.() ?? [], openHostnames(snapshot));

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

export const swarmScreen: ScreenDefinition<'swarm'> = {
	scopes: ['overlay', 'swarm'],
	openers: [{command: 'swarm', open: () => ({kind: 'swarm', scrollTop: 0})}],
	closesWith: 'swarm',
	handleCommand(command, _overlay, {dispatch, services, snapshot}) {
		if (command !== 'openNodeEngines') return false;
		openNodeEngines(offersOf(snapshot(), services), services.openNodeEngines, dispatch);
		return true;
	},
	View({overlay, snapshot, width, height, theme, publishExtent}) {
		const services = useAppServices();
		// Read when the screen opens: contexts change rarely, and never while it is looked at.
		const contexts = useMemo(() => services.dockerContexts?.() ?? [], [services]);
		const offers = useMemo(() => nodeEngineOffers(snapshot.swarm, contexts, openHostnames(snapshot)), [snapshot, contexts]);
		const lines = useMemo(() => swarmLines(snapshot, offers), [snapshot, offers]);
		return (
			<TextScreen
				title="Swarm — nodes, services, tasks, overlay networks · s or Esc closes, ↑↓ scroll"
				lines={lines}
				scrollTop={overlay.scrollTop}
				width={width}
				height={height}
				theme={theme}
				publishExtent={publishExtent}
			/>
		);
	},
};
