import {keepIdentity, removeById, sortByName, upsertById} from './store.js';
import type {DockerContainer, DockerNetwork} from './types.js';

// A fresh listing is the truth: these functions turn the store's lists into what a listing
// says while keeping the object identity of everything that did not change (memoised rows
// skip rendering) and the extra facts an earlier inspect added (pid, aliases, ports).

/** Same length and the same objects in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
	return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The networks a listing names, sorted by name; unchanged ones keep their identity. */
export function mergeNetworkListing(previous: readonly DockerNetwork[], listed: readonly DockerNetwork[]): readonly DockerNetwork[] {
	const known = new Map(previous.map(network => [network.id, network]));
	const next = sortByName(listed.map(network => keepIdentity(known.get(network.id), network)));
	return sameItems(previous, next) ? previous : next;
}

/** Whether an inspected container still says what its listed form says (state, health, name, endpoints). */
export function sameListedFacts(inspected: DockerContainer, listed: DockerContainer): boolean {
	if (inspected.state !== listed.state || inspected.name !== listed.name) return false;
	// A health_status event missed (during a reconnect) shows here. A list that says nothing
	// of health does not contradict an inspect that does.
	if (listed.health !== undefined && listed.health !== inspected.health) return false;
	if (inspected.endpoints.length !== listed.endpoints.length) return false;
	return listed.endpoints.every(endpoint =>
		inspected.endpoints.some(
			known =>
				known.networkId === endpoint.networkId &&
				known.ipv4 === endpoint.ipv4 &&
				known.ipv6 === endpoint.ipv6 &&
				known.mac === endpoint.mac,
		),
	);
}

export interface ContainerMerge {
	containers: readonly DockerContainer[];
	/** Containers whose listed facts differ from their inspect, and new running ones: worth an inspect. */
	toInspect: string[];
}

/**
 * The containers a listing names. An inspected container whose listed facts still hold is
 * kept as it is: a listing's newer status text alone would re-render every row each round,
 * and the inspected one makes its text as it is drawn (statusAt). `skip` names
 * containers an event refreshed while the listing was on its way: their newer state stays.
 */
export function mergeContainerListing(
	previous: readonly DockerContainer[],
	listed: readonly DockerContainer[],
	skip: ReadonlySet<string> = new Set(),
): ContainerMerge {
	const known = new Map(previous.map(container => [container.id, container]));
	const listedIds = new Set(listed.map(container => container.id));
	const toInspect: string[] = [];
	const merged: DockerContainer[] = [];
	for (const item of listed) {
		const before = known.get(item.id);
		if (skip.has(item.id) && before !== undefined) {
			merged.push(before);
			continue;
		}

		if (before?.inspected && sameListedFacts(before, item)) {
			// An inspected container makes its status text when drawn (statusClock); only one
			// without a clock takes the listing's newer text.
			merged.push(before.statusClock !== undefined || before.status === item.status ? before : {...before, status: item.status});
			continue;
		}

		if (before?.inspected) {
			// The listing and an inspect disagree: the inspect decides. Docker 20.10 under load
			// was seen listing a started swarm task as "created" for minutes while its inspect
			// said running; taking the listing would flip the row at every round.
			merged.push(before);
			toInspect.push(before.id);
			continue;
		}

		const next = keepIdentity(before, item);
		if (next !== before) toInspect.push(next.id);
		merged.push(next);
	}

	// A container the listing does not name is gone, unless an event brought it in after the
	// listing was taken.
	for (const container of previous) {
		if (!listedIds.has(container.id) && skip.has(container.id)) merged.push(container);
	}

	const next = sortByName(merged);
	return {containers: sameItems(previous, next) ? previous : next, toInspect};
}

/** Inspect results into a sorted list: undefined means gone; equal objects keep identity. */
export function applyInspectResults<T extends {id: string; name: string}>(
	list: readonly T[],
	results: ReadonlyArray<[string, T | undefined]>,
): readonly T[] {
	let next = list;
	for (const [id, item] of results) {
		next =
			item === undefined
				? removeById(next, id)
				: upsertById(next, keepIdentity(next.find(existing => existing.id === id), item));
	}

	return next;
}
