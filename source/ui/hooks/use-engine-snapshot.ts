import {useSyncExternalStore} from 'react';
import type {EngineSnapshot} from '../../model/store.js';
import {safeDeep} from '../../text/safe-text.js';
import {useAppServices} from '../app-context.js';

/**
 * The engine snapshot as the UI may show it: every string made safe to draw. Copies are
 * remembered per object, so this returns the same object for the same snapshot and unchanged
 * networks and containers keep their identity.
 */
export function useEngineSnapshot(): EngineSnapshot {
	const {store} = useAppServices();
	return safeDeep(useSyncExternalStore(store.subscribe, store.getSnapshot));
}
