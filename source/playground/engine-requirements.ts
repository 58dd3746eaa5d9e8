import {closeSync, openSync, readSync} from 'node:fs';
import {findProgram} from './linux-host.js';

// What a private engine needs of the machine, checked before one starts: the programs, a
// static busybox for the test image, a short enough socket path.

export interface RequirementProblem {
	what: string;
	fix: string;
}

export interface RequirementOptions {
	/** PATH-like list of directories to look in; default: PATH plus the usual sbin and bin directories. */
	searchPath?: string;
	uid?: number;
	platform?: NodeJS.Platform;
}

// sun_path holds 108 bytes; containerd's debug socket is the longest path under the directory.
export const LONGEST_SOCKET_SUFFIX = 'exec/containerd/containerd-debug.sock';
export const MAX_SOCKET_PATH = 107;

interface Tool {
	program: string;
	what: string;
	fix: string;
}

const TOOLS: Tool[] = [
	{program: 'dockerd', what: 'dockerd (the Docker engine)', fix: 'install the Debian package docker.io'},
	{program: 'containerd', what: 'containerd', fix: 'install the Debian package docker.io (it brings containerd)'},
	{program: 'runc', what: 'runc', fix: 'install the Debian package docker.io (it brings runc)'},
	{program: 'iptables', what: 'iptables (dockerd sets up bridge NAT with it)', fix: 'install the Debian package iptables'},
	{program: 'ip', what: 'ip (network namespaces)', fix: 'install the Debian package iproute2'},
	{program: 'nsenter', what: 'nsenter', fix: 'install the Debian package util-linux'},
];

/** True when the ELF file has no program interpreter, i.e. it runs in an empty image. */
function isStaticExecutable(file: string): boolean {
	let fd: number | undefined;
	try {
		fd = openSync(file, 'r');
		const header = Buffer.alloc(64);
		if (readSync(fd, header, 0, 64, 0) < 52 || header.readUInt32BE(0) !== 0x7f_45_4c_46) {
			return false;
		}

		const is64 = header[4] === 2;
		const little = header[5] === 1;
		const u16 = (buffer: Buffer, offset: number) => (little ? buffer.readUInt16LE(offset) : buffer.readUInt16BE(offset));
		const u32 = (buffer: Buffer, offset: number) => (little ? buffer.readUInt32LE(offset) : buffer.readUInt32BE(offset));
		const tableOffset = is64
			? Number(little ? header.readBigUInt64LE(0x20) : header.readBigUInt64BE(0x20))
			: u32(header, 0x1c);
		const entrySize = u16(header, is64 ? 0x36 : 0x2a);
		const entryCount = u16(header, is64 ? 0x38 : 0x2c);
		const table = Buffer.alloc(entrySize * entryCount);
		readSync(fd, table, 0, table.length, tableOffset);
		const programInterpreter = 3;
		for (let index = 0; index < entryCount; index++) {
			if (u32(table, index * entrySize) === programInterpreter) {
				return false;
			}
		}

		return true;
	} catch {
		return false;
	} finally {
		if (fd !== undefined) {
			closeSync(fd);
		}
	}
}

export function findStaticBusybox(searchPath?: string): string | undefined {
	const found = findProgram('busybox', searchPath);
	return found !== undefined && isStaticExecutable(found) ? found : undefined;
}

export function checkPrivateEngineRequirements(options: RequirementOptions = {}): RequirementProblem[] {
	const platform = options.platform ?? process.platform;
	if (platform !== 'linux') {
		return [{what: 'Linux', fix: `a private Docker engine needs Linux network namespaces; this is ${platform}`}];
	}

	const problems: RequirementProblem[] = [];
	const uid = options.uid ?? process.getuid?.() ?? -1;
	if (uid !== 0) {
		problems.push({
			what: 'root privileges (network namespaces and dockerd need them)',
			fix: 'run as root, e.g. with sudo',
		});
	}

	for (const tool of TOOLS) {
		if (findProgram(tool.program, options.searchPath) === undefined) {
			problems.push({what: `${tool.what} not found`, fix: tool.fix});
		}
	}

	if (findStaticBusybox(options.searchPath) === undefined) {
		const present = findProgram('busybox', options.searchPath);
		problems.push({
			what: present === undefined ? 'busybox not found' : `${present} is not statically linked`,
			fix: 'install the Debian package busybox-static (the playground image is made from it)',
		});
	}

	return problems;
}

export function formatRequirementProblems(problems: RequirementProblem[]): string {
	return problems.map(problem => `  - ${problem.what}: ${problem.fix}`).join('\n');
}
