import type {ActionResult, EngineActions} from '../../model/engine-actions.js';
import type {EngineSnapshot} from '../../model/store.js';
import type {DockerContainer, DockerNetwork} from '../../model/types.js';
import type {Checked} from '../../model/validation.js';
import type {EngineRequest} from '../command-line/command-requests.js';
import type {PaneViewModel} from '../hooks/use-view-model.js';
import type {Command} from '../keys/keymap.js';
import type {Dialog, DialogAction, DialogFlow, FormDialog, PickerItem} from '../state/dialog-state.js';
import type {PaneId, StatusTone, UiState} from '../state/ui-state.js';

// What one flow (connect, disconnect, create, remove, prune, undo) is made of, and what it
// may do: open a dialog, say something, run an engine action. The flows hold no state of
// their own; the dialog on screen and the actions in flight live in useFlows.

export type FlowData = Pick<EngineSnapshot, 'networks' | 'containers' | 'engine' | 'engines' | 'owners'>;

/** The selection the key was pressed on. */
export interface FlowSelection {
	ui: UiState;
	panes: Record<PaneId, PaneViewModel>;
}

export interface FlowContext {
	/** The picture as of this key. */
	data: FlowData;
	actions: EngineActions;
	status(tone: StatusTone, text: string): void;
	/** Opens a dialog (numbered, so a late answer cannot close a newer one). */
	open(make: (serial: number) => Dialog): void;
	dialog(action: DialogAction): void;
	/** Runs one engine action with a spinner in the status line, then says how it went. */
	run(busyText: string, work: () => Promise<ActionResult>, after?: (result: ActionResult) => void): void;
	/** Enter on a form: check, then send; warnings are shown once before sending anyway. */
	sendForm<Value>(form: FormDialog, checked: Checked<string, Value>, busyText: string, send: (value: Value) => Promise<ActionResult>, succeeded?: (result: ActionResult) => void): void;
	/** A network was created: it gets selected once its row is there. */
	networkCreated(networkId: string): void;
}

/** What a dialog of a flow answers with: the picker's item, the form, or a confirmation's yes. */
export type FlowAnswer =
	| {kind: 'picked'; item: PickerItem}
	| {kind: 'form'; form: FormDialog}
	| {kind: 'confirmed'};

export interface Flow {
	/** The keymap commands that start it. */
	commands: readonly Command[];
	start?(command: Command, selection: FlowSelection, context: FlowContext): void;
	/** The dialog flows it answers (its pickers, forms and confirmations). */
	dialogs: ReadonlyArray<DialogFlow['type']>;
	answer?(flow: DialogFlow, answer: FlowAnswer, context: FlowContext): void;
	/** The `:` command kinds it takes: everything its pickers would ask for is named. */
	requests?: ReadonlyArray<EngineRequest['kind']>;
	request?(typed: EngineRequest, context: FlowContext): void;
}

export const findNetwork = (data: FlowData, id: string | undefined): DockerNetwork | undefined =>
	id === undefined ? undefined : data.networks.find(network => network.id === id);
export const findContainer = (data: FlowData, id: string | undefined): DockerContainer | undefined =>
	id === undefined ? undefined : data.containers.find(container => container.id === id);

export const goneMeanwhile = 'That network or container is gone: removed meanwhile.';
