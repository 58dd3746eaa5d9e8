import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import * as esbuild from 'esbuild';
import type {Plugin} from 'esbuild';
import {lazyWidthTables, makeLazy, syncYoga} from '../../scripts/bundle-plugins.mjs';
import {repoRoot} from '../helpers/pty-app.js';

// The bundle patches string-width (tables made on first use) and yoga-layout (WebAssembly
// instantiated synchronously). Each patched module is built here beside the original and
// both must give the same answers.

interface WidthModules {
	stringWidth: (text: string) => number;
	stringWidth7: (text: string) => number;
	wrapAnsi: (text: string, columns: number, options?: {hard?: boolean; trim?: boolean}) => string;
}

const entry = [
	"export {default as stringWidth} from 'string-width';",
	`export {default as stringWidth7} from ${JSON.stringify(path.join(repoRoot, 'node_modules', 'wrap-ansi', 'node_modules', 'string-width', 'index.js'))};`,
	"export {default as wrapAnsi} from 'wrap-ansi';",
].join('\n');

let dir: string;
const load = createRequire(import.meta.url);

// One folder for every bundle this file builds, removed after the last test.
before(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'docknet-plugins-'));
});

after(() => {
	rmSync(dir, {recursive: true, force: true});
});

async function bundle(name: string, contents: string, plugins: Plugin[]): Promise<string> {
	const outfile = path.join(dir, `${name}.cjs`);
	await esbuild.build({
		stdin: {contents, resolveDir: repoRoot, loader: 'js'},
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'cjs',
		outfile,
		plugins,
		logLevel: 'error',
	});
	return outfile;
}

const samples = [
	'',
	'plain ascii text',
	'tab\there',
	'\u001B[31mred\u001B[39m and \u001B[1mbold\u001B[22m',
	'日本語のテキスト',
	'한국어 가 각',
	'café naïve e\u0301',
	'👍 👨‍👩‍👧 🇩🇪 1️⃣ #⃣ ❤️ ☺',
	'\u200B\u200Dzero\uFEFFwidth',
	'ｶﾞｷﾞ ｰ half-width',
	'control \u0007 \u001F \u009B',
	'mixed ascii 日本 👍 e\u0301 end',
	'\uD800 lone surrogate',
	'Ⅻ ambiguous ± §',
];

function randomText(seed: number, length: number): string {
	let state = seed;
	const next = (): number => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state;
	};

	const ranges: Array<[number, number]> = [[0x20, 0x7E], [0x300, 0x36F], [0x1100, 0x11FF], [0x3040, 0x30FF], [0x4E00, 0x4E80], [0x1F300, 0x1F64F], [0xFE00, 0xFE0F], [0x200B, 0x200F], [0xFF00, 0xFFEF], [0xAC00, 0xAC40]];
	let text = '';
	for (let index = 0; index < length; index++) {
		const [low, high] = ranges[next() % ranges.length] as [number, number];
		text += String.fromCodePoint(low + (next() % (high - low + 1)));
		if (next() % 7 === 0) text += '\u200D';
	}

	return text;
}

