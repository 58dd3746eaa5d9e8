import {bridgeNameForNetwork} from '../host/bridges.js';
import {attachmentsByNetwork} from '../model/selectors.js';
import type {InsideView} from '../model/inside.js';
import {portPaths} from '../model/port-paths.js';
import type {CollectedSnapshot} from './collect-snapshot.js';
import {clusterJson, swarmJson} from './snapshot-swarm-json.js';
import {composeLabels, composeOfContainer, composeProjectOfNetwork} from '../model/compose.js';
import type {DockerContainer} from '../model/types.js';

// The `docknet snapshot --json` shape. It is a contract for scripts: add fields freely,
// never rename or remove one without bumping `schema`. Documented in the README.
export const snapshotSchema = 'docknet.snapshot/1';

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** Compose's view of a container: project, service, replica number (null for a one-off), one-off. */
function composeJson(container: DockerContainer): unknown {
	const compose = composeOfContainer(container);
	if (compose === undefined) return null;
	return {project: compose.project, service: orNull(compose.service), replica: orNull(compose.replica), oneoff: compose.oneoff};
}

function insideJson(view: InsideView | undefined): unknown {
	if (!view) return null;
	if (view.status === 'unavailable') return {status: view.status, reason: view.reason};
	return {
		status: view.status,
		interfaces: view.interfaces.map(item => ({
			name: item.name,
			ifindex: item.ifindex,
			peerIfindex: orNull(item.peerIfindex),
			state: item.state,
			mtu: item.mtu,
			mac: orNull(item.mac),
			addresses: item.addresses,
		})),
		routes: view.routes.map(route => ({
			family: route.family,
			destination: route.destination,
			gateway: orNull(route.gateway),
			device: orNull(route.device),
			protocol: orNull(route.protocol),
			scope: orNull(route.scope),
			source: orNull(route.source),
			metric: orNull(route.metric),
		})),
		dns: view.dns,
		hosts: view.hosts,
		// How /etc/resolv.conf and /etc/hosts were read: a cut or refused file says so here.
		files: view.files.map(file => ({
			path: file.path,
			status: file.status,
			size: orNull(file.size),
			readBytes: orNull(file.readBytes),
			cut: file.cut ?? false,
			note: orNull(file.note),
		})),
	};
}

