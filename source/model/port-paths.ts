import type {ForwardingScan, NatRule, ProxyProcess} from './forwarding.js';
import type {DockerContainer, PortBinding} from './types.js';

// Each published port from the host address to the container, joined with the NAT rule and
// the docker-proxy that carry it.

export interface PortPath {
	binding: PortBinding;
	/** The container address the rule forwards to (from the rule, else the container's first). */
	containerIp?: string;
	rule?: NatRule;
	proxy?: ProxyProcess;
}

const anyAddress = (ip: string | undefined): boolean => ip === undefined || ip === '' || ip === '0.0.0.0' || ip === '::';
const familyOf = (ip: string | undefined): 4 | 6 => (ip?.includes(':') ? 6 : 4);

export function portPaths(container: DockerContainer, scan: ForwardingScan | undefined): PortPath[] {
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
			return {binding, ...(containerIp ? {containerIp} : {}), ...(rule ? {rule} : {}), ...(proxy ? {proxy} : {})};
		});
}

/** "0.0.0.0:8080 → 172.17.0.2:80/tcp". */
export function portPathText(path: PortPath): string {
	const {binding} = path;
	const host = familyOf(binding.hostIp) === 6 ? `[${binding.hostIp ?? '::'}]` : binding.hostIp || '0.0.0.0';
	const target = path.containerIp ? (path.containerIp.includes(':') ? `[${path.containerIp}]` : path.containerIp) : 'container';
	return `${host}:${binding.hostPort ?? ''} → ${target}:${binding.containerPort}/${binding.protocol}`;
}
