import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runKeyFuzz} from './key-fuzz.js';

// The short run of the random-key fuzz, for every `npm test`; `npm run fuzz` runs the long one
// (DOCKNET_FUZZ_KEYS, default 20,000 there). DOCKNET_FUZZ_SEED replays a run.

const keys = Number(process.env['DOCKNET_FUZZ_KEYS'] ?? 2000);
const seed = Number(process.env['DOCKNET_FUZZ_SEED'] ?? Date.now() % 1_000_000);
/** Far above the ~100-150 MB docknet uses; a leak across thousands of keys goes past it. */
const rssLimitKb = 400 * 1024;

test(`${keys} random keys with resize storms (seed ${seed}): no exit, no stack trace, memory bounded`, {timeout: Math.max(600_000, keys * 60)}, async t => {
	const report = await runKeyFuzz({keys, seed, onProgress: (done, rssKb) => {
		if (done % 5000 < 400) t.diagnostic(`${done} keys, peak RSS ${Math.round(rssKb / 1024)} MB`);
	}});
	const {sample, ...figures} = report;
	t.diagnostic(JSON.stringify(figures));
	const replay = `replay with DOCKNET_FUZZ_SEED=${seed} DOCKNET_FUZZ_KEYS=${keys}; first keys: ${JSON.stringify(sample.slice(0, 300))}`;
	assert.equal(report.exited, false, `docknet exited; ${replay}`);
	assert.equal(report.stackTrace, undefined, `a stack trace on screen: ${report.stackTrace ?? ''}; ${replay}`);
	assert.equal(report.keys, keys);
	assert.ok(report.rssPeakKb < rssLimitKb, `peak RSS ${report.rssPeakKb} kB; ${replay}`);
	assert.ok(report.responsiveAtEnd, `docknet did not come back to its main view; ${replay}`);
});
