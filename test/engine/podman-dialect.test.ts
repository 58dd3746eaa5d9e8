import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {PodmanDialect, productOf, toPodmanNetworkFacts} from '../../source/engine/podman-dialect.js';
import {isPredefinedNetwork} from '../../source/model/selectors.js';
import type {EngineEvent} from '../../source/model/types.js';
import {endpointOn, fakeContainer, fakeNetwork} from '../helpers/fake-gateway.js';

// Podman's answers, shaped as the Docker API gateway maps them, and what the dialect makes of
// them. The raw shapes are the ones Podman 4.3.1 sends (see test/podman for the real engine).

const DEFAULT_ID = '2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9';

function podmanPicture() {
	const listedDefault = fakeNetwork({id: DEFAULT_ID, name: 'bridge', pools: [{subnet: '10.88.0.0/16', gateway: '10.88.0.1'}]});
	const pnet = fakeNetwork({name: 'pnet2', pools: [{subnet: '10.89.0.0/24', gateway: '10.89.0.1'}]});
	const facts = [
		{id: DEFAULT_ID, name: 'podman', interface: 'podman0'},
		{id: pnet.id, name: 'pnet2', interface: 'podman1'},
	];
	// Podman's endpoints carry the network's name where Docker puts its id.
	const byName = (name: string, ipv4: string) => endpointOn(fakeNetwork({id: name, name}), ipv4);
	const p1 = fakeContainer({name: 'p1', endpoints: [byName('podman', '10.88.0.2'), byName('pnet2', '10.89.0.2')]});
	return {listedDefault, pnet, facts, p1, byName};
}

function event(type: string, action: string, actorId: string, attributes: Record<string, string> = {}): EngineEvent {
	return {type, action, actorId, attributes, time: 1, timeNano: '1000000'};
}

