import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {cidrContains, cidrsOverlap, formatIp, formatPoolSize, parseCidr, parseIp, usableAddressCount} from '../../source/model/addressing.js';

describe('addressing', () => {
	test('IPv4 and IPv6 parse; garbage does not', () => {
		assert.equal(parseIp('172.17.0.1')?.family, 4);
		assert.equal(parseIp('fd00::1')?.family, 6);
		assert.equal(parseIp('172.17.0.256'), undefined);
		assert.equal(parseCidr('10.0.0.0/33'), undefined);
		assert.equal(parseCidr('10.0.0.0'), undefined);
	});

	test('containment and overlap', () => {
		const docker0 = parseCidr('172.17.0.0/16');
		assert.ok(docker0);
		assert.ok(cidrContains(docker0, parseIp('172.17.200.3') ?? {family: 4, value: 0n}));
		assert.ok(!cidrContains(docker0, parseIp('172.18.0.3') ?? {family: 4, value: 0n}));
		assert.ok(cidrsOverlap(docker0, parseCidr('172.17.5.0/24') ?? docker0));
		assert.ok(!cidrsOverlap(docker0, parseCidr('10.0.0.0/8') ?? docker0));
		const v6 = parseCidr('fd00:1::/64');
		assert.ok(v6 && cidrContains(v6, parseIp('fd00:1::abcd') ?? {family: 6, value: 0n}));
	});

	test('pool sizes as users read them: docker0 has 65534 addresses', () => {
		assert.equal(usableAddressCount(parseCidr('172.17.0.0/16') ?? ({} as never)), 65534n);
		assert.equal(formatPoolSize(parseCidr('10.0.0.0/8') ?? ({} as never)), '16.8M');
		assert.equal(formatPoolSize(parseCidr('fd00::/64') ?? ({} as never)), '2^64');
	});

	test('formats addresses back, compressing IPv6 zeros', () => {
		assert.equal(formatIp(4, parseIp('10.1.2.3')?.value ?? 0n), '10.1.2.3');
		assert.equal(formatIp(6, parseIp('fd00:0:0:0:0:0:0:1')?.value ?? 0n), 'fd00::1');
	});
});
