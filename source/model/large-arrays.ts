// A call's arguments live on the stack: spreading an engine-sized array into one
// (`Math.max(...widths)`, `lines.push(...rows)`) throws "Maximum call stack size exceeded"
// somewhere past 100,000 items. These loop instead, so a list's length never matters. The
// lint rule that bans spread arguments in source/ points here.

/** The largest of `values`, and at least `floor` (−Infinity by default, as Math.max() gives). */
export function maxOf(values: Iterable<number>, floor = Number.NEGATIVE_INFINITY): number {
	let result = floor;
	for (const value of values) {
		if (value > result || Number.isNaN(value)) result = value;
	}

	return result;
}

/** The smallest of `values`, and at most `ceiling` (Infinity by default, as Math.min() gives). */
export function minOf(values: Iterable<number>, ceiling = Number.POSITIVE_INFINITY): number {
	let result = ceiling;
	for (const value of values) {
		if (value < result || Number.isNaN(value)) result = value;
	}

	return result;
}

/** Appends every item to `target` (in place) and returns it. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
	for (const item of items) target.push(item);
	return target;
}
