import type {ActionResult} from './action-types.js';
import type {EngineGateway} from './gateway.js';
import {endpointOn} from './membership.js';
import {clockTime, eventTime, watchOutcome} from './outcome-watch.js';
import type {OutcomeCheck, OutcomeWatchOptions} from './outcome-watch.js';
import type {EngineSnapshot, SnapshotSource} from './store.js';

// What "applied" means for each action whose request timed out, and the messages the user
// reads meanwhile and afterwards. EngineActions calls these when a request's fate is unknown.

type Gateway = Pick<EngineGateway, 'inspectContainer' | 'inspectNetwork'>;

type NetworkRef = {id: string; name: string};

const hasEndpoint = (snapshot: EngineSnapshot, network: NetworkRef, containerId: string): boolean => {
	const container = snapshot.containers.find(item => item.id === containerId);
	return container !== undefined && endpointOn(container, network) !== undefined;
};

/** Connected (present) or disconnected (!present): the container's endpoint on the network. */
export function endpointCheck(gateway: Gateway, network: NetworkRef, containerId: string, present: boolean, sentAt: number, now: () => number): OutcomeCheck {
	const action = present ? 'connect' : 'disconnect';
	const networkId = network.id;
	return {
		seen: snapshot => {
			if (hasEndpoint(snapshot, network, containerId) !== present) return undefined;
			const at = eventTime(snapshot, sentAt, event => event.type === 'network' && event.action === action && event.actorId === networkId && event.attributes['container'] === containerId);
			return {at: at ?? now()};
		},
		verify: async () => {
			const container = await gateway.inspectContainer(containerId);
			const there = container !== undefined && endpointOn(container, network) !== undefined;
			return there === present;
		},
	};
}

export function createCheck(gateway: Gateway, name: string, sentAt: number, now: () => number): OutcomeCheck {
	return {
		seen: snapshot => {
			const network = snapshot.networks.find(item => item.name === name);
			if (!network) return undefined;
			const at = eventTime(snapshot, sentAt, event => event.type === 'network' && event.action === 'create' && event.actorId === network.id);
			return {at: at ?? now()};
		},
		verify: async () => (await gateway.inspectNetwork(name))?.name === name,
	};
}

export function removeCheck(gateway: Gateway, networkId: string, sentAt: number, now: () => number): OutcomeCheck {
	return {
		seen: snapshot => {
			if (snapshot.networks.some(network => network.id === networkId)) return undefined;
			const at = eventTime(snapshot, sentAt, event => event.type === 'network' && event.action === 'destroy' && event.actorId === networkId);
			return {at: at ?? now()};
		},
		verify: async () => (await gateway.inspectNetwork(networkId)) === undefined,
	};
}

export interface TimedOutAction {
	/** What was being done, as a sentence start: "Connecting ctn1 to front". */
	doing: string;
	check: OutcomeCheck;
	/** Detail added to "it was applied …": " (10.0.0.3)". */
	detail?(): string;
	/** Called once the effect is seen (undo entries, selection). */
	onApplied?(): void;
	/** Fields of the applied verdict beyond ok and message (a created network's id). */
	applied?(): Partial<ActionResult>;
}

/**
 * The result for a request that went unanswered: not a failure ("nothing changed" would be
 * a guess), but a watch whose verdict follows as `followUp`.
 */
export function watchTimedOut(store: SnapshotSource, action: TimedOutAction, options: OutcomeWatchOptions = {}): ActionResult {
	const watch = watchOutcome(store, action.check, options);
	const {doing} = action;
	const followUp = watch.outcome.then((outcome): ActionResult => {
		if (outcome.applied) {
			action.onApplied?.();
			return {...action.applied?.(), ok: true, message: `${doing} timed out — it was applied at ${clockTime(outcome.at)}${action.detail?.() ?? ''}`};
		}

		return {
			ok: false,
			message: `${doing} timed out — it was not applied (checked at ${clockTime(outcome.at)})`,
			followUp: watch.late.then(late => {
				if (!late) return undefined;
				action.onApplied?.();
				return {...action.applied?.(), ok: true, message: `${doing} was applied after all, at ${clockTime(late.at)}${action.detail?.() ?? ''}`};
			}),
		};
	});
	return {
		ok: false,
		watching: true,
		message: `${doing} timed out — the request was sent, so docknet watches whether the engine applies it`,
		followUp,
	};
}
