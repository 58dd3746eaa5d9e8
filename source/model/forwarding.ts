// How a published port reaches its container on the engine's host: the DNAT rule the
// engine's firewall backend wrote (Docker's iptables DOCKER chain or its nftables table
// `docker-bridges`, netavark's NETAVARK chains or its `netavark` table) and the
// docker-proxy process that also listens on the port. Pure types.

/** Where a rule was found: each engine and backend writes its DNAT rules in its own place. */
export type NatPlace =
	| 'iptables DOCKER'
	| 'ip6tables DOCKER'
	| 'iptables NETAVARK'
	| 'ip6tables NETAVARK'
	| 'nft ip docker-bridges'
	| 'nft ip6 docker-bridges'
	| 'nft inet netavark';

export interface NatRule {
	family: 4 | 6;
	protocol: string;
	/** The destination match: the host address the binding is limited to; undefined for any. */
	hostIp?: string;
	hostPort: number;
	toAddress: string;
	toPort: number;
	/** The rule as iptables-save or nft prints it, e.g. "-A DOCKER ! -i docker0 -p tcp … --to-destination 172.17.0.2:80". */
	text: string;
	/** The table or chain it was read from. */
	place: NatPlace;
	/** Its chain (e.g. "DOCKER", "NETAVARK-DN-1D8721804F16F", "nat-prerouting-and-output"). */
	chain: string;
}

export interface ProxyProcess {
	pid: number;
	protocol: string;
	hostIp: string;
	hostPort: number;
	containerIp: string;
	containerPort: number;
}

/** One firewall tool docknet ran, and whether it answered. */
export interface NatSourceRead {
	tool: 'iptables-save' | 'ip6tables-save' | 'nft';
	/** Why it gave nothing (not installed, refused); absent when it answered. */
	problem?: string;
}

/** A reading of the host's firewall: its rules, the proxies, which places exist, what each tool said. */
export interface ForwardingReading {
	status: 'ok';
	rules: NatRule[];
	proxies: ProxyProcess[];
	/** The places that exist on the host (a chain or table present, even if empty). */
	places?: NatPlace[];
	/** The tools run; one that failed leaves its places unknown. */
	sources?: NatSourceRead[];
}

export type ForwardingScan = ForwardingReading | {status: 'unavailable'; reason: string};

/** `containerId` says whose published ports: with several engines open, which host to read. */
export type ForwardingReader = (containerId?: string) => Promise<ForwardingScan>;
