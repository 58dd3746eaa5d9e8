import {execFile} from 'node:child_process';
import {existsSync, readdirSync, readlinkSync, statSync} from 'node:fs';
import path from 'node:path';
import type {OverlayPlumbing, PlumbingReader} from '../model/swarm-types.js';
import {asRecord} from '../text/json-read.js';

// An overlay network's plumbing on this node: the engine keeps it in a hidden network
// namespace, `1-<first 10 characters of the network id>` beside the containers' namespaces
// (under the engine's exec-root, e.g. /var/run/docker/netns): a bridge br0, a vxlan0 with
// the VNI and UDP port, and one fdb entry per remote endpoint (its MAC → the node's
// address). Read with nsenter into that namespace — never by exec'ing into a container.
// Needs root and the engine on this machine.

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

async function inNamespace(file: string, command: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('nsenter', [`--net=${file}`, ...command], {timeout: 5000, maxBuffer: 4 * 1024 * 1024}, (error, stdout, stderr) => {
			if (error === null) resolve(stdout);
			else reject(new Error(stderr.trim() || error.message));
		});
	});
}

/** Whether `file` is a mount point here (a namespace bound onto it), not the bare file under it. */
function isMountPoint(file: string): boolean {
	try {
		return statSync(file).dev !== statSync(path.dirname(file)).dev;
	} catch {
		return false;
	}
}

/**
 * The engine binds each namespace onto its file in its own mount namespace. When docknet runs
 * in another one (started by `ip netns exec`, in a container, under a private /tmp), a
 * namespace made after it started never shows here: only the empty file under the mount.
 * The same path through the root of a process in a mount namespace where it is a mount
 * reaches the namespace itself. One process per mount namespace is looked at.
 */
function throughOtherMounts(file: string): string | undefined {
	const own = readOrUndefined(() => readlinkSync('/proc/self/ns/mnt'));
	const seen = new Set(own === undefined ? [] : [own]);
	let pids: string[];
	try {
		pids = readdirSync('/proc').filter(entry => /^\d+$/.test(entry));
	} catch {
		return undefined;
	}

	for (const pid of pids) {
		const namespace = readOrUndefined(() => readlinkSync(`/proc/${pid}/ns/mnt`));
		if (namespace === undefined || seen.has(namespace)) continue;
		seen.add(namespace);
		const candidate = `/proc/${pid}/root${file}`;
		if (isMountPoint(candidate)) return candidate;
	}

	return undefined;
}

function readOrUndefined<T>(read: () => T): T | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

/** `ip -j -d link` and `bridge -j fdb` of one overlay namespace, as docknet's type. */
export function parsePlumbing(networkId: string, namespace: string, linksJson: string, fdbJson: string): OverlayPlumbing {
	const links = JSON.parse(linksJson) as unknown;
	const fdb = JSON.parse(fdbJson) as unknown;
	let bridge = '';
	let vxlan: OverlayPlumbing['vxlan'];
	for (const item of Array.isArray(links) ? links : []) {
		const link = asRecord(item);
		const info = asRecord(link['linkinfo']);
		const kind = text(info['info_kind']);
		if (kind === 'bridge' && bridge === '') bridge = text(link['ifname']);
		if (kind === 'vxlan') {
			const data = asRecord(info['info_data']);
			vxlan = {name: text(link['ifname']), vni: text(data['id']), port: text(data['port'])};
		}
	}

	const entries = (Array.isArray(fdb) ? fdb : [])
		.map(item => asRecord(item))
		.filter(entry => text(entry['dst']) !== '' && text(entry['mac']) !== '')
		.map(entry => ({mac: text(entry['mac']), address: text(entry['dst'])}));
	return {networkId, namespace, bridge, ...(vxlan === undefined ? {} : {vxlan}), fdb: entries};
}

/** Reads the plumbing of the given overlays (those without a namespace on this node are left out). */
export const readOverlayPlumbing: PlumbingReader = async (netnsDir, networkIds) => {
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		return {status: 'unavailable', reason: "reading an overlay's hidden namespace needs root"};
	}

	const overlays: OverlayPlumbing[] = [];
	for (const networkId of networkIds) {
		const namespace = `1-${networkId.slice(0, 10)}`;
		const here = path.join(netnsDir, namespace);
		if (!existsSync(here)) continue;
		const file = isMountPoint(here) ? here : (throughOtherMounts(here) ?? here);
		// Each namespace on its own: one that cannot be read (gone meanwhile, not a namespace
		// in this mount namespace) says so for its network and hides no other.
		try {
			const [links, fdb] = await Promise.all([
				inNamespace(file, ['ip', '-j', '-d', 'link', 'show']),
				inNamespace(file, ['bridge', '-j', 'fdb', 'show']),
			]);
			overlays.push(parsePlumbing(networkId, namespace, links, fdb));
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			overlays.push({networkId, namespace, bridge: '', fdb: [], error: reason});
		}
	}

	return {status: 'ok', overlays};
};
