import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import {CONTRACT_VERSIONS, IDS} from './engine-api-answers.js';
import {startReplayEngine, type ReplayEngine} from './replay-server.js';

// The real gateway against the written answers of every Engine API version from 1.44 to
// 1.55: each newer field is read where the version has it and absent before, and each
// newer request field is sent only to versions that take it.

for (const minor of CONTRACT_VERSIONS) {
	describe(`Engine API 1.${minor} through the gateway`, () => {
		let engine: ReplayEngine;
		let gateway: EngineGateway;
		before(async () => {
			engine = await startReplayEngine(minor);
			gateway = createDockerGateway(resolveEngineEndpoint({hostFlag: `unix://${engine.socketPath}`, env: {}, homeDir: '/nonexistent'}), {timeoutMs: 5000});
		});
		after(async () => engine.close());

		test('info: API version and firewall backend', async () => {
			const info = await gateway.info();
			assert.equal(info.product, 'Docker');
			assert.equal(info.apiVersion, `1.${minor}`);
			assert.equal(info.firewallBackend, minor >= 49 ? 'nftables' : undefined);
		});

		test('networks: IPv6-only, config-only and config-from, /31 pools', async () => {
			const networks = await gateway.listNetworks();
			const byName = new Map(networks.map(item => [item.name, item]));
			assert.equal(byName.get('v6only')?.enableIPv4, minor >= 47 ? false : undefined);
			assert.equal(byName.get('dual')?.enableIPv4, minor >= 47 ? true : undefined);
			assert.equal(byName.get('template')?.configOnly, true);
			assert.equal(byName.get('from-template')?.configFrom, 'template');
			assert.equal(byName.get('from-template')?.configOnly, undefined);
			assert.deepEqual(byName.get('template')?.pools.map(pool => pool.subnet), ['10.230.2.0/31']);
			assert.equal(byName.get('dual')?.options['com.docker.network.bridge.gateway_mode_ipv4'], 'routed');
			// The list has no address counts; the inspect has them from 1.52.
			assert.ok(networks.every(item => item.subnetStatus === undefined));
		});

		test('network inspect: Status.IPAM address use', async () => {
			const dual = await gateway.inspectNetwork(IDS.dual);
			if (minor < 52) {
				assert.equal(dual?.subnetStatus, undefined);
				return;
			}

			assert.deepEqual(dual?.subnetStatus?.map(item => [item.subnet, item.inUse, item.dynamicAvailable]), [
				['10.230.1.0/24', 5n, 251n],
				['fd00:c1::/64', 3n, 18446744073709551616n],
			]);
		});

		test('container inspect: DNSNames, GwPriority and DriverOpts of each endpoint', async () => {
			const container = await gateway.inspectContainer(IDS.container);
			const v6 = container?.endpoints.find(item => item.networkName === 'v6only');
			const dual = container?.endpoints.find(item => item.networkName === 'dual');
			assert.equal(v6?.ipv4, undefined);
			assert.equal(v6?.ipv6, 'fd00:c0::2');
			assert.deepEqual(v6?.dnsNames, ['web', 'e5e5e5e5e5e5']);
			assert.deepEqual(dual?.dnsNames, ['e5e5e5e5e5e5']);
			assert.equal(v6?.gwPriority, minor >= 48 ? 10 : undefined);
			assert.equal(dual?.gwPriority, minor >= 48 ? 0 : undefined);
			assert.deepEqual(v6?.driverOptions, {'com.docker.network.endpoint.ifname': 'v6eth', 'com.docker.network.endpoint.sysctls': 'net.ipv6.conf.IFNAME.accept_ra=2'});
			assert.equal(v6?.mac, '02:42:0a:e6:00:02');
		});

		test('connect sends GwPriority from 1.48 and MacAddress from 1.54, never before', async () => {
			await gateway.connect(IDS.dual, IDS.container, {gwPriority: 5, mac: '02:42:0a:e6:01:09', driverOptions: {'com.docker.network.endpoint.ifname': 'eth7'}});
			const sent = engine.requests.findLast(item => item.path === `/networks/${IDS.dual}/connect`);
			const config = sent?.body?.['EndpointConfig'] as Record<string, unknown> | undefined;
			assert.equal(config?.['GwPriority'], minor >= 48 ? 5 : undefined);
			assert.equal(config?.['MacAddress'], minor >= 54 ? '02:42:0a:e6:01:09' : undefined);
			assert.deepEqual(config?.['DriverOpts'], {'com.docker.network.endpoint.ifname': 'eth7'});
		});

		test('create sends EnableIPv4 from 1.47, never before', async () => {
			const id = await gateway.createNetwork({name: 'v6-new', driver: 'bridge', enableIPv4: false, ipv6Subnet: 'fd00:c9::/64'});
			assert.equal(id, IDS.created);
			const sent = engine.requests.findLast(item => item.path === '/networks/create');
			assert.equal(sent?.body?.['EnableIPv4'], minor >= 47 ? false : undefined);
			assert.equal(sent?.body?.['EnableIPv6'], true);
		});
	});
}
