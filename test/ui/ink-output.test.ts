import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {Chalk} from 'chalk';
// Ink's own Output, the one the bundle replaces; reached by path because Ink exports only its index.
import InkOutput from '../../node_modules/ink/build/output.js';
import RowCachingOutput from '../../source/terminal/ink-output.js';
import type {OutputClip} from '../../source/terminal/ink-output.js';
import {toCells} from '../../source/terminal/styled-cells.js';

const chalk = new Chalk({level: 3});

type Step =
	| {write: [x: number, y: number, text: string]; transformers?: Array<(line: string, index: number) => string>}
	| {clip: OutputClip}
	| 'unclip';

interface Painter {
	write(x: number, y: number, text: string, options: {transformers: Array<(line: string, index: number) => string>}): void;
	clip(clip: OutputClip): void;
	unclip(): void;
	get(): {output: string; height: number};
}

function paint(output: Painter, steps: readonly Step[]): {output: string; height: number} {
	for (const step of steps) {
		if (step === 'unclip') output.unclip();
		else if ('clip' in step) output.clip(step.clip);
		else output.write(...step.write, {transformers: step.transformers ?? []});
	}

	return output.get();
}

/** What a terminal shows for each line: characters and their styles, trailing blanks ignored. */
function screen(output: string): Array<Array<{text: string; style: string}>> {
	return output.split('\n').map(line => {
		const cells = toCells(line) ?? [];
		while (cells.length > 0 && cells.at(-1)?.text === ' ' && cells.at(-1)?.style === '') cells.pop();
		return cells;
	});
}

function assertSameScreen(width: number, height: number, steps: readonly Step[]): void {
	const ink = paint(new InkOutput({width, height}) as unknown as Painter, steps);
	const ours = paint(new RowCachingOutput({width, height}), steps);
	assert.equal(ours.height, ink.height);
	assert.deepEqual(screen(ours.output), screen(ink.output));
}

const border = (x: number, y: number, width: number, height: number): Step[] => [
	{write: [x, y, `┌${'─'.repeat(width - 2)}┐`]},
	{write: [x, y + 1, Array.from({length: height - 2}, () => '│').join('\n')]},
	{write: [x + width - 1, y + 1, Array.from({length: height - 2}, () => '│').join('\n')]},
	{write: [x, y + height - 1, `└${'─'.repeat(width - 2)}┘`]},
];

describe("RowCachingOutput paints what Ink's Output paints", () => {
	test('plain and coloured text, borders, overlapping writes', () => {
		assertSameScreen(30, 6, [
			...border(0, 0, 30, 6),
			{write: [1, 1, `${chalk.bold('Networks')} ${chalk.green('running')} ${chalk.bgBlue.white(' sel ')}`]},
			{write: [1, 2, 'bridge    10.0.0.0/24']},
			{write: [5, 2, chalk.inverse('XY')]},
			{write: [2, 3, 'two\nlines']},
		]);
	});

	test('wide characters and combining marks keep their columns', () => {
		assertSameScreen(20, 3, [
			{write: [0, 0, '网络 ok']},
			{write: [0, 1, 'café ✓ 🐳 end']},
			{write: [3, 2, chalk.red('宽字符')]},
		]);
	});

	test('clipping on both axes, coloured text cut in the middle', () => {
		assertSameScreen(24, 8, [
			{clip: {x1: 2, x2: 10, y1: 1, y2: 4}},
			{write: [0, 0, ['row zero', chalk.cyan('row one is long'), 'row two', chalk.yellow('row three'), 'row four'].join('\n')]},
			{write: [12, 2, 'outside to the right']},
			{write: [6, 3, `${chalk.magenta('abcdef')}ghij`]},
			'unclip',
			{write: [0, 6, 'after the clip']},
		]);
	});

	test('transformers run per line, on the clipped text, numbered from the first line shown', () => {
		const numbered = (line: string, index: number): string => `${index}${line.toUpperCase()}`;
		assertSameScreen(20, 6, [
			{write: [0, 0, 'alpha\nbeta\ngamma\ndelta'], transformers: [numbered]},
			{clip: {x1: 0, x2: 20, y1: 5, y2: 6}},
			{write: [0, 4, 'first\nsecond'], transformers: [numbered, line => chalk.green(line)]},
			'unclip',
		]);
	});

	test('writes outside the frame are dropped', () => {
		assertSameScreen(10, 2, [{write: [0, -1, 'above\nin']}, {write: [0, 1, 'last\nbelow']}]);
	});
});

describe('RowCachingOutput across frames', () => {
	test('a row whose writes changed is painted anew; unchanged rows come back identical', () => {
		const frame = (second: string) =>
			paint(new RowCachingOutput({width: 20, height: 3}), [
				{write: [0, 0, 'header']},
				{write: [0, 1, chalk.green(second)]},
				{write: [2, 2, 'footer']},
			]).output.split('\n');
		const first = frame('one');
		const again = frame('one');
		const changed = frame('two');
		assert.deepEqual(again, first);
		assert.equal(changed[0], first[0]);
		assert.equal(changed[2], first[2]);
		assert.deepEqual(
			toCells(changed[1] ?? '')?.map(cell => cell.text).join(''),
			'two',
		);
		// Back to the earlier text, after a frame without it: still right.
		assert.deepEqual(frame('one'), first);
	});

	test('the same texts at another column are a different row', () => {
		const at = (x: number) => paint(new RowCachingOutput({width: 10, height: 1}), [{write: [x, 0, 'ab']}]).output;
		assert.equal(at(0), 'ab');
		assert.equal(at(3), '   ab');
	});
});
