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

/** A plain table: every column as wide as its widest cell, nothing cut (it goes to a file). */
function table(columns: readonly Column[], rows: readonly PaneRow[]): string[] {
	const widths = columns.map((column, index) => maxOf(rows.map(row => displayWidth(row.cells[index]?.text ?? '')), displayWidth(column.title)));
	const line = (cells: string[]): string =>
		cells
			.map((cell, index) => {
				const pad = ' '.repeat(Math.max(0, (widths[index] ?? 0) - displayWidth(cell)));
				return columns[index]?.align === 'right' ? pad + cell : cell + pad;
			})
			.join('  ')
			.trimEnd();
	return [line(columns.map(column => column.title)), ...rows.map(row => line(row.cells.slice(0, columns.length).map(cell => cell.text)))];
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
