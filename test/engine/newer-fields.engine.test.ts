import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import {TEST_LABEL, TEST_RUN_ID, TestResources, dockerCli, requireTestEngine, uniqueName} from '../helpers/engine-harness.js';

// The real Docker 20.10 engine (API 1.41) is asked with the fields of later API versions
// filled in: the gateway leaves them out, so the requests succeed and do what 1.41 does,
// and none of the later fields is invented in what docknet reads back. Subnet 10.231.12.0/24.

const resources = new TestResources();
let gateway: EngineGateway;
let container: string;

before(async () => {
	gateway = createDockerGateway(resolveEngineEndpoint({hostFlag: requireTestEngine().dockerHost, env: {}, homeDir: '/nonexistent'}));
	container = uniqueName('newer');
	await resources.runContainer(container);
});

after(() => resources.cleanup());

describe('fields of later API versions on the real 1.41 engine', () => {
	test('the engine says 1.41 and no firewall backend', async () => {
		const info = await gateway.info();
		assert.equal(info.apiVersion, '1.41');
		assert.equal(info.firewallBackend, undefined);
	});

	test('a create with IPv4 off and a connect with a gateway priority and MAC address go through without them', async () => {
		const name = uniqueName('v6try');
		const id = await gateway.createNetwork({name, driver: 'bridge', subnet: '10.231.12.0/24', enableIPv4: false, labels: {[TEST_LABEL]: TEST_RUN_ID}});
		resources.track('network', id);
		const network = await gateway.inspectNetwork(id);
		assert.equal(network?.enableIPv4, undefined);
		assert.deepEqual(network?.pools.map(pool => pool.subnet), ['10.231.12.0/24']);

		const containerId = (await dockerCli(['inspect', '--format', '{{.Id}}', container])).trim();
		await gateway.connect(id, containerId, {gwPriority: 5, mac: '02:42:0a:e7:0c:09', driverOptions: {'com.docker.network.endpoint.sysctls': 'net.ipv4.conf.IFNAME.log_martians=1'}});
		const inspected = await gateway.inspectContainer(containerId);
		const endpoint = inspected?.endpoints.find(item => item.networkId === id);
		assert.ok(endpoint?.ipv4?.startsWith('10.231.12.') === true, JSON.stringify(endpoint));
		if (!endpoint) return;
		assert.equal(endpoint.gwPriority, undefined);
		assert.equal(endpoint.dnsNames, undefined);
		// The MAC address was not sent: the engine picked its own (Docker 20.10 derives it from the address).
		assert.notEqual(endpoint.mac, '02:42:0a:e7:0c:09');
	});
});
