import {Text} from 'ink';
import React from 'react';
import {minimumSize} from '../layout.js';

export function TooSmall({columns, rows}: {columns: number; rows: number}) {
	return (
		<Text wrap="wrap">
			Terminal too small ({columns}×{rows}). docknet needs at least {minimumSize.columns}×{minimumSize.rows}: enlarge the
			window, or press q to quit.
		</Text>
	);
}
