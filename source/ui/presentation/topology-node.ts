import type {PaneId} from '../state/ui-state.js';
import type {Tone} from '../../view/columns.js';

/** One node of the topology tree: a network, a bridge, a veth or a container's interface. */
export interface TopologyNode {
	id: string;
	label: string;
	detail: string;
	tone?: Tone;
	/** The pane row Enter jumps to. */
	target?: {pane: PaneId; id: string};
	children: TopologyNode[];
}
