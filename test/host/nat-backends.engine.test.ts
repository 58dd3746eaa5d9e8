import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createForwardingReader} from '../../source/host/port-forwarding.js';
import type {ForwardingScan} from '../../source/model/forwarding.js';
import {portPaths, verdictText} from '../../source/model/port-paths.js';
import type {DockerContainer, DockerNetwork} from '../../source/model/types.js';
import {runProcess} from '../helpers/run-process.js';
import {requireTestEngine, TEST_RUN_ID, TestResources, uniqueName} from '../helpers/engine-harness.js';

// NAT outside the DOCKER chain of iptables. Docker 29 cannot be installed here, so its
// nftables backend is tested with a real kernel ruleset loaded into a namespace of the
// test's own, written as Docker 29 writes it (its published table layout: `ip docker-bridges`
// and `ip6 docker-bridges`, DNAT in the chain nat-prerouting-and-output), read back through
// the real `nft`. The real Docker 20.10 engine then shows that a `[::]` binding served by
// docker-proxy, with no IPv6 NAT rules at all, is said to be carried by the proxy, not
// called unforwarded.

const namespace = `dn-nft-${TEST_RUN_ID}`.slice(0, 30);

// Two networks, one in routed gateway mode (no DNAT, only a filter rule opening the port).
const dockerNftRuleset = `
table ip docker-bridges {
	map filter-forward-in-jumps {
		type ifname : verdict
		elements = { "docker0" : jump filter-forward-in__docker0,
			     "br-web" : jump filter-forward-in__br-web }
	}
	chain nat-PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter jump nat-prerouting-and-output
	}
	chain nat-OUTPUT {
		type nat hook output priority -100; policy accept;
		ip daddr != 127.0.0.0/8 fib daddr type local counter jump nat-prerouting-and-output
	}
	chain nat-prerouting-and-output {
		iifname != "br-web" tcp dport 18100 counter dnat to 198.51.100.2:80 comment "DNAT"
		ip daddr 127.0.0.1 iifname != "br-web" udp dport 18101 counter dnat to 198.51.100.2:53 comment "DNAT"
	}
	chain filter-forward-in__docker0 {
		ct state established,related counter accept
		counter drop comment "UNPUBLISHED PORT DROP"
	}
	chain filter-forward-in__br-web {
		ct state established,related counter accept
		ip daddr 198.51.100.2 tcp dport 80 counter accept
		ip daddr 203.0.113.2 tcp dport 8080 counter accept
		counter drop comment "UNPUBLISHED PORT DROP"
	}
}
table ip6 docker-bridges {
	chain nat-PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter jump nat-prerouting-and-output
	}
	chain nat-prerouting-and-output {
		iifname != "br-web" tcp dport 18100 counter dnat to [2001:db8:1::2]:80 comment "DNAT"
	}
}
`;

const dockerNetwork = (id: string, name: string, options: Record<string, string> = {}): DockerNetwork => ({
	id, name, driver: 'bridge', scope: 'local', internal: false, attachable: false, ingress: false, enableIPv6: true,
	ipamDriver: 'default', pools: [], options, labels: {}, created: '',
});

const web = {
	id: 'c-web', name: 'web', image: 'x', state: 'running', status: 'Up', created: 0, networkMode: 'web', labels: {}, inspected: true,
	endpoints: [{networkName: 'web', networkId: 'n-web', endpointId: 'e1', ipv4: '198.51.100.2', ipv6: '2001:db8:1::2', aliases: [], links: []}],
	ports: [
		{containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 18100},
		{containerPort: 80, protocol: 'tcp', hostIp: '::', hostPort: 18100},
		{containerPort: 53, protocol: 'udp', hostIp: '127.0.0.1', hostPort: 18101},
		{containerPort: 81, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 18102},
	],
} as DockerContainer;

const routedApp = {
	...web, id: 'c-app', name: 'app',
	endpoints: [{networkName: 'routed', networkId: 'n-routed', endpointId: 'e2', ipv4: '203.0.113.2', aliases: [], links: []}],
	ports: [{containerPort: 8080, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080}],
} as DockerContainer;

const networks = [dockerNetwork('n-web', 'web'), dockerNetwork('n-routed', 'routed', {'com.docker.network.bridge.gateway_mode_ipv4': 'routed'})];

const inNamespace = async (program: string, args: readonly string[]): Promise<string> => {
	const result = await runProcess('ip', ['netns', 'exec', namespace, program, ...args], {timeoutMs: 10_000});
	if (result.code !== 0) throw new Error(result.stderr.trim() || `${program} exited ${result.code}`);
	return result.stdout;
};

let scan: ForwardingScan;

