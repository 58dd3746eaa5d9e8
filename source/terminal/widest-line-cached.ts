import stringWidth from 'string-width';

// Stands in for the `widest-line` package inside the bundle (scripts/build.mjs). Ink measures
// every text node on every render without a cache; a docknet row holds colour codes and a
// non-ASCII mark or ellipsis, which sends string-width down its slow grapheme path. Rows
// repeat from one frame to the next, so remembering their widths removes most of that work.

const cache = new Map<string, number>();
const maxEntries = 4000;

export default function widestLine(text: string): number {
	const known = cache.get(text);
	if (known !== undefined) return known;
	let width = 0;
	for (const line of text.split('\n')) width = Math.max(width, stringWidth(line));
	// Frames move on; a full cache starts over rather than tracking recency.
	if (cache.size >= maxEntries) cache.clear();
	cache.set(text, width);
	return width;
}
