import {execFile} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import type {ForwardingScan, NatRule, ProxyProcess} from '../model/forwarding.js';

// Published ports on the engine's host: the DNAT rules of the nat table's DOCKER chain
// (`iptables-save -t nat`, which also reads nftables through iptables-nft), and the
// docker-proxy processes of this network namespace. docknet runs where the engine's host is
// (in the playground, inside its namespace), so "here" is the engine's view. Needs root.

/** Parses the DNAT rules of the DOCKER chain out of `iptables-save -t nat` output. */
export function parseDockerNat(output: string, family: 4 | 6): NatRule[] {
	const rules: NatRule[] = [];
	for (const line of output.split('\n')) {
		if (!line.startsWith('-A DOCKER ') || !line.includes('-j DNAT')) continue;
		const words = line.trim().split(/\s+/);
		const after = (flag: string): string | undefined => {
			const index = words.indexOf(flag);
			return index >= 0 ? words[index + 1] : undefined;
		};

		const protocol = after('-p');
		const hostPort = Number(after('--dport'));
		const target = after('--to-destination');
		if (!protocol || !Number.isInteger(hostPort) || !target) continue;
		// 172.17.0.2:80 or [fd00::2]:80
		const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
		if (!match?.[1] || !match[2]) continue;
		const destination = after('-d')?.replace(/\/(32|128)$/, '');
		rules.push({family, protocol, ...(destination ? {hostIp: destination} : {}), hostPort, toAddress: match[1], toPort: Number(match[2]), text: line.trim()});
	}

	return rules;
}

/** The arguments of a docker-proxy command line (NUL-separated, as /proc/<pid>/cmdline). */
export function parseProxyCommandLine(pid: number, cmdline: string): ProxyProcess | undefined {
	const args = cmdline.split('\0');
	if (!(args[0] ?? '').endsWith('docker-proxy')) return undefined;
	const value = (flag: string): string | undefined => {
		const index = args.indexOf(flag);
		return index >= 0 ? args[index + 1] : undefined;
	};

	const hostPort = Number(value('-host-port'));
	const containerPort = Number(value('-container-port'));
	const protocol = value('-proto');
	const hostIp = value('-host-ip');
	const containerIp = value('-container-ip');
	if (!protocol || !hostIp || !containerIp || !Number.isInteger(hostPort) || !Number.isInteger(containerPort)) return undefined;
	return {pid, protocol, hostIp, hostPort, containerIp, containerPort};
}

const run = (program: string, args: readonly string[]): Promise<string> =>
	new Promise((resolve, reject) => {
		execFile(program, [...args], {timeout: 3000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error) reject(new Error(stderr.trim() || error.message));
			else resolve(stdout);
		});
	});

/** docker-proxy processes that run in this process's network namespace (the engine's). */
function readProxies(procRoot: string): ProxyProcess[] {
	const here = readlinkSync(`${procRoot}/self/ns/net`);
	const proxies: ProxyProcess[] = [];
	for (const entry of readdirSync(procRoot)) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmdline = readFileSync(`${procRoot}/${entry}/cmdline`, 'utf8');
			if (!cmdline.includes('docker-proxy')) continue;
			// Another engine on the same machine may forward the same port to the same address.
			if (readlinkSync(`${procRoot}/${entry}/ns/net`) !== here) continue;
			const proxy = parseProxyCommandLine(Number(entry), cmdline);
			if (proxy) proxies.push(proxy);
		} catch {
			// The process ended meanwhile.
		}
	}

	return proxies;
}

export const NOT_ROOT_NAT = 'docknet is not running as root, so it cannot read the NAT rules (iptables) that forward published ports';

export function createForwardingReader(options: {procRoot?: string; isRoot?: () => boolean} = {}): () => Promise<ForwardingScan> {
	const procRoot = options.procRoot ?? '/proc';
	const isRoot = options.isRoot ?? (() => process.getuid?.() === 0);
	return async () => {
		if (!isRoot()) return {status: 'unavailable', reason: NOT_ROOT_NAT};
		try {
			const [v4, v6] = await Promise.all([run('iptables-save', ['-t', 'nat']), run('ip6tables-save', ['-t', 'nat']).catch(() => '')]);
			return {status: 'ok', rules: [...parseDockerNat(v4, 4), ...parseDockerNat(v6, 6)], proxies: readProxies(procRoot)};
		} catch (error) {
			return {status: 'unavailable', reason: `could not read the NAT rules: ${error instanceof Error ? error.message : String(error)}`};
		}
	};
}
