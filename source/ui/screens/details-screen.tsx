import React, {useEffect, useLayoutEffect} from 'react';
import {containerNamer} from '../../model/cluster-selectors.js';
import type {ForwardingScan} from '../../model/forwarding.js';
import type {InsideView} from '../../model/inside.js';
import {ownerLabel} from '../../model/picture.js';
import {statusAt} from '../../model/status-text.js';
import type {EngineSnapshot} from '../../model/store.js';
import {DetailsView} from '../components/details-view.js';
import {useForwarding, useInsideView} from '../hooks/use-inside-view.js';
import {useNow} from '../hooks/use-now.js';
import type {ViewModel} from '../hooks/use-view-model.js';
import {containerDetails, interfaceDetails, networkDetails, withEngine} from '../presentation/details.js';
import {projectDetailsOf} from '../presentation/project-details.js';
import type {Details} from '../presentation/details.js';
import {detailsScrollExtent} from '../presentation/details-window.js';
import {insideDetails} from '../presentation/inside-details.js';
import {withCluster} from '../presentation/swarm-view.js';
import type {OverlayOf, ScreenDefinition} from './screen.js';

// Enter: the selected network's, container's or interface's details; i: a container as seen
// from inside it.

type DetailsOverlay = OverlayOf<'details'>;

function itemDetails(overlay: DetailsOverlay, snapshot: EngineSnapshot, view: ViewModel, now: number, inside: InsideView | undefined, forwarding: ForwardingScan | undefined): Details | undefined {
	if (overlay.pane === 'networks') {
		const network = snapshot.networks.find(item => item.id === overlay.id);
		const cluster = network && snapshot.swarm.networks.get(network.id);
		const plain = network && networkDetails(network, snapshot.containers);
		return plain && network && cluster ? withCluster(plain, snapshot, network, cluster) : plain;
	}

	const project = projectDetailsOf(overlay.id, snapshot);
	if (project) return project;
	if (overlay.pane === 'containers') {
		const container = snapshot.containers.find(item => item.id === overlay.id);
		if (container && overlay.view === 'inside') return insideDetails(container, snapshot.containers, inside);
		// The status text ("Up 2 minutes") is made for now, not for when it was read.
		return container && containerDetails({...container, status: statusAt(container, now)}, snapshot.containers, snapshot.host, forwarding, snapshot.loaded ? snapshot.networks : undefined, (snapshot.engines?.length ?? 1) > 1 ? undefined : snapshot.engine);
	}

	const item = snapshot.host.interfaces.find(candidate => candidate.name === overlay.id);
	return item && interfaceDetails(item, snapshot.host, view.hostView, containerNamer(snapshot));
}

export const detailsScreen: ScreenDefinition<'details'> = {
	scopes: ['overlay', 'details'],
	openers: [
		{command: 'open', open: (ui, panes) => {
			const id = panes[ui.focus].selectedId;
			return id === undefined ? undefined : {kind: 'details', pane: ui.focus, id, scrollTop: 0};
		}},
		{command: 'insideView', open: (ui, panes) => {
			const id = panes[ui.focus].selectedId;
			return id === undefined ? undefined : {kind: 'details', pane: ui.focus, id, scrollTop: 0, view: 'inside'};
		}},
	],
	handleCommand(command, overlay, {dispatch}) {
		if (command !== 'insideView' || overlay.pane !== 'containers') return false;
		dispatch({type: 'openOverlay', overlay: {...overlay, scrollTop: 0, view: overlay.view === 'inside' ? undefined : 'inside'}});
		return true;
	},
	View({overlay, snapshot, view, width, height, theme, dispatch, publishExtent}) {
		const ofContainer = overlay.pane === 'containers';
		// A container's details tick once a second: their status text counts time.
		const now = useNow(1000, ofContainer);
		const container = ofContainer ? snapshot.containers.find(item => item.id === overlay.id) : undefined;
		const inside = useInsideView(overlay.view === 'inside' ? container : undefined);
		const forwarding = useForwarding(overlay.view === 'inside' ? undefined : container);
		const plain = itemDetails(overlay, snapshot, view, now, inside, forwarding);
		// With several engines open, a network's or container's details say whose it is.
		const details = plain === undefined || overlay.pane === 'interfaces' ? plain : withEngine(plain, ownerLabel(snapshot, overlay.pane, overlay.id));
		useLayoutEffect(() => publishExtent(details ? detailsScrollExtent(details, height) : {total: 0, viewport: 0}));
		// The details of something that vanished (container removed) close by themselves.
		const gone = details === undefined;
		useEffect(() => {
			if (!gone) return;
			dispatch({type: 'closeOverlay'});
			dispatch({type: 'status', tone: 'info', text: 'The item shown in the details is gone from the engine.'});
		}, [gone, dispatch]);
		return details ? <DetailsView details={details} scrollTop={overlay.scrollTop} width={width} height={height} theme={theme} /> : null;
	},
};
