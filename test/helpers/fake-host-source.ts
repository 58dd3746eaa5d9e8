import type {HostInterfaceSource, VethPeerScan} from '../../source/model/host-source.js';
import type {DockerContainer, HostInterface, InterfaceStats, VethPeer} from '../../source/model/types.js';

const zero: InterfaceStats = {rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0};

export function fakeInterface(overrides: Partial<HostInterface> & {name: string; ifindex: number}): HostInterface {
	return {iflink: overrides.ifindex, kind: 'ethernet', state: 'up', mtu: 1500, addresses: [], stats: {...zero}, ...overrides};
}

/**
 * A host whose veths follow the fake engine's running containers: one veth per endpoint,
 * on the bridge of that endpoint's network.
 */
export class FakeHostSource implements HostInterfaceSource {
	readonly origin = 'fake host';
	peersUnavailable: string | undefined;
	counters = new Map<string, InterfaceStats>();

	constructor(private readonly containers: () => readonly DockerContainer[], private readonly bridges: Record<string, string> = {}) {}

	private build(): {interfaces: HostInterface[]; peers: VethPeerScan} {
		const interfaces: HostInterface[] = [
			fakeInterface({name: 'lo', ifindex: 1, kind: 'loopback', state: 'unknown', mtu: 65536, addresses: ['127.0.0.1/8']}),
			fakeInterface({name: 'eth0', ifindex: 2, addresses: ['192.0.2.10/24'], mac: '52:54:00:12:34:56'}),
		];
		let ifindex = 3;
		for (const [networkId, bridge] of Object.entries(this.bridges)) {
			interfaces.push(fakeInterface({name: bridge, ifindex: ifindex++, kind: 'bridge', addresses: [], mac: `02:42:00:00:00:${ifindex}`}));
			void networkId;
		}

		const peers: VethPeer[] = [];
		for (const container of this.containers()) {
			if (container.state !== 'running') continue;
			container.endpoints.forEach((endpoint, position) => {
				const bridge = this.bridges[endpoint.networkId];
				if (!bridge) return;
				const hostIndex = ifindex++;
				const containerIndex = 100 + hostIndex;
				interfaces.push(
					fakeInterface({name: `veth${container.name}${position}`, ifindex: hostIndex, iflink: containerIndex, kind: 'veth', master: bridge}),
				);
				peers.push({
					hostIfindex: hostIndex,
					containerId: container.id,
					containerName: container.name,
					containerInterface: `eth${position}`,
					containerMac: endpoint.mac,
					networkId: endpoint.networkId,
					networkName: endpoint.networkName,
				});
			});
		}

		for (const item of interfaces) item.stats = this.counters.get(item.name) ?? item.stats;
		return {interfaces, peers: this.peersUnavailable ? {status: 'unavailable', reason: this.peersUnavailable} : {status: 'ok', peers}};
	}

	async scan(): Promise<HostInterface[]> {
		return this.build().interfaces;
	}

	async listNames(): Promise<string[]> {
		return this.build().interfaces.map(item => item.name).sort();
	}

	async readStats(names: readonly string[]): Promise<Map<string, InterfaceStats>> {
		const all = new Map(this.build().interfaces.map(item => [item.name, item.stats]));
		return new Map(names.filter(name => all.has(name)).map(name => [name, all.get(name) as InterfaceStats]));
	}

	async findVethPeers(_containers: readonly DockerContainer[]): Promise<VethPeerScan> {
		return this.build().peers;
	}
}
