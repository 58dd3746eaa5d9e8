import type {NatPlace, NatRule} from '../model/forwarding.js';
import {splitTarget} from './nat-iptables.js';

// DNAT rules of published ports in `nft list ruleset` output, from the tables the engines
// own: Docker's `ip docker-bridges` and `ip6 docker-bridges` (firewall-backend nftables;
// port mappings in the chain nat-prerouting-and-output) and netavark's `inet netavark`.
// Other tables (iptables-nft's own `ip nat`, the user's) are left to the iptables reading
// or are not the engine's.

function placeOf(family: string, table: string): NatPlace | undefined {
	if (table === 'docker-bridges' && family === 'ip') return 'nft ip docker-bridges';
	if (table === 'docker-bridges' && family === 'ip6') return 'nft ip6 docker-bridges';
	if (table === 'netavark' && family === 'inet') return 'nft inet netavark';
	return undefined;
}

export interface NftReading {
	places: NatPlace[];
	rules: NatRule[];
}

/** One rule line → its DNAT, or undefined when it is not a port DNAT. */
function parseRule(line: string, tableFamily: string, place: NatPlace, chain: string): NatRule | undefined {
	const dnat = /\bdnat (?:(ip6?) )?to (\S+)/.exec(line);
	if (!dnat?.[2]) return undefined;
	const target = splitTarget(dnat[2]);
	if (!target) return undefined;
	const port = /\b(tcp|udp|sctp) dport (\d+)\b/.exec(line) ?? /\bmeta l4proto (tcp|udp|sctp)\b.*\bth dport (\d+)\b/.exec(line);
	if (!port?.[1] || !port[2]) return undefined;
	const destination = /\b(ip6?) daddr (?!!=)([0-9a-fA-F.:]+)(?:\/(32|128))?(?=\s|$)/.exec(line);
	const family: 4 | 6 = tableFamily === 'ip6' || dnat[1] === 'ip6' || (tableFamily === 'inet' && dnat[1] !== 'ip' && target.address.includes(':')) ? 6 : 4;
	return {
		family,
		protocol: port[1],
		...(destination?.[2] ? {hostIp: destination[2]} : {}),
		hostPort: Number(port[2]),
		toAddress: target.address,
		toPort: target.port,
		text: line.trim(),
		place,
		chain,
	};
}

const braces = (line: string): number => {
	const unquoted = line.replaceAll(/"[^"]*"/g, '');
	let delta = 0;
	for (const character of unquoted) {
		if (character === '{') delta++;
		else if (character === '}') delta--;
	}

	return delta;
};

export function parseNftRuleset(output: string): NftReading {
	const places = new Set<NatPlace>();
	const rules: NatRule[] = [];
	let table: {family: string; place?: NatPlace} | undefined;
	let chain: string | undefined;
	// Depth of braces: 1 = a table's body, 2 = a chain's (or map's, set's) body, deeper = their blocks.
	let depth = 0;
	for (const raw of output.split('\n')) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) continue;
		const delta = braces(line);
		if (depth === 0) {
			const opened = /^table (\S+) (\S+) \{$/.exec(line);
			if (opened?.[1] && opened[2]) {
				const place = placeOf(opened[1], opened[2]);
				table = {family: opened[1], ...(place ? {place} : {})};
				if (place) places.add(place);
			}
		} else if (depth === 1 && delta > 0) {
			chain = /^chain (\S+) \{$/.exec(line)?.[1];
		} else if (depth === 2 && delta === 0 && chain !== undefined && table?.place) {
			const rule = parseRule(line, table.family, table.place, chain);
			if (rule) rules.push(rule);
		}

		depth = Math.max(0, depth + delta);
		if (depth <= 1) chain = undefined;
		if (depth === 0) table = undefined;
	}

	return {places: [...places], rules};
}
