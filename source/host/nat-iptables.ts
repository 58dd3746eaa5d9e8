import type {NatPlace, NatRule} from '../model/forwarding.js';

// DNAT rules of published ports in `iptables-save -t nat` output. Docker writes them in the
// DOCKER chain; netavark (Podman) in one NETAVARK-DN-<hash> chain per network, reached from
// NETAVARK-HOSTPORT-DNAT.

const isDockerChain = (chain: string): boolean => chain === 'DOCKER';
const isNetavarkChain = (chain: string): boolean => chain.startsWith('NETAVARK-');

function placeOf(chain: string, family: 4 | 6): NatPlace | undefined {
	const tool = family === 4 ? 'iptables' : 'ip6tables';
	if (isDockerChain(chain)) return `${tool} DOCKER`;
	if (isNetavarkChain(chain)) return `${tool} NETAVARK`;
	return undefined;
}

/** "172.17.0.2:80" or "[fd00::2]:80" → address and port. */
export function splitTarget(target: string): {address: string; port: number} | undefined {
	const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
	if (!match?.[1] || !match[2]) return undefined;
	return {address: match[1], port: Number(match[2])};
}

/** The engine chains that exist in the nat table (declared by `:CHAIN` lines), as places. */
export function iptablesPlaces(output: string, family: 4 | 6): NatPlace[] {
	const places = new Set<NatPlace>();
	for (const line of output.split('\n')) {
		if (!line.startsWith(':')) continue;
		const place = placeOf(line.slice(1).split(/\s+/)[0] ?? '', family);
		if (place) places.add(place);
	}

	return [...places];
}

/** Parses the DNAT rules of Docker's and netavark's chains out of `iptables-save -t nat` output. */
export function parseIptablesNat(output: string, family: 4 | 6): NatRule[] {
	const rules: NatRule[] = [];
	for (const line of output.split('\n')) {
		if (!line.startsWith('-A ') || !line.includes('-j DNAT')) continue;
		const words = line.trim().split(/\s+/);
		const chain = words[1] ?? '';
		const place = placeOf(chain, family);
		if (!place) continue;
		const after = (flag: string): string | undefined => {
			const index = words.indexOf(flag);
			// "! -d x" negates the match: not a limit to that address.
			return index >= 0 && words[index - 1] !== '!' ? words[index + 1] : undefined;
		};

		const protocol = after('-p');
		const hostPort = Number(after('--dport'));
		const target = splitTarget(after('--to-destination') ?? '');
		if (!protocol || !Number.isInteger(hostPort) || !target) continue;
		const destination = after('-d')?.replace(/\/(32|128)$/, '');
		rules.push({
			family,
			protocol,
			...(destination ? {hostIp: destination} : {}),
			hostPort,
			toAddress: target.address,
			toPort: target.port,
			text: line.trim(),
			place,
			chain,
		});
	}

	return rules;
}

/** The DNAT rules of the DOCKER chain alone. */
export function parseDockerNat(output: string, family: 4 | 6): NatRule[] {
	return parseIptablesNat(output, family).filter(rule => rule.chain === 'DOCKER');
}
