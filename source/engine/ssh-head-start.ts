import {spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';
import {masterArguments} from '../ssh/arguments.js';
import {defaultControlDirectory, prepareControlDirectory} from '../ssh/control-directory.js';
import type {SshTarget} from '../ssh/target.js';
import {sshChecked, sshTargetProblem, sshUserAndHost} from './ssh-address.js';

// The login to an ssh:// engine (key exchange, authentication, a session: half a second and
// more) is the longest piece of a start over ssh. The launcher starts it before it loads the
// main bundle, so the two overlap; the engine's ssh transport then takes this master over
// instead of starting its own. One that nobody takes (the engine chosen in the end is another
// one) is stopped soon after.

/** A master connection started ahead, as the transport's startMaster would have started it. */
export interface HeadStartMaster {
	child: ChildProcess;
	controlPath: string;
}

interface HeadStart {
	target: SshTarget;
	master: Promise<HeadStartMaster | undefined>;
	claimed: boolean;
}

// The launcher and the main bundle are separate bundles: each has its own copy of this module.
const slot = Symbol.for('docknet.sshHeadStart');
const registry = globalThis as {[slot]?: HeadStart};

const UNCLAIMED_MS = 15_000;
/** The transport's own default, which a head start must share for the transport to take it over. */
export const HEAD_START_CONNECT_TIMEOUT_SECONDS = 10;

/** The name of a master's control socket: one per docknet and per connection made. */
export function masterControlPath(directory: string, index: number): string {
	return path.join(directory, `m-${process.pid}-${index}`);
}

/** Spawns a master connection the way the ssh transport does. */
export function spawnMaster(sshBinary: string, target: SshTarget, controlPath: string, connectTimeoutSeconds: number): ChildProcess {
	rmSync(controlPath, {force: true});
	return spawn(sshBinary, masterArguments(target, controlPath, connectTimeoutSeconds), {stdio: ['pipe', 'pipe', 'pipe']});
}

/** The target of an ssh:// address, or undefined for any other address or one ssh would refuse. */
export function sshTargetOf(address: string): SshTarget | undefined {
	if (!address.startsWith('ssh://')) return undefined;
	try {
		const url = new URL(address);
		const userAndHost = sshChecked(() => sshUserAndHost(url), message => new Error(message));
		const port = url.port === '' ? undefined : Number(url.port);
		return {...userAndHost, ...(port === undefined ? {} : {port})};
	} catch {
		return undefined;
	}
}

const sameTarget = (a: SshTarget, b: SshTarget): boolean => a.host === b.host && a.port === b.port && a.username === b.username;

/** Starts the master for `address` now, if it is an ssh:// address. Never throws: the transport starts one itself otherwise. */
export function startSshHeadStart(address: string): void {
	const target = sshTargetOf(address);
	if (target === undefined || sshTargetProblem(target) !== undefined || registry[slot] !== undefined) return;
	const entry: HeadStart = {
		target,
		claimed: false,
		master: (async () => {
			const directory = await prepareControlDirectory(defaultControlDirectory());
			if (directory === undefined) return undefined;
			const controlPath = masterControlPath(directory, 0);
			const child = spawnMaster('ssh', target, controlPath, HEAD_START_CONNECT_TIMEOUT_SECONDS);
			child.on('error', () => undefined);
			child.stdin?.on('error', () => undefined);
			child.unref();
			for (const stream of [child.stdin, child.stdout, child.stderr] as Array<{unref?: () => void} | null>) stream?.unref?.();
			// Whatever happens to docknet, a master nobody took goes.
			process.once('exit', () => {
				if (!entry.claimed) child.kill();
			});
			setTimeout(() => {
				if (entry.claimed) return;
				child.kill();
				rmSync(controlPath, {force: true});
			}, UNCLAIMED_MS).unref();
			return {child, controlPath};
		})().catch(() => undefined),
	};
	registry[slot] = entry;
}

/** The master started ahead for this target, once; undefined when there is none (or it is gone). */
export async function claimSshHeadStart(target: SshTarget): Promise<HeadStartMaster | undefined> {
	const entry = registry[slot];
	if (entry === undefined || entry.claimed || !sameTarget(entry.target, target)) return undefined;
	entry.claimed = true;
	const master = await entry.master;
	if (master === undefined || master.child.exitCode !== null || master.child.signalCode !== null) return undefined;
	return master;
}