describe('lazy string-width tables', () => {
	let original: WidthModules;
	let patched: WidthModules;
	let segmentersAtLoad = 0;
	let segmentersAfterAscii = 0;
	let segmentersAfterWide = 0;

	before(async () => {
		const originalFile = await bundle('original', entry, []);
		const patchedFile = await bundle('patched', entry, [lazyWidthTables]);
		original = load(originalFile) as WidthModules;
		const RealSegmenter = Intl.Segmenter;
		let made = 0;
		// Counts the Segmenters the patched modules make, and when.
		const intl = Intl as {Segmenter: typeof Intl.Segmenter};
		intl.Segmenter = class extends RealSegmenter {
			constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
				super(...args);
				made++;
			}
		};
		try {
			patched = load(patchedFile) as WidthModules;
			segmentersAtLoad = made;
			patched.stringWidth('only printable ascii');
			segmentersAfterAscii = made;
			patched.stringWidth('日本');
			segmentersAfterWide = made;
		} finally {
			intl.Segmenter = RealSegmenter;
		}
	});

	it('makes no Segmenter at load, none for ASCII, one on the first wide text', () => {
		assert.equal(segmentersAtLoad, 0);
		assert.equal(segmentersAfterAscii, 0);
		assert.equal(segmentersAfterWide, 1);
	});

	it('measures every sample as the original does (string-width 8 and 7)', () => {
		for (const text of samples) {
			assert.equal(patched.stringWidth(text), original.stringWidth(text), JSON.stringify(text));
			assert.equal(patched.stringWidth7(text), original.stringWidth7(text), JSON.stringify(text));
		}
	});

	it('measures 2,000 random mixed strings as the original does', () => {
		for (let seed = 1; seed <= 2000; seed++) {
			const text = randomText(seed, 1 + (seed % 24));
			assert.equal(patched.stringWidth(text), original.stringWidth(text), JSON.stringify(text));
			assert.equal(patched.stringWidth7(text), original.stringWidth7(text), JSON.stringify(text));
		}
	});

	it('wraps text as the original wrap-ansi does', () => {
		const text = `${samples.join(' ')} ${randomText(7, 200)}`;
		for (const columns of [5, 13, 40, 80]) {
			for (const options of [{}, {hard: true}, {trim: false}]) {
				assert.equal(patched.wrapAnsi(text, columns, options), original.wrapAnsi(text, columns, options));
			}
		}
	});
});

describe('makeLazy', () => {
	it('turns a declaration into a value made once, on first use', () => {
		const source = 'const table = build();\nexport function use() { return table.size + table.size; }\n';
		const lazy = makeLazy(source, ['table'], 'x.js');
		assert.match(lazy, /let table__value;/);
		assert.match(lazy, /table__lazy\(\)\.size \+ table__lazy\(\)\.size/);
		assert.doesNotMatch(lazy, /^const table = build\(\);$/m);
	});

	it('fails loudly when the module no longer looks as expected', () => {
		assert.throws(() => makeLazy('const other = 1;\n', ['table'], 'x.js'), /x\.js changed: "const table = …;" not found/);
	});
});

describe('synchronous yoga', () => {
	it('lays out as the original yoga-layout, with no top-level await', async () => {
		const layoutEntry = [
			"import Yoga from 'yoga-layout';",
			'export function layout() {',
			'  const root = Yoga.Node.create(); root.setWidth(100); root.setHeight(40); root.setFlexDirection(Yoga.FLEX_DIRECTION_ROW);',
			'  const a = Yoga.Node.create(); a.setFlexGrow(1); const b = Yoga.Node.create(); b.setWidth(30); b.setMargin(Yoga.EDGE_LEFT, 2);',
			'  root.insertChild(a, 0); root.insertChild(b, 1); root.calculateLayout(undefined, undefined, Yoga.DIRECTION_LTR);',
			'  const result = [a.getComputedLayout(), b.getComputedLayout()]; root.freeRecursive(); return result;',
			'}',
		].join('\n');
		// CommonJS cannot hold a top-level await: this build fails unless the patch removed it.
		const file = await bundle('yoga', layoutEntry, [syncYoga]);
		const patched = load(file) as {layout: () => unknown};
		const originalYoga = (await import('yoga-layout')).default;
		const root = originalYoga.Node.create();
		root.setWidth(100);
		root.setHeight(40);
		root.setFlexDirection(originalYoga.FLEX_DIRECTION_ROW);
		const a = originalYoga.Node.create();
		a.setFlexGrow(1);
		const b = originalYoga.Node.create();
		b.setWidth(30);
		b.setMargin(originalYoga.EDGE_LEFT, 2);
		root.insertChild(a, 0);
		root.insertChild(b, 1);
		root.calculateLayout(undefined, undefined, originalYoga.DIRECTION_LTR);
		const expected = [a.getComputedLayout(), b.getComputedLayout()];
		root.freeRecursive();
		assert.deepEqual(patched.layout(), expected);
		assert.deepEqual(expected[1], {left: 70, right: 0, top: 0, bottom: 0, width: 30, height: 40});
	});
});
