import type {Cell, Column, Tone} from '../../view/columns.js';
import type {PaneRow} from '../../view/pane-rows.js';

// Rows grouped by Compose project, as a Compose user thinks of a host: one row per project
// (its count and how its containers are doing), folded or opened, projects before the rows
// of no project. Pure: the same rows and fold state give the same list.

const GROUP_PREFIX = 'project/';

export const groupRowId = (project: string): string => `${GROUP_PREFIX}${project}`;

/** The project a group row stands for, or undefined for any other row. */
export function projectOfGroupRow(id: string | undefined): string | undefined {
	return id?.startsWith(GROUP_PREFIX) ? id.slice(GROUP_PREFIX.length) : undefined;
}

export interface GroupFolds {
	/** Group row ids the user opened; every other group is folded. */
	unfolded: readonly string[];
	/** A row that must be visible (reached by a jump): its group is opened. */
	reveal?: string;
}

const conditionOrder = ['unhealthy', 'restarting', 'dead', 'starting', 'exited', 'created', 'paused', 'healthy', 'running'];
const badConditions = new Set(['unhealthy', 'restarting', 'dead']);
const warnConditions = new Set(['starting', 'exited', 'created', 'paused', 'removing']);

/** `3 up, 1 unhealthy, 1 exited`: a project's containers by what their STATE says. */
export function stateSummary(states: readonly string[]): Cell {
	const counts = new Map<string, number>();
	for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
	const up = (counts.get('running') ?? 0) + (counts.get('healthy') ?? 0);
	const others = [...counts.keys()].filter(state => state !== 'running' && state !== 'healthy');
	others.sort((a, b) => conditionOrder.indexOf(a) - conditionOrder.indexOf(b));
	const parts = [...(up > 0 ? [`${up} up`] : []), ...others.map(state => `${counts.get(state) ?? 0} ${state}`)];
	const tone: Tone = others.some(state => badConditions.has(state)) ? 'bad' : others.some(state => warnConditions.has(state)) ? 'warn' : 'good';
	return {text: parts.join(', ') || '–', tone};
}

function distinctItems(members: readonly PaneRow[], column: number): string[] {
	const seen = new Set<string>();
	for (const row of members) {
		const cell = row.cells[column];
		for (const item of cell?.items ?? (cell === undefined || cell.text === '–' ? [] : [cell.text])) {
			seen.add(item.replace(/^\u26A0 /, '').split(' ')[0] ?? item);
		}
	}

	return [...seen];
}

function groupCells(project: string, members: readonly PaneRow[], columns: readonly Column[], folded: boolean): Cell[] {
	return columns.map((column, index): Cell => {
		switch (column.title) {
			case 'NAME':
				return {text: `${folded ? '▸' : '▾'} ${project} (${members.length})`, tone: 'accent'};
			case 'PROJECT':
				return {text: project, tone: 'muted'};
			case 'SERVICE': {
				const services = new Set(members.map(row => (row.cells[index]?.text ?? '').replace(/ (#\d+|run)$/, '')));
				return {text: `${services.size} service${services.size === 1 ? '' : 's'}`, tone: 'muted'};
			}

			case 'STATE':
				return stateSummary(members.map(row => row.cells[index]?.text ?? ''));
			case 'CTRS':
				return {text: String(members.reduce((sum, row) => sum + (Number.parseInt(row.cells[index]?.text ?? '', 10) || 0), 0))};
			case 'NETWORKS':
			case 'SUBNET': {
				const items = distinctItems(members, index);
				return items.length > 1 ? {text: items.join(', '), items, tone: 'muted'} : {text: items[0] ?? '–', tone: 'muted'};
			}

			default:
				return {text: ''};
		}
	});
}

const indented = new WeakMap<PaneRow, PaneRow>();

/** A member row under its open project: its name set in, so the group reads as one. */
function memberRow(row: PaneRow): PaneRow {
	let shown = indented.get(row);
	if (shown === undefined) {
		const [name, ...rest] = row.cells;
		shown = {...row, cells: [{...name, text: `  ${name?.text ?? ''}`}, ...rest]};
		indented.set(row, shown);
	}

	return shown;
}

const groupCache = new WeakMap<readonly PaneRow[], Map<string, readonly PaneRow[]>>();

/** The rows grouped: projects (by name) first, each folded or followed by its rows, then the rest in their order. */
export function groupByProject(rows: readonly PaneRow[], columns: readonly Column[], folds: GroupFolds): readonly PaneRow[] {
	const key = `${folds.unfolded.join('\n')}\u0000${folds.reveal ?? ''}\u0000${columns.map(column => column.title).join(',')}`;
	const cached = groupCache.get(rows)?.get(key);
	if (cached) return cached;
	const projects = new Map<string, PaneRow[]>();
	const loose: PaneRow[] = [];
	for (const row of rows) {
		if (row.project === undefined) loose.push(row);
		else {
			const members = projects.get(row.project);
			if (members) members.push(row);
			else projects.set(row.project, [row]);
		}
	}

	const grouped: PaneRow[] = [];
	for (const project of [...projects.keys()].sort()) {
		const members = projects.get(project) ?? [];
		const id = groupRowId(project);
		const folded = !folds.unfolded.includes(id) && !members.some(row => row.id === folds.reveal);
		grouped.push({
			id,
			cells: groupCells(project, members, columns, folded),
			search: [project],
			project,
			group: {project, folded},
		});
		if (!folded) for (const row of members) grouped.push(memberRow(row));
	}

	for (const row of loose) grouped.push(row);
	const byKey = groupCache.get(rows) ?? new Map<string, readonly PaneRow[]>();
	byKey.set(key, grouped);
	groupCache.set(rows, byKey);
	return grouped;
}
