// Reading JSON from outside (the engine, podman, docker contexts, `ip -j`): a value is a
// record only when it is a plain object, never an array or a Buffer.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** The value as a record, or an empty one: every field of it then reads as absent. */
export function asRecord(value: unknown): JsonRecord {
	return isRecord(value) ? value : {};
}
