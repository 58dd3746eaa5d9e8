import type {Tone} from '../view/columns.js';

export interface Theme {
	/** Colour for a tone; undefined when colours are off (NO_COLOR). */
	color(tone: Tone | undefined): string | undefined;
	/** Highlight for the focused pane title and the selection. */
	accent: string | undefined;
	danger: string | undefined;
	colorEnabled: boolean;
}

/** A theme's colours: one per tone, and the banner colour. */
export type Palette = Record<Tone | 'danger', string>;

export const builtInPalettes: Readonly<Record<'dark' | 'light' | 'high-contrast', Palette>> = {
	dark: {good: 'green', warn: 'yellow', bad: 'red', muted: 'gray', accent: 'cyan', new: 'magentaBright', danger: 'red'},
	// Yellow and cyan fade on white: darker choices that keep the same meaning.
	light: {good: 'green', warn: 'magenta', bad: 'red', muted: 'blackBright', accent: 'blue', new: 'magenta', danger: 'red'},
	'high-contrast': {good: 'greenBright', warn: 'yellowBright', bad: 'redBright', muted: 'white', accent: 'cyanBright', new: 'magentaBright', danger: 'redBright'},
};

/** The theme names every docknet knows; `no-color` is NO_COLOR chosen in the file. */
export const builtInThemeNames = [...Object.keys(builtInPalettes), 'no-color'];

/**
 * The colour names a theme may use: chalk's own, which both Ink's Text and the table rows
 * (painted with chalk directly) draw. Hex colours are left out: the rows could not draw them.
 */
export const colorNames: ReadonlySet<string> = new Set([
	...['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'].flatMap(name => [name, `${name}Bright`]),
	'gray',
	'grey',
]);

export function isColor(text: string): boolean {
	return colorNames.has(text);
}

export function createTheme(colorEnabled: boolean, palette: Palette = builtInPalettes.dark): Theme {
	return {
		color: tone => (colorEnabled && tone ? palette[tone] : undefined),
		accent: colorEnabled ? palette.accent : undefined,
		danger: colorEnabled ? palette.danger : undefined,
		colorEnabled,
	};
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off. */
export function colorWanted(env: Record<string, string | undefined>): boolean {
	return !(env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '');
}
