import type {Tone} from './presentation/columns.js';

export interface Theme {
	/** Colour for a tone; undefined when colours are off (NO_COLOR). */
	color(tone: Tone | undefined): string | undefined;
	/** Highlight for the focused pane title and the selection. */
	accent: string | undefined;
	danger: string | undefined;
	colorEnabled: boolean;
}

const palette: Record<Tone, string> = {
	good: 'green',
	warn: 'yellow',
	bad: 'red',
	muted: 'gray',
	accent: 'cyan',
	new: 'magentaBright',
};

export function createTheme(colorEnabled: boolean): Theme {
	return {
		color: tone => (colorEnabled && tone ? palette[tone] : undefined),
		accent: colorEnabled ? 'cyan' : undefined,
		danger: colorEnabled ? 'red' : undefined,
		colorEnabled,
	};
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function colorWanted(env: Record<string, string | undefined>): boolean {
	return !(env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '');
}
