import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {RateBudget} from '../../source/model/rate-budget.js';

describe('RateBudget', () => {
	test('a burst goes at once, then one action per interval, and quiet time refills it', () => {
		let clock = 0;
		const budget = new RateBudget(100, 3, () => clock);
		for (let action = 0; action < 3; action++) {
			assert.equal(budget.wait(), 0, `action ${action} of the burst`);
			budget.spend();
		}

		assert.equal(budget.wait(), 100);
		clock += 40;
		assert.equal(budget.wait(), 60);
		clock += 60;
		assert.equal(budget.wait(), 0);
		budget.spend();
		assert.equal(budget.wait(), 100);
		clock += 10_000;
		for (let action = 0; action < 3; action++) budget.spend();
		assert.equal(budget.wait(), 100, 'the refill never exceeds the burst');
	});

	test('an interval of 0 never makes anyone wait', () => {
		const budget = new RateBudget(0, 1, () => 0);
		for (let action = 0; action < 5; action++) budget.spend();
		assert.equal(budget.wait(), 0);
	});
});
