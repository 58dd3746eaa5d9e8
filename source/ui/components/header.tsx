import {Box, Text} from 'ink';
import React from 'react';
import {isMultiEngine} from '../../model/picture.js';
import type {EngineSlotState} from '../../model/store.js';
import type {ConnectionState, EngineSnapshot} from '../../model/store.js';
import {fitText} from '../../view/columns.js';
import {formatClock, formatDuration} from '../../view/format.js';
import type {Theme} from '../theme.js';

export interface HeaderProps {
	snapshot: EngineSnapshot;
	endpoint: string;
	readOnly: boolean;
	width: number;
	now: number;
	theme: Theme;
}

export function connectionLabel(snapshot: EngineSnapshot, now: number): {text: string; tone: 'good' | 'warn' | 'bad'} {
	if (isMultiEngine(snapshot)) return picturedLabel(shownEngines(snapshot));
	return stateLabel(snapshot.connection, now);
}

/** The engines whose data the picture shows (one opened twice counts once). */
export function shownEngines(snapshot: EngineSnapshot): EngineSlotState[] {
	return (snapshot.engines ?? []).filter(engine => engine.sameAs === undefined);
}

/** Several engines: how many are live, and a mark when any is not. */
function picturedLabel(engines: readonly EngineSlotState[]): {text: string; tone: 'good' | 'warn' | 'bad'} {
	const live = engines.filter(engine => engine.connection.status === 'live').length;
	const down = engines.filter(engine => engine.connection.status === 'lost' || engine.connection.status === 'stalled').length;
	if (live === engines.length) return {text: `● ${live} engines live`, tone: 'good'};
	if (down > 0) return {text: `✖ ${live}/${engines.length} engines live`, tone: 'bad'};
	return {text: `○ ${live}/${engines.length} engines live`, tone: 'warn'};
}

/** One letter-sized mark per engine state, for the header's list of engines. */
export function stateMark(connection: ConnectionState): string {
	switch (connection.status) {
		case 'live':
			return '●';
		case 'connecting':
			return '○';
		case 'lost':
		case 'stalled':
			return '✖';
	}
}

export function stateLabel(connection: ConnectionState, now: number): {text: string; tone: 'good' | 'warn' | 'bad'} {
	switch (connection.status) {
		case 'live':
			return {text: '● live', tone: 'good'};
		case 'connecting':
			return {text: connection.attempt === 0 ? '○ connecting' : '○ reconnecting', tone: 'warn'};
		case 'lost':
			return {text: `✖ lost · retry in ${formatDuration(connection.retryAt - now)}`, tone: 'bad'};
		case 'stalled':
			return {text: `✖ not answering since ${formatClock(connection.since)}`, tone: 'bad'};
	}
}

export function Header({snapshot, endpoint, readOnly, width, now, theme}: HeaderProps) {
	const running = snapshot.containers.filter(container => container.state === 'running').length;
	const engine = snapshot.engine;
	const several = isMultiEngine(snapshot);
	const engineText = engine ? `${engine.endpoint}${engine.source === 'default' ? '' : ` (${engine.source})`}` : endpoint;
	const counts = snapshot.loaded ? [`${snapshot.networks.length} networks`, `${snapshot.containers.length} containers, ${running} running`] : [];
	const shortCounts = snapshot.loaded ? [`${snapshot.networks.length} nets · ${snapshot.containers.length} ctrs (${running} up)`] : [];
	// From the fullest to the shortest: the counts stay, the engine's words give way first.
	const variants: string[][] = several
		? [['docknet', shownEngines(snapshot).map(item => `${stateMark(item.connection)} ${item.label}`).join('  '), ...shortCounts]]
		: [
				['docknet', engineText, ...(engine ? [`${engine.product} ${engine.version} (API ${engine.apiVersion}${engine.rootless ? ', rootless' : ''})`] : []), ...counts],
				['docknet', engineText, ...(engine ? [`${engine.product} ${engine.version}`] : []), ...counts],
				['docknet', engineText, ...(engine ? [`${engine.product} ${engine.version}`] : []), ...shortCounts],
				['docknet', engine?.endpoint ?? endpoint, ...(engine ? [`${engine.product} ${engine.version}`] : []), ...shortCounts],
				// The version says more than a long socket path when only one fits.
				['docknet', ...(engine ? [`${engine.product} ${engine.version}`] : []), ...shortCounts],
				['docknet', engine?.endpoint ?? endpoint, ...shortCounts],
				['docknet', ...shortCounts],
			];
	const connection = connectionLabel(snapshot, now);
	const right = `${readOnly ? 'READ-ONLY  ' : ''}${connection.text}`;
	const room = Math.max(0, width - right.length - 1);
	const fitting = variants.map(parts => parts.filter(Boolean).join(' │ ')).find(text => text.length <= room);
	const left = fitText(fitting ?? variants.at(-1)?.join(' │ ') ?? 'docknet', room);
	return (
		<Box width={width}>
			<Text bold wrap="truncate">
				{left}{' '}
			</Text>
			{readOnly ? (
				<Text color={theme.color('warn')} bold>
					READ-ONLY{'  '}
				</Text>
			) : null}
			<Text color={theme.color(connection.tone)}>{connection.text}</Text>
		</Box>
	);
}
