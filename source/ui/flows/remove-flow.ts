import {removeBlocker} from '../../model/refusals.js';
import {removeConfirmText} from '../presentation/action-dialogs.js';
import {findNetwork} from './flow.js';
import type {Flow, FlowContext} from './flow.js';

// x: one network removed, after a confirmation naming what goes with it.

function remove(networkId: string, context: FlowContext): void {
	context.run(`Removing network ${findNetwork(context.data, networkId)?.name ?? ''}…`, async () => context.actions.removeNetwork(networkId));
}

export const removeFlow: Flow = {
	commands: ['removeNetwork'],
	start(_command, {panes}, context) {
		const {data, status} = context;
		const network = findNetwork(data, panes.networks.selectedId);
		if (!network) return status('info', 'Select a network first.');
		const blocker = removeBlocker(network, data.containers);
		if (blocker) return status('error', blocker);
		const text = removeConfirmText(network, data);
		context.open(serial => ({kind: 'confirm', serial, flow: {type: 'removeConfirm', networkId: network.id}, ...text}));
	},
	dialogs: ['removeConfirm'],
	answer(flow, answer, context) {
		if (answer.kind === 'confirmed' && flow.type === 'removeConfirm') remove(flow.networkId, context);
	},
	requests: ['remove'],
	request(typed, context) {
		if (typed.kind !== 'remove') return;
		const network = findNetwork(context.data, typed.networkId);
		const blocker = network ? removeBlocker(network, context.data.containers) : 'That network is gone: removed meanwhile.';
		if (blocker) return context.status('error', blocker);
		remove(typed.networkId, context);
	},
};
