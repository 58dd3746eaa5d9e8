import {execFile} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import type {ForwardingReading, ForwardingScan, NatPlace, NatRule, NatSourceRead, ProxyProcess} from '../model/forwarding.js';
import {appendAll} from '../model/large-arrays.js';
import {iptablesPlaces, parseIptablesNat} from './nat-iptables.js';
import {parseNftRuleset} from './nat-nftables.js';

// Published ports on the engine's host: the DNAT rules the engine's firewall backend wrote
// (iptables-save for Docker's DOCKER and netavark's NETAVARK chains, which also reads
// nftables through iptables-nft; nft for the nftables tables of Docker 29 and netavark)
// and the docker-proxy processes of this network namespace. docknet runs where the
// engine's host is (in the playground, inside its namespace), so "here" is the engine's
// view. Needs root. Every tool is tried: which one the engine uses is judged later, from
// its /info, so a tool that is missing only matters where the engine needs it.

export {parseDockerNat, parseIptablesNat} from './nat-iptables.js';
export {parseNftRuleset} from './nat-nftables.js';

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

export type RunTool = (program: string, args: readonly string[]) => Promise<string>;

const runTool: RunTool = async (program, args) =>
	new Promise((resolve, reject) => {
		execFile(program, [...args], {timeout: 3000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error) reject(new Error(stderr.trim() || ((error as NodeJS.ErrnoException).code === 'ENOENT' ? `${program} is not installed` : error.message)));
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

export const NOT_ROOT_NAT = 'docknet is not running as root, so it cannot read the NAT rules (iptables, nftables) that forward published ports';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Reads every firewall tool there is, and what each could not read. */
export async function readNatRules(run: RunTool): Promise<Omit<ForwardingReading, 'status' | 'proxies'> | {problem: string}> {
	const [v4, v6, nft] = await Promise.allSettled([run('iptables-save', ['-t', 'nat']), run('ip6tables-save', ['-t', 'nat']), run('nft', ['list', 'ruleset'])]);
	const rules: NatRule[] = [];
	const places: NatPlace[] = [];
	const sources: NatSourceRead[] = [];
	const take = (tool: NatSourceRead['tool'], result: PromiseSettledResult<string>, read: (output: string) => void): void => {
		if (result.status === 'fulfilled') {
			read(result.value);
			sources.push({tool});
		} else sources.push({tool, problem: messageOf(result.reason)});
	};

	take('iptables-save', v4, output => {
		appendAll(rules, parseIptablesNat(output, 4));
		appendAll(places, iptablesPlaces(output, 4));
	});
	take('ip6tables-save', v6, output => {
		appendAll(rules, parseIptablesNat(output, 6));
		appendAll(places, iptablesPlaces(output, 6));
	});
	take('nft', nft, output => {
		const reading = parseNftRuleset(output);
		appendAll(rules, reading.rules);
		appendAll(places, reading.places);
	});
	if (sources.every(source => source.problem !== undefined)) {
		return {problem: sources.map(source => `${source.tool}: ${source.problem ?? ''}`).join('; ')};
	}

	return {rules, places, sources};
}

export function createForwardingReader(options: {procRoot?: string; isRoot?: () => boolean; run?: RunTool} = {}): () => Promise<ForwardingScan> {
	const procRoot = options.procRoot ?? '/proc';
	const isRoot = options.isRoot ?? (() => process.getuid?.() === 0);
	const run = options.run ?? runTool;
	return async () => {
		if (!isRoot()) return {status: 'unavailable', reason: NOT_ROOT_NAT};
		const read = await readNatRules(run);
		if ('problem' in read) return {status: 'unavailable', reason: `could not read the NAT rules: ${read.problem}`};
		return {status: 'ok', ...read, proxies: readProxies(procRoot)};
	};
}
