import {filterWords, searchText} from './selectors.js';

// The `/` filter of a pane or a picker, and the ids of its rows, made so that a key costs the
// same with 200,000 rows as with 20: each result is kept for the list it came from, so
// moving, paging or switching panes finds it again instead of scanning; each row's search
// text is lowercased once; and a query that only grows (typing) searches the previous
// query's matches, not the whole list. A query that is exactly a Compose project's name keeps
// that project's rows and only those (not a container that merely mentions the name).

/** What the filter searches: a pane's row, a picker's item. */
export interface Searchable {
	search: ReadonlyArray<string | undefined>;
	/** The row's Compose project, if any. */
	project?: string;
}

const searchTexts = new WeakMap<Searchable, string>();

function searchTextOf(row: Searchable): string {
	let text = searchTexts.get(row);
	if (text === undefined) {
		text = searchText(row.search);
		searchTexts.set(row, text);
	}

	return text;
}

interface FilterResult {
	/** The query as matched: lowercased. */
	query: string;
	rows: readonly Searchable[];
	/** The rows the words matched, before the project rule: what a longer query narrows. */
	textRows: readonly Searchable[];
}

/** The last results per list of rows, newest first: a few, so Backspace finds them too. */
const results = new WeakMap<readonly Searchable[], FilterResult[]>();
const RESULTS_KEPT = 16;

/** The rows in which every word of `query` appears (matchesFilter's rule), in order. */
export function filterRows<T extends Searchable>(rows: readonly T[], query: string): readonly T[] {
	if (query.trim() === '') return rows;
	const lowered = query.toLowerCase();
	const kept = (results.get(rows) ?? []) as Array<{query: string; rows: readonly T[]; textRows: readonly T[]}>;
	const same = kept.find(result => result.query === lowered);
	if (same) return same.rows;
	// Every word of a longer query contains a word of the shorter one, or is one: its matches
	// are among the shorter one's.
	const narrower = kept.find(result => lowered.startsWith(result.query) && result.query.trim() !== '');
	const words = filterWords(lowered);
	const searched = narrower?.textRows ?? rows;
	const project = words.length === 1 ? words[0] : undefined;
	const inProject: T[] = [];
	const found = searched.filter(row => {
		const text = searchTextOf(row);
		const matched = words.every(word => text.includes(word));
		// A project's rows all name it in their search text, so they are among the matches.
		if (matched && project !== undefined && row.project?.toLowerCase() === project) inProject.push(row);
		return matched;
	});
	// Where every row still matches, the list stays the same object: its ids and their
	// positions are known already.
	const textRows = found.length === searched.length ? searched : found;
	const matched = inProject.length > 0 ? (inProject.length === textRows.length ? textRows : inProject) : textRows;
	results.set(rows, [{query: lowered, rows: matched, textRows}, ...kept].slice(0, RESULTS_KEPT));
	return matched;
}

const rowIds = new WeakMap<ReadonlyArray<{id: string}>, readonly string[]>();

/** The ids of `rows`, in order; the same array for the same rows. */
export function rowIdsOf(rows: ReadonlyArray<{id: string}>): readonly string[] {
	let ids = rowIds.get(rows);
	if (ids === undefined) {
		ids = rows.map(row => row.id);
		rowIds.set(rows, ids);
	}

	return ids;
}
