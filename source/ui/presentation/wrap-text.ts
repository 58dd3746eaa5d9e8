import {safeText} from '../../text/safe-text.js';
import {displayWidth} from '../../view/columns.js';

/** Word-wraps `text` to `width` columns, at most `maxLines` lines (the last one cut with …). */
export function wrapText(text: string, width: number, maxLines: number): string[] {
	if (width <= 0 || maxLines <= 0) return [];
	const lines: string[] = [];
	let current = '';
	// Made safe before splitting: a CR or LF from the engine is shown, not obeyed.
	for (const word of safeText(text).split(/\s+/).filter(Boolean)) {
		const next = current === '' ? word : `${current} ${word}`;
		if (displayWidth(next) <= width) {
			current = next;
			continue;
		}

		if (current !== '') lines.push(current);
		current = word;
	}

	if (current !== '') lines.push(current);
	if (lines.length <= maxLines) return lines;
	const kept = lines.slice(0, maxLines);
	const last = kept[maxLines - 1] ?? '';
	kept[maxLines - 1] = displayWidth(last) + 2 <= width ? `${last} …` : `${last.slice(0, Math.max(0, width - 1))}…`;
	return kept;
}
