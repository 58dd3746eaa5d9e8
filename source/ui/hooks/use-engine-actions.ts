import type {Key} from 'ink';
import {confirmListViewport} from '../components/dialogs/confirm-dialog.js';
import {useCallback, useMemo, useReducer, useRef, useState} from 'react';
import {pruneCandidates} from '../../model/engine-actions.js';
import type {ActionResult} from '../../model/engine-actions.js';
import {connectBlocker, leaveBlocker, networkJoinBlocker, removeBlocker} from '../../model/refusals.js';
import {specialNetworkMode} from '../../model/selectors.js';
import type {EngineSnapshot} from '../../model/store.js';
import type {DockerContainer, DockerNetwork} from '../../model/types.js';
import {engineForNew, onSameEngine} from '../../model/picture.js';
import {hasProblems, validateConnect, validateNetworkCreate} from '../../model/validation.js';
import type {Checked} from '../../model/validation.js';
import {useAppServices} from '../app-context.js';
import {pickerViewport} from '../components/dialogs/picker-dialog.js';
import type {Command} from '../keys/keymap.js';
import {
	attachmentColumns,
	connectFields,
	connectFormText,
	connectInputOf,
	containerPickerColumns,
	containersOfNetwork,
	containersToJoin,
	disconnectConfirmText,
	engineFlagsFor,
	networkFields,
	networkInputOf,
	networkPickerColumns,
	networksOfContainer,
	networkAsLogged,
	networksToJoin,
	pruneConfirmText,
	removeConfirmText,
} from '../presentation/action-dialogs.js';
import {dialogReducer, newForm, newPicker, pickedItem} from '../state/dialog-state.js';
import type {Dialog, DialogAction, DialogFlow, DialogState, FormDialog, PickerDialog} from '../state/dialog-state.js';
import type {PaneId, StatusTone, UiAction, UiState} from '../state/ui-state.js';
import {dialogFooter} from '../keys/dialog-keys.js';
import {dialogIntent} from './use-dialog-input.js';
import type {DialogKeys} from './use-dialog-input.js';
import type {PaneViewModel} from './use-view-model.js';
import type {EngineRequest} from '../command-line/command-requests.js';
import {defined, filledIn, refusalProblems, sameProblems} from './form-problems.js';

// The keys that change the engine (c d D u n x p), from the keystroke to the status line:
// which dialog opens, what is checked before sending, what is sent, and what the user reads
// afterwards. The engine calls themselves live in the EngineActions service.

export interface EngineActionsUi extends DialogKeys {
	dialog: Dialog | undefined;
	/** The footer while a dialog is open. */
	footer: string | undefined;
	onCommand(command: Command, ui: UiState, panes: Record<PaneId, PaneViewModel>): void;
	/** What the actions still in flight are doing, oldest first. */
	inFlight: readonly string[];
	/** A typed `:` command: the dialog its key would open, filled in and sent, or its confirmation skipped. */
	request(request: EngineRequest): void;
}

export interface UseEngineActionsOptions {
	dispatch(action: UiAction): void;
	/** Lines the dialog has on screen. */
	dialogLines: number;
	/** A network was created (the user will want it selected). */
	onNetworkCreated?(networkId: string): void;
}

type Data = Pick<EngineSnapshot, 'networks' | 'containers' | 'engine' | 'engines' | 'owners'>;

const findNetwork = (data: Data, id: string | undefined): DockerNetwork | undefined =>
	id === undefined ? undefined : data.networks.find(network => network.id === id);
const findContainer = (data: Data, id: string | undefined): DockerContainer | undefined =>
	id === undefined ? undefined : data.containers.find(container => container.id === id);

