// How a published port reaches its container on the engine's host: the DNAT rule in the
// nat table's DOCKER chain and the docker-proxy process that also listens on the port (for
// traffic from the host itself, and when the engine runs with userland-proxy). Pure types.

export interface NatRule {
	family: 4 | 6;
	protocol: string;
	/** The -d match: the host address the binding is limited to; undefined for any. */
	hostIp?: string;
	hostPort: number;
	toAddress: string;
	toPort: number;
	/** The rule as iptables-save prints it, e.g. "-A DOCKER ! -i docker0 -p tcp … --to-destination 172.17.0.2:80". */
	text: string;
}

export interface ProxyProcess {
	pid: number;
	protocol: string;
	hostIp: string;
	hostPort: number;
	containerIp: string;
	containerPort: number;
}

export type ForwardingScan =
	| {status: 'ok'; rules: NatRule[]; proxies: ProxyProcess[]}
	| {status: 'unavailable'; reason: string};

/** `containerId` says whose published ports: with several engines open, which host to read. */
export type ForwardingReader = (containerId?: string) => Promise<ForwardingScan>;
