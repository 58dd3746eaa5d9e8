import {EngineError} from '../model/gateway.js';
import {asRecord, type JsonRecord} from '../text/json-read.js';

// Reading the engine's JSON field by field: which types count, and which empty values are
// "absent".

export function asArray(value: unknown, what: string): unknown[] {
	if (!Array.isArray(value)) {
		throw new EngineError('unreadable', `the engine sent something other than ${what}`);
	}

	return value;
}

export function str(record: JsonRecord, key: string): string | undefined {
	const value = record[key];
	return typeof value === 'string' ? value : undefined;
}

export function nonEmptyStr(record: JsonRecord, key: string): string | undefined {
	const value = str(record, key);
	return value === undefined || value === '' ? undefined : value;
}

export function num(record: JsonRecord, key: string): number | undefined {
	const value = record[key];
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(record: JsonRecord, key: string): boolean {
	return record[key] === true;
}

export function stringMap(value: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, item] of Object.entries(asRecord(value))) {
		if (typeof item === 'string') {
			result[key] = item;
		}
	}

	return result;
}

export function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
