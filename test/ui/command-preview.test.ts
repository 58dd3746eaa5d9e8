import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {EngineSlotState} from '../../source/model/store.js';
import {connectFields, disconnectConfirmText, engineFlagsFor, networkFields, removeConfirmText} from '../../source/ui/presentation/action-dialogs.js';
import {formCommand} from '../../source/ui/presentation/command-preview.js';
import {newForm} from '../../source/ui/state/dialog-state.js';
import {FakeGateway} from '../helpers/fake-gateway.js';

// What the forms and confirmations say they will run, with several engines open: the same
// command the log will record, with the docker CLI's flags for the engine it goes to.

const {state} = new FakeGateway();
const network = state.networks.find(item => item.name !== 'bridge' && item.name !== 'host' && item.name !== 'none') ?? state.networks[0];
const container = state.containers[0];
assert.ok(network !== undefined && container !== undefined);

const slot = (key: string, commandFlags: readonly string[]): EngineSlotState => ({key, label: key, endpoint: `unix:///${key}.sock`, commandFlags, connection: {status: 'live', since: 0}, loaded: true});

/** The container on node-b (opened by -H), the network on node-a (opened by its context). */
function data(engines: readonly EngineSlotState[]) {
	return {
		networks: state.networks,
		containers: state.containers,
		engines,
		owners: {
			containers: new Map([[container!.id, 'node-b']]),
			networks: new Map([[network!.id, 'node-a']]),
			labels: new Map([['node-a', 'node-a'], ['node-b', 'node-b']]),
		},
	};
}

const several = data([slot('node-a', ['--context', 'node-a']), slot('node-b', ['-H', 'ssh://me@node-b'])]);
const one = data([slot('node-a', ['--context', 'node-a'])]);

describe('previewed commands name their engine', () => {
	test('a command about a container goes to its engine; one about a network to the network\'s', () => {
		assert.deepEqual(engineFlagsFor(several, {containerId: container.id}), ['-H', 'ssh://me@node-b']);
		assert.deepEqual(engineFlagsFor(several, {networkId: network.id}), ['--context', 'node-a']);
		assert.match(disconnectConfirmText(network, container, false, several).lines.at(-1) ?? '', /^Runs: docker -H ssh:\/\/me@node-b network disconnect -- /);
		assert.match(removeConfirmText(network, several).lines.at(-1) ?? '', /^Runs: docker --context node-a network rm -- /);
	});

	test('the connect and create forms show the flags they were opened with', () => {
		const connect = newForm(1, {type: 'connectOptions', networkId: network.id, containerId: container.id, networkName: network.name, networkInCommand: 'on18', containerName: 'ct-b', engineFlags: engineFlagsFor(several, {containerId: container.id})}, 'Connect', connectFields(network));
		assert.equal(formCommand(connect), 'docker -H ssh://me@node-b network connect -- on18 ct-b');
		const create = newForm(2, {type: 'createNetwork', engine: 'node-a', engineLabel: 'node-a', engineFlags: ['--context', 'node-a']}, 'Create', networkFields(undefined));
		assert.match(formCommand(create) ?? '', /^docker --context node-a network create -- /);
	});

	test('with one engine open, commands go where the user\'s shell sends them: no flags', () => {
		assert.deepEqual(engineFlagsFor(one, {networkId: network.id}), []);
		assert.match(removeConfirmText(network, one).lines.at(-1) ?? '', /^Runs: docker network rm -- /);
	});
});
