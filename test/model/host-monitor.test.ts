import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {HostMonitor} from '../../source/model/host-monitor.js';
import {SnapshotStore} from '../../source/model/store.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import {FakeGateway} from '../helpers/fake-gateway.js';
import {FakeHostSource} from '../helpers/fake-host-source.js';
import {useFakeClock} from '../helpers/fake-clock.js';
import {waitFor} from '../helpers/wait-for.js';

const stops: Array<() => void> = [];
afterEach(() => {
	for (const stop of stops.splice(0)) stop();
});

async function setup(options: {sustainedRescanMs?: number; now?: () => number} = {}) {
	const gateway = new FakeGateway();
	// Notifications on the next turn, not spaced: the idle test counts them.
	const store = new SnapshotStore(undefined, 0);
	const sync = new EngineSync(gateway, store);
	const bridge = gateway.network('bridge');
	const source = new FakeHostSource(() => gateway.state.containers, {[bridge.id]: 'docker0'});
	let clock = 1_000_000;
	const monitor = new HostMonitor(source, store, {rateIntervalMs: 10, rescanDelayMs: 1, now: () => clock, ...options});
	stops.push(() => sync.stop(), () => monitor.stop());
	sync.start();
	monitor.start();
	await sync.firstLoad;
	await waitFor(() => {
		const {host} = store.getSnapshot();
		return host.peers.status === 'ok' && host.peers.peers.length === 2;
	}, 'the first scan with the veths of ctn1 and ctn2 on docker0');
	return {gateway, store, source, monitor, advance: (ms: number) => (clock += ms)};
}

describe('HostMonitor', () => {
	test('veths come and go with the containers, without a key', async () => {
		const {gateway, store} = await setup();
		gateway.runContainer('fresh');
		await waitFor(() => store.getSnapshot().host.interfaces.some(item => item.name === 'vethfresh0'), 'the new veth');
		const peers = store.getSnapshot().host.peers;
		assert.ok(peers.status === 'ok' && peers.peers.some(peer => peer.containerName === 'fresh'));
		gateway.removeContainer('fresh');
		await waitFor(() => !store.getSnapshot().host.interfaces.some(item => item.name === 'vethfresh0'), 'the veth gone');
	});

	test('a storm of starts is rescanned at a bounded rate, and the last scan sees it all', async () => {
		// The monitor's clock (and so its rescan budget) is the fake one: the count is exact.
		const {gateway, store, source} = await setup({sustainedRescanMs: 150, now: () => Date.now()});
		const clock = useFakeClock(Date.now());
		stops.push(() => clock.restore());
		let scans = 0;
		const original = source.scan.bind(source);
		source.scan = async () => {
			scans++;
			return original();
		};

		const started = Date.now();
		for (let index = 0; index < 10; index++) {
			gateway.runContainer(`storm${index}`);
			await clock.advance(20);
		}

		await clock.advanceUntil(() => store.getSnapshot().host.interfaces.some(item => item.name === 'vethstorm90'), 'the last veth');
		const elapsed = Date.now() - started;
		// The first scan spent one of the two at once: one more at once, then one per 150 ms of
		// the storm's 200 ms, and the one that sees the last start.
		assert.ok(scans >= 2, `a scan during the storm, not only after it (${scans})`);
		assert.ok(scans <= 2 + Math.ceil(elapsed / 150), `${scans} scans in ${elapsed} ms`);
		assert.ok(scans < 10, `${scans} scans`);
	});

	test('a new container costs a look inside that container only', async () => {
		const {gateway, store, source} = await setup();
		const looked: string[][] = [];
		const original = source.findVethPeers.bind(source);
		source.findVethPeers = async containers => {
			looked.push(containers.map(container => container.name));
			return original(containers);
		};

		gateway.runContainer('fresh');
		await waitFor(() => store.getSnapshot().host.interfaces.some(item => item.name === 'vethfresh0'), 'the new veth');
		await waitFor(() => {
			const peers = store.getSnapshot().host.peers;
			return peers.status === 'ok' && peers.peers.some(peer => peer.containerName === 'fresh');
		}, 'its peer');
		assert.deepEqual(looked.flat(), ['fresh']);
		const peers = store.getSnapshot().host.peers;
		assert.ok(peers.status === 'ok' && peers.peers.some(peer => peer.containerName === 'ctn1'), 'cached peers are kept');
	});

	test('only the interfaces on screen are measured', async () => {
		const {store, monitor} = await setup();
		monitor.setRatesActive(true, ['eth0', 'docker0']);
		await waitFor(() => store.getSnapshot().host.rates.has('eth0'), 'a rate for eth0');
		assert.deepEqual([...store.getSnapshot().host.rates.keys()].sort(), ['docker0', 'eth0']);
		monitor.setRatesActive(true, ['lo']);
		await waitFor(() => store.getSnapshot().host.rates.has('lo'), 'the newly visible lo measured at once');
		assert.deepEqual([...store.getSnapshot().host.rates.keys()], ['lo']);
		monitor.setRatesActive(false);
	});

	test('rates move when the counters move, only while active, and idle counters write nothing', async () => {
		const {store, source, monitor, advance} = await setup();
		let updates = 0;
		let lastHost = store.getSnapshot().host;
		store.subscribe(() => {
			if (store.getSnapshot().host !== lastHost) updates++;
			lastHost = store.getSnapshot().host;
		});
		monitor.setRatesActive(true);
		await waitFor(() => store.getSnapshot().host.rates.has('eth0'), 'a first rate sample');
		const zero = {rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0};
		advance(1000);
		source.counters.set('eth0', {...zero, rxBytes: 5000, rxPackets: 10});
		await waitFor(() => (store.getSnapshot().host.rates.get('eth0')?.rxBytesPerSecond ?? 0) > 0, 'the rate to move');
		assert.equal(store.getSnapshot().host.rates.get('eth0')?.rxPacketsPerSecond, 10);
		// Counters stand still: rates drop to zero once, then nothing changes any more.
		advance(1000);
		await waitFor(() => store.getSnapshot().host.rates.get('eth0')?.rxBytesPerSecond === 0, 'the rate back to zero');
		// The store notifies one turn after it changed: let that notification land first.
		await new Promise(resolve => setImmediate(resolve));
		const settled = updates;
		// Six rate ticks of fake time, each proven by a counter read, and not one update.
		const clock = useFakeClock(Date.now());
		stops.push(() => clock.restore());
		let reads = 0;
		const readStats = source.readStats.bind(source);
		source.readStats = async names => {
			reads++;
			return readStats(names);
		};

		monitor.setRatesActive(false);
		monitor.setRatesActive(true);
		await clock.advance(60);
		assert.equal(reads, 6, 'the counters were read on every tick');
		assert.equal(updates, settled, 'no host update while nothing changes');
		monitor.setRatesActive(false);
	});
});
