import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {dockerCli, requireTestEngine, TEST_RUN_ID, TestResources, uniqueName} from '../helpers/engine-harness.js';
import {runProcess} from '../helpers/run-process.js';
import type {ProcessResult} from '../helpers/run-process.js';

// The walkthrough's questions answered by `docknet snapshot` (run inside the engine's
// namespace, as docknet runs where the engine's host is): drivers, published ports with
// their NAT rule, a host veth pair's peer, a macvlan network's parent, and the picture as
// Graphviz and Mermaid.

const engine = requireTestEngine();
const bundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/docknet.js');
const resources = new TestResources();
// Interface names have at most 15 characters.
const pairA = `p${TEST_RUN_ID}a`.slice(0, 15);
const pairB = `p${TEST_RUN_ID}b`.slice(0, 15);

const run = async (program: string, args: string[], input?: string): Promise<ProcessResult> => runProcess(program, args, {timeoutMs: 60_000, ...(input === undefined ? {} : {input})});

async function snapshot(flag: string): Promise<string> {
	const result = await run('ip', ['netns', 'exec', engine.netns, process.execPath, bundle, 'snapshot', flag, '--host', engine.dockerHost]);
	assert.equal(result.code, 0, result.stderr);
	return result.stdout;
}

interface Json {
	engine: {drivers: string[]};
	networks: Array<{name: string; driver: string}>;
	containers: Array<{
		name: string;
		published: Array<{hostIp: string | null; hostPort: number | null; protocol: string; containerIp: string | null; containerPort: number; nat: string | null; proxyPid: number | null}>;
		inside: {status: string; interfaces?: Array<{name: string}>} | null;
	}>;
	interfaces: {items: Array<{name: string; kind: string; localPeer: string | null; parentOf: Array<{network: string}>; peer: {container: string} | null}>};
}

const web = uniqueName('web');
const lan = uniqueName('lan');
let json: Json;
let dot: string;
let mermaid: string;

before(async () => {
	await run('ip', ['-n', engine.netns, 'link', 'add', pairA, 'type', 'veth', 'peer', 'name', pairB]);
	await resources.createNetwork(lan, ['-d', 'macvlan', '-o', `parent=${pairA}`, '--subnet', '10.214.5.0/24']);
	await resources.runContainer(web, {args: ['-p', '127.0.0.1:18080:80', '-p', '18081:81/udp']});
	await resources.runContainer(uniqueName('side'), {network: `container:${web}`});
	await resources.runContainer(uniqueName('none'), {network: 'none'});
	json = JSON.parse(await snapshot('--json')) as Json;
	dot = await snapshot('--dot');
	mermaid = await snapshot('--mermaid');
});

after(async () => {
	await resources.cleanup();
	await run('ip', ['-n', engine.netns, 'link', 'del', pairA]);
});

describe('the walkthrough, answered', () => {
	test('drivers: those of `docker info`', async () => {
		assert.deepEqual(json.engine.drivers, JSON.parse(await dockerCli(['info', '-f', '{{json .Plugins.Network}}'])) as string[]);
	});

	test('a published port shows its NAT rule, end to end', async () => {
		const ip = await dockerCli(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', web]);
		const container = json.containers.find(item => item.name === web);
		const tcp = container?.published.find(item => item.protocol === 'tcp');
		assert.equal(tcp?.hostIp, '127.0.0.1');
		assert.equal(tcp?.containerIp, ip);
		assert.match(tcp?.nat ?? '', new RegExp(`^-A DOCKER -d 127\\.0\\.0\\.1/32 .*-p tcp .*--dport 18080 -j DNAT --to-destination ${ip.replaceAll('.', '\\.')}:80$`));
		const udp = container?.published.filter(item => item.protocol === 'udp' && item.hostIp === '0.0.0.0');
		assert.match(udp?.[0]?.nat ?? '', /--dport 18081 -j DNAT/);
		assert.ok(container?.inside?.status === 'ok' && container.inside.interfaces?.some(item => item.name === 'lo'), 'the inside view is in the JSON');
	});

	test("a host veth pair shows its peer; a macvlan network's parent is marked", () => {
		const a = json.interfaces.items.find(item => item.name === pairA);
		const b = json.interfaces.items.find(item => item.name === pairB);
		assert.equal(a?.localPeer, pairB);
		assert.equal(b?.localPeer, pairA);
		assert.deepEqual(a?.parentOf.map(item => item.network), [lan]);
	});

	test('--dot: Graphviz draws it, with every bridge, veth and container', async () => {
		const svg = await run('dot', ['-Tsvg'], dot);
		assert.equal(svg.code, 0, svg.stderr);
		assert.match(svg.stdout, /<svg/);
		const expected = [
			...json.interfaces.items.filter(item => item.kind === 'bridge' || (item.kind === 'veth' && item.peer)).map(item => item.name),
			...json.containers.map(item => item.name),
		];
		assert.ok(expected.includes('docker0'));
		for (const name of expected) assert.ok(dot.includes(`"${name}\\n`) || dot.includes(`"${name}"`), `${name} in the graph`);
	});

	test('--mermaid: a flowchart whose every line is a node or a link between defined nodes', () => {
		const [first, ...lines] = mermaid.trimEnd().split('\n');
		assert.equal(first, 'flowchart LR');
		const defined = new Set<string>();
		const links: Array<[string, string]> = [];
		for (const line of lines) {
			const node = /^ {2}([A-Za-z0-9_]+)(\[\[|\(\[|\[\/|\[|\()"[^"]*"(\]\]|\]\)|\/\]|\]|\))$/.exec(line);
			const link = /^ {2}([A-Za-z0-9_]+) (---|-\.-)(\|"[^"]*"\|)? ([A-Za-z0-9_]+)$/.exec(line);
			assert.ok(node ?? link, `not a flowchart line: ${line}`);
			if (node?.[1]) defined.add(node[1]);
			if (link?.[1] && link[4]) links.push([link[1], link[4]]);
		}

		for (const [from, to] of links) assert.ok(defined.has(from) && defined.has(to), `${from} --- ${to}`);
		for (const container of json.containers) assert.ok(mermaid.includes(`"${container.name}<br/>`), container.name);
	});
});
