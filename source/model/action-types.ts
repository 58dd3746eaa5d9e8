import type {ConnectOptions} from './gateway.js';
import type {OutcomeWatchOptions} from './outcome-watch.js';
import type {Refusal} from './refusals.js';
import type {ContainerEndpoint} from './types.js';

// What the engine actions take and give back, and what undo remembers.

export interface ActionResult {
	ok: boolean;
	/** A sentence for the status line. */
	message: string;
	/** Refused without asking the engine: the same target has an action in flight. */
	busy?: boolean;
	/** Why the engine refused, and which form field that concerns. */
	refusal?: Refusal;
	/** The new network's id, after a create. */
	networkId?: string;
	/** The request went unanswered: docknet watches for its effect; `followUp` has the verdict. */
	watching?: boolean;
	/** A later word on the same action: a watch's verdict, or an effect seen after all. */
	followUp?: Promise<ActionResult | undefined>;
}

export interface PruneResult extends ActionResult {
	removed: string[];
	refused: Array<{name: string; reason: string}>;
}

export type UndoEntry =
	| {kind: 'connected'; networkId: string; networkName: string; containerId: string; containerName: string}
	| {
			kind: 'disconnected';
			networkId: string;
			networkName: string;
			containerId: string;
			containerName: string;
			/** What the endpoint had, to connect it again the same way. */
			endpoint: ContainerEndpoint;
			/** The address was fixed by the user (IPAMConfig), not picked by the engine. */
			fixedByUser: boolean;
		};

export interface EngineActionsOptions {
	/** How long to wait for the engine's event to reach the store before asking directly. */
	settleTimeoutMs?: number;
	/** How timed-out requests are watched. */
	outcomeWatch?: OutcomeWatchOptions;
}

export interface ConnectRequest {
	networkId: string;
	containerId: string;
	options: ConnectOptions;
}

export interface DisconnectRequest {
	networkId: string;
	containerId: string;
	force: boolean;
}
