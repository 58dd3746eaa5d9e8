import {useEffect, useState} from 'react';
import type {InsideView} from '../../model/inside.js';
import type {DockerContainer} from '../../model/types.js';
import {safeDeep} from '../../text/safe-text.js';
import {useAppServices} from '../app-context.js';

/**
 * The inside view of `container` while it is on screen, read again when the container
 * changes (a connect adds an interface). Undefined until the first read is back.
 */
export function useInsideView(container: DockerContainer | undefined): InsideView | undefined {
	const {readInside} = useAppServices();
	const [read, setRead] = useState<{key: string; view: InsideView}>();
	// The container object changes identity only when the engine reports a change.
	const key = container ? `${container.id}:${container.pid ?? 0}:${container.endpoints.map(endpoint => endpoint.endpointId).join(',')}` : '';
	const pid = container?.pid ?? 0;
	useEffect(() => {
		if (key === '') return;
		let current = true;
		const reading = readInside ? readInside(pid) : Promise.resolve<InsideView>({status: 'unavailable', reason: "this session cannot read the engine host's namespaces"});
		void reading.then(view => {
			// Interface names, DNS and hosts come from inside the container: anyone's text.
			if (current) setRead({key, view: safeDeep(view)});
		});
		return () => {
			current = false;
		};
	}, [key, pid, readInside]);
	return read?.key === key ? read.view : undefined;
}
