import type {ConnectOptions, EngineGateway, NetworkCreateSpec} from './gateway.js';
import {membersOf, nameList} from './membership.js';
import {outcomeUnknown} from './outcome-watch.js';
import type {OutcomeWatchOptions} from './outcome-watch.js';
import {describeRefusal, explainRefusal} from './refusals.js';
import type {RefusalContext} from './refusals.js';
import {chosenAliases, isPredefinedNetwork} from './selectors.js';
import type {EngineSnapshot, SnapshotSource} from './store.js';
import type {DockerNetwork} from './types.js';
import {ActionReadBack} from './action-read-back.js';
import {describeEndpoint, describeNetwork, lowerFirst, nothingToUndo, pruneMessage, upperFirst, whenApplied} from './action-messages.js';
import type {ActionResult, ConnectRequest, DisconnectRequest, EngineActionsOptions, PruneResult, UndoEntry} from './action-types.js';
import {createCheck, endpointCheck, removeCheck, watchTimedOut} from './timed-out-actions.js';
import type {TimedOutAction} from './timed-out-actions.js';

// The actions that change the engine: connect, disconnect, create, remove, prune and undo.
// Each goes through the gateway and then waits until the engine's own event has brought
// the change into the store, so the message it returns (with the assigned address) matches
// what the panes show. At most one action per target is in flight: a repeated key cannot
// send the same request twice.

export type {ActionResult, ConnectRequest, DisconnectRequest, EngineActionsOptions, PruneResult, UndoEntry} from './action-types.js';

const pairKey = (networkId: string, containerId: string): string => `pair:${networkId}:${containerId}`;
const networkKey = (networkId: string): string => `network:${networkId}`;

/**
 * Networks a prune would remove: not predefined, nobody on them (stopped containers count),
 * and not configuration-only (a template other networks are made from, never in use itself).
 */
export function pruneCandidates(snapshot: Pick<EngineSnapshot, 'networks' | 'containers'>, onlyIds?: readonly string[]): DockerNetwork[] {
	const allowed = onlyIds ? new Set(onlyIds) : undefined;
	return snapshot.networks.filter(
		network =>
			(!allowed || allowed.has(network.id)) &&
			!isPredefinedNetwork(network) &&
			!network.ingress &&
			network.configOnly !== true &&
			membersOf(network, snapshot.containers).length === 0,
	);
}

export class EngineActions {
	private readonly inFlight = new Map<string, string>();
	private readonly undoStack: UndoEntry[] = [];
	/** What happened to this session's connects and disconnects, for honest undo messages. */
	private readonly undoHistory = {made: 0, undone: 0, dropped: 0};
	private readonly outcomeWatch: OutcomeWatchOptions;
	private readonly engineView: ActionReadBack;

	constructor(
		private readonly gateway: EngineGateway,
		private readonly store: SnapshotSource,
		options: EngineActionsOptions = {},
	) {
		this.outcomeWatch = options.outcomeWatch ?? {};
		this.engineView = new ActionReadBack(gateway, store, options.settleTimeoutMs ?? 5000);
	}

	/** What is being done right now, e.g. ["connecting ctn1 to front"]. */
	pending(): string[] {
		return [...this.inFlight.values()];
	}

	/** The action `u` would take back, described; undefined when there is none. */
	nextUndo(): UndoEntry | undefined {
		return this.undoStack.at(-1);
	}

	private recordUndoable(entry: UndoEntry): void {
		this.undoStack.push(entry);
		this.undoHistory.made++;
	}

	/** Why `u` has nothing to take back, from what this session did. */
	whyNothingToUndo(): string {
		return nothingToUndo(this.undoHistory);
	}

	async connect(request: ConnectRequest): Promise<ActionResult> {
		const names = this.names(request.networkId, request.containerId);
		return this.exclusive(pairKey(request.networkId, request.containerId), `connecting ${names.container} to ${names.network}`, async () => {
			const result = await this.doConnect(request, names);
			const entry: UndoEntry = {kind: 'connected', networkId: request.networkId, networkName: names.network, containerId: request.containerId, containerName: names.container};
			if (result.ok) this.recordUndoable(entry);
			return whenApplied(result, () => this.recordUndoable(entry));
		});
	}

