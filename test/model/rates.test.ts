import assert from 'node:assert/strict';
import {test} from 'node:test';
import {zeroStats} from '../../source/model/host-source.js';
import {type StatsSample, computeRates, toSamples, zeroRates} from '../../source/model/rates.js';
import type {InterfaceStats} from '../../source/model/types.js';

function stats(values: Partial<InterfaceStats>): InterfaceStats {
	return {...zeroStats(), ...values};
}

const previous = new Map<string, StatsSample>([
	['eth0', {stats: stats({rxBytes: 1000, txBytes: 500, rxPackets: 10, txPackets: 5}), at: 10_000}],
	['veth1', {stats: stats({rxBytes: 9_000_000, txBytes: 100, rxPackets: 9000, txPackets: 1}), at: 10_000}],
]);

test('bytes and packets per second over the elapsed time', () => {
	const rates = computeRates(previous, new Map([['eth0', stats({rxBytes: 3000, txBytes: 500, rxPackets: 14, txPackets: 6})]]), 12_000);
	assert.deepEqual(rates.get('eth0'), {rxBytesPerSecond: 1000, txBytesPerSecond: 0, rxPacketsPerSecond: 2, txPacketsPerSecond: 0.5});
});

test('a counter that went down (interface recreated) gives 0, never negative', () => {
	const rates = computeRates(previous, new Map([['veth1', stats({rxBytes: 20, txBytes: 300, rxPackets: 1, txPackets: 3})]]), 11_000);
	assert.deepEqual(rates.get('veth1'), {rxBytesPerSecond: 0, txBytesPerSecond: 200, rxPacketsPerSecond: 0, txPacketsPerSecond: 2});
});

test('first sample of an interface gives zeros', () => {
	const rates = computeRates(previous, new Map([['veth-new', stats({rxBytes: 5000, txBytes: 5000})]]), 11_000);
	assert.deepEqual(rates.get('veth-new'), zeroRates());
	assert.deepEqual(computeRates(new Map(), new Map([['eth0', stats({rxBytes: 1})]]), 1).get('eth0'), zeroRates());
});

test('no time elapsed (or a clock that went back) gives zeros', () => {
	const current = new Map([['eth0', stats({rxBytes: 2000})]]);
	assert.deepEqual(computeRates(previous, current, 10_000).get('eth0'), zeroRates());
	assert.deepEqual(computeRates(previous, current, 9_000).get('eth0'), zeroRates());
});

test('only interfaces in the current sample get rates; toSamples keeps the next baseline', () => {
	const current = new Map([['eth0', stats({rxBytes: 2000})]]);
	const rates = computeRates(previous, current, 11_000);
	assert.deepEqual([...rates.keys()], ['eth0']);
	const samples = toSamples(current, 11_000);
	assert.deepEqual([...samples.entries()], [['eth0', {stats: stats({rxBytes: 2000}), at: 11_000}]]);
	assert.equal(computeRates(samples, new Map([['eth0', stats({rxBytes: 2500})]]), 11_500).get('eth0')?.rxBytesPerSecond, 1000);
});
