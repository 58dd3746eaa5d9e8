import type {PaneId} from '../ui/state/ui-state.js';
import type {Palette} from '../ui/theme.js';
import type {KeyOverride} from './key-bindings.js';

// What config.yaml can set, apart from the parser: start-up reads these types without
// loading the YAML library when there is no file.

export interface DocknetConfig {
	readOnly?: boolean;
	/** The theme's name as written, and its colours (undefined: colours off). */
	theme?: {name: string; palette: Palette | undefined};
	keys: KeyOverride[];
	columns: Partial<Record<PaneId, string[]>>;
	/** Engines to open when none is chosen otherwise: docker context names, or endpoints with `://`. */
	engines: string[];
	/** Event actions (`exec_start`) or `type action` pairs (`container health_status`) left out of the events strip. */
	hideEvents: string[];
}

export interface ConfigProblem {
	line: number;
	message: string;
}

export const emptyConfig: DocknetConfig = {keys: [], columns: {}, engines: [], hideEvents: []};
