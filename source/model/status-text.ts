import type {DockerContainer, StatusClock} from './types.js';

// "Up 2 minutes", "Exited (0) 3 hours ago": docker's status texts are relative to now, so a
// text read once goes stale. An inspected container keeps the moment its state began, and
// the text is made again whenever it is drawn.

/** The wording of `docker ps` (go-units HumanDuration). */
export function humanDuration(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	if (seconds < 1) return 'Less than a second';
	if (seconds === 1) return '1 second';
	if (seconds < 60) return `${seconds} seconds`;
	const minutes = Math.floor(seconds / 60);
	if (minutes === 1) return 'About a minute';
	if (minutes < 60) return `${minutes} minutes`;
	const hours = Math.round(ms / 3_600_000);
	if (hours === 1) return 'About an hour';
	if (hours < 48) return `${hours} hours`;
	if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
	if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
	if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
	return `${Math.floor(hours / 24 / 365)} years`;
}

export function clockText(clock: StatusClock, now: number): string {
	return `${clock.prefix}${humanDuration(now - clock.since)}${clock.suffix}`;
}

/** The container's status as of `now`. */
export function statusAt(container: DockerContainer, now: number): string {
	return container.statusClock === undefined ? container.status : clockText(container.statusClock, now);
}
