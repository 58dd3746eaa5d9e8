import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	columns: number;
	rows: number;
}

/** Ink tracks the width itself but not the height; docknet needs both, and follows resizes. */
export function useTerminalSize(fallback: TerminalSize = {columns: 100, rows: 30}): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({
		columns: stdout.columns || fallback.columns,
		rows: stdout.rows || fallback.rows,
	});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = (): void => {
			setSize(previous => {
				const next = {columns: stdout.columns || previous.columns, rows: stdout.rows || previous.rows};
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
