import {isIPv4, isIPv6} from 'node:net';

// Address arithmetic for IPv4 and IPv6 with bigint, so one code path serves both families.

export interface ParsedCidr {
	family: 4 | 6;
	/** Network address as an integer (host bits cleared). */
	network: bigint;
	prefixLength: number;
	/** Address as written, before clearing host bits. */
	address: bigint;
}

const bitsOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);

export function parseIp(text: string): {family: 4 | 6; value: bigint} | undefined {
	const trimmed = text.trim();
	if (isIPv4(trimmed)) {
		const value = trimmed.split('.').reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n);
		return {family: 4, value};
	}

	if (isIPv6(trimmed)) {
		return {family: 6, value: ipv6ToBigInt(trimmed)};
	}

	return undefined;
}

function ipv6ToBigInt(text: string): bigint {
	let source = text;
	// An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
	const ipv4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(source);
	if (ipv4Tail?.[1]) {
		const parts = ipv4Tail[1].split('.').map(Number);
		const high = (((parts[0] ?? 0) << 8) | (parts[1] ?? 0)).toString(16);
		const low = (((parts[2] ?? 0) << 8) | (parts[3] ?? 0)).toString(16);
		source = source.slice(0, -ipv4Tail[1].length) + `${high}:${low}`;
	}

	const [head = '', tail] = source.split('::');
	const headParts = head === '' ? [] : head.split(':');
	const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
	const missing = 8 - headParts.length - tailParts.length;
	const hextets = [...headParts, ...Array.from({length: tail === undefined ? 0 : missing}, () => '0'), ...tailParts];
	return hextets.reduce((sum, part) => (sum << 16n) + BigInt(Number.parseInt(part, 16)), 0n);
}

export function parseCidr(text: string): ParsedCidr | undefined {
	const [addressText, prefixText, extra] = text.trim().split('/');
	if (addressText === undefined || prefixText === undefined || extra !== undefined) return undefined;
	if (!/^\d{1,3}$/.test(prefixText)) return undefined;
	const ip = parseIp(addressText);
	if (!ip) return undefined;
	const prefixLength = Number(prefixText);
	const bits = bitsOf(ip.family);
	if (prefixLength > bits) return undefined;
	const hostBits = BigInt(bits - prefixLength);
	const network = (ip.value >> hostBits) << hostBits;
	return {family: ip.family, network, prefixLength, address: ip.value};
}

export function cidrContains(cidr: ParsedCidr, ip: {family: 4 | 6; value: bigint}): boolean {
	if (cidr.family !== ip.family) return false;
	const hostBits = BigInt(bitsOf(cidr.family) - cidr.prefixLength);
	return ip.value >> hostBits === cidr.network >> hostBits;
}

export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
	if (a.family !== b.family) return false;
	const shorter = Math.min(a.prefixLength, b.prefixLength);
	const hostBits = BigInt(bitsOf(a.family) - shorter);
	return a.network >> hostBits === b.network >> hostBits;
}

/**
 * Addresses containers can get from a pool: for IPv4 the network and broadcast addresses
 * are not usable (a /16 gives 65,534), matching what `docker network inspect` users expect.
 */
export function usableAddressCount(cidr: ParsedCidr): bigint {
	const size = 1n << BigInt(bitsOf(cidr.family) - cidr.prefixLength);
	if (cidr.family === 4) return size > 2n ? size - 2n : size;
	return size;
}

export function formatIp(family: 4 | 6, value: bigint): string {
	if (family === 4) {
		return [24n, 16n, 8n, 0n].map(shift => ((value >> shift) & 255n).toString()).join('.');
	}

	const hextets = Array.from({length: 8}, (_, index) => ((value >> BigInt((7 - index) * 16)) & 0xffffn).toString(16));
	// Compress the longest run of zero hextets, as RFC 5952 asks.
	let bestStart = -1;
	let bestLength = 0;
	for (let start = 0; start < 8; start++) {
		let length = 0;
		while (start + length < 8 && hextets[start + length] === '0') length++;
		if (length > bestLength && length > 1) {
			bestStart = start;
			bestLength = length;
		}
	}

	if (bestStart < 0) return hextets.join(':');
	return `${hextets.slice(0, bestStart).join(':')}::${hextets.slice(bestStart + bestLength).join(':')}`;
}

/** A compact count for narrow columns: 65534 stays, 16777214 becomes 16.8M. */
export function formatCount(count: bigint): string {
	if (count < 100_000n) return count.toString();
	const value = Number(count);
	const units: Array<[number, string]> = [
		[1e18, 'E'],
		[1e15, 'P'],
		[1e12, 'T'],
		[1e9, 'G'],
		[1e6, 'M'],
		[1e3, 'k'],
	];
	for (const [size, unit] of units) {
		if (value >= size) return `${(value / size).toFixed(value / size >= 100 ? 0 : 1)}${unit}`;
	}

	return count.toString();
}

/** IPv6 pools are astronomically large; "2^64" reads better than a 20-digit number. */
export function formatPoolSize(cidr: ParsedCidr): string {
	if (cidr.family === 6) return `2^${128 - cidr.prefixLength}`;
	return formatCount(usableAddressCount(cidr));
}
