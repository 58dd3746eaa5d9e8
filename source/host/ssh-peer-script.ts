import type {DockerContainer} from '../model/types.js';
import {MAX_CONTAINER_INTERFACES} from './contained-reader.js';
import {type ContainerSideInterface, type VethPeerScan, joinVethPeers} from '../model/host-source.js';
import type {SshTarget} from '../ssh/target.js';

// Which container is behind each veth of a remote engine's host, asked with one shell
// command over ssh: the containers' own /sys/class/net through /proc/<pid>/root, read by the
// remote shell as root. Those directories are the containers' to fill with anything.

/** Seconds one container's interfaces may take on the remote host before its reader is killed. */
export const REMOTE_CONTAINER_SECONDS = 2;

/**
 * One remote shell command that reports, for each pid, the interfaces of that process's
 * network namespace (through its own sysfs mount), then the host's indexes.
 * Lines: `if <pid> <name> <ifindex> <iflink> <mac>`, `denied <pid>`, `gone <pid>`,
 * `odd <pid>` (its /sys/class/net is a link or missing), `slow <pid>` (its reader was
 * killed), `outside <pid> <name>` (an interface that links out of /sys/class/net),
 * `host <name> <ifindex> <iflink> <mac>`.
 *
 * A container's files are the container's to make anything of: only regular files that are
 * not links are read (never a FIFO or /dev/zero, never a host file through an absolute
 * link), one line each; each container is read in a subshell that a watchdog kills after
 * REMOTE_CONTAINER_SECONDS, so a file swapped for a FIFO between test and read costs that
 * container, not the scan. Builtins only for the host's own loop: no fork per interface.
 */
export function peerScript(pids: readonly number[]): string {
	const list = pids.filter((pid) => Number.isSafeInteger(pid) && pid > 0).join(' ');
	const field = (file: string, variable: string): string =>
		`${variable}=; [ -f "$n/${file}" ] && [ ! -h "$n/${file}" ] && read -r ${variable} 2>/dev/null <"$n/${file}"; `;
	const containerLoop =
		`c=0; for n in *; do [ "$n" = lo ] && continue; c=$((c+1)); [ $c -gt ${MAX_CONTAINER_INTERFACES} ] && break; ` +
		'case $(readlink "$n" 2>/dev/null) in /*) echo "outside $p $n"; continue;; esac; ' +
		`${field('ifindex', 'i')}${field('iflink', 'l')}${field('address', 'a')}echo "if $p $n $i $l $a"; done`;
	const hostLoop =
		'for n in *; do [ "$n" = lo ] && continue; i=; l=; a=; read i 2>/dev/null <"$n/ifindex"; read l 2>/dev/null <"$n/iflink"; ' +
		'read a 2>/dev/null <"$n/address"; echo "host $n $i $l $a"; done';
	return (
		`for p in ${list}; do if cd /proc/$p/root 2>/dev/null; then ` +
		'if [ -h sys ] || [ -h sys/class ] || [ -h sys/class/net ] || ! cd sys/class/net 2>/dev/null; then echo "odd $p"; continue; fi; ' +
		`( ${containerLoop} ) & w=$!; ( sleep ${REMOTE_CONTAINER_SECONDS}; kill -9 $w ) >/dev/null 2>&1 & k=$!; ` +
		'wait $w || echo "slow $p"; kill $k 2>/dev/null; ' +
		'elif [ -d /proc/$p ]; then echo "denied $p"; else echo "gone $p"; fi; done; ' +
		`cd /sys/class/net && ${hostLoop}`
	);
}

const MAC_ADDRESS = /^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$/i;

/** Parses peerScript output into a peer scan. Pure, for tests. */
export function parsePeerReport(
	stdout: string,
	containers: readonly DockerContainer[],
	target: SshTarget,
): VethPeerScan {
	const byPid = new Map<number, DockerContainer>();
	for (const container of containers) if (container.pid) byPid.set(container.pid, container);
	const sides = new Map<number, ContainerSideInterface[]>();
	const host = new Map<number, {iflink: number}>();
	let denied = false;
	for (const line of stdout.split('\n')) {
		const fields = line.trim().split(/\s+/);
		const [tag] = fields;
		if (tag === 'denied') denied = true;
		if (tag === 'if' && fields.length >= 5) {
			const [, pidText, name, ifindexText, iflinkText, mac] = fields as [string, string, string, string, string, string?];
			const pid = Number(pidText);
			const ifindex = Number(ifindexText);
			const iflink = Number(iflinkText);
			if (!Number.isInteger(ifindex) || !Number.isInteger(iflink) || ifindexText === '' || iflinkText === '') continue;
			const list = sides.get(pid) ?? [];
			// Only what sysfs would hold: whatever else a container planted is not passed on.
			list.push({name, ifindex, iflink, mac: mac && MAC_ADDRESS.test(mac) ? mac : undefined});
			sides.set(pid, list);
		}
		if (tag === 'host' && fields.length >= 4) {
			const ifindex = Number(fields[2]);
			const iflink = Number(fields[3]);
			if (Number.isInteger(ifindex) && Number.isInteger(iflink)) host.set(ifindex, {iflink});
		}
	}
	if (denied) {
		return target.username === 'root'
			? {status: 'unavailable', reason: `${target.host} refused root access to the containers' /proc/<pid>/root`}
			: {
					status: 'unavailable',
					reason: `the ssh user on ${target.host} may not look inside containers, so docknet cannot tell which veth belongs to which`,
					hint: 'connect as root (ssh://root@host) to see the container behind each veth',
				};
	}
	const joined = [...sides].flatMap(([pid, interfaces]) => {
		const container = byPid.get(pid);
		return container ? [{container, interfaces}] : [];
	});
	return {status: 'ok', peers: joinVethPeers(host, joined)};
}
