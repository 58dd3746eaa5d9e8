import {Box, Text} from 'ink';
import React from 'react';
import type {EngineSnapshot} from '../../model/store.js';
import {fitText} from '../presentation/columns.js';
import {formatClock, formatDuration} from '../presentation/format.js';
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
	const {connection} = snapshot;
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
	const parts = [
		'docknet',
		engine ? `${engine.endpoint}${engine.source === 'default' ? '' : ` (${engine.source})`}` : endpoint,
		engine ? `${engine.product} ${engine.version} (API ${engine.apiVersion}${engine.rootless ? ', rootless' : ''})` : undefined,
		snapshot.loaded ? `${snapshot.networks.length} networks` : undefined,
		snapshot.loaded ? `${snapshot.containers.length} containers, ${running} running` : undefined,
	].filter(Boolean);
	const connection = connectionLabel(snapshot, now);
	const right = `${readOnly ? 'READ-ONLY  ' : ''}${connection.text}`;
	const left = fitText(parts.join(' │ '), Math.max(0, width - right.length - 1));
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
