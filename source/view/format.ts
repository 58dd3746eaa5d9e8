import {healthOfEvent} from '../model/health.js';
import type {ContainerState, DockerContainer, EngineEvent} from '../model/types.js';
import type {Tone} from './columns.js';

export function stateTone(state: ContainerState): Tone {
	switch (state) {
		case 'running':
			return 'good';
		case 'paused':
		case 'restarting':
		case 'removing':
			return 'warn';
		case 'dead':
			return 'bad';
		case 'created':
			return 'accent';
		case 'exited':
			return 'muted';
	}
}

/**
 * The STATE column: a running container with a healthcheck shows what the check says
 * (`healthy`, `unhealthy`, `starting`), so the words carry it without colour too.
 */
export function containerStateText(container: Pick<DockerContainer, 'state' | 'health'>): string {
	return container.state === 'running' && container.health !== undefined ? container.health : container.state;
}

export function containerStateTone(container: Pick<DockerContainer, 'state' | 'health'>): Tone {
	if (container.state !== 'running' || container.health === undefined) return stateTone(container.state);
	if (container.health === 'healthy') return 'good';
	return container.health === 'unhealthy' ? 'bad' : 'warn';
}

export function interfaceStateTone(state: string): Tone {
	if (state === 'up') return 'good';
	if (state === 'down' || state === 'lowerlayerdown') return 'muted';
	return 'warn';
}

const units = ['', 'K', 'M', 'G', 'T'];

/** Bytes (or packets) per second in at most five characters: 0, 812, 12.4K, 3.1M. */
export function formatRate(perSecond: number | undefined): string {
	if (perSecond === undefined) return '–';
	let value = perSecond;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	if (unit === 0) return Math.round(value).toString();
	return `${value >= 100 ? Math.round(value) : value.toFixed(1)}${units[unit]}`;
}

export function formatClock(epochMs: number): string {
	const date = new Date(epochMs);
	return [date.getHours(), date.getMinutes(), date.getSeconds()].map(part => String(part).padStart(2, '0')).join(':');
}

export function shortId(id: string): string {
	return id.slice(0, 12);
}

/** "container start ctn1", "network connect front ← ctn2". */
export function describeEvent(event: EngineEvent, containerName: (id: string) => string | undefined = () => undefined): string {
	// With several engines open, whose event it is comes first.
	const where = event.engine === undefined ? '' : `${event.engine}: `;
	const name = event.attributes['name'] ?? shortId(event.actorId);
	if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
		const container = event.attributes['container'];
		const arrow = event.action === 'connect' ? '←' : '→';
		const who = container ? (containerName(container) ?? shortId(container)) : '?';
		return `${where}network ${event.action} ${name} ${arrow} ${who}`;
	}

	const health = healthOfEvent(event);
	if (health !== undefined) return `${where}container ${name} ${health}`;
	return `${where}${event.type} ${event.action} ${name}`;
}

export function eventTone(event: EngineEvent): Tone {
	const health = healthOfEvent(event);
	if (health !== undefined) return health === 'healthy' ? 'good' : health === 'unhealthy' ? 'bad' : 'warn';
	if (event.action === 'start' || event.action === 'create' || event.action === 'connect') return 'good';
	if (event.action === 'die' || event.action === 'kill' || event.action === 'oom') return 'bad';
	if (event.action === 'destroy' || event.action === 'disconnect' || event.action === 'stop') return 'warn';
	return 'muted';
}

/** "3 s" / "2 min" for countdowns and ages. */
export function formatDuration(ms: number): string {
	// Rounded up: a retry "in 0 s" that has not happened yet reads as a hang.
	const seconds = Math.max(0, Math.ceil(ms / 1000));
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min`;
	return `${Math.round(minutes / 60)} h`;
}