	async disconnect(request: DisconnectRequest): Promise<ActionResult> {
		const names = this.names(request.networkId, request.containerId);
		const verb = request.force ? 'force-disconnecting' : 'disconnecting';
		return this.exclusive(pairKey(request.networkId, request.containerId), `${verb} ${names.container} from ${names.network}`, async () => {
			// Undo needs the aliases and links, which only an inspect reports.
			const before = await this.engineView.currentEndpoint(request.networkId, request.containerId);
			const result = await this.doDisconnect(request, names);
			const entry: UndoEntry | undefined = before && {
				kind: 'disconnected',
				networkId: request.networkId,
				networkName: names.network,
				containerId: request.containerId,
				containerName: names.container,
				endpoint: before,
				fixedByUser: before.requestedIpv4 !== undefined || before.requestedIpv6 !== undefined,
			};
			if (result.ok && entry) this.recordUndoable(entry);
			if (!result.ok) return whenApplied(result, () => entry && this.recordUndoable(entry));
			return {...result, message: `${result.message} — u undoes`};
		});
	}

	async undo(): Promise<ActionResult> {
		const entry = this.undoStack.at(-1);
		if (!entry) return {ok: false, message: this.whyNothingToUndo()};
		const names = {network: entry.networkName, container: entry.containerName};
		const label = entry.kind === 'connected' ? `undoing: disconnecting ${names.container} from ${names.network}` : `undoing: reconnecting ${names.container} to ${names.network}`;
		if (this.inFlight.has('undo')) return {ok: false, busy: true, message: `Already ${this.inFlight.get('undo') ?? 'undoing'}…`};
		this.inFlight.set('undo', label);
		try {
			return await this.exclusive(pairKey(entry.networkId, entry.containerId), label, async () => {
				const result = entry.kind === 'connected'
					? await this.doDisconnect({networkId: entry.networkId, containerId: entry.containerId, force: false}, names)
					: await this.restore(entry, names);
				// A failed undo stays on the stack, so the user can retry once the cause is fixed;
				// unless its container or network is gone, which no retry can mend.
				const gone = result.refusal?.kind === 'not-found';
				const settle = (undone: boolean): void => {
					if (this.undoStack.at(-1) !== entry) return;
					this.undoStack.pop();
					if (undone) this.undoHistory.undone++;
					else this.undoHistory.dropped++;
				};

				if (result.ok || gone) settle(result.ok);
				if (result.watching) return whenApplied(result, () => settle(true));
				if (result.ok) return {...result, message: `Undone: ${lowerFirst(result.message)}`};
				return gone ? {...result, message: `${result.message}; dropped from the undo list`} : result;
			});
		} finally {
			this.inFlight.delete('undo');
		}
	}

	async createNetwork(spec: NetworkCreateSpec): Promise<ActionResult> {
		return this.exclusive(`create:${spec.name}`, `creating network ${spec.name}`, async () => {
			let id: string;
			const sentAt = Date.now();
			try {
				id = await this.gateway.createNetwork(spec);
			} catch (error) {
				if (outcomeUnknown(error)) {
					const created = (): DockerNetwork | undefined => this.store.getSnapshot().networks.find(network => network.name === spec.name);
					return this.watch({
						doing: `Creating network ${spec.name}`,
						check: createCheck(this.gateway, spec.name, sentAt, Date.now),
						detail: () => describeNetwork(created()),
						applied: () => ({networkId: created()?.id}),
					});
				}

				return this.failure(`Could not create network ${spec.name}`, error, {action: 'create', spec, networkName: spec.name});
			}

			const snapshot = await this.engineView.settle(current => current.networks.some(network => network.id === id));
			const network = snapshot?.networks.find(item => item.id === id) ?? (await this.engineView.safeInspectNetwork(id));
			return {ok: true, message: `Created network ${spec.name}${describeNetwork(network)}`, networkId: id};
		});
	}

	async removeNetwork(networkId: string): Promise<ActionResult> {
		const name = this.networkName(networkId);
		return this.exclusive(networkKey(networkId), `removing network ${name}`, async () => {
			const result = await this.doRemove(networkId, name);
			return result.ok ? {...result, message: `Removed network ${name}`} : result;
		});
	}