export function useEngineActions({dispatch, dialogLines, onNetworkCreated}: UseEngineActionsOptions): EngineActionsUi {
	const services = useAppServices();
	const {actions, store, quit} = services;
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
	const open = (make: (serial: number) => Dialog): void => {
		serials.current += 1;
		dispatchDialog({type: 'open', dialog: make(serials.current)});
	};

	const viewport = pickerViewport(dialogLines);

	// Actions run side by side (a disconnect while a create is slow): the status line shows
	// the latest message and, while any is still working, what that one does.
	const [inFlight, setInFlight] = useState<ReadonlyArray<{id: number; text: string}>>([]);
	const actionIds = useRef(0);

	const inFlightTexts = useMemo(() => inFlight.map(item => item.text), [inFlight]);

	/** Runs one engine action with a spinner in the status line, then says how it went. */
	const run = (busyText: string, work: () => Promise<ActionResult>, after?: (result: ActionResult) => void): void => {
		actionIds.current += 1;
		const id = actionIds.current;
		setInFlight(list => [...list, {id, text: busyText}]);
		status('busy', busyText);
		void work().then(result => {
			setInFlight(list => list.filter(item => item.id !== id));
			report(result, after);
		});
	};

	/**
	 * Says how an action went; a request that went unanswered stays in flight as a watch,
	 * and its verdict (and any later sighting) is said when it comes.
	 */
	const report = (result: ActionResult, after?: (result: ActionResult) => void): void => {
		status(result.ok ? 'success' : result.busy ? 'info' : result.watching ? 'busy' : 'error', result.message);
		after?.(result);
		const {followUp} = result;
		if (!followUp) return;
		actionIds.current += 1;
		const id = actionIds.current;
		const doing = result.message.split(' timed out')[0] ?? result.message;
		if (result.watching) setInFlight(list => [...list, {id, text: `watching: ${doing.charAt(0).toLowerCase()}${doing.slice(1)}`}]);
		void followUp.then(next => {
			setInFlight(list => list.filter(item => item.id !== id));
			if (next) report(next, after);
		});
	};

	const openPicker = (flow: DialogFlow, title: string, columns: readonly string[], items: PickerDialog['items'], note?: string): void =>
		open(serial => newPicker(serial, flow, title, columns, items, note));

	const openConnectForm = (network: DockerNetwork, container: DockerContainer, data: Data, values?: object): void => {
		const text = connectFormText(network, container, data);
		open(serial =>
			newForm(serial, {type: 'connectOptions', networkId: network.id, containerId: container.id, networkName: network.name, networkInCommand: networkAsLogged(network, data), containerName: container.name, engineFlags: engineFlagsFor(data, {containerId: container.id})}, text.title, filledIn(connectFields(network, data.engine?.apiVersion), values), {
				subtitle: text.subtitle,
				footnote: text.footnote,
			}),
		);
	};

	const openDisconnectConfirm = (networkId: string, containerId: string, force: boolean, data: Data): void => {
		const network = findNetwork(data, networkId);
		const container = findContainer(data, containerId);
		if (!network || !container) {
			dispatchDialog({type: 'close'});
			status('error', 'That network or container is gone: removed meanwhile.');
			return;
		}

		const blocker = leaveBlocker(network, container);
		if (blocker) {
			dispatchDialog({type: 'close'});
			status('error', blocker);
			return;
		}

		const text = disconnectConfirmText(network, container, force, data);
		open(serial => ({kind: 'confirm', serial, flow: {type: 'disconnectConfirm', networkId, containerId, force}, ...text}));
	};

	const startConnect = (ui: UiState, panes: Record<PaneId, PaneViewModel>, data: Data): void => {
		if (ui.focus === 'containers') {
			const container = findContainer(data, panes.containers.selectedId);
			if (!container) return status('info', 'Select a container first.');
			const blocker = connectBlocker(container, data.containers);
			if (blocker) return status('error', blocker);
			const {items, note} = networksToJoin(container, data);
			if (items.length === 0) return status('info', `${container.name} is on every network it can join already.`);
			openPicker({type: 'connectPickNetwork', containerId: container.id}, `Connect ${container.name} to which network?`, networkPickerColumns, items, note);
			return;
		}

		const network = findNetwork(data, panes.networks.selectedId);
		if (!network) return status('info', 'Select a network first.');
		const blocker = networkJoinBlocker(network);
		if (blocker) return status('error', blocker);
		const items = containersToJoin(network, data);
		if (items.length === 0) return status('info', `Every container is on ${network.name} already.`);
		openPicker({type: 'connectPickContainer', networkId: network.id}, `Connect which container to ${network.name}?`, containerPickerColumns, items);
	};

	const startDisconnect = (ui: UiState, panes: Record<PaneId, PaneViewModel>, data: Data, force: boolean): void => {
		const verb = force ? 'Force-disconnect' : 'Disconnect';
		if (ui.focus === 'containers') {
			const container = findContainer(data, panes.containers.selectedId);
			if (!container) return status('info', 'Select a container first.');
			const mode = specialNetworkMode(container, data.containers);
			if (mode?.kind === 'container') {
				return status('error', `${container.name} shares another container's network stack: it has no network of its own to leave.`);
			}

			const items = networksOfContainer(container, data);
			if (items.length === 0) return status('info', `${container.name} is on no network.`);
			if (items.length === 1 && items[0]) return openDisconnectConfirm(items[0].id, container.id, force, data);
			openPicker({type: 'disconnectPickNetwork', containerId: container.id, force}, `${verb} ${container.name} from which network?`, attachmentColumns, items);
			return;
		}

		const network = findNetwork(data, panes.networks.selectedId);
		if (!network) return status('info', 'Select a network first.');
		const items = containersOfNetwork(network, data);
		if (items.length === 0) return status('info', `No container is on ${network.name}.`);
		if (items.length === 1 && items[0]) return openDisconnectConfirm(network.id, items[0].id, force, data);
		openPicker({type: 'disconnectPickContainer', networkId: network.id, force}, `${verb} which container from ${network.name}?`, attachmentColumns, items);
	};

	const openCreateForm = (target: ReturnType<typeof engineForNew>, data: Data, values?: object): void => {
		const info = target === undefined ? data.engine : target.info;
		open(serial =>
			newForm(serial, target === undefined ? {type: 'createNetwork'} : {type: 'createNetwork', engine: target.key, engineLabel: target.label, engineFlags: target.commandFlags ?? []}, target === undefined ? 'Create a network' : `Create a network on ${target.label}`, filledIn(networkFields(info?.swarm, info?.drivers, info?.apiVersion), values), {
				subtitle: target === undefined ? 'Only the name is needed; the engine picks what is left empty.' : `On engine ${target.label} (the selected row's; select a row of another engine first to create there). Only the name is needed.`,
				footnote: 'Enter creates · Space toggles · ←→ driver · Esc cancels, nothing changes',
			}),
		);
	};

	const onCommand = (command: Command, ui: UiState, panes: Record<PaneId, PaneViewModel>): void => {
		const handled = ['connect', 'disconnect', 'forceDisconnect', 'undo', 'createNetwork', 'removeNetwork', 'prune'];
		if (!handled.includes(command)) return;
		if (!actions) {
			status('error', 'Changing the engine is off in this session.');
			return;
		}

		const data = store.getSnapshot();
		switch (command) {
			case 'connect':
				return startConnect(ui, panes, data);
			case 'disconnect':
			case 'forceDisconnect':
				return startDisconnect(ui, panes, data, command === 'forceDisconnect');
			case 'undo': {
				const entry = actions.nextUndo();
				if (!entry) return status('info', actions.whyNothingToUndo());
				const what = entry.kind === 'connected' ? `disconnecting ${entry.containerName} from ${entry.networkName}` : `reconnecting ${entry.containerName} to ${entry.networkName}`;
				return run(`Undoing: ${what}…`, () => actions.undo());
			}

			case 'createNetwork':
				// Several engines: on the engine of the selected row, and the form says which.
				return openCreateForm(engineForNew(data, {
					networkId: ui.focus === 'networks' ? panes.networks.selectedId : undefined,
					containerId: ui.focus === 'containers' ? panes.containers.selectedId : undefined,
				}), data);

			case 'removeNetwork': {
				const network = findNetwork(data, panes.networks.selectedId);
				if (!network) return status('info', 'Select a network first.');
				const blocker = removeBlocker(network, data.containers);
				if (blocker) return status('error', blocker);
				const text = removeConfirmText(network, data);
				return open(serial => ({kind: 'confirm', serial, flow: {type: 'removeConfirm', networkId: network.id}, ...text}));
			}

			case 'prune': {
				const filter = ui.panes.networks.filter;
				const candidates = pruneCandidates(data, panes.networks.rowIds);
				if (candidates.length === 0) {
					return status('info', `No unused network to prune${filter.trim() === '' ? '' : ` among those matching "${filter}"`}.`);
				}

				const text = pruneConfirmText(candidates, filter);
				const networkIds = candidates.map(network => network.id);
				return open(serial => ({kind: 'confirm', serial, flow: {type: 'pruneConfirm', networkIds}, ...text}));
			}
		}
	};

	/** Enter on a form: check, then send; warnings are shown once before sending anyway. */
	const sendForm = <Value>(
		form: FormDialog,
		checked: Checked<string, Value>,
		busyText: string,
		send: (value: Value) => Promise<ActionResult>,
		succeeded?: (result: ActionResult) => void,
	): void => {
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
		run(busyText, () => send(value), result => {
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
	};

	const submit = (current: Dialog): void => {
		if (!actions) return;
		const data = store.getSnapshot();
		const flow = current.flow;
		if (current.kind === 'picker') {
			const item = pickedItem(current);
			if (!item) {
				dispatchDialog({type: 'pickerError', text: 'Nothing to pick: change the filter (Backspace) or Esc.'});
				return;
			}

			if (flow.type === 'connectPickNetwork' || flow.type === 'connectPickContainer') {
				const network = findNetwork(data, flow.type === 'connectPickNetwork' ? item.id : flow.networkId);
				const container = findContainer(data, flow.type === 'connectPickNetwork' ? flow.containerId : item.id);
				if (!network || !container) {
					dispatchDialog({type: 'pickerError', text: `${item.cells[0] ?? 'It'} is gone: removed meanwhile.`});
					return;
				}

				const blocker = connectBlocker(container, data.containers) ?? networkJoinBlocker(network);
				if (blocker) {
					dispatchDialog({type: 'pickerError', text: blocker});
					return;
				}

				openConnectForm(network, container, data);
			} else if (flow.type === 'disconnectPickNetwork') {
				openDisconnectConfirm(item.id, flow.containerId, flow.force, data);
			} else if (flow.type === 'disconnectPickContainer') {
				openDisconnectConfirm(flow.networkId, item.id, flow.force, data);
			}

			return;
		}

		if (current.kind === 'form') {
			if (flow.type === 'connectOptions') {
				const network = findNetwork(data, flow.networkId);
				const container = findContainer(data, flow.containerId);
				if (!network || !container) {
					dispatchDialog({
						type: 'problems',
						errors: {},
						warnings: {},
						formError: `${network ? `container ${flow.containerName}` : `network ${flow.networkName}`} is gone: it was removed meanwhile. Esc closes this form.`,
					});
					return;
				}

				const checked = validateConnect(connectInputOf(current), {network, container, containers: data.containers});
				sendForm(current, checked, `Connecting ${container.name} to ${network.name}…`, options =>
					actions.connect({networkId: network.id, containerId: container.id, options}),
				);
			} else if (flow.type === 'createNetwork') {
				// Names are unique per engine: the target engine's networks are the ones that can clash.
				const target = flow.engine === undefined ? undefined : data.engines?.find(engine => engine.key === flow.engine);
				const info = target === undefined ? data.engine : target.info;
				const networks = target === undefined ? data.networks : data.networks.filter(network => network.scope === 'swarm' || data.owners?.networks.get(network.id) === target.key);
				const checked = validateNetworkCreate(networkInputOf(current), {networks, swarm: info?.swarm, swarmManager: info?.swarmManager, drivers: info?.drivers});
				sendForm(
					current,
					checked,
					`Creating network ${checked.value?.name ?? ''}${target === undefined ? '' : ` on ${target.label}`}…`,
					spec => actions.createNetwork(flow.engine === undefined ? spec : {...spec, engine: flow.engine}),
					result => {
						if (result.networkId) onNetworkCreated?.(result.networkId);
					},
				);
			}

			return;
		}

		// A confirmation: it closes at once; the status line follows the action.
		dispatchDialog({type: 'close'});
		confirmed(flow, data);
	};

	const confirmed = (flow: DialogFlow, data: Data): void => {
		if (!actions) return;
		if (flow.type === 'disconnectConfirm') {
			const names = `${findContainer(data, flow.containerId)?.name ?? 'the container'} from ${findNetwork(data, flow.networkId)?.name ?? 'the network'}`;
			run(`${flow.force ? 'Force-disconnecting' : 'Disconnecting'} ${names}…`, () =>
				actions.disconnect({networkId: flow.networkId, containerId: flow.containerId, force: flow.force}),
			);
		} else if (flow.type === 'removeConfirm') {
			run(`Removing network ${findNetwork(data, flow.networkId)?.name ?? ''}…`, () => actions.removeNetwork(flow.networkId));
		} else if (flow.type === 'pruneConfirm') {
			run(`Pruning ${flow.networkIds.length} network${flow.networkIds.length === 1 ? '' : 's'}…`, () => actions.prune(flow.networkIds));
		}
	};

	/** A `:` command names everything its key's pickers would ask for: the same checks, then the same path. */
	const request = (typed: EngineRequest): void => {
		if (!actions) return status('error', 'Changing the engine is off in this session.');
		const data = store.getSnapshot();
		if (typed.kind === 'create') {
			const target = typed.engine === undefined ? undefined : data.engines?.find(engine => engine.key === typed.engine);
			openCreateForm(target, data, typed.input);
		} else if (typed.kind === 'connect') {
			const network = findNetwork(data, typed.networkId);
			const container = findContainer(data, typed.containerId);
			if (!network || !container) return status('error', 'That network or container is gone: removed meanwhile.');
			// The pickers offer only what the container's own engine has; a typed name may be another's.
			const elsewhere = onSameEngine(data, network, container.id) ? undefined : `${network.name} is on another engine than ${container.name}: a container joins its own engine's networks and swarm overlays`;
			const blocker = connectBlocker(container, data.containers) ?? networkJoinBlocker(network) ?? elsewhere;
			if (blocker) return status('error', blocker);
			openConnectForm(network, container, data, typed.input);
		} else if (typed.kind === 'disconnect') {
			const network = findNetwork(data, typed.networkId);
			const container = findContainer(data, typed.containerId);
			const blocker = network && container ? leaveBlocker(network, container) : 'That network or container is gone: removed meanwhile.';
			if (blocker) return status('error', blocker);
			return confirmed({type: 'disconnectConfirm', networkId: typed.networkId, containerId: typed.containerId, force: typed.force}, data);
		} else {
			const network = findNetwork(data, typed.networkId);
			const blocker = network ? removeBlocker(network, data.containers) : 'That network is gone: removed meanwhile.';
			if (blocker) return status('error', blocker);
			return confirmed({type: 'removeConfirm', networkId: typed.networkId}, data);
		}

		// The form, filled in, is sent as Enter would send it: a problem stays on screen at its field.
		if (latest.current) submit(latest.current);
	};

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
		inFlight: inFlightTexts,
		request,
	};
}
