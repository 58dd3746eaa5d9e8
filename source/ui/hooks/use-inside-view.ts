import {useEffect, useState} from 'react';
import type {ForwardingScan} from '../../model/forwarding.js';
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
	const id = container?.id;
	useEffect(() => {
		if (key === '') return;
		let current = true;
		const reading = readInside ? readInside(pid, id) : Promise.resolve<InsideView>({status: 'unavailable', reason: "this session cannot read the engine host's namespaces"});
		void reading.then(view => {
			// Interface names, DNS and hosts come from inside the container: anyone's text.
			if (current) setRead({key, view: safeDeep(view)});
		});
		return () => {
			current = false;
		};
	}, [key, pid, id, readInside]);
	return read?.key === key ? read.view : undefined;
}

/**
 * The NAT rules and docker-proxies behind `container`'s published ports while its details
 * are on screen; read again when its ports or addresses change.
 */
export function useForwarding(container: DockerContainer | undefined): ForwardingScan | undefined {
	const {readForwarding} = useAppServices();
	const [read, setRead] = useState<{key: string; scan: ForwardingScan}>();
	const published = container?.ports.filter(port => port.hostPort !== undefined) ?? [];
	const key =
		container && published.length > 0 && container.networkMode !== 'host'
			? `${container.id}:${published.map(port => `${port.hostIp ?? ''}:${port.hostPort ?? ''}/${port.protocol}`).join(',')}:${container.endpoints.map(endpoint => endpoint.ipv4 ?? '').join(',')}`
			: '';
	const id = container?.id;
	useEffect(() => {
		if (key === '') return;
		let current = true;
		const reading = readForwarding ? readForwarding(id) : Promise.resolve<ForwardingScan>({status: 'unavailable', reason: "this session cannot read the engine host's NAT rules"});
		void reading.then(scan => {
			if (current) setRead({key, scan: safeDeep(scan)});
		});
		return () => {
			current = false;
		};
	}, [key, id, readForwarding]);
	return read?.key === key ? read.scan : undefined;
}
