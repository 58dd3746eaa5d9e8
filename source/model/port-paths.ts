import type {ForwardingScan, NatPlace, NatRule, NatSourceRead, ProxyProcess} from './forwarding.js';
import type {DockerContainer, DockerNetwork, EngineInfo, PortBinding} from './types.js';

// Each published port from the host address to the container, joined with the NAT rule and
// the docker-proxy that carry it, and judged against where this engine writes its rules:
// a missing rule is only called missing where docknet read the engine's own table and it
// was not there; otherwise docknet says what it could not tell.

export interface PortPath {
	binding: PortBinding;
	/** The container address the rule forwards to (from the rule, else the container's first). */
	containerIp?: string;
	rule?: NatRule;
	proxy?: ProxyProcess;
	verdict: PortVerdict;
}

export type PortVerdict =
	| {kind: 'reading'}
	| {kind: 'nat'; rule: NatRule}
	/** On a network in routed gateway mode: reached at the container's own address, with no NAT by design. */
	| {kind: 'routed'; networkName: string}
	/** No NAT rule where the engine writes none for this family; a docker-proxy carries it. */
	| {kind: 'proxy'; proxy: ProxyProcess; why: string}
	/** The engine's table was read and has no rule for it (nor a docker-proxy). */
	| {kind: 'missing'; places: NatPlace[]}
	/** docknet cannot tell, and says why. */
	| {kind: 'unknown'; reason: string};

/** What the judgement needs of the engine and its networks. */
export interface PortPathContext {
	engine?: Pick<EngineInfo, 'product' | 'firewallBackend'>;
	networks?: readonly DockerNetwork[];
}

const anyAddress = (ip: string | undefined): boolean => ip === undefined || ip === '' || ip === '0.0.0.0' || ip === '::';
const familyOf = (ip: string | undefined): 4 | 6 => (ip?.includes(':') ? 6 : 4);

export const GATEWAY_MODE_OPTION = {4: 'com.docker.network.bridge.gateway_mode_ipv4', 6: 'com.docker.network.bridge.gateway_mode_ipv6'} as const;

/** The network (of the container's) in routed gateway mode for this address family, if any. */
export function routedNetworkOf(container: DockerContainer, family: 4 | 6, networks: readonly DockerNetwork[] | undefined): string | undefined {
	for (const endpoint of container.endpoints) {
		const network = networks?.find(item => item.id === endpoint.networkId || item.name === endpoint.networkName);
		if (network?.options[GATEWAY_MODE_OPTION[family]] === 'routed') return network.name;
	}

	return undefined;
}

/** The places where this engine writes the DNAT rules of `family`. */
export function enginePlaces(engine: PortPathContext['engine'], family: 4 | 6): NatPlace[] {
	const iptables = family === 4 ? 'iptables' : 'ip6tables';
	const netavark: NatPlace[] = [`${iptables} NETAVARK`, 'nft inet netavark'];
	const nft: NatPlace = family === 4 ? 'nft ip docker-bridges' : 'nft ip6 docker-bridges';
	if (engine === undefined) return [`${iptables} DOCKER`, nft, ...netavark];
	if (engine.product === 'Podman') return netavark;
	// Engines before Docker 28 do not say, and use iptables.
	return engine.firewallBackend?.startsWith('nftables') ? [nft] : [`${iptables} DOCKER`];
}

const toolOf = (place: NatPlace): NatSourceRead['tool'] => (place.startsWith('nft') ? 'nft' : place.startsWith('ip6tables') ? 'ip6tables-save' : 'iptables-save');

function judge(binding: PortBinding, rule: NatRule | undefined, proxy: ProxyProcess | undefined, scan: ForwardingScan | undefined, routed: string | undefined, context: PortPathContext): PortVerdict {
	if (!scan) return {kind: 'reading'};
	if (rule) return {kind: 'nat', rule};
	if (routed) return {kind: 'routed', networkName: routed};
	if (scan.status === 'unavailable') return {kind: 'unknown', reason: scan.reason};
	const family = familyOf(binding.hostIp);
	const expected = enginePlaces(context.engine, family);
	// A scan without `places` comes from a reader that only knew Docker's iptables chains.
	const present = expected.filter(place => scan.places === undefined ? place.endsWith('DOCKER') : scan.places.includes(place));
	if (present.length > 0) {
		if (context.engine === undefined) return {kind: 'unknown', reason: `no rule for it in ${present.join(' or ')}, and docknet does not know which firewall this engine writes to`};
		if (proxy) return {kind: 'proxy', proxy, why: `no DNAT rule in ${present.join(' or ')}`};
		return {kind: 'missing', places: present};
	}

	const failed = (scan.sources ?? []).filter(source => source.problem !== undefined && expected.some(place => toolOf(place) === source.tool));
	if (failed.length > 0) return {kind: 'unknown', reason: failed.map(source => `${source.tool}: ${source.problem ?? ''}`).join('; ')};
	const absent = `no ${expected.join(' or ')} on this host`;
	if (proxy) return {kind: 'proxy', proxy, why: `${absent}: the engine writes no IPv${family} NAT rules`};
	return {kind: 'unknown', reason: `${absent}, so docknet cannot tell what forwards it`};
}

