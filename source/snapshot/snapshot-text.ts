import {containerNamer} from '../model/cluster-selectors.js';
import {appendAll, maxOf} from '../model/large-arrays.js';
import {safeText} from '../text/safe-text.js';
import {displayWidth} from '../view/columns.js';
import type {Column} from '../view/columns.js';
import {
	containerColumns,
	containerRows,
	interfaceColumns,
	interfaceRows,
	networkColumns,
	networkRows,
} from '../view/pane-rows.js';
import type {PaneRow} from '../view/pane-rows.js';
import type {CollectedSnapshot} from './collect-snapshot.js';

/**
 * A plain table: every column as wide as its widest cell, nothing cut (it goes to a file).
 * A column no row has a value in (PROJECT on a host without Compose) is left out, as on screen.
 */
function table(allColumns: readonly Column[], rows: readonly PaneRow[]): string[] {
	const hasValue = (index: number): boolean => rows.some(row => {
		const text = row.cells[index]?.text ?? '';
		return text !== '' && text !== '–';
	});
	const kept = allColumns.map((column, index) => ({column, index})).filter(({column, index}) => !column.hideWhenEmpty || hasValue(index));
	const widths = kept.map(({column, index}) => maxOf(rows.map(row => displayWidth(row.cells[index]?.text ?? '')), displayWidth(column.title)));
	const line = (cells: readonly string[]): string =>
		cells
			.map((cell, position) => {
				const pad = ' '.repeat(Math.max(0, (widths[position] ?? 0) - displayWidth(cell)));
				return kept[position]?.column.align === 'right' ? pad + cell : cell + pad;
			})
			.join('  ')
			.trimEnd();
	return [line(kept.map(({column}) => column.title)), ...rows.map(row => line(kept.map(({index}) => row.cells[index]?.text ?? '')))];
}

export function snapshotToText({snapshot, hostView, takenAt}: CollectedSnapshot): string {
	const {engine, host} = snapshot;
	const lines: string[] = [];
	lines.push(
		engine
			? `Engine ${engine.endpoint} (${engine.source}) · ${engine.product} ${engine.version} (API ${engine.apiVersion}) · ${engine.hostname} · ${takenAt.toISOString()}`
			: `Snapshot taken ${takenAt.toISOString()}`,
	);
	if (engine && engine.drivers.length > 0) lines.push(safeText(`Network drivers: ${engine.drivers.join(' ')}`));
	lines.push('', `NETWORKS (${snapshot.networks.length})`);
	appendAll(lines, table(networkColumns, networkRows(snapshot.networks, snapshot.containers)));
	lines.push('', `CONTAINERS (${snapshot.containers.length})`);
	appendAll(lines, table(containerColumns, containerRows(snapshot.containers, new Map(), undefined, snapshot.networks)));
	lines.push('', `HOST INTERFACES (${host.interfaces.length})${host.origin ? ` · ${host.origin}` : ''}`);
	if (host.status === 'unavailable') {
		lines.push(`unavailable: ${host.reason ?? 'unknown reason'}`);
	} else {
		if (host.peers.status === 'unavailable') lines.push(`veth owners unknown: ${host.peers.reason}`);
		appendAll(lines, table(interfaceColumns.slice(0, 8), interfaceRows(host, hostView, containerNamer(snapshot))));
	}

	return `${lines.join('\n')}\n`;
}
