import type {InterfaceRates, InterfaceStats} from './types.js';

// Per-second rates from two counter samples. Pure; the caller keeps the previous samples.

export interface StatsSample {
	stats: InterfaceStats;
	/** Milliseconds, any monotonic clock (performance.now(), Date.now()). */
	at: number;
}

export function zeroRates(): InterfaceRates {
	return {rxBytesPerSecond: 0, txBytesPerSecond: 0, rxPacketsPerSecond: 0, txPacketsPerSecond: 0};
}

function perSecond(previous: number, current: number, seconds: number): number {
	// A lower value means the counter restarted (interface recreated with the same name,
	// 32-bit wrap, driver reset): no honest rate exists for this interval.
	if (current < previous) return 0;
	return (current - previous) / seconds;
}

/**
 * Rates for every interface in `current`. An interface with no previous sample, or a
 * sample not older than `now`, gets zeros; a counter that went down gives 0 for that
 * counter. Never negative.
 */
export function computeRates(
	previous: ReadonlyMap<string, StatsSample>,
	current: ReadonlyMap<string, InterfaceStats>,
	now: number,
): Map<string, InterfaceRates> {
	const rates = new Map<string, InterfaceRates>();
	for (const [name, stats] of current) {
		const before = previous.get(name);
		const seconds = before ? (now - before.at) / 1000 : 0;
		if (!before || !(seconds > 0)) {
			rates.set(name, zeroRates());
			continue;
		}
		rates.set(name, {
			rxBytesPerSecond: perSecond(before.stats.rxBytes, stats.rxBytes, seconds),
			txBytesPerSecond: perSecond(before.stats.txBytes, stats.txBytes, seconds),
			rxPacketsPerSecond: perSecond(before.stats.rxPackets, stats.rxPackets, seconds),
			txPacketsPerSecond: perSecond(before.stats.txPackets, stats.txPackets, seconds),
		});
	}
	return rates;
}

/** The samples to pass as `previous` next time; interfaces that vanished are dropped. */
export function toSamples(current: ReadonlyMap<string, InterfaceStats>, now: number): Map<string, StatsSample> {
	const samples = new Map<string, StatsSample>();
	for (const [name, stats] of current) samples.set(name, {stats, at: now});
	return samples;
}
