import type {EngineRequest} from '../command-line/command-requests.js';
import type {Command} from '../keys/keymap.js';
import type {DialogFlow} from '../state/dialog-state.js';
import {connectFlow} from './connect-flow.js';
import {createFlow} from './create-flow.js';
import {disconnectFlow} from './disconnect-flow.js';
import type {Flow} from './flow.js';
import {pruneFlow} from './prune-flow.js';
import {removeFlow} from './remove-flow.js';
import {undoFlow} from './undo-flow.js';

// Every flow that changes the engine. A new one is a module of its own, added here.

export const flows: readonly Flow[] = [connectFlow, disconnectFlow, createFlow, removeFlow, pruneFlow, undoFlow];

export const flowForCommand = (command: Command): Flow | undefined => flows.find(flow => flow.commands.includes(command));
export const flowForDialog = (flow: DialogFlow): Flow | undefined => flows.find(candidate => candidate.dialogs.includes(flow.type));
export const flowForRequest = (request: EngineRequest): Flow | undefined => flows.find(flow => flow.requests?.includes(request.kind));