describe('NAT in the nftables tables of Docker 29, loaded into a real kernel', () => {
	before(async () => {
		await runProcess('ip', ['netns', 'add', namespace]);
		const loaded = await runProcess('ip', ['netns', 'exec', namespace, 'sh', '-c', `nft -f - <<'EOF'\n${dockerNftRuleset}\nEOF`]);
		assert.equal(loaded.code, 0, loaded.stderr);
		scan = await createForwardingReader({run: inNamespace, isRoot: () => true, procRoot: '/proc'})();
	});

	after(async () => {
		await runProcess('ip', ['netns', 'delete', namespace]);
	});

	test('the rules come back from nft with their table, chain, addresses and ports', () => {
		assert.equal(scan.status, 'ok');
		if (scan.status !== 'ok') return;
		assert.deepEqual(
			scan.rules.map(rule => [rule.place, rule.chain, rule.family, rule.protocol, rule.hostIp, rule.hostPort, rule.toAddress, rule.toPort]),
			[
				['nft ip docker-bridges', 'nat-prerouting-and-output', 4, 'tcp', undefined, 18100, '198.51.100.2', 80],
				['nft ip docker-bridges', 'nat-prerouting-and-output', 4, 'udp', '127.0.0.1', 18101, '198.51.100.2', 53],
				['nft ip6 docker-bridges', 'nat-prerouting-and-output', 6, 'tcp', undefined, 18100, '2001:db8:1::2', 80],
			],
		);
		assert.deepEqual([...(scan.places ?? [])].sort(), ['nft ip docker-bridges', 'nft ip6 docker-bridges']);
		// The namespace has no iptables chains of the engine's: iptables-save answered with none.
		assert.ok(scan.sources?.some(source => source.tool === 'iptables-save' && source.problem === undefined));
	});

	test('judged by FirewallBackend nftables: rules found, a missing one called missing, routed shown as routed', () => {
		const engine = {product: 'Docker' as const, firewallBackend: 'nftables'};
		const paths = portPaths(web, scan, {engine, networks});
		assert.deepEqual(paths.map(item => item.verdict.kind), ['nat', 'nat', 'nat', 'missing']);
		assert.match(verdictText(paths[0]!.verdict).text, /nftables table ip docker-bridges, chain nat-prerouting-and-output/);
		assert.equal(verdictText(paths[3]!.verdict).warn, true);
		const routed = portPaths(routedApp, scan, {engine, networks});
		assert.deepEqual(routed.map(item => item.verdict.kind), ['routed']);
		assert.match(verdictText(routed[0]!.verdict).text, /^routed: network routed is in gateway mode routed/);
	});

	test('judged by FirewallBackend iptables, where the engine has no chain: unknown, never a false warning', () => {
		const paths = portPaths(web, scan, {engine: {product: 'Docker', firewallBackend: 'iptables'}, networks});
		// Rules for the bindings are still found wherever they are; the one without says why it cannot tell.
		assert.equal(paths[3]?.verdict.kind, 'unknown');
		assert.match(verdictText(paths[3]!.verdict).text, /no iptables DOCKER on this host, so docknet cannot tell/);
		assert.ok(paths.every(item => !verdictText(item.verdict).warn));
	});
});

describe('the real Docker 20.10 engine: a [::] binding served by docker-proxy', () => {
	const engine = requireTestEngine();
	const bundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/docknet.js');
	const resources = new TestResources();
	const name = uniqueName('dual');
	before(async () => {
		await resources.runContainer(name, {args: ['-p', '18110:80']});
	});
	after(() => resources.cleanup());

	test('the IPv4 binding has its DNAT rule; the IPv6 one is carried by docker-proxy, not called unforwarded', async () => {
		const result = await runProcess('ip', ['netns', 'exec', engine.netns, process.execPath, bundle, 'snapshot', '--json', '--host', engine.dockerHost]);
		assert.equal(result.code, 0, result.stderr);
		const shot = JSON.parse(result.stdout) as {containers: Array<{name: string; published: Array<{hostIp: string | null; forwarded: string; natPlace: string | null; proxyPid: number | null}>}>};
		const published = shot.containers.find(item => item.name === name)?.published ?? [];
		const v4 = published.find(item => item.hostIp === '0.0.0.0');
		const v6 = published.find(item => item.hostIp === '::');
		assert.equal(v4?.forwarded, 'nat');
		assert.equal(v4?.natPlace, 'iptables DOCKER');
		assert.ok(v6, JSON.stringify(published));
		assert.equal(v6.forwarded, 'proxy');
		assert.ok(v6.proxyPid !== null && v6.proxyPid > 0);
	});
});