	/**
	 * Removes exactly these networks, one at a time: never "whatever is unused now", so a
	 * network created after the user saw the list is never removed unseen.
	 */
	async prune(networkIds: readonly string[]): Promise<PruneResult> {
		const removed: string[] = [];
		const removedIds: string[] = [];
		const refused: Array<{name: string; reason: string}> = [];
		const outcome = await this.exclusive('prune', `pruning ${networkIds.length} network${networkIds.length === 1 ? '' : 's'}`, async () => {
			let watched: ActionResult | undefined;
			let notSent: string[] = [];
			for (const [index, id] of networkIds.entries()) {
				const name = this.networkName(id);
				if (this.inFlight.has(networkKey(id))) {
					refused.push({name, reason: 'another action on it is in flight'});
					continue;
				}

				// Someone may have joined it since the list was shown.
				const snapshot = this.store.getSnapshot();
				const network = snapshot.networks.find(item => item.id === id);
				const members = network ? membersOf(network, snapshot.containers) : [];
				if (members.length > 0) {
					refused.push({name, reason: `now in use by ${nameList(members.map(member => member.container.name))}`});
					continue;
				}

				this.inFlight.set(networkKey(id), `removing network ${name}`);
				let result: ActionResult;
				try {
					result = await this.doRemove(id, name, false);
				} finally {
					this.inFlight.delete(networkKey(id));
				}

				if (result.ok) {
					removed.push(name);
					removedIds.push(id);
				} else if (result.watching) {
					// The engine stopped answering: sending the rest would only queue more
					// requests whose fate nobody knows.
					watched = result;
					notSent = networkIds.slice(index + 1).map(other => this.networkName(other));
					break;
				} else refused.push({name, reason: result.refusal ? describeRefusal(result.refusal) : result.message});
			}

			await this.engineView.settle(current => !current.networks.some(network => removedIds.includes(network.id)));
			const done = pruneMessage(removed, refused);
			if (!watched) return {ok: refused.length === 0, message: done};
			const rest = notSent.length === 0 ? '' : `; not sent: ${nameList(notSent, 6)}`;
			return {...watched, message: `${done}; ${lowerFirst(watched.message)}${rest}`};
		});
		return {...outcome, removed, refused};
	}

	// ---------------------------------------------------------------------------------------

	private async exclusive(key: string, label: string, work: () => Promise<ActionResult>): Promise<ActionResult> {
		const running = this.inFlight.get(key);
		if (running !== undefined) return {ok: false, busy: true, message: `Already ${running}… (sent once; wait for it)`};
		this.inFlight.set(key, label);
		let watching: Promise<unknown> | undefined;
		try {
			const result = await work();
			// Until the verdict, the same request is not sent again (it may still be applied).
			if (result.watching && result.followUp) {
				watching = result.followUp;
				this.inFlight.set(key, `watching whether ${label} is applied`);
			}

			return result;
		} catch (error) {
			// Never let an unexpected error escape into a key handler.
			return {ok: false, message: `${upperFirst(label)} failed: ${error instanceof Error ? error.message : String(error)}`};
		} finally {
			if (watching) void watching.finally(() => this.inFlight.delete(key));
			else this.inFlight.delete(key);
		}
	}

	private watch(action: TimedOutAction): ActionResult {
		return watchTimedOut(this.store, action, this.outcomeWatch);
	}

	private async doConnect(request: ConnectRequest, names: {network: string; container: string}): Promise<ActionResult> {
		const sentAt = Date.now();
		try {
			await this.gateway.connect(request.networkId, request.containerId, request.options);
		} catch (error) {
			if (outcomeUnknown(error)) {
				return this.watch({
					doing: `Connecting ${names.container} to ${names.network}`,
					check: endpointCheck(this.gateway, {id: request.networkId, name: names.network}, request.containerId, true, sentAt, Date.now),
					detail: () => describeEndpoint(this.engineView.storeEndpoint(request.networkId, request.containerId), request.containerId),
				});
			}

			return this.failure(`Could not connect ${names.container} to ${names.network}`, error, this.context('connect', request.networkId, request.containerId, names));
		}

		const endpoint = await this.engineView.endpointAfter(request.networkId, request.containerId, true);
		return {ok: true, message: `Connected ${names.container} to ${names.network}${describeEndpoint(endpoint, request.containerId)}`};
	}

	private async doDisconnect(request: DisconnectRequest, names: {network: string; container: string}): Promise<ActionResult> {
		const context = this.context('disconnect', request.networkId, request.containerId, names);
		const was = this.engineView.storeEndpoint(request.networkId, request.containerId);
		const sentAt = Date.now();
		try {
			await this.gateway.disconnect(request.networkId, request.containerId, request.force);
		} catch (error) {
			if (outcomeUnknown(error)) {
				return this.watch({
					doing: `${request.force ? 'Force-disconnecting' : 'Disconnecting'} ${names.container} from ${names.network}`,
					check: endpointCheck(this.gateway, {id: request.networkId, name: names.network}, request.containerId, false, sentAt, Date.now),
				});
			}

			return this.failure(`Could not disconnect ${names.container} from ${names.network}`, error, context);
		}

		await this.engineView.endpointAfter(request.networkId, request.containerId, false);
		const address = was?.ipv4 ?? was?.ipv6;
		return {
			ok: true,
			message: `${request.force ? 'Force-disconnected' : 'Disconnected'} ${names.container} from ${names.network}${address ? ` (was ${address})` : ''}`,
		};
	}