export function snapshotToJson({snapshot, hostView, takenAt, inside, forwarding}: CollectedSnapshot): unknown {
	const attachments = attachmentsByNetwork(snapshot.containers);
	const {engine, host} = snapshot;
	return {
		schema: snapshotSchema,
		takenAt: takenAt.toISOString(),
		engine: engine
			? {
					endpoint: engine.endpoint,
					source: engine.source,
					product: engine.product,
					rootless: engine.rootless,
					version: engine.version,
					apiVersion: engine.apiVersion,
					os: engine.os,
					kernel: engine.kernel,
					hostname: engine.hostname,
					swarm: engine.swarm,
					drivers: engine.drivers,
				}
			: null,
		networks: snapshot.networks.map(network => ({
			id: network.id,
			name: network.name,
			driver: network.driver,
			scope: network.scope,
			internal: network.internal,
			attachable: network.attachable,
			ingress: network.ingress,
			ipv6: network.enableIPv6,
			ipv4: network.enableIPv4 ?? null,
			configOnly: network.configOnly ?? false,
			configFrom: orNull(network.configFrom),
			ipam: {
				driver: network.ipamDriver,
				pools: network.pools.map(pool => ({
					subnet: pool.subnet,
					gateway: orNull(pool.gateway),
					ipRange: orNull(pool.ipRange),
					auxAddresses: pool.auxAddresses ?? {},
				})),
			},
			options: network.options,
			labels: network.labels,
			compose: composeProjectOfNetwork(network) === undefined ? null : {project: composeProjectOfNetwork(network), network: orNull(network.labels[composeLabels.network])},
			bridge: orNull(bridgeNameForNetwork(network)),
			containers: (attachments.get(network.id) ?? []).map(({container, endpoint}) => ({
				id: container.id,
				name: container.name,
				ipv4: orNull(endpoint.ipv4),
				ipv6: orNull(endpoint.ipv6),
				mac: orNull(endpoint.mac),
				compose: composeJson(container),
			})),
			cluster: clusterJson(snapshot.swarm, snapshot.swarm.networks.get(network.id)),
		})),
		containers: snapshot.containers.map(container => ({
			id: container.id,
			name: container.name,
			image: container.image,
			state: container.state,
			health: orNull(container.health),
			status: container.status,
			networkMode: container.networkMode,
			command: orNull(container.command),
			labels: container.labels,
			compose: composeJson(container),
			pid: orNull(container.pid),
			endpoints: container.endpoints.map(endpoint => ({
				network: endpoint.networkName,
				networkId: endpoint.networkId,
				ipv4: orNull(endpoint.ipv4),
				ipv4PrefixLength: orNull(endpoint.ipv4PrefixLength),
				ipv6: orNull(endpoint.ipv6),
				ipv6PrefixLength: orNull(endpoint.ipv6PrefixLength),
				gateway: orNull(endpoint.gateway),
				ipv6Gateway: orNull(endpoint.ipv6Gateway),
				mac: orNull(endpoint.mac),
				aliases: endpoint.aliases,
				dnsNames: endpoint.dnsNames ?? null,
				gwPriority: orNull(endpoint.gwPriority),
				driverOptions: endpoint.driverOptions ?? {},
			})),
			ports: container.ports.map(port => ({
				containerPort: port.containerPort,
				protocol: port.protocol,
				hostIp: orNull(port.hostIp),
				hostPort: orNull(port.hostPort),
			})),
			inside: insideJson(inside?.get(container.id)),
			published: portPaths(container, forwarding, {networks: snapshot.networks, ...((snapshot.engines?.length ?? 1) > 1 || !snapshot.engine ? {} : {engine: snapshot.engine})}).map(path => ({
				hostIp: orNull(path.binding.hostIp),
				hostPort: orNull(path.binding.hostPort),
				protocol: path.binding.protocol,
				containerIp: orNull(path.containerIp),
				containerPort: path.binding.containerPort,
				nat: path.rule ? path.rule.text : null,
				natPlace: path.rule ? path.rule.place : null,
				forwarded: path.verdict.kind,
				...(path.verdict.kind === 'unknown' ? {unknownBecause: path.verdict.reason} : {}),
				proxyPid: path.proxy ? path.proxy.pid : null,
			})),
		})),
		...swarmJson(snapshot),
		forwarding: forwarding ? (forwarding.status === 'ok' ? {status: 'ok'} : {status: forwarding.status, reason: forwarding.reason}) : null,
		interfaces: {
			origin: host.origin,
			status: host.status,
			reason: orNull(host.reason),
			peers: host.peers.status === 'ok' ? 'ok' : {unavailable: host.peers.reason, hint: orNull(host.peers.hint)},
			items: host.interfaces.map(item => {
				const links = hostView.interfaces.get(item.name);
				return {
					name: item.name,
					kind: item.kind,
					state: item.state,
					mac: orNull(item.mac),
					mtu: item.mtu,
					ifindex: item.ifindex,
					iflink: item.iflink,
					addresses: item.addresses,
					master: orNull(item.master),
					peer: links?.peer
						? {
								containerId: links.peer.containerId,
								container: links.peer.containerName,
								interface: links.peer.containerInterface,
								network: orNull(links.peer.networkName),
								networkId: orNull(links.peer.networkId),
							}
						: null,
					bridge: links?.network ? {network: links.network.name, networkId: links.network.id, members: links.members} : null,
					localPeer: orNull(links?.localPeer),
					parent: orNull(links?.parent),
					parentOf: (links?.parentOf ?? []).map(network => ({network: network.name, networkId: network.id})),
					stats: item.stats,
				};
			}),
		},
	};
}
