import {connectBlocker, networkJoinBlocker} from '../../model/refusals.js';
import {onSameEngine} from '../../model/picture.js';
import type {DockerContainer, DockerNetwork} from '../../model/types.js';
import {validateConnect} from '../../model/validation.js';
import {
	connectFields,
	connectFormText,
	connectInputOf,
	containerPickerColumns,
	containersToJoin,
	engineFlagsFor,
	networkAsLogged,
	networkPickerColumns,
	networksToJoin,
} from '../presentation/action-dialogs.js';
import {newForm, newPicker} from '../state/dialog-state.js';
import {filledIn} from '../hooks/form-problems.js';
import {findContainer, findNetwork, goneMeanwhile} from './flow.js';
import type {Flow, FlowContext, FlowData} from './flow.js';

// c: a container joins a network. From a container, pick the network; from a network, pick
// the container; then the options form, checked before it is sent.

/** The options form; `values` fills it in (a `:connect` names them), whatever fields it has. */
function openConnectForm(network: DockerNetwork, container: DockerContainer, data: FlowData, context: FlowContext, values?: object): void {
	const text = connectFormText(network, container, data);
	const flow = {type: 'connectOptions', networkId: network.id, containerId: container.id, networkName: network.name, networkInCommand: networkAsLogged(network, data), containerName: container.name, engineFlags: engineFlagsFor(data, {containerId: container.id})} as const;
	context.open(serial => newForm(serial, flow, text.title, filledIn(connectFields(network, data.engine?.apiVersion), values), {subtitle: text.subtitle, footnote: text.footnote}));
}

export const connectFlow: Flow = {
	commands: ['connect'],
	start(_command, {ui, panes}, context) {
		const {data, status} = context;
		if (ui.focus === 'containers') {
			const container = findContainer(data, panes.containers.selectedId);
			if (!container) return status('info', 'Select a container first.');
			const blocker = connectBlocker(container, data.containers);
			if (blocker) return status('error', blocker);
			const {items, note} = networksToJoin(container, data);
			if (items.length === 0) return status('info', `${container.name} is on every network it can join already.`);
			context.open(serial => newPicker(serial, {type: 'connectPickNetwork', containerId: container.id}, `Connect ${container.name} to which network?`, networkPickerColumns, items, note));
			return;
		}

		const network = findNetwork(data, panes.networks.selectedId);
		if (!network) return status('info', 'Select a network first.');
		const blocker = networkJoinBlocker(network);
		if (blocker) return status('error', blocker);
		const items = containersToJoin(network, data);
		if (items.length === 0) return status('info', `Every container is on ${network.name} already.`);
		context.open(serial => newPicker(serial, {type: 'connectPickContainer', networkId: network.id}, `Connect which container to ${network.name}?`, containerPickerColumns, items));
	},
	dialogs: ['connectPickNetwork', 'connectPickContainer', 'connectOptions'],
	answer(flow, answer, context) {
		const {data} = context;
		if (answer.kind === 'picked' && (flow.type === 'connectPickNetwork' || flow.type === 'connectPickContainer')) {
			const {item} = answer;
			const network = findNetwork(data, flow.type === 'connectPickNetwork' ? item.id : flow.networkId);
			const container = findContainer(data, flow.type === 'connectPickNetwork' ? flow.containerId : item.id);
			if (!network || !container) {
				context.dialog({type: 'pickerError', text: `${item.cells[0] ?? 'It'} is gone: removed meanwhile.`});
				return;
			}

			const blocker = connectBlocker(container, data.containers) ?? networkJoinBlocker(network);
			if (blocker) {
				context.dialog({type: 'pickerError', text: blocker});
				return;
			}

			openConnectForm(network, container, data, context);
			return;
		}

		if (answer.kind !== 'form' || flow.type !== 'connectOptions') return;
		const network = findNetwork(data, flow.networkId);
		const container = findContainer(data, flow.containerId);
		if (!network || !container) {
			const gone = network ? `container ${flow.containerName}` : `network ${flow.networkName}`;
			context.dialog({type: 'problems', errors: {}, warnings: {}, formError: `${gone} is gone: it was removed meanwhile. Esc closes this form.`});
			return;
		}

		const checked = validateConnect(connectInputOf(answer.form), {network, container, containers: data.containers});
		context.sendForm(answer.form, checked, `Connecting ${container.name} to ${network.name}…`, async options =>
			context.actions.connect({networkId: network.id, containerId: container.id, options}),
		);
	},
	requests: ['connect'],
	request(typed, context) {
		if (typed.kind !== 'connect') return;
		const {data, status} = context;
		const network = findNetwork(data, typed.networkId);
		const container = findContainer(data, typed.containerId);
		if (!network || !container) return status('error', goneMeanwhile);
		// The pickers offer only what the container's own engine has; a typed name may be another's.
		const elsewhere = onSameEngine(data, network, container.id) ? undefined : `${network.name} is on another engine than ${container.name}: a container joins its own engine's networks and swarm overlays`;
		const blocker = connectBlocker(container, data.containers) ?? networkJoinBlocker(network) ?? elsewhere;
		if (blocker) return status('error', blocker);
		openConnectForm(network, container, data, context, typed.input);
	},
};
