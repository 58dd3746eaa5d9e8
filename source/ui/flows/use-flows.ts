import type {Key} from 'ink';
import {useCallback, useReducer, useRef} from 'react';
import {hasProblems} from '../../model/validation.js';
import {useAppServices} from '../app-context.js';
import type {EngineRequest} from '../command-line/command-requests.js';
import {confirmListViewport} from '../components/dialogs/confirm-dialog.js';
import {pickerViewport} from '../components/dialogs/picker-dialog.js';
import {defined, refusalProblems, sameProblems} from '../hooks/form-problems.js';
import {dialogIntent} from '../hooks/use-dialog-input.js';
import type {DialogKeys} from '../hooks/use-dialog-input.js';
import type {PaneViewModel} from '../hooks/use-view-model.js';
import {dialogFooter} from '../keys/dialog-keys.js';
import type {Command} from '../keys/keymap.js';
import {dialogReducer, pickedItem} from '../state/dialog-state.js';
import type {Dialog, DialogAction, DialogState} from '../state/dialog-state.js';
import type {PaneId, StatusTone, UiAction, UiState} from '../state/ui-state.js';
import type {FlowContext} from './flow.js';
import {flowForCommand, flowForDialog, flowForRequest} from './flow-registry.js';
import {useActionRunner} from './use-action-runner.js';

// The keys that change the engine (c d D u n x p), from the keystroke to the status line: the
// dialog on screen and the actions in flight live here; what each flow opens, checks and
// sends lives in its own module (flow-registry.ts).

export interface FlowsUi extends DialogKeys {
	dialog: Dialog | undefined;
	/** The footer while a dialog is open. */
	footer: string | undefined;
	/** Starts the flow of a keymap command; false when no flow takes it. */
	onCommand(command: Command, ui: UiState, panes: Record<PaneId, PaneViewModel>): boolean;
	/** What the actions still in flight are doing, oldest first. */
	inFlight: readonly string[];
	/** A typed `:` command: the dialog its key would open, filled in and sent, or its confirmation skipped. */
	request(request: EngineRequest): void;
}

export interface UseFlowsOptions {
	dispatch(action: UiAction): void;
	/** Lines the dialog has on screen. */
	dialogLines: number;
	/** A network was created (the user will want it selected). */
	onNetworkCreated?(networkId: string): void;
}

const changingIsOff = 'Changing the engine is off in this session.';

export function useFlows({dispatch, dialogLines, onNetworkCreated}: UseFlowsOptions): FlowsUi {
	const {actions, store, quit} = useAppServices();
	const [dialog, dispatchToReact] = useReducer(dialogReducer, undefined as DialogState);
	// As in App: the reducer is pure, so applying each action here as well gives the next key
	// the state React will render, even before it has.
	const latest = useRef<DialogState>(dialog);
	const serials = useRef(0);
	const dispatchDialog = useCallback((action: DialogAction) => {
		latest.current = dialogReducer(latest.current, action);
		dispatchToReact(action);
	}, []);
	const status = (tone: StatusTone, text: string): void => dispatch({type: 'status', tone, text});
	const runner = useActionRunner(status);

	/** What a flow may do, over the picture as of now; undefined in --read-only mode. */
	const flowContext = (): FlowContext | undefined => {
		if (!actions) return undefined;
		const context: FlowContext = {
			data: store.getSnapshot(),
			actions,
			status,
			open(make) {
				serials.current += 1;
				dispatchDialog({type: 'open', dialog: make(serials.current)});
			},
			dialog: dispatchDialog,
			run: runner.run,
			sendForm(form, checked, busyText, send, succeeded) {
				const errors = defined(checked.errors);
				const warnings = defined(checked.warnings);
				if (checked.general !== undefined || hasProblems(errors) || checked.value === undefined) {
					dispatchDialog({type: 'problems', errors, warnings, formError: checked.general});
					return;
				}

				if (hasProblems(warnings) && !(form.warningsShown && sameProblems(form.warnings, warnings))) {
					dispatchDialog({type: 'problems', errors: {}, warnings});
					return;
				}

				const value = checked.value;
				dispatchDialog({type: 'submitting'});
				runner.run(busyText, async () => send(value), result => {
					if (result.ok) {
						dispatchDialog({type: 'closeIf', serial: form.serial});
						succeeded?.(result);
					} else if (result.watching) {
						dispatchDialog({type: 'failed', serial: form.serial, errors: {}, formError: `${result.message}. Esc closes this form; the watch goes on.`, watching: true});
					} else {
						// "Already sent, wait for it" leaves a watched form watched; a verdict ends it.
						dispatchDialog({type: 'failed', serial: form.serial, ...refusalProblems(form, result), ...(result.busy ? {} : {watching: false})});
					}
				});
			},
			networkCreated: networkId => onNetworkCreated?.(networkId),
		};
		return context;
	};

	const submit = (current: Dialog): void => {
		const context = flowContext();
		const flow = flowForDialog(current.flow);
		if (!context || !flow?.answer) return;
		if (current.kind === 'picker') {
			const item = pickedItem(current);
			if (item) flow.answer(current.flow, {kind: 'picked', item}, context);
			else dispatchDialog({type: 'pickerError', text: 'Nothing to pick: change the filter (Backspace) or Esc.'});
		} else if (current.kind === 'form') {
			flow.answer(current.flow, {kind: 'form', form: current}, context);
		} else {
			// A confirmation: it closes at once; the status line follows the action.
			dispatchDialog({type: 'close'});
			flow.answer(current.flow, {kind: 'confirmed'}, context);
		}
	};

	const onCommand = (command: Command, ui: UiState, panes: Record<PaneId, PaneViewModel>): boolean => {
		const flow = flowForCommand(command);
		if (!flow?.start) return false;
		const context = flowContext();
		if (context) flow.start(command, {ui, panes}, context);
		else status('error', changingIsOff);
		return true;
	};

	/** A `:` command names everything its key's pickers would ask for: the same checks, then the same path. */
	const request = (typed: EngineRequest): void => {
		const context = flowContext();
		if (!context) return status('error', changingIsOff);
		flowForRequest(typed)?.request?.(typed, context);
		// A form it filled in is sent as Enter would send it: a problem stays on screen at its field.
		if (latest.current?.kind === 'form') submit(latest.current);
	};

	const viewport = pickerViewport(dialogLines);
	const handleKey = (input: string, key: Key): void => {
		const current = latest.current;
		if (!current) return;
		const intent = dialogIntent(current, input, key, current.kind === 'confirm' ? confirmListViewport(current, dialogLines) : viewport);
		switch (intent.type) {
			case 'action':
				dispatchDialog(intent.action);
				return;
			case 'submit':
				submit(current);
				return;
			case 'cancel':
				dispatchDialog({type: 'close'});
				// A form already sent goes on in the background, and one whose request went
				// unanswered is still watched: only a dialog that sent nothing changed nothing.
				if (current.kind === 'form' && current.watching) status('busy', 'Form closed; still watching whether the engine applies what was sent.');
				else if (!(current.kind === 'form' && current.submitting)) status('info', 'Cancelled: nothing was changed.');
				return;
			case 'quit':
				quit();
				return;
			case 'none':
				return;
		}
	};

	return {
		dialog,
		footer: dialog ? dialogFooter(dialog) : undefined,
		isOpen: () => latest.current !== undefined,
		handleKey,
		onCommand,
		inFlight: runner.inFlight,
		request,
	};
}
