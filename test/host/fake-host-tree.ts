import * as fs from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {ContainerEndpoint, DockerContainer, InterfaceStats} from '../../source/model/types.js';

// A fake /sys and /proc laid out like the real ones: /sys/class/net/<if> is a symlink to
// /sys/devices/virtual/net/<if> (or a PCI device for NICs), `master` and `device` are
// relative symlinks, each container's sysfs sits under /proc/<pid>/root/sys/class/net.

export interface FakeInterface {
	name: string;
	ifindex: number;
	/** Defaults to ifindex. */
	iflink?: number;
	operstate?: string;
	mtu?: number;
	/** Written as is; '' mimics a tun device. Default a MAC derived from the index. */
	address?: string;
	/** ARPHRD type; default 1 (ether). */
	type?: number;
	devtype?: string;
	master?: string;
	/** A physical device: adds the `device` symlink and lives under /sys/devices/pci…. */
	device?: boolean;
	/** Adds the `bridge/` directory a bridge has. */
	bridge?: boolean;
	/** Adds `bonding/`. */
	bonding?: boolean;
	/** Adds `wireless/`. */
	wireless?: boolean;
	/** Content of tun_flags, e.g. "0x1001". */
	tunFlags?: string;
	/** Lower devices (macvlan parent): adds `lower_<name>` links. */
	lower?: string[];
	stats?: Partial<InterfaceStats>;
}

const STAT_FILES: Record<keyof InterfaceStats, string> = {
	rxBytes: 'rx_bytes',
	txBytes: 'tx_bytes',
	rxPackets: 'rx_packets',
	txPackets: 'tx_packets',
	rxErrors: 'rx_errors',
	txErrors: 'tx_errors',
	rxDropped: 'rx_dropped',
	txDropped: 'tx_dropped',
};

export function fakeMac(index: number): string {
	return `02:42:ac:11:00:${index.toString(16).padStart(2, '0')}`;
}

async function writeInterface(sysRoot: string, item: FakeInterface): Promise<void> {
	const deviceDirectory = item.device
		? path.join(sysRoot, 'devices', 'pci0000:00', `0000:00:0${item.ifindex}.0`, 'net', item.name)
		: path.join(sysRoot, 'devices', 'virtual', 'net', item.name);
	await fs.mkdir(path.join(deviceDirectory, 'statistics'), {recursive: true});
	const files: Record<string, string> = {
		ifindex: String(item.ifindex),
		iflink: String(item.iflink ?? item.ifindex),
		operstate: item.operstate ?? 'up',
		mtu: String(item.mtu ?? 1500),
		address: item.address ?? fakeMac(item.ifindex),
		type: String(item.type ?? 1),
		uevent: `${item.devtype ? `DEVTYPE=${item.devtype}\n` : ''}INTERFACE=${item.name}\nIFINDEX=${item.ifindex}\n`,
	};
	if (item.tunFlags) files['tun_flags'] = item.tunFlags;
	for (const [file, content] of Object.entries(files)) await fs.writeFile(path.join(deviceDirectory, file), `${content}\n`);
	for (const [key, file] of Object.entries(STAT_FILES) as Array<[keyof InterfaceStats, string]>) {
		await fs.writeFile(path.join(deviceDirectory, 'statistics', file), `${item.stats?.[key] ?? 0}\n`);
	}
	if (item.bridge) await fs.mkdir(path.join(deviceDirectory, 'bridge'));
	if (item.bonding) await fs.mkdir(path.join(deviceDirectory, 'bonding'));
	if (item.wireless) await fs.mkdir(path.join(deviceDirectory, 'wireless'));
	if (item.master) await fs.symlink(`../${item.master}`, path.join(deviceDirectory, 'master'));
	if (item.device) await fs.symlink('../../../0000:00:0' + item.ifindex + '.0', path.join(deviceDirectory, 'device'));
	for (const lower of item.lower ?? []) await fs.symlink(`../${lower}`, path.join(deviceDirectory, `lower_${lower}`));
	const classNet = path.join(sysRoot, 'class', 'net');
	await fs.mkdir(classNet, {recursive: true});
	await fs.symlink(path.relative(classNet, deviceDirectory), path.join(classNet, item.name));
}

