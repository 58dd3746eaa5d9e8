import {Text} from 'ink';
import React from 'react';
import type {EngineSlotState} from '../../model/store.js';
import type {ConnectionState} from '../../model/store.js';
import {fitText} from '../../view/columns.js';
import {formatClock, formatDuration} from '../../view/format.js';
import type {StatusMessage} from '../state/ui-state.js';
import type {Theme} from '../theme.js';

export interface StatusLineProps {
	connection: ConnectionState;
	/** With several engines open: each one's state, for a banner naming those that are down. */
	engines?: readonly EngineSlotState[];
	status?: StatusMessage;
	/** What the engine actions still in flight are doing, oldest first. */
	inFlight?: readonly string[];
	width: number;
	now: number;
	theme: Theme;
	spinner: string;
}

/** The engine-lost and not-answering banners win over everything: stale data must never look live. */
export function StatusLine({connection, engines = [], status, inFlight = [], width, now, theme, spinner}: StatusLineProps) {
	const someDown = engines.length > 1 && connection.status === 'live' ? downBanner(engines, now) : undefined;
	if (someDown) {
		return (
			<Text inverse color={theme.danger} wrap="truncate">
				{fitText(someDown, width)}
			</Text>
		);
	}

	if (connection.status === 'lost') {
		const text = `Engine connection lost: ${connection.error}. Showing the last data (stale). Retrying in ${formatDuration(connection.retryAt - now)} (attempt ${connection.attempt}).`;
		return (
			<Text inverse color={theme.danger} wrap="truncate">
				{fitText(text, width)}
			</Text>
		);
	}

	if (connection.status === 'stalled') {
		// The key facts first: at 80 columns the line ends after "stale".
		const text = `Engine not answering since ${formatClock(connection.since)}: data shown is stale; checking again every few seconds, relisting once it answers.`;
		return (
			<Text inverse color={theme.danger} wrap="truncate">
				{fitText(text, width)}
			</Text>
		);
	}

	if (status) {
		const tone = status.tone === 'error' ? 'bad' : status.tone === 'success' ? 'good' : status.tone === 'busy' ? 'accent' : undefined;
		const prefix = status.tone === 'busy' ? `${spinner} ` : status.tone === 'error' ? '✖ ' : status.tone === 'success' ? '✔ ' : '';
		return (
			<Text color={theme.color(tone)} wrap="truncate">
				{fitText(prefix + status.text + stillWorking(status, inFlight, spinner), width)}
			</Text>
		);
	}

	if (connection.status === 'connecting') {
		return <Text color={theme.color('warn')}>{fitText(`${spinner} Connecting to the engine…`, width)}</Text>;
	}

	return <Text> </Text>;
}

/**
 * Several engines, some down: which, why, and that the rest is live. The first one down is
 * told in full; the others are named.
 */
export function downBanner(engines: readonly EngineSlotState[], now: number): string | undefined {
	const down = engines.filter(engine => engine.sameAs === undefined && (engine.connection.status === 'lost' || engine.connection.status === 'stalled'));
	const [first, ...others] = down;
	if (first === undefined) return undefined;
	const also = others.length === 0 ? '' : ` Also down: ${others.map(engine => engine.label).join(', ')}.`;
	const {connection} = first;
	// The key facts first: at 80 columns the line ends after "others live".
	const what = connection.status === 'lost'
		? `Engine ${first.label} lost, its rows stale, others live: ${connection.error}. Retrying in ${formatDuration(connection.retryAt - now)} (attempt ${connection.attempt}).`
		: connection.status === 'stalled'
			? `Engine ${first.label} not answering since ${formatClock(connection.since)}, its rows stale, others live; checking again every few seconds.`
			: '';
	return `${what}${also}`;
}

/**
 * Actions still in flight besides the one the message is about: a result must not hide that
 * another action is still working, and a spinner says how many run.
 */
function stillWorking(status: StatusMessage, inFlight: readonly string[], spinner: string): string {
	if (status.tone === 'busy') return inFlight.length > 1 ? ` (+${inFlight.length - 1} more in flight)` : '';
	const latest = inFlight.at(-1);
	if (latest === undefined) return '';
	return `  ·  ${spinner} ${latest}${inFlight.length > 1 ? ` (+${inFlight.length - 1} more)` : ''}`;
}
