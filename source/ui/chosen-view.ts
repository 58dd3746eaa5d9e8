import type {EngineEvent} from '../model/types.js';
import type {Column} from '../view/columns.js';

// What the config file leaves out of the screen: columns not chosen, events not wanted.
// Both keep the identity of what they return while their input is the same, so memoised
// rows and panes do not redraw for nothing.

const chosenCache = new WeakMap<readonly Column[], Map<string, readonly Column[]>>();

/** The pane's columns with those not in `titles` hidden; NAME and ENGINE always stay. */
export function chosenColumns(columns: readonly Column[], titles: readonly string[] | undefined): readonly Column[] {
	if (titles === undefined || titles.length === 0) return columns;
	const key = titles.join('\n');
	let byTitles = chosenCache.get(columns);
	const cached = byTitles?.get(key);
	if (cached) return cached;
	const chosen = columns.map(column => (titles.includes(column.title) || column.title === 'NAME' || column.title === 'ENGINE' ? column : {...column, hidden: true}));
	byTitles ??= new Map();
	byTitles.set(key, chosen);
	chosenCache.set(columns, byTitles);
	return chosen;
}

/** Docker's exec actions carry the command (`exec_start: sh -c …`): the action is the part before the colon. */
const actionOf = (event: EngineEvent): string => event.action.split(':')[0]?.trim() ?? event.action;

/** The events not hidden: `hidden` holds actions (`exec_start`) or `type action` pairs (`container health_status`). */
export function shownEvents(events: readonly EngineEvent[], hidden: readonly string[] | undefined): readonly EngineEvent[] {
	if (hidden === undefined || hidden.length === 0) return events;
	const wanted = (event: EngineEvent): boolean => {
		const action = actionOf(event);
		return !hidden.includes(action) && !hidden.includes(`${event.type} ${action}`);
	};

	return events.every(wanted) ? events : events.filter(wanted);
}
