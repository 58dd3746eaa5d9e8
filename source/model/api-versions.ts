// Which Engine API version brought the request fields docknet may send. An engine of an
// older version would ignore them or refuse the request, so they go only to engines that
// have them, and the forms say so.

/** API version "1.48" → 48 (for comparisons); undefined when not known. */
export function apiMinor(apiVersion: string | undefined): number | undefined {
	const match = /^1\.(\d+)$/.exec(apiVersion ?? '');
	return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The API version each newer request field needs. A connect's MacAddress is applied by the
 * engine only from 1.54 on (before, it was taken and not used).
 */
export const FIELD_SINCE = {mac: 54, enableIPv4: 47, gwPriority: 48} as const;

/** Whether an engine of `apiVersion` takes `field`; an unknown version takes none of them. */
export function engineTakes(apiVersion: string | undefined, field: keyof typeof FIELD_SINCE): boolean {
	const minor = apiMinor(apiVersion);
	return minor !== undefined && minor >= FIELD_SINCE[field];
}
