import React, {useLayoutEffect, useMemo} from 'react';
import {HelpView, helpLines} from '../components/help-view.js';
import type {ScreenDefinition} from './screen.js';

// ?: every key in force (the config file's too), by the screen it works on.

export const helpScreen: ScreenDefinition<'help'> = {
	scopes: ['overlay'],
	openers: [{command: 'help', open: () => ({kind: 'help', scrollTop: 0})}],
	closesWith: 'help',
	View({overlay, snapshot, width, height, theme, readOnly, keymap, publishExtent}) {
		// Wrapped to the width once, for both the scroll bounds and the view.
		const drivers = snapshot.engine?.drivers;
		const lines = useMemo(() => helpLines(readOnly, width, drivers, keymap), [readOnly, width, drivers, keymap]);
		useLayoutEffect(() => publishExtent({total: lines.length, viewport: height - 1}));
		return <HelpView lines={lines} scrollTop={overlay.scrollTop} width={width} height={height} theme={theme} />;
	},
};
