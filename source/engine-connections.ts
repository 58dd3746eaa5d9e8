import {hostname} from 'node:os';
import {createDockerGateway} from './engine/docker-gateway.js';
import type {ResolvedEndpoint} from './engine/endpoint.js';
import {createSshTransport} from './engine/ssh-transport.js';
import type {SshTransport} from './engine/ssh-transport.js';
import type {HostInterfaceSource} from './model/host-source.js';
import {readOverlayPlumbing} from './host/overlay-plumbing.js';
import {forwardedReason, locateSocketNamespace, otherNamespaceReason} from './host/socket-namespace.js';
import {createSshSource} from './host/ssh-source.js';
import {createSysfsSource} from './host/sysfs-source.js';
import type {EngineGateway} from './model/gateway.js';
import {engineAddressLabel} from './model/picture.js';
import type {PlumbingReader} from './model/swarm-types.js';
import type {EngineInfo} from './model/types.js';

// The real connections behind an engine: its gateway (and ssh transport), where its host's
// interfaces are read, and its overlay plumbing. The composition seam takes these as
// factories, so tests put their own in the same places.

/** An engine's connection: the gateway, and the ssh transport it runs over, if any. */
export interface EngineConnection {
	gateway: EngineGateway;
	sshTransport?: SshTransport;
}

/** Opens an engine's connection: the real one in docknet, a fake or a recording one in tests. */
export type EngineConnector = (endpoint: ResolvedEndpoint) => EngineConnection;

/** What a host monitor reads, or why the host cannot be read. */
export type HostSourceChoice = HostInterfaceSource | {unavailable: string};

/** Where the engine's host interfaces can be read from, or why they cannot. */
export function hostSourceFor(
	endpoint: ResolvedEndpoint,
	sshTransport?: SshTransport,
	info?: Pick<EngineInfo, 'product' | 'rootless' | 'hostname'>,
	label = engineAddressLabel(endpoint.url),
): HostSourceChoice {
	if (info?.rootless) {
		// This machine's interfaces are not the engine's: showing them would claim its
		// bridges are missing.
		return {
			unavailable: `rootless ${info.product} keeps its bridges and veths in a network namespace of its own, which cannot be seen from the user's side; networks, containers, addresses and actions work`,
		};
	}

	if (endpoint.kind === 'unix' && endpoint.local) {
		// A socket on this machine, maybe served from another network namespace: this
		// namespace's interfaces and veths would then be listed as that engine's.
		const namespace = endpoint.socketPath === undefined ? undefined : locateSocketNamespace(endpoint.socketPath);
		if (namespace?.status === 'other') return {unavailable: otherNamespaceReason(label, namespace.netns)};
		// A forwarded socket (ssh -L) reaches an engine that may be anywhere: its own name for its host tells.
		if (namespace?.status === 'forwarded' && info !== undefined && info.hostname !== '' && info.hostname !== hostname()) {
			return {unavailable: forwardedReason(label, info.hostname, hostname(), namespace)};
		}

		return createSysfsSource();
	}

	if (endpoint.kind === 'ssh' && endpoint.host) {
		// Over the engine's own ssh connection: one connection for everything.
		const target = {host: endpoint.host, port: endpoint.port, username: endpoint.username};
		if (sshTransport === undefined) return createSshSource(target);
		return inSessionsOf(sshTransport, createSshSource(target, {sharedControlPath: async () => sshTransport.controlPath()}));
	}

	return {
		unavailable: `the engine at ${endpoint.url} runs on another machine, and docknet reads a host's interfaces only locally or over ssh://`,
	};
}

/** Each one-shot host read waits for a session of the engine's ssh connection, as its HTTP channels do. */
function inSessionsOf(transport: SshTransport, source: HostInterfaceSource): HostInterfaceSource {
	const {readInside, readForwarding} = source;
	return {
		...source,
		scan: async () => transport.withinSession(async () => source.scan()),
		listNames: async () => transport.withinSession(async () => source.listNames()),
		findVethPeers: async (containers, hostInterfaces) => transport.withinSession(async () => source.findVethPeers(containers, hostInterfaces)),
		...(readInside === undefined ? {} : {readInside: async (pid: number) => transport.withinSession(async () => readInside(pid))}),
		...(readForwarding === undefined ? {} : {readForwarding: async () => transport.withinSession(async () => readForwarding())}),
	};
}

/** Overlay plumbing is read in the engine's own namespaces: only for an engine on this machine. */
export function plumbingFor(endpoint: ResolvedEndpoint): PlumbingReader | {unavailable: string} {
	if (endpoint.kind === 'unix' && endpoint.local) return readOverlayPlumbing;
	return {unavailable: `the engine at ${endpoint.url} runs on another machine: its overlay namespaces cannot be read from here`};
}

export function connectTo(endpoint: ResolvedEndpoint): EngineConnection {
	const sshTransport = endpoint.kind === 'ssh' && endpoint.host !== undefined
		? createSshTransport({host: endpoint.host, port: endpoint.port, username: endpoint.username})
		: undefined;
	return {gateway: createDockerGateway(endpoint, {sshTransport}), ...(sshTransport === undefined ? {} : {sshTransport})};
}

