import React, {createContext, useContext} from 'react';
import type {CommandLogService} from '../commands/command-log.js';
import type {EngineActions} from '../model/engine-actions.js';
import type {ForwardingReader} from '../model/forwarding.js';
import type {InsideReader} from '../model/inside.js';
import type {DockerContextRef, NodeEngineOffer} from '../model/node-engines.js';
import type {SnapshotSource} from '../model/store.js';
import type {KeyBinding} from './keys/keymap.js';
import type {PaneId} from './state/ui-state.js';
import type {Theme} from './theme.js';

/** Everything components may reach beyond their props; one context, built once in cli.tsx. */
export interface AppServices {
	store: SnapshotSource;
	theme: Theme;
	/** Started with --read-only: every action that changes the engine is refused. */
	readOnly: boolean;
	/** Connect, disconnect, create, remove, prune, undo; absent in --read-only mode. */
	actions?: EngineActions;
	/** What docknet sent to the engine, as docker commands (the `L` screen and the journal). */
	commands?: CommandLogService;
	/** A container's stack as seen inside it (the `i` view); absent where the host cannot be read. */
	readInside?: InsideReader;
	/** NAT rules and docker-proxies of published ports (container details). */
	readForwarding?: ForwardingReader;
	/** The user's docker contexts (read when the swarm screen opens). */
	dockerContexts?(): readonly DockerContextRef[];
	/**
	 * Opens the engines of these swarm nodes in the picture: every docker context not open yet
	 * is asked who it is, and those that are one of the nodes join. Says what it did.
	 */
	openNodeEngines?(offers: readonly NodeEngineOffer[]): Promise<string>;
	/** The key bindings in force: the built-in keymap with the config file's changes. */
	keymap?: readonly KeyBinding[];
	/** Event actions (`exec_start`) or `type action` pairs left out of the events strip (config file). */
	hiddenEvents?: readonly string[];
	/** The columns each pane shows, by title (config file); a pane not named shows them all. */
	paneColumns?: Partial<Record<PaneId, readonly string[]>>;
	/**
	 * `:ctx`: makes an open engine the current one (its host in the interfaces pane, where
	 * `:create` creates), or opens a docker context of that name; with no name, lists them.
	 */
	switchEngine?(name: string | undefined): Promise<string>;
	/** Shows the next engine's host in the interfaces pane (several engines open); says which. */
	showNextHost?(): string;
	/** Counters are read only while the interfaces pane is on screen, for the rows it shows. */
	setInterfaceRatesActive(active: boolean, visible?: readonly string[]): void;
	/** Leaves the app the same way on every path: q, Ctrl-C, signals. */
	quit(): void;
}

const AppServicesContext = createContext<AppServices | undefined>(undefined);

export function AppServicesProvider({services, children}: {services: AppServices; children: React.ReactNode}) {
	return <AppServicesContext.Provider value={services}>{children}</AppServicesContext.Provider>;
}

export function useAppServices(): AppServices {
	const services = useContext(AppServicesContext);
	if (!services) throw new Error('useAppServices needs an AppServicesProvider');
	return services;
}
