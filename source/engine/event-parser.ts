import {StringDecoder} from 'node:string_decoder';
import type {EngineEvent} from '../model/types.js';
import {isRecord} from '../text/json-read.js';

// The engine's /events stream is newline-delimited JSON, but chunk boundaries are not line
// boundaries: a large event (big labels) arrives in many chunks, and a chunk can end in
// the middle of a multi-byte character.

export interface EventParser {
	/** Feeds raw stream data; returns the events completed by it, in order. */
	push(chunk: Buffer | string): EngineEvent[];
	/** Drops the partial line, e.g. before reading a new connection. */
	reset(): void;
}

/** A line longer than this is not an event we can use; it is skipped up to its newline. */
const MAX_LINE_LENGTH = 32 * 1024 * 1024;

export function createEventParser(): EventParser {
	let decoder = new StringDecoder('utf8');
	// Pieces of the unfinished last line; joined only once its newline arrives so a large
	// event split into hundreds of chunks is not re-scanned or re-concatenated per chunk.
	let pending: string[] = [];
	let pendingLength = 0;
	let skippingOverlongLine = false;

	return {
		push(chunk) {
			const text = typeof chunk === 'string' ? decoder.end() + chunk : decoder.write(chunk);
			const events: EngineEvent[] = [];
			let start = 0;
			let newline = text.indexOf('\n');
			while (newline !== -1) {
				const piece = text.slice(start, newline);
				if (skippingOverlongLine) {
					skippingOverlongLine = false;
				} else {
					pending.push(piece);
					const event = parseEventLine(pending.join(''));
					if (event !== undefined) {
						events.push(event);
					}
				}

				pending = [];
				pendingLength = 0;
				start = newline + 1;
				newline = text.indexOf('\n', start);
			}

			if (start < text.length && !skippingOverlongLine) {
				const tail = text.slice(start);
				pending.push(tail);
				pendingLength += tail.length;
				if (pendingLength > MAX_LINE_LENGTH) {
					pending = [];
					pendingLength = 0;
					skippingOverlongLine = true;
				}
			}

			return events;
		},
		reset() {
			decoder = new StringDecoder('utf8');
			pending = [];
			pendingLength = 0;
			skippingOverlongLine = false;
		},
	};
}

/** Parses one line of the events stream; undefined for blank or unusable lines. */
export function parseEventLine(line: string): EngineEvent | undefined {
	const trimmed = line.trim();
	if (trimmed === '') {
		return undefined;
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(trimmed);
	} catch {
		return undefined;
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		return undefined;
	}

	return toEngineEvent(parsed as Record<string, unknown>, trimmed);
}

function toEngineEvent(raw: Record<string, unknown>, line: string): EngineEvent {
	const actor = isRecord(raw['Actor']) ? raw['Actor'] : undefined;
	const attributes = stringRecord(actor?.['Attributes']);
	// Engines before API 1.22 sent only status/id/from, and only container and image events.
	const legacyFrom = typeof raw['from'] === 'string' ? raw['from'] : undefined;
	if (actor === undefined && legacyFrom !== undefined && attributes['image'] === undefined) {
		attributes['image'] = legacyFrom;
	}

	const type = stringField(raw, 'Type') ?? (legacyFrom === undefined ? 'unknown' : 'container');
	const action = stringField(raw, 'Action') ?? stringField(raw, 'status') ?? '';
	const actorId = stringField(actor, 'ID') ?? stringField(raw, 'id') ?? '';
	const timeNano = readTimeNano(raw, line);
	return {type, action, actorId, attributes, time: Number(BigInt(timeNano) / 1_000_000n), timeNano};
}

/**
 * timeNano (~1.7e18) is beyond a double's exact range, so its digits are taken from the raw
 * text; the parsed number is the fallback.
 */
function readTimeNano(raw: Record<string, unknown>, line: string): string {
	const nano = raw['timeNano'];
	if (typeof nano === 'number' && Number.isFinite(nano) && nano >= 0) {
		// A label may also be called timeNano: take the occurrence that is the parsed value.
		for (const match of line.matchAll(/"timeNano"\s*:\s*(\d+)/g)) {
			const digits = match[1];
			if (digits !== undefined && Number(digits) === nano) {
				return BigInt(digits).toString();
			}
		}

		return BigInt(Math.trunc(nano)).toString();
	}

	if (typeof nano === 'string' && /^\d+$/.test(nano)) {
		return BigInt(nano).toString();
	}

	const seconds = raw['time'];
	if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
		return (BigInt(Math.trunc(seconds)) * 1_000_000_000n).toString();
	}

	return '0';
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
	const value = record?.[key];
	return typeof value === 'string' ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (!isRecord(value)) {
		return result;
	}

	for (const [key, item] of Object.entries(value)) {
		if (typeof item === 'string') {
			result[key] = item;
		} else if (typeof item === 'number' || typeof item === 'boolean') {
			result[key] = String(item);
		}
	}

	return result;
}
