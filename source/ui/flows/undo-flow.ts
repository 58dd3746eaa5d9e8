import type {Flow} from './flow.js';

// u: the last connect or disconnect of this session, undone; no dialog.

export const undoFlow: Flow = {
	commands: ['undo'],
	start(_command, _selection, context) {
		const {actions} = context;
		const entry = actions.nextUndo();
		if (!entry) {
			context.status('info', actions.whyNothingToUndo());
			return;
		}

		const what = entry.kind === 'connected' ? `disconnecting ${entry.containerName} from ${entry.networkName}` : `reconnecting ${entry.containerName} to ${entry.networkName}`;
		context.run(`Undoing: ${what}…`, async () => actions.undo());
	},
	dialogs: [],
};