export function portPaths(container: DockerContainer, scan: ForwardingScan | undefined, context: PortPathContext = {}): PortPath[] {
	const addresses = container.endpoints.flatMap(endpoint => [endpoint.ipv4, endpoint.ipv6].filter((ip): ip is string => Boolean(ip)));
	const rules = scan?.status === 'ok' ? scan.rules : [];
	const proxies = scan?.status === 'ok' ? scan.proxies : [];
	return container.ports
		.filter(binding => binding.hostPort !== undefined)
		.map(binding => {
			const family = familyOf(binding.hostIp);
			const rule = rules.find(
				candidate =>
					candidate.family === family &&
					candidate.protocol === binding.protocol &&
					candidate.hostPort === binding.hostPort &&
					candidate.toPort === binding.containerPort &&
					addresses.includes(candidate.toAddress) &&
					(candidate.hostIp === undefined ? anyAddress(binding.hostIp) : candidate.hostIp === binding.hostIp),
			);
			const proxy = proxies.find(
				candidate =>
					candidate.protocol === binding.protocol &&
					candidate.hostPort === binding.hostPort &&
					candidate.containerPort === binding.containerPort &&
					addresses.includes(candidate.containerIp) &&
					(anyAddress(candidate.hostIp) ? anyAddress(binding.hostIp) && familyOf(candidate.hostIp) === family : candidate.hostIp === binding.hostIp),
			);
			const containerIp = rule?.toAddress ?? proxy?.containerIp ?? addresses.find(address => familyOf(address) === family);
			const verdict = judge(binding, rule, proxy, scan, routedNetworkOf(container, family, context.networks), context);
			return {binding, ...(containerIp ? {containerIp} : {}), ...(rule ? {rule} : {}), ...(proxy ? {proxy} : {}), verdict};
		});
}

/** "0.0.0.0:8080 → 172.17.0.2:80/tcp". */
export function portPathText(path: Pick<PortPath, 'binding' | 'containerIp'>): string {
	const {binding} = path;
	const host = familyOf(binding.hostIp) === 6 ? `[${binding.hostIp ?? '::'}]` : binding.hostIp || '0.0.0.0';
	const target = path.containerIp ? (path.containerIp.includes(':') ? `[${path.containerIp}]` : path.containerIp) : 'container';
	return `${host}:${binding.hostPort ?? ''} → ${target}:${binding.containerPort}/${binding.protocol}`;
}

/** Where a rule sits, as the user would look for it. */
export function ruleWhere(rule: NatRule): string {
	if (rule.place.endsWith('DOCKER')) return `DNAT in the DOCKER chain (${rule.place.split(' ')[0] ?? ''})`;
	if (rule.place.endsWith('NETAVARK')) return `DNAT in netavark's ${rule.chain} chain (${rule.place.split(' ')[0] ?? ''})`;
	return `DNAT in nftables table ${rule.place.slice('nft '.length)}, chain ${rule.chain}`;
}

/** The verdict in words, and whether it is a warning. */
export function verdictText(verdict: PortVerdict): {text: string; warn: boolean} {
	switch (verdict.kind) {
		case 'reading': {
			return {text: 'reading NAT rules…', warn: false};
		}

		case 'nat': {
			return {text: ruleWhere(verdict.rule), warn: false};
		}

		case 'routed': {
			return {text: `routed: network ${verdict.networkName} is in gateway mode routed, so the container's own address is reached with no NAT`, warn: false};
		}

		case 'proxy': {
			return {text: `docker-proxy pid ${verdict.proxy.pid} carries it · ${verdict.why}`, warn: false};
		}

		case 'missing': {
			return {text: `no NAT rule found in ${verdict.places.join(' or ')}, and no docker-proxy`, warn: true};
		}

		case 'unknown': {
			return {text: `NAT unknown: ${verdict.reason}`, warn: false};
		}
	}
}
