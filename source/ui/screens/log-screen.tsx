import React from 'react';
import {TextScreen} from '../components/text-screen.js';
import {useCommandLog, writeScriptAction} from '../hooks/use-command-log.js';
import type {ScreenDefinition} from './screen.js';

// L: what docknet sent to the engines this session, as docker commands; y writes them out.

export const logScreen: ScreenDefinition<'log'> = {
	scopes: ['overlay', 'log'],
	openers: [{command: 'commandLog', open: () => ({kind: 'log', scrollTop: 0})}],
	closesWith: 'commandLog',
	handleCommand(command, _overlay, {dispatch, services}) {
		if (command !== 'writeCommands') return false;
		dispatch(writeScriptAction(services.commands));
		return true;
	},
	View({overlay, width, height, theme, publishExtent}) {
		const log = useCommandLog(true, width);
		const lines = log?.lines ?? [];
		return (
			<TextScreen
				title="Command log — newest first · y writes a script · L or Esc closes, ↑↓ scroll"
				lines={lines}
				scrollTop={overlay.scrollTop}
				width={width}
				height={height}
				theme={theme}
				publishExtent={publishExtent}
			/>
		);
	},
};
