import {formatIp, parseCidr} from './addressing.js';
import type {ParsedCidr} from './addressing.js';

// The pieces every form check uses: how problems are reported, lists and key=value pairs as
// typed, names, and subnets in CIDR form.

export type FieldProblems<Field extends string> = Partial<Record<Field, string>>;

export interface Checked<Field extends string, Value> {
	errors: FieldProblems<Field>;
	warnings: FieldProblems<Field>;
	/** A problem no single field is to blame for. */
	general?: string;
	/** Set when there are no errors: what to send. */
	value?: Value;
}

export const hasProblems = (problems: Partial<Record<string, string>>): boolean => Object.values(problems).some(Boolean);

/** Items of a list field: commas or white space separate them, empty items are dropped. */
export function splitList(text: string): string[] {
	return text
		.split(/[\s,]+/)
		.map(item => item.trim())
		.filter(item => item !== '');
}

/** key=value pairs, separated by commas or white space. */
export function parseKeyValues(text: string): {values: Record<string, string>; error?: string} {
	const values: Record<string, string> = {};
	for (const item of splitList(text)) {
		const separator = item.indexOf('=');
		if (separator <= 0) return {values, error: `"${item}" is not key=value`};
		const key = item.slice(0, separator);
		if (Object.hasOwn(values, key)) return {values, error: `${key} is given twice`};
		values[key] = item.slice(separator + 1);
	}

	return {values};
}

// Names as DNS and the docker CLI accept them: a letter or digit first, then letters,
// digits, "_", "." or "-".
export const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const familyName = (family: 4 | 6): string => (family === 4 ? 'IPv4' : 'IPv6');

/** A CIDR of the wanted family; errors in words, and the parsed value. */
export function checkCidr(text: string, family: 4 | 6): {cidr?: ParsedCidr; error?: string; warning?: string} {
	const cidr = parseCidr(text);
	if (!cidr) {
		return {error: `"${text}" is not a subnet in CIDR form, e.g. ${family === 4 ? '10.201.3.0/24' : 'fd00:1::/64'}`};
	}

	if (cidr.family !== family) return {error: `${text} is an ${familyName(cidr.family)} subnet; this field takes ${familyName(family)}`};
	if (cidr.network !== cidr.address) {
		return {cidr, warning: `host bits are set: did you mean ${formatIp(cidr.family, cidr.network)}/${cidr.prefixLength}?`};
	}

	// Point-to-point sizes: every address is usable (RFC 3021), none is a network or broadcast address.
	const bits = family === 4 ? 32 : 128;
	if (cidr.prefixLength >= bits - 1) {
		const count = cidr.prefixLength === bits ? 'one address' : '2 addresses';
		return {cidr, warning: `a /${cidr.prefixLength} holds ${count}, with no network or broadcast address kept back; older engines refuse subnets this small`};
	}

	return {cidr};
}

export function formatCidr(cidr: ParsedCidr): string {
	return `${formatIp(cidr.family, cidr.network)}/${cidr.prefixLength}`;
}

export function lastAddress(cidr: ParsedCidr): bigint {
	const hostBits = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefixLength);
	return cidr.network + (1n << hostBits) - 1n;
}

/** The network and broadcast addresses of an IPv4 subnet cannot be given to anyone. */
export function reservedRole(cidr: ParsedCidr, value: bigint): string | undefined {
	if (cidr.family !== 4 || cidr.prefixLength > 30) return undefined;
	if (value === cidr.network) return 'network address';
	if (value === lastAddress(cidr)) return 'broadcast address';
	return undefined;
}
