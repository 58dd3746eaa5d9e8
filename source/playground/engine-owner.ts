import {existsSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {isLive, netnsHasProcesses, readProcess} from './linux-host.js';

// Who owns a private engine's directory: the process that started it, recorded in owner.json,
// so a cleanup leaves alone an engine another live process is using or still starting.

// A directory this young without a pidfile may be an engine that is still starting.
const STARTING_GRACE_MS = 60_000;

export interface OwnerRecord {
	pid: number;
	startTime: string;
}

export const OWNER_FILE = 'owner.json';

function readOwner(dir: string): OwnerRecord | undefined {
	try {
		const parsed: unknown = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
		if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && 'startTime' in parsed) {
			const {pid, startTime} = parsed;
			if (typeof pid === 'number' && typeof startTime === 'string') {
				return {pid, startTime};
			}
		}
	} catch {
		// No owner recorded.
	}

	return undefined;
}

function ownerAlive(owner: OwnerRecord): boolean {
	const info = readProcess(owner.pid);
	// The start time guards against a recycled pid.
	return isLive(info) && info.startTime === owner.startTime;
}

function ageMs(file: string): number {
	try {
		return Date.now() - statSync(file).mtimeMs;
	} catch {
		return Number.POSITIVE_INFINITY;
	}
}

/** Whether the engine named `name` is in use and must be left alone (`dockerdAlive`: its dockerd runs). */
export function engineInUse(name: string, dir: string, dockerdAlive: boolean): boolean {
	const owner = readOwner(dir);
	const starting = !existsSync(path.join(dir, 'docker.pid')) && ageMs(dir) < STARTING_GRACE_MS;
	if (owner !== undefined) {
		if (!ownerAlive(owner)) {
			return false;
		}

		return dockerdAlive || starting;
	}

	// Not started by this module (by hand, following the test-engine notes): only dead ones go.
	return dockerdAlive || netnsHasProcesses(name) || (existsSync(dir) && starting);
}

export function validateName(name: string): void {
	if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
		throw new Error(`Invalid private engine name "${name}": use letters, digits, '.', '_' and '-'`);
	}
}
