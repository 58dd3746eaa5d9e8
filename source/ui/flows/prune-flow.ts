import {pruneCandidates} from '../../model/engine-actions.js';
import {pruneConfirmText} from '../presentation/action-dialogs.js';
import type {Flow} from './flow.js';

// p: every unused network among those the Networks pane lists (its filter applied), after
// a confirmation that lists them.

export const pruneFlow: Flow = {
	commands: ['prune'],
	start(_command, {ui, panes}, context) {
		const {filter} = ui.panes.networks;
		const candidates = pruneCandidates(context.data, panes.networks.rowIds);
		if (candidates.length === 0) {
			context.status('info', `No unused network to prune${filter.trim() === '' ? '' : ` among those matching "${filter}"`}.`);
			return;
		}

		const text = pruneConfirmText(candidates, filter);
		const networkIds = candidates.map(network => network.id);
		context.open(serial => ({kind: 'confirm', serial, flow: {type: 'pruneConfirm', networkIds}, ...text}));
	},
	dialogs: ['pruneConfirm'],
	answer(flow, answer, context) {
		if (answer.kind !== 'confirmed' || flow.type !== 'pruneConfirm') return;
		const count = flow.networkIds.length;
		context.run(`Pruning ${count} network${count === 1 ? '' : 's'}…`, async () => context.actions.prune(flow.networkIds));
	},
};
