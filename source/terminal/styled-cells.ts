import stringWidth from 'string-width';

// A line of Ink output (text with SGR colour codes) as terminal cells, so FrameWriter can
// rewrite only the cells that changed. Only SGR sequences are understood; a line holding
// any other escape sequence is reported as unparseable and gets rewritten whole.

export interface Cell {
	/** The character, or '' for the second column of a wide character. */
	text: string;
	/** Canonical SGR state, e.g. "1;32" or "" for plain. */
	style: string;
}

interface Style {
	fg?: string;
	bg?: string;
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
	inverse: boolean;
	hidden: boolean;
	strike: boolean;
}

const plain = (): Style => ({bold: false, dim: false, italic: false, underline: false, inverse: false, hidden: false, strike: false});

function canonical(style: Style): string {
	const codes: string[] = [];
	if (style.bold) codes.push('1');
	if (style.dim) codes.push('2');
	if (style.italic) codes.push('3');
	if (style.underline) codes.push('4');
	if (style.inverse) codes.push('7');
	if (style.hidden) codes.push('8');
	if (style.strike) codes.push('9');
	if (style.fg) codes.push(style.fg);
	if (style.bg) codes.push(style.bg);
	return codes.join(';');
}

function applySgr(style: Style, parameters: string): void {
	const codes = parameters === '' ? ['0'] : parameters.split(';');
	for (let index = 0; index < codes.length; index++) {
		const code = Number(codes[index]);
		const extended = (): string => {
			// 38;5;n or 38;2;r;g;b (and 48 for backgrounds) take their arguments along.
			const mode = codes[index + 1];
			const count = mode === '5' ? 2 : mode === '2' ? 4 : 1;
			const value = codes.slice(index, index + 1 + count).join(';');
			index += count;
			return value;
		};

		if (code === 0) Object.assign(style, plain(), {fg: undefined, bg: undefined});
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 3) style.italic = true;
		else if (code === 4) style.underline = true;
		else if (code === 7) style.inverse = true;
		else if (code === 8) style.hidden = true;
		else if (code === 9) style.strike = true;
		else if (code === 22) style.bold = style.dim = false;
		else if (code === 23) style.italic = false;
		else if (code === 24) style.underline = false;
		else if (code === 27) style.inverse = false;
		else if (code === 28) style.hidden = false;
		else if (code === 29) style.strike = false;
		else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) style.fg = String(code);
		else if (code === 38) style.fg = extended();
		else if (code === 39) style.fg = undefined;
		else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) style.bg = String(code);
		else if (code === 48) style.bg = extended();
		else if (code === 49) style.bg = undefined;
	}
}

// string-width runs several regular expressions per call; frames repeat the same few
// non-ASCII characters (borders, •, …) thousands of times.
const characterWidths = new Map<string, number>();

function widthOf(character: string): number {
	let width = characterWidths.get(character);
	if (width === undefined) {
		width = stringWidth(character);
		if (characterWidths.size > 4096) characterWidths.clear();
		characterWidths.set(character, width);
	}

	return width;
}

const escapeCharacter = String.fromCharCode(27);
const sgrPattern = new RegExp(`${escapeCharacter}\\[([0-9;]*)m`, 'y');

/** The cells of a line, or undefined when it holds escape sequences other than SGR. */
export function toCells(line: string): Cell[] | undefined {
	const cells: Cell[] = [];
	const style = plain();
	let current = '';
	let index = 0;
	while (index < line.length) {
		if (line[index] === escapeCharacter) {
			sgrPattern.lastIndex = index;
			const match = sgrPattern.exec(line);
			if (!match) return undefined;
			applySgr(style, match[1] ?? '');
			current = canonical(style);
			index = sgrPattern.lastIndex;
			continue;
		}

		const codePoint = line.codePointAt(index) ?? 0;
		const character = String.fromCodePoint(codePoint);
		index += character.length;
		const width = codePoint < 0x7f ? 1 : widthOf(character);
		if (width === 0) {
			// Combining marks belong to the cell before them.
			const last = cells.at(-1);
			if (last) last.text += character;
			continue;
		}

		cells.push({text: character, style: current});
		if (width === 2) cells.push({text: '', style: current});
	}

	return cells;
}

export function sgr(style: string): string {
	return `${escapeCharacter}[0${style ? `;${style}` : ''}m`;
}
