import {healthOfEvent} from '../../model/health.js';
import type {EngineEvent} from '../../model/types.js';
import type {Tone} from '../../view/columns.js';
import {describeEvent, eventTone, formatDuration} from '../../view/format.js';

// The events strip's lines: events of hidden containers left out, and a restart loop (die,
// start, and the network connect/disconnect each start brings, over and over) said once
// with a count instead of filling the strip.

export interface EventLine {
	key: string;
	time: number;
	text: string;
	tone: Tone;
}

/** The container an event is about: its actor, or the container a network event names. */
export function eventContainer(event: EngineEvent): string | undefined {
	if (event.type === 'container') return event.actorId;
	if (event.type === 'network') return event.attributes['container'];
	return undefined;
}

const lifecycle = new Set(['die', 'start', 'restart', 'kill', 'stop', 'connect', 'disconnect']);
const inLoop = (event: EngineEvent): boolean => lifecycle.has(event.action) || (event.type === 'container' && healthOfEvent(event) !== undefined);

/** How often each container came back after dying, within the events given (oldest to newest). */
function restartCounts(events: readonly EngineEvent[]): Map<string, {count: number; first: number; last: number}> {
	const died = new Set<string>();
	const counts = new Map<string, {count: number; first: number; last: number}>();
	for (let index = events.length - 1; index >= 0; index--) {
		const event = events[index];
		if (event?.type !== 'container') continue;
		if (event.action === 'die') died.add(event.actorId);
		else if (event.action === 'start' && died.has(event.actorId)) {
			died.delete(event.actorId);
			const known = counts.get(event.actorId);
			counts.set(event.actorId, known === undefined ? {count: 1, first: event.time, last: event.time} : {...known, count: known.count + 1, last: event.time});
		}
	}

	return counts;
}

/** A loop is two restarts or more: one restart is worth its own lines. */
const LOOP_RESTARTS = 2;

function loopsOf(shown: readonly EngineEvent[]): Map<string, {count: number; first: number; last: number}> {
	const loops = restartCounts(shown);
	for (const [id, loop] of loops) if (loop.count < LOOP_RESTARTS) loops.delete(id);
	return loops;
}

const shownOf = (events: readonly EngineEvent[], hidden: readonly string[]): readonly EngineEvent[] =>
	hidden.length === 0 ? events : events.filter(event => !hidden.includes(eventContainer(event) ?? ''));

/** How many lines eventLines makes, without describing any. */
export function countEventLines(events: readonly EngineEvent[], hidden: readonly string[] = []): number {
	const shown = shownOf(events, hidden);
	const loops = loopsOf(shown);
	const said = new Set<string>();
	let count = 0;
	for (const event of shown) {
		const container = eventContainer(event);
		if (container !== undefined && loops.has(container) && inLoop(event)) {
			if (said.has(container)) continue;
			said.add(container);
		}

		count++;
	}

	return count;
}

/** Lines for the strip, newest first, as the events are; at most `limit` (the strip draws a few of 200). */
export function eventLines(events: readonly EngineEvent[], containerName: (id: string) => string | undefined, hidden: readonly string[] = [], limit = Number.POSITIVE_INFINITY): EventLine[] {
	const shown = shownOf(events, hidden);
	const loops = loopsOf(shown);
	const lines: EventLine[] = [];
	const said = new Set<string>();
	for (const event of shown) {
		if (lines.length >= limit) break;
		const container = eventContainer(event);
		const loop = container === undefined ? undefined : loops.get(container);
		if (container !== undefined && loop !== undefined && inLoop(event)) {
			if (said.has(container)) continue;
			said.add(container);
			const name = containerName(container) ?? event.attributes['name'] ?? container.slice(0, 12);
			const span = loop.last - loop.first;
			lines.push({
				key: `loop-${container}`,
				time: event.time,
				text: `${name} restarted ×${loop.count}${span > 0 ? ` in ${formatDuration(span)}` : ''} (last: ${event.type === 'network' ? `network ${event.action}` : event.action})`,
				tone: 'bad',
			});
			continue;
		}

		lines.push({key: `${event.timeNano}-${event.actorId}-${event.action}`, time: event.time, text: describeEvent(event, containerName), tone: eventTone(event)});
	}

	return lines;
}
