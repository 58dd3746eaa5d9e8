import type {Command} from './keymap.js';
import {pageStep} from '../state/ui-state.js';
import type {Movement} from '../state/ui-state.js';

/** The moving commands, as a movement through a list `viewport` rows tall: panes and the topology alike. */
export const movements: Partial<Record<Command, (viewport: number) => Movement>> = {
	moveUp: () => -1,
	moveDown: () => 1,
	pageUp: viewport => -pageStep(viewport),
	pageDown: viewport => pageStep(viewport),
	home: () => 'home',
	end: () => 'end',
};
