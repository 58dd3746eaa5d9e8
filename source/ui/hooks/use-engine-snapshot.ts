import {useSyncExternalStore} from 'react';
import type {EngineSnapshot} from '../../model/store.js';
import {useAppServices} from '../app-context.js';

export function useEngineSnapshot(): EngineSnapshot {
	const {store} = useAppServices();
	return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