	/** Connects again as the endpoint was: its address where the network allows a fixed one, its aliases, links, MAC address, gateway priority and driver options. */
	private async restore(entry: Extract<UndoEntry, {kind: 'disconnected'}>, names: {network: string; container: string}): Promise<ActionResult> {
		const {endpoint} = entry;
		const network = this.store.getSnapshot().networks.find(item => item.id === entry.networkId);
		const fixedAllowed = network !== undefined && !isPredefinedNetwork(network) && network.pools.length > 0;
		const options: ConnectOptions = {};
		const ipv4 = endpoint.requestedIpv4 ?? (fixedAllowed ? endpoint.ipv4 : undefined);
		const ipv6 = endpoint.requestedIpv6 ?? (fixedAllowed && network.enableIPv6 ? endpoint.ipv6 : undefined);
		if (ipv4) options.ipv4 = ipv4;
		if (ipv6) options.ipv6 = ipv6;
		const aliases = chosenAliases(endpoint, entry.containerId);
		if (aliases.length > 0) options.aliases = aliases;
		if (endpoint.links.length > 0) options.links = [...endpoint.links];
		// The gateway sends these only to engines whose API has them.
		if (endpoint.mac) options.mac = endpoint.mac;
		if (endpoint.gwPriority !== undefined && endpoint.gwPriority !== 0) options.gwPriority = endpoint.gwPriority;
		if (endpoint.driverOptions) options.driverOptions = {...endpoint.driverOptions};
		const result = await this.doConnect({networkId: entry.networkId, containerId: entry.containerId, options}, names);
		// The engine picked the old address itself, and this network takes no fixed ones (its
		// subnet was not configured): the same container, aliases and links still matter more.
		if (!result.ok && !entry.fixedByUser && result.refusal?.field === 'ipv4' && (options.ipv4 || options.ipv6)) {
			const {ipv4: _ipv4, ipv6: _ipv6, ...rest} = options;
			const retry = await this.doConnect({networkId: entry.networkId, containerId: entry.containerId, options: rest}, names);
			return retry.ok ? {...retry, message: `${retry.message}; the old address could not be fixed on this network`} : retry;
		}

		return result;
	}

	private async doRemove(networkId: string, name: string, wait = true): Promise<ActionResult> {
		const sentAt = Date.now();
		try {
			await this.gateway.removeNetwork(networkId);
		} catch (error) {
			if (outcomeUnknown(error)) {
				return this.watch({doing: `Removing network ${name}`, check: removeCheck(this.gateway, networkId, sentAt, Date.now)});
			}

			return this.failure(`Could not remove network ${name}`, error, this.context('remove', networkId, undefined, {network: name}));
		}

		if (wait) await this.engineView.settle(current => !current.networks.some(network => network.id === networkId));
		return {ok: true, message: `Removed network ${name}`};
	}

	private failure(what: string, error: unknown, context: RefusalContext): ActionResult {
		const refusal = explainRefusal(error, context);
		return {ok: false, message: `${what}: ${describeRefusal(refusal)}`, refusal};
	}

	/** `names` were taken before the request: a network removed meanwhile is gone from the store by now. */
	private context(action: RefusalContext['action'], networkId: string, containerId?: string, names?: {network: string; container?: string}): RefusalContext {
		const snapshot = this.store.getSnapshot();
		return {
			action,
			network: snapshot.networks.find(network => network.id === networkId),
			networkName: names?.network ?? this.networkName(networkId),
			container: containerId === undefined ? undefined : snapshot.containers.find(container => container.id === containerId),
			containerName: containerId === undefined ? undefined : (names?.container ?? this.containerName(containerId)),
			networks: snapshot.networks,
			containers: snapshot.containers,
		};
	}

	private names(networkId: string, containerId: string): {network: string; container: string} {
		return {network: this.networkName(networkId), container: this.containerName(containerId)};
	}

	private networkName(id: string): string {
		return this.store.getSnapshot().networks.find(network => network.id === id)?.name ?? id.slice(0, 12);
	}

	private containerName(id: string): string {
		return this.store.getSnapshot().containers.find(container => container.id === id)?.name ?? id.slice(0, 12);
	}
}
