import {healthOfEvent} from './health.js';
import type {EngineEvent} from './types.js';

// Which engine events mean something to docknet: those that change what it shows (and so
// cost an inspect or a list), and those its events strip names.

const containerActionsShown = new Set([
	'create',
	'start',
	'die',
	'stop',
	'kill',
	'destroy',
	'pause',
	'unpause',
	'restart',
	'rename',
	'oom',
]);
const networkActionsShown = new Set(['create', 'connect', 'disconnect', 'destroy', 'remove']);
// Exec, attach and similar container events change nothing docknet shows. (A healthcheck
// runs as an exec: its exec_* events come at every interval, its health_status only on a change.)
const containerActionsIgnored = /^(exec_|attach|resize|top|archive-path|extract-to-dir|export|commit|copy)/;

/** Whether docknet shows the event in its events strip. */
export function isShownEvent(event: EngineEvent): boolean {
	if (event.type === 'container') return containerActionsShown.has(event.action) || healthOfEvent(event) !== undefined;
	if (event.type === 'network') return networkActionsShown.has(event.action);
	return false;
}

/** A container event that changes nothing docknet shows (exec, attach, copy, …). */
export function isIgnoredContainerAction(action: string): boolean {
	return containerActionsIgnored.test(action);
}