describe('Podman dialect', () => {
	test('the product is read from /version', () => {
		assert.equal(productOf({Components: [{Name: 'Podman Engine', Version: '4.3.1'}], Version: '4.3.1'}), 'Podman');
		assert.equal(productOf({Platform: {Name: ''}, Components: [{Name: 'Engine', Version: '20.10.24'}]}), 'Docker');
		assert.equal(productOf({Platform: {Name: 'Docker Engine - Community'}}), 'Docker');
		assert.equal(productOf(undefined), 'Docker');
	});

	test('Podman network facts: name and bridge interface', () => {
		assert.deepEqual(toPodmanNetworkFacts({id: 'a', name: 'n', network_interface: 'podman3'}), {id: 'a', name: 'n', interface: 'podman3'});
		assert.deepEqual(toPodmanNetworkFacts({id: 'a', name: 'n', network_interface: ''}), {id: 'a', name: 'n'});
		assert.equal(toPodmanNetworkFacts({name: 'n'}), undefined);
	});

	test('the default network keeps its own name, is predefined, and gets its bridge', () => {
		const {listedDefault, pnet, facts} = podmanPicture();
		const dialect = new PodmanDialect();
		const [first, second] = dialect.networks([listedDefault, pnet], facts);
		assert.equal(first?.name, 'podman');
		assert.equal(first?.bridgeName, 'podman0');
		assert.ok(first && isPredefinedNetwork(first));
		assert.equal(second?.name, 'pnet2');
		assert.equal(second?.bridgeName, 'podman1');
		assert.ok(second && !isPredefinedNetwork(second));
	});

	test("the default network's Created stays what it was first (Podman makes a new one per call)", () => {
		const {listedDefault, pnet, facts} = podmanPicture();
		const dialect = new PodmanDialect();
		const [first] = dialect.networks([listedDefault, pnet], facts);
		const [again] = dialect.networks([{...listedDefault, created: '2030-01-01T00:00:00Z'}, pnet], facts);
		assert.equal(again?.created, first?.created);
	});

	test("endpoints name their network's id", () => {
		const {listedDefault, pnet, facts, p1} = podmanPicture();
		const dialect = new PodmanDialect();
		dialect.networks([listedDefault, pnet], facts);
		assert.deepEqual(dialect.unknownNetworks(p1), []);
		const normalised = dialect.container(p1);
		assert.deepEqual(normalised.endpoints.map(endpoint => [endpoint.networkName, endpoint.networkId]), [['podman', DEFAULT_ID], ['pnet2', pnet.id]]);
		// Already normalised: the same object back.
		assert.equal(dialect.container(normalised), normalised);
	});

	test('a network no listing showed yet is reported as unknown', () => {
		const {listedDefault, facts, p1} = podmanPicture();
		const dialect = new PodmanDialect();
		dialect.networks([listedDefault], facts.slice(0, 1));
		assert.deepEqual(dialect.unknownNetworks(p1), ['pnet2']);
	});

	test('connect and disconnect events name the network and the container', () => {
		const {listedDefault, pnet, facts, p1, byName} = podmanPicture();
		const dialect = new PodmanDialect();
		dialect.networks([listedDefault, pnet], facts);
		const onDefault = {...p1, endpoints: p1.endpoints.slice(0, 1)};
		dialect.container(onDefault);
		const connect = event('network', 'connect', p1.id, {name: 'p1', image: '', podId: ''});
		assert.equal(dialect.needsInspect(connect), true);
		// The inspect the gateway then makes shows the new network.
		dialect.container(p1);
		assert.equal(dialect.needsInspect(connect), false);
		assert.deepEqual(dialect.normalise(connect), {...connect, actorId: pnet.id, attributes: {container: p1.id, name: 'pnet2', type: 'bridge'}});

		dialect.container({...p1, endpoints: [byName('pnet2', '10.89.0.2')]});
		const disconnect = event('network', 'disconnect', p1.id, {name: 'p1'});
		const normalised = dialect.normalise(disconnect);
		assert.deepEqual(normalised?.attributes, {container: p1.id, name: 'podman', type: 'bridge'});
		assert.equal(normalised?.actorId, DEFAULT_ID);
		// Each change is claimed once.
		assert.equal(dialect.normalise(disconnect)?.attributes['name'], '?');
	});

	test('a connect nobody saw still names the container; a change unclaimed for 10 s is dropped', () => {
		let now = 0;
		const {listedDefault, pnet, facts, p1} = podmanPicture();
		const dialect = new PodmanDialect(() => now);
		dialect.networks([listedDefault, pnet], facts);
		dialect.container({...p1, endpoints: p1.endpoints.slice(0, 1)});
		dialect.container(p1);
		now = 10_001;
		const connect = event('network', 'connect', p1.id, {name: 'p1'});
		assert.equal(dialect.needsInspect(connect), true);
		assert.deepEqual(dialect.normalise(connect), {...connect, actorId: '', attributes: {container: p1.id, name: '?'}});
	});

	test("Docker's own events pass unchanged; Podman's container remove is Docker's destroy", () => {
		const dialect = new PodmanDialect();
		const docker = event('network', 'connect', 'n1', {container: 'c1', name: 'front', type: 'bridge'});
		assert.equal(dialect.needsInspect(docker), false);
		assert.equal(dialect.normalise(docker), docker);
		assert.equal(dialect.normalise(event('container', 'remove', 'c1', {name: 'p3'}))?.action, 'destroy');
		assert.equal(dialect.normalise(event('container', 'start', 'c1'))?.action, 'start');
	});

	test('Podman 5.4 network events: named from what is known, remove is destroy, never doubled', () => {
		let now = 0;
		const {listedDefault, pnet, facts} = podmanPicture();
		const dialect = new PodmanDialect(() => now);
		dialect.networks([listedDefault, pnet], facts);
		// docknet removed it and announced the destroy itself; then Podman's own event arrives.
		const announced = dialect.normalise(dialect.networkEvent('destroy', {id: pnet.id, name: 'pnet2', driver: 'bridge'}));
		dialect.forgetNetwork(pnet.id);
		assert.equal(announced?.action, 'destroy');
		assert.equal(dialect.normalise(event('network', 'remove', pnet.id, {name: ''})), undefined);
		// A removal by someone else: Podman's event alone, named from the listing.
		const other = new PodmanDialect(() => now);
		other.networks([listedDefault, pnet], facts);
		const removed = other.normalise(event('network', 'remove', pnet.id, {name: ''}));
		assert.deepEqual([removed?.action, removed?.actorId, removed?.attributes['name'], removed?.attributes['type']], ['destroy', pnet.id, 'pnet2', 'bridge']);
		// Podman's create event first, docknet's announcement after: one create.
		const created = event('network', 'create', 'n-new', {name: 'fresh'});
		assert.equal(other.normalise(created)?.attributes['name'], 'fresh');
		assert.equal(other.normalise(other.networkEvent('create', {id: 'n-new', name: 'fresh', driver: 'bridge'})), undefined);
		// The same network made again later is a new event.
		now = 20_000;
		assert.equal(other.normalise(created)?.action, 'create');
	});
});
