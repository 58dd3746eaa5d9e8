import {commandLine, connectArgv, createArgv, onEngine} from '../../commands/docker-command.js';
import type {ConnectOptions, NetworkCreateSpec} from '../../model/gateway.js';
import {parseKeyValues, splitList} from '../../model/validation.js';
import type {FormDialog} from '../state/dialog-state.js';
import {connectInputOf, networkInputOf} from './action-dialogs.js';

// The command a form will run, as typed so far: shown under the fields and updated with
// every key. It reads the fields the way the checks before sending do (lists split on commas
// or spaces, key=value pairs), and leaves out what is still empty; the log records what was
// actually sent.

const keyValues = (text: string): Record<string, string> | undefined => {
	const {values} = parseKeyValues(text);
	return Object.keys(values).length > 0 ? values : undefined;
};

const listOf = (text: string): string[] | undefined => {
	const items = [...new Set(splitList(text))];
	return items.length > 0 ? items : undefined;
};

export function formCommand(form: FormDialog): string | undefined {
	const {flow} = form;
	if (flow.type === 'connectOptions') {
		const input = connectInputOf(form);
		const options: ConnectOptions = {};
		if (input.ipv4.trim()) options.ipv4 = input.ipv4.trim();
		if (input.ipv6.trim()) options.ipv6 = input.ipv6.trim();
		const aliases = listOf(input.aliases);
		if (aliases) options.aliases = aliases;
		const links = listOf(input.links);
		if (links) options.links = links;
		const driverOptions = keyValues(input.driverOptions);
		if (driverOptions) options.driverOptions = driverOptions;
		const gwPriority = Number((input.gwPriority ?? '').trim());
		if ((input.gwPriority ?? '').trim() !== '' && Number.isInteger(gwPriority)) options.gwPriority = gwPriority;
		return commandLine(onEngine(connectArgv(flow.networkInCommand, flow.containerName, options), flow.engineFlags));
	}

	if (flow.type === 'createNetwork') {
		const input = networkInputOf(form);
		const spec: NetworkCreateSpec = {name: input.name.trim() || '<name>', driver: input.driver};
		const set = <K extends keyof NetworkCreateSpec>(key: K, value: NetworkCreateSpec[K] | undefined | '' | false): void => {
			if (value !== undefined && value !== '' && value !== false) spec[key] = value;
		};

		set('subnet', input.subnet.trim());
		set('gateway', input.gateway.trim());
		set('ipRange', input.ipRange.trim());
		const aux = Object.entries(keyValues(input.auxAddresses) ?? {});
		set('auxAddresses', aux.length > 0 ? Object.fromEntries(aux.filter(([, address]) => !address.includes(':'))) : undefined);
		set('enableIPv6', input.ipv6);
		if (input.ipv4 === false) spec.enableIPv4 = false;
		if (input.ipv6) {
			set('ipv6Subnet', input.ipv6Subnet.trim());
			set('ipv6Gateway', input.ipv6Gateway.trim());
			set('ipv6AuxAddresses', aux.some(([, address]) => address.includes(':')) ? Object.fromEntries(aux.filter(([, address]) => address.includes(':'))) : undefined);
		}

		set('internal', input.internal);
		set('attachable', input.attachable);
		set('labels', keyValues(input.labels));
		set('options', keyValues(input.options));
		return commandLine(onEngine(createArgv(spec), flow.engineFlags));
	}

	return undefined;
}