export interface FakeHostTree {
	root: string;
	sysClassNet: string;
	procRoot: string;
	addInterface(item: FakeInterface): Promise<void>;
	/** Removes the class/net link and the device directory, as the kernel does. */
	removeInterface(name: string): Promise<void>;
	/** Gives process `pid` its own sysfs with these interfaces (lo is added). */
	addProcess(pid: number, interfaces: FakeInterface[]): Promise<void>;
	writeProcNetDev(text: string): Promise<void>;
	cleanup(): Promise<void>;
}

export async function createFakeHostTree(interfaces: FakeInterface[] = []): Promise<FakeHostTree> {
	const root = await fs.mkdtemp(path.join(tmpdir(), 'docknet-host-test-'));
	const sysRoot = path.join(root, 'sys');
	const procRoot = path.join(root, 'proc');
	await fs.mkdir(path.join(sysRoot, 'class', 'net'), {recursive: true});
	await fs.mkdir(procRoot, {recursive: true});
	const tree: FakeHostTree = {
		root,
		sysClassNet: path.join(sysRoot, 'class', 'net'),
		procRoot,
		addInterface: (item) => writeInterface(sysRoot, item),
		async removeInterface(name) {
			const link = path.join(sysRoot, 'class', 'net', name);
			const target = path.resolve(path.dirname(link), await fs.readlink(link));
			await fs.rm(link);
			await fs.rm(target, {recursive: true, force: true});
		},
		async addProcess(pid, processInterfaces) {
			const containerSys = path.join(procRoot, String(pid), 'root', 'sys');
			await fs.mkdir(path.join(containerSys, 'class', 'net'), {recursive: true});
			await writeInterface(containerSys, {name: 'lo', ifindex: 1, type: 772, address: '00:00:00:00:00:00'});
			for (const item of processInterfaces) await writeInterface(containerSys, item);
		},
		async writeProcNetDev(text) {
			await fs.mkdir(path.join(procRoot, 'net'), {recursive: true});
			await fs.writeFile(path.join(procRoot, 'net', 'dev'), text);
		},
		cleanup: () => fs.rm(root, {recursive: true, force: true}),
	};
	for (const item of interfaces) await tree.addInterface(item);
	return tree;
}

/** Builds /proc/net/dev text the way the kernel lays it out. */
export function procNetDevText(rows: Array<{name: string; stats?: Partial<InterfaceStats>}>): string {
	const header =
		'Inter-|   Receive                                                |  Transmit\n' +
		' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
	return (
		header +
		rows
			.map(({name, stats = {}}) => {
				const n = (value: number | undefined) => String(value ?? 0);
				const rx = [stats.rxBytes, stats.rxPackets, stats.rxErrors, stats.rxDropped, 0, 0, 0, 0].map(n);
				const tx = [stats.txBytes, stats.txPackets, stats.txErrors, stats.txDropped, 0, 0, 0, 0].map(n);
				return `${name.padStart(6)}: ${[...rx, ...tx].join(' ')}`;
			})
			.join('\n') +
		'\n'
	);
}

export function fakeContainer(
	overrides: Partial<DockerContainer> & {id: string},
	endpoints: Array<Partial<ContainerEndpoint> & {networkId: string; networkName: string}> = [],
): DockerContainer {
	return {
		name: overrides.id,
		image: 'docknet-test/busybox:latest',
		state: 'running',
		status: 'Up 1 minute',
		created: 0,
		networkMode: 'bridge',
		ports: [],
		labels: {},
		inspected: true,
		...overrides,
		endpoints: endpoints.map((endpoint) => ({
			endpointId: `ep-${endpoint.networkId}`,
			aliases: [],
			links: [],
			...endpoint,
		})),
	};
}
