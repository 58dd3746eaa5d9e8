import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {describe, test} from 'node:test';
import {joinHostView} from '../../source/host/bridges.js';
import {zeroStats} from '../../source/model/host-source.js';
import {initialHostSnapshot, initialSnapshot} from '../../source/model/store.js';
import type {DockerContainer, DockerNetwork, HostInterface} from '../../source/model/types.js';
import type {CollectedSnapshot} from '../../source/snapshot/collect-snapshot.js';
import {graphId, graphToDot, graphToMermaid, snapshotGraph} from '../../source/snapshot/snapshot-graph.js';
import {endpointOn, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

// `snapshot --dot` and `--mermaid`: every network, container and interface its own node
// whatever the names are, and every label shown as written by Graphviz and by Mermaid's
// entity rules.

const hex6 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 6);

function bridgeOf(network: DockerNetwork, ifindex: number): HostInterface {
	return {name: `br-${network.id.slice(0, 12)}`, ifindex, iflink: ifindex, kind: 'bridge', state: 'up', mtu: 1500, addresses: [], stats: zeroStats()};
}

function collected(networks: DockerNetwork[], containers: DockerContainer[]): CollectedSnapshot {
	const interfaces = networks.map((network, index) => bridgeOf(network, 10 + index));
	const snapshot = {
		...initialSnapshot,
		loaded: true,
		networks,
		containers,
		host: {...initialHostSnapshot, status: 'ok' as const, origin: 'test', interfaces},
	};
	return {snapshot, hostView: joinHostView({interfaces, peers: [], networks, containers}), takenAt: new Date(0)};
}

// The names an earlier version mapped to one id: `prod-db` became `prod_db` plus the hash.
const lookalike = `prod_db_${hex6('prod-db')}`;
const hostile = ['#lt;img src=x onerror=alert(1)#gt;', '&lt;b&gt; &amp; &#92;N', 'back\\slash \\N \\G', 'say "hi" | `tick` 100%', '<br/>two lines'];

const networks = [
	fakeNetwork({id: 'a1'.repeat(32), name: 'prod-db'}),
	fakeNetwork({id: 'b2'.repeat(32), name: lookalike}),
	...hostile.map((name, index) => fakeNetwork({id: String(index + 3).repeat(64), name})),
];
const containers = [
	fakeContainer({id: 'c3'.repeat(32), name: 'prod-db', endpoints: [endpointOn(networks[0] as DockerNetwork, '10.1.0.2')]}),
	fakeContainer({id: 'd4'.repeat(32), name: lookalike, endpoints: [endpointOn(networks[1] as DockerNetwork, '10.2.0.2')]}),
	...hostile.map((name, index) => fakeContainer({id: String(index + 3).repeat(63) + 'e', name, endpoints: [endpointOn(networks[index + 2] as DockerNetwork)]})),
];
const graph = snapshotGraph(collected(networks, containers));

describe('graph ids', () => {
	test('unique by construction: keys that differ give ids that differ, and every id is a plain word', () => {
		const keys = ['prod-db', 'prod_db', lookalike, 'br-27c1', 'br_2d_27c1', 'br_2d_', 'br-', 'prod_db_' + hex6('prod_db'), '', '_', '__', 'ab', 'AB', '6162', '__6162', 'é', 'e\u0301'];
		const ids = keys.map(key => graphId('net', key));
		assert.equal(new Set(ids).size, keys.length, ids.join(' '));
		for (const id of ids) assert.match(id, /^net_[A-Za-z0-9_]*$/);
		assert.notEqual(graphId('if', 'x'), graphId('net', 'x'));
		assert.equal(graphId('if', 'br-27c1'), 'if_br_2d_27c1', 'readable: only the other characters are written as codes');
	});

	test('stable: the same picture gives the same graph, ids from the engine ids', () => {
		assert.deepEqual(snapshotGraph(collected(networks, containers)), graph);
		assert.ok(graph.nodes.some(node => node.id === `net_${'a1'.repeat(32)}`));
		assert.ok(graph.nodes.some(node => node.id === `ctr_${'c3'.repeat(32)}`));
	});

	test('prod-db and its look-alike: two network nodes, each with its own bridge and container', () => {
		const networkNodes = graph.nodes.filter(node => node.kind === 'network');
		assert.equal(networkNodes.length, networks.length);
		assert.equal(graph.nodes.filter(node => node.kind === 'container').length, containers.length);
		assert.equal(graph.nodes.filter(node => node.kind === 'bridge').length, networks.length);
		for (const [index, name] of ['prod-db', lookalike].entries()) {
			const network = networks[index] as DockerNetwork;
			const node = networkNodes.find(item => item.lines[0] === `network ${name}`);
			assert.ok(node, name);
			const bridges = graph.edges.filter(item => item.from === node.id && item.label === 'bridge').map(item => item.to);
			assert.deepEqual(bridges, [graphId('if', `br-${network.id.slice(0, 12)}`)], name);
			const members = graph.edges.filter(item => item.from === node.id && item.to.startsWith('ctr_')).map(item => item.to);
			assert.deepEqual(members, [graphId('ctr', (containers[index] as DockerContainer).id)], name);
		}
	});
});

/** Mermaid's reading of a label: `#123;` and `#name;` are characters, `<br/>` a line break. */
function mermaidReads(label: string): string {
	const named: Record<string, string> = {quot: '"', amp: '&', lt: '<', gt: '>'};
	return label.replaceAll('<br/>', '\n').replace(/#(\w+);/g, (code: string, body: string) => (/^\d+$/.test(body) ? String.fromCodePoint(Number(body)) : (named[body] ?? code)));
}

describe('labels, escaped for each format', () => {
	test('Mermaid: every label reads back as written; no quote, <, |, backquote or bare # left in it', () => {
		const mermaid = graphToMermaid(graph);
		const labels = [...mermaid.matchAll(/"([^"]*)"/g)].map(match => match[1] ?? '');
		for (const name of hostile) {
			assert.ok(labels.some(label => mermaidReads(label).split('\n').includes(name)), `${name} reads back`);
			assert.ok(labels.some(label => mermaidReads(label).split('\n').includes(`network ${name}`)), `network ${name} reads back`);
		}

		for (const label of labels) {
			const bare = label.replaceAll('<br/>', '').replace(/#\d+;/g, '');
			assert.doesNotMatch(bare, /[#<>|`&\\]/, label);
		}
	});

	test('Graphviz: `dot` draws every name as written', () => {
		const svg = execFileSync('dot', ['-Tsvg'], {input: graphToDot(graph), encoding: 'utf8'});
		const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(match =>
			(match[1] ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))).replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
		);
		for (const name of [...hostile, 'prod-db', lookalike]) {
			assert.ok(texts.includes(name), `${name} drawn as written: ${texts.filter(text => text.includes(name.slice(0, 4))).join(' | ')}`);
			assert.ok(texts.includes(`network ${name}`), `network ${name}`);
		}
	});
});
