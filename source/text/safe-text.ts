// The one boundary between text that came from outside (engine data, engine errors, host
// interface names, ssh output) and the terminal. Anyone who can create a container or a
// network controls those strings, and docknet shows them on an operator's terminal, often as
// root: an ESC starts a sequence that can retitle the window or write the clipboard (OSC 52),
// CR and LF move the cursor, TAB and bidi overrides shift columns. Like less(1), docknet shows
// such characters visibly instead of passing them on, so the user still sees that they are
// there, and every character left has a width the layout can measure.

/** Longest text shown for one value: a 10,000-character label would fill the screen. */
export const MAX_SHOWN_LENGTH = 1000;

// Printable ASCII needs no work: the common case returns the same string.
const allPrintableAscii = /^[\x20-\x7e]*$/;

// C0 controls and DEL; C1 controls; format characters (bidi embeddings, overrides and
// isolates, zero-width spaces and joiners, the BOM, soft hyphen, …); line and paragraph
// separators, which some terminals treat as newlines; lone surrogates.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unsafe = /[\u0000-\u001f\u007f]|[\u0080-\u009f]|\p{Cf}|[\u2028\u2029]|\p{Cs}/gu;

// A combining mark at the start would join the character drawn before it (a border, the
// previous column); it is shown on a dotted circle, as Unicode charts show such marks.
const leadingMark = /^\p{M}/u;

function hex(code: number, digits: number): string {
	return code.toString(16).padStart(digits, '0');
}

function visible(character: string): string {
	const code = character.codePointAt(0) ?? 0;
	// Unicode's control pictures (␀ … ␟, ␡) are one column wide and say what was there:
	// ESC ] 0 ; … BEL reads ␛]0;…␇.
	if (code < 0x20) return String.fromCodePoint(0x2400 + code);
	if (code === 0x7f) return '\u2421';
	if (code >= 0x80 && code <= 0x9f) return `\\x${hex(code, 2)}`;
	if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
	return `\\u${hex(code, 4)}`;
}

/**
 * The text as it may be drawn: control and format characters shown visibly (`␛`, `␍`,
 * `\x9b`, `\u202e`), so that no byte of it can act on the terminal or the layout, and cut
 * at MAX_SHOWN_LENGTH characters. Applying it twice changes nothing more, so the layers that
 * measure text (column fitting, wrapping) apply it again at no risk.
 */
export function safeText(text: string): string {
	if (text.length <= MAX_SHOWN_LENGTH && allPrintableAscii.test(text)) return text;
	let shown = text.replace(unsafe, visible);
	if (leadingMark.test(shown)) shown = `\u25cc${shown}`;
	if (shown.length <= MAX_SHOWN_LENGTH + 1) return shown;
	// Never cut between the two halves of a surrogate pair.
	const end = isHighSurrogate(shown.charCodeAt(MAX_SHOWN_LENGTH - 1)) ? MAX_SHOWN_LENGTH - 1 : MAX_SHOWN_LENGTH;
	return `${shown.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

const safeCopies = new WeakMap<object, unknown>();

/**
 * A copy of a value in which every string (keys of plain objects too) has passed safeText.
 * Objects whose strings are all safe come back as themselves, and copies are remembered per
 * object, so an unchanged network or container keeps its identity from one snapshot to the
 * next and memoised rows stay memoised.
 */
export function safeDeep<T>(value: T): T {
	return safeValue(value) as T;
}

function safeValue(value: unknown): unknown {
	if (typeof value === 'string') return safeText(value);
	if (value === null || typeof value !== 'object') return value;
	const remembered = safeCopies.get(value);
	if (remembered !== undefined) return remembered;
	const copy = safeObject(value);
	safeCopies.set(value, copy);
	return copy;
}

function safeObject(value: object): unknown {
	if (Array.isArray(value)) {
		const items = value.map(item => safeValue(item));
		return items.every((item, index) => item === value[index]) ? value : items;
	}

	if (value instanceof Map) {
		let changed = false;
		const entries = [...value].map(([key, item]) => {
			const safeKey = safeValue(key);
			const safeItem = safeValue(item);
			changed ||= safeKey !== key || safeItem !== item;
			return [safeKey, safeItem] as const;
		});
		return changed ? new Map(entries) : value;
	}

	if (value instanceof Set) {
		const original = [...value];
		const items = original.map(item => safeValue(item));
		return items.some((item, index) => item !== original[index]) ? new Set(items) : value;
	}

	if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
		// Class instances (errors, dates) are not engine data; their own renderers handle them.
		return value;
	}

	let changed = false;
	const entries = Object.entries(value).map(([key, item]) => {
		const safeKey = safeText(key);
		const safeItem = safeValue(item);
		changed ||= safeKey !== key || safeItem !== item;
		return [safeKey, safeItem] as const;
	});
	return changed ? Object.fromEntries(entries) : value;
}
