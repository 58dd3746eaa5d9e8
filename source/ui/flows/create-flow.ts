import {engineForNew} from '../../model/picture.js';
import {validateNetworkCreate} from '../../model/validation.js';
import {networkFields, networkInputOf} from '../presentation/action-dialogs.js';
import {newForm} from '../state/dialog-state.js';
import {filledIn} from '../hooks/form-problems.js';
import type {Flow, FlowContext} from './flow.js';

// n: a new network, on the engine of the selected row when several are open.

type Target = ReturnType<typeof engineForNew>;

/** The create form; `values` fills it in (a `:create` names them), whatever fields it has. */
function openCreateForm(target: Target, context: FlowContext, values?: object): void {
	const info = target === undefined ? context.data.engine : target.info;
	const flow = target === undefined ? {type: 'createNetwork'} as const : {type: 'createNetwork', engine: target.key, engineLabel: target.label, engineFlags: target.commandFlags ?? []} as const;
	context.open(serial =>
		newForm(serial, flow, target === undefined ? 'Create a network' : `Create a network on ${target.label}`, filledIn(networkFields(info?.swarm, info?.drivers, info?.apiVersion), values), {
			subtitle: target === undefined ? 'Only the name is needed; the engine picks what is left empty.' : `On engine ${target.label} (the selected row's; select a row of another engine first to create there). Only the name is needed.`,
			footnote: 'Enter creates · Space toggles · ←→ driver · Esc cancels, nothing changes',
		}),
	);
}

export const createFlow: Flow = {
	commands: ['createNetwork'],
	start(_command, {ui, panes}, context) {
		// Several engines: on the engine of the selected row, and the form says which.
		openCreateForm(engineForNew(context.data, {
			networkId: ui.focus === 'networks' ? panes.networks.selectedId : undefined,
			containerId: ui.focus === 'containers' ? panes.containers.selectedId : undefined,
		}), context);
	},
	dialogs: ['createNetwork'],
	answer(flow, answer, context) {
		if (answer.kind !== 'form' || flow.type !== 'createNetwork') return;
		const {data} = context;
		// Names are unique per engine: the target engine's networks are the ones that can clash.
		const target = flow.engine === undefined ? undefined : data.engines?.find(engine => engine.key === flow.engine);
		const info = target === undefined ? data.engine : target.info;
		const networks = target === undefined ? data.networks : data.networks.filter(network => network.scope === 'swarm' || data.owners?.networks.get(network.id) === target.key);
		const checked = validateNetworkCreate(networkInputOf(answer.form), {networks, swarm: info?.swarm, swarmManager: info?.swarmManager, drivers: info?.drivers});
		context.sendForm(
			answer.form,
			checked,
			`Creating network ${checked.value?.name ?? ''}${target === undefined ? '' : ` on ${target.label}`}…`,
			async spec => context.actions.createNetwork(flow.engine === undefined ? spec : {...spec, engine: flow.engine}),
			result => {
				if (result.networkId) context.networkCreated(result.networkId);
			},
		);
	},
	requests: ['create'],
	request(typed, context) {
		if (typed.kind !== 'create') return;
		const target = typed.engine === undefined ? undefined : context.data.engines?.find(engine => engine.key === typed.engine);
		openCreateForm(target, context, typed.input);
	},
};
