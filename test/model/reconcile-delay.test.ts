import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {reconcileDelayMs} from '../../source/model/listing-reconciler.js';

// The reconcile's rounds keep to a small share of the time whatever the network list's length.

describe('reconcileDelayMs', () => {
	test('the interval up to 10,000 networks', () => {
		assert.equal(reconcileDelayMs(5000, 0), 5000);
		assert.equal(reconcileDelayMs(5000, 200), 5000);
		assert.equal(reconcileDelayMs(5000, 10_000), 5000);
	});

	test('half a millisecond a network beyond: 100 s at 200,000', () => {
		assert.equal(reconcileDelayMs(5000, 200_000), 100_000);
		assert.equal(reconcileDelayMs(5000, 10_200), 5100);
	});
});
