import {Text} from 'ink';
import React from 'react';
import {safeText} from '../../text/safe-text.js';
import {displayWidth, fitText} from '../../view/columns.js';
import type {Theme} from '../theme.js';
import type {CommandLineState} from './command-line-state.js';

export interface CommandLineViewProps {
	state: CommandLineState;
	width: number;
	theme: Theme;
}

/** The `:` line in place of the footer: what is typed, a cursor, then the hint in muted colour. */
export function CommandLineView({state, width, theme}: CommandLineViewProps) {
	// A long line shows its end: that is where the typing is.
	const typed = `:${safeText(state.text)}`;
	const room = Math.max(1, width - 1);
	const shown = displayWidth(typed) > room ? `…${[...typed].slice(-(room - 1)).join('')}` : typed;
	const hint = state.hint ? `  ${state.hint}` : state.text === '' ? '  Tab lists the commands · ↑ earlier ones · Esc closes' : '';
	const hintRoom = Math.max(0, width - displayWidth(shown) - 1);
	return (
		<Text wrap="truncate">
			<Text bold>{shown}</Text>
			<Text inverse> </Text>
			{hintRoom > 0 && hint !== '' ? <Text color={theme.color('muted')}>{fitText(hint, hintRoom)}</Text> : null}
		</Text>
	);
}
