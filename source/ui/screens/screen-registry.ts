import type {KeyScope} from '../keys/keymap.js';
import type {Overlay, UiState} from '../state/ui-state.js';
import {detailsScreen} from './details-screen.js';
import {helpScreen} from './help-screen.js';
import {logScreen} from './log-screen.js';
import type {ScreenDefinition, ScreenKind} from './screen.js';
import {swarmScreen} from './swarm-screen.js';
import {topologyScreen} from './topology-screen.js';

// Every screen over the panes, by its overlay kind. A new screen is a module of its own,
// named here (and its overlay in ui-state.ts).

type Registry = {[Kind in ScreenKind]: ScreenDefinition<Kind>};

export const screens: Registry = {
	help: helpScreen,
	details: detailsScreen,
	topology: topologyScreen,
	swarm: swarmScreen,
	log: logScreen,
};

/** The open screen's definition, typed for its overlay. */
export function screenOf<Kind extends ScreenKind>(overlay: Extract<Overlay, {kind: Kind}>): ScreenDefinition<Kind> {
	return screens[overlay.kind] as ScreenDefinition<Kind>;
}

/** Every screen's openers, for the keys on the panes. */
export const screenOpeners = Object.values(screens).flatMap(screen => screen.openers as ReadonlyArray<ScreenDefinition<ScreenKind>['openers'][number]>);

/** Which keymap scopes apply in the current state. */
export function activeScopes(ui: UiState): KeyScope[] {
	if (ui.overlay) return ['global', ...screenOf(ui.overlay).scopes];
	return ['global', 'list', ui.focus];
}
