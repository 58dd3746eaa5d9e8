import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {repoRoot} from '../test/helpers/pty-app.js';

// An experiment, not a fix: writes a copy of dist/docknet-main.cjs in which Ink keeps its text
// measurements from one frame to the next, so `npm run bench -- --script=<copy>` shows what
// that change would buy. Ink 6.8 builds a fresh OutputCaches for every frame (every line of a
// 160x45 screen is tokenized and measured again, each time), and `widest-line`, called for
// every <Text> on every frame, caches nothing.
// With --startup-order it also opens the engine's events and listings before the first
// render, waits up to 250 ms for them before drawing, and starts the host scan only after the
// first listing (source/cli.tsx runApp).
// Usage: tsx bench/ink-cache-variant.ts [--startup-order] [out-dir]   (default /tmp/docknet-ink-cache)
// The directory gets a copy of the launcher beside the variant: pass <out-dir>/docknet.js to --script.

const startupOrder = process.argv.includes('--startup-order');
const out = path.resolve(process.argv.slice(2).find(arg => !arg.startsWith('--')) ?? '/tmp/docknet-ink-cache');
let bundle = readFileSync(path.join(repoRoot, 'dist', 'docknet-main.cjs'), 'utf8');

const applied: string[] = [];
const skipped: string[] = [];

/** Applies one patch where its text occurs exactly once; the source may have made it already. */
function replaceOnce(from: string, to: string): void {
	const at = bundle.indexOf(from);
	const what = from.trim().split('\n')[0] ?? from;
	if (at < 0 || bundle.indexOf(from, at + 1) >= 0) {
		skipped.push(what);
		return;
	}

	applied.push(what);
	bundle = bundle.slice(0, at) + to + bundle.slice(at + from.length);
}

// Each frame's caches fall back on the previous frame's: unchanged lines cost a lookup.
replaceOnce(
	`  getStyledChars(line) {
    let cached = this.styledChars.get(line);
    if (cached === void 0) {
      cached = styledCharsFromTokens(tokenize(line));`,
	`  static last;
  previous;
  constructor() {
    this.previous = OutputCaches.last;
    if (this.previous) this.previous.previous = void 0;
    OutputCaches.last = this;
  }
  getStyledChars(line) {
    let cached = this.styledChars.get(line);
    if (cached === void 0) {
      cached = this.previous?.styledChars.get(line) ?? styledCharsFromTokens(tokenize(line));`,
);
replaceOnce(
	`    let cached = this.widths.get(text2);
    if (cached === void 0) {
      cached = stringWidth2(text2);`,
	`    let cached = this.widths.get(text2);
    if (cached === void 0) {
      cached = this.previous?.widths.get(text2) ?? stringWidth2(text2);`,
);
// A bounded memo for widest-line.
replaceOnce(
	`function widestLine(string) {
  let lineWidth = 0;`,
	`var widestLineMemo = new Map();
function widestLine(string) {
  const known = widestLineMemo.get(string);
  if (known !== void 0) return known;
  if (widestLineMemo.size > 20000) widestLineMemo.clear();
  const width = widestLineUncached(string);
  widestLineMemo.set(string, width);
  return width;
}
function widestLineUncached(string) {
  let lineWidth = 0;`,
);

if (startupOrder) {
	replaceOnce(
		`  const hostMonitor = new HostMonitor(hostSourceFor(endpoint), store);
`,
		`  const hostMonitor = new HostMonitor(hostSourceFor(endpoint), store);
  sync.start(info);
`,
	);
	// The first render is synchronous and takes ~70 ms: requests made before it only leave
	// after it, so wait (briefly) for the first listing and draw once, with data.
	replaceOnce(
		`  process.stdout.write(enterAlternateScreen);
  const frames = new FrameWriter(process.stdout);`,
		`  await Promise.race([sync.firstLoad.catch(() => void 0), new Promise((resolve) => setTimeout(resolve, 250))]);
  process.stdout.write(enterAlternateScreen);
  const frames = new FrameWriter(process.stdout);`,
	);
	replaceOnce(
		`  sync.start(info);
  hostMonitor.start();
`,
		`  sync.firstLoad.then(() => setTimeout(() => hostMonitor.start(), 0), () => hostMonitor.start());
`,
	);
}

if (applied.length === 0) throw new Error('no patch applies to this build (made in source already?)');
mkdirSync(out, {recursive: true});
writeFileSync(path.join(out, 'docknet-main.cjs'), bundle);
copyFileSync(path.join(repoRoot, 'dist', 'docknet.js'), path.join(out, 'docknet.js'));
copyFileSync(path.join(repoRoot, 'dist', 'package.json'), path.join(out, 'package.json'));
process.stderr.write(`wrote ${out}\napplied: ${applied.join(' | ')}\n${skipped.length > 0 ? `not found (skipped): ${skipped.join(' | ')}\n` : ''}`);
