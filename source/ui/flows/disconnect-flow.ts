import {leaveBlocker} from '../../model/refusals.js';
import {specialNetworkMode} from '../../model/selectors.js';
import {attachmentColumns, containersOfNetwork, disconnectConfirmText, networksOfContainer} from '../presentation/action-dialogs.js';
import {newPicker} from '../state/dialog-state.js';
import {findContainer, findNetwork, goneMeanwhile} from './flow.js';
import type {Flow, FlowContext} from './flow.js';

// d and D: a container leaves a network (D forcibly). The one attachment is confirmed at
// once; several are picked from first.

function openDisconnectConfirm(networkId: string, containerId: string, force: boolean, context: FlowContext): void {
	const {data} = context;
	const network = findNetwork(data, networkId);
	const container = findContainer(data, containerId);
	const blocker = network && container ? leaveBlocker(network, container) : goneMeanwhile;
	if (blocker || !network || !container) {
		context.dialog({type: 'close'});
		context.status('error', blocker ?? goneMeanwhile);
		return;
	}

	const text = disconnectConfirmText(network, container, force, data);
	context.open(serial => ({kind: 'confirm', serial, flow: {type: 'disconnectConfirm', networkId, containerId, force}, ...text}));
}

function disconnect(networkId: string, containerId: string, force: boolean, context: FlowContext): void {
	const {data} = context;
	const names = `${findContainer(data, containerId)?.name ?? 'the container'} from ${findNetwork(data, networkId)?.name ?? 'the network'}`;
	context.run(`${force ? 'Force-disconnecting' : 'Disconnecting'} ${names}…`, async () => context.actions.disconnect({networkId, containerId, force}));
}

export const disconnectFlow: Flow = {
	commands: ['disconnect', 'forceDisconnect'],
	start(command, {ui, panes}, context) {
		const {data, status} = context;
		const force = command === 'forceDisconnect';
		const verb = force ? 'Force-disconnect' : 'Disconnect';
		if (ui.focus === 'containers') {
			const container = findContainer(data, panes.containers.selectedId);
			if (!container) return status('info', 'Select a container first.');
			if (specialNetworkMode(container, data.containers)?.kind === 'container') {
				return status('error', `${container.name} shares another container's network stack: it has no network of its own to leave.`);
			}

			const items = networksOfContainer(container, data);
			if (items.length === 0) return status('info', `${container.name} is on no network.`);
			if (items.length === 1 && items[0]) return openDisconnectConfirm(items[0].id, container.id, force, context);
			context.open(serial => newPicker(serial, {type: 'disconnectPickNetwork', containerId: container.id, force}, `${verb} ${container.name} from which network?`, attachmentColumns, items));
			return;
		}

		const network = findNetwork(data, panes.networks.selectedId);
		if (!network) return status('info', 'Select a network first.');
		const items = containersOfNetwork(network, data);
		if (items.length === 0) return status('info', `No container is on ${network.name}.`);
		if (items.length === 1 && items[0]) return openDisconnectConfirm(network.id, items[0].id, force, context);
		context.open(serial => newPicker(serial, {type: 'disconnectPickContainer', networkId: network.id, force}, `${verb} which container from ${network.name}?`, attachmentColumns, items));
	},
	dialogs: ['disconnectPickNetwork', 'disconnectPickContainer', 'disconnectConfirm'],
	answer(flow, answer, context) {
		if (answer.kind === 'picked' && flow.type === 'disconnectPickNetwork') openDisconnectConfirm(answer.item.id, flow.containerId, flow.force, context);
		else if (answer.kind === 'picked' && flow.type === 'disconnectPickContainer') openDisconnectConfirm(flow.networkId, answer.item.id, flow.force, context);
		else if (answer.kind === 'confirmed' && flow.type === 'disconnectConfirm') disconnect(flow.networkId, flow.containerId, flow.force, context);
	},
	requests: ['disconnect'],
	request(typed, context) {
		if (typed.kind !== 'disconnect') return;
		const network = findNetwork(context.data, typed.networkId);
		const container = findContainer(context.data, typed.containerId);
		const blocker = network && container ? leaveBlocker(network, container) : goneMeanwhile;
		if (blocker) return context.status('error', blocker);
		disconnect(typed.networkId, typed.containerId, typed.force, context);
	},
};
