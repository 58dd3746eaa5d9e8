import type {ActionResult} from './action-types.js';
import {nameList} from './membership.js';
import {chosenAliases} from './selectors.js';
import type {ContainerEndpoint, DockerNetwork} from './types.js';

// The sentences the engine actions report, and how a watched result passes its verdict on.

export function describeEndpoint(endpoint: ContainerEndpoint | undefined, containerId: string, withAliases = true): string {
	if (!endpoint) return '';
	const parts: string[] = [];
	const addresses = [endpoint.ipv4, endpoint.ipv6].filter(Boolean);
	parts.push(addresses.length > 0 ? addresses.join(', ') : 'no address until it runs');
	const aliases = chosenAliases(endpoint, containerId);
	if (withAliases && aliases.length > 0) parts.push(`aliases ${aliases.join(', ')}`);
	return ` (${parts.join('; ')})`;
}

export function describeNetwork(network: DockerNetwork | undefined): string {
	if (!network) return '';
	const parts = [network.driver];
	for (const pool of network.pools) {
		parts.push(pool.gateway ? `${pool.subnet}, gateway ${pool.gateway}` : pool.subnet);
	}

	return ` (${parts.join(', ')})`;
}

/** Why `u` has nothing to do, in terms of what this session did. */
export function nothingToUndo({made, undone, dropped}: {made: number; undone: number; dropped: number}): string {
	if (made === 0) return 'Nothing to undo: no connect or disconnect in this session yet.';
	const were = (count: number): string => `${count} ${count === 1 ? 'was' : 'were'}`;
	const outcomes = [`${were(undone)} undone`];
	if (dropped > 0) outcomes.push(`${were(dropped)} dropped because ${dropped === 1 ? 'its' : 'their'} container or network is gone`);
	if (made === 1) return `Nothing left to undo: the one connect or disconnect this session made ${undone === 1 ? 'was undone' : 'was dropped because its container or network is gone'}.`;
	return `Nothing left to undo: of the ${made} connects or disconnects this session made, ${outcomes.join(' and ')}.`;
}

export function pruneMessage(removed: readonly string[], refused: ReadonlyArray<{name: string; reason: string}>): string {
	const done = removed.length === 0 ? 'Pruned no network' : `Pruned ${removed.length} network${removed.length === 1 ? '' : 's'}: ${nameList(removed, 6)}`;
	if (refused.length === 0) return done;
	const kept = refused.map(item => `${item.name} (${item.reason})`).join('; ');
	return `${done}; kept ${kept}`;
}

/** Runs `then` when a watched result's verdict (or a late sighting) says it was applied. */
export function whenApplied(result: ActionResult, then: () => void): ActionResult {
	const {followUp} = result;
	if (!followUp) return result;
	return {
		...result,
		followUp: followUp.then(next => {
			if (!next) return next;
			if (next.ok) {
				then();
				return next;
			}

			return whenApplied(next, then);
		}),
	};
}

export const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
export const upperFirst = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
