import {readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import xterm from '@xterm/headless';
import {spawn as spawnPty} from 'node-pty';
import type {IPty} from 'node-pty';

// docknet in a real pseudo-terminal, its output fed into a headless xterm of the same size:
// the screen a user would see, byte for byte, for end-to-end tests and the benchmark.

const {Terminal} = xterm;
type HeadlessTerminal = InstanceType<typeof Terminal>;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const docknetBundle = path.join(repoRoot, 'dist', 'docknet.js');

/** Key sequences as a terminal sends them. */
export const keys = {
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	up: '\u001B[A',
	down: '\u001B[B',
	ctrlC: '\u0003',
} as const;

export interface StartDocknetOptions {
	/** Arguments after `docknet`. */
	args: string[];
	columns?: number;
	rows?: number;
	/** Added to (and overriding) the inherited environment; CI is always removed. */
	env?: Record<string, string>;
	/** Run under `ip netns exec <netns>`, so /sys shows that namespace's interfaces. */
	netns?: string;
	/** Runs docknet through this command, e.g. ['setpriv', '--reuid=65534', …] (after ip netns exec). */
	wrapper?: string[];
	/** The docknet bundle to run (default dist/docknet.js); experiments pass a variant build. */
	script?: string;
	/** Options for node itself, before the script (e.g. --cpu-prof). */
	nodeArgs?: string[];
	/** Runs this instead of node and a bundle: the single executable, an installed `docknet`. */
	command?: string[];
	/** Keep every byte received for rawOutput() (default true; the benchmark turns it off). */
	recordOutput?: boolean;
}

export interface ExitStatus {
	exitCode: number;
	signal: number | undefined;
}

export type LinesPredicate = (lines: string[]) => boolean;

export interface DocknetPty {
	/** Visible lines, right-trimmed. */
	screen(): string[];
	/** The visible lines joined with newlines. */
	text(): string;
	/** Per visible line, the characters drawn in inverse video (selection, focused title), trimmed. */
	highlighted(): string[];
	/** Everything received so far, as the terminal got it (escape sequences included). */
	rawOutput(): string;
	/**
	 * Resolves once the screen shows the text (or matches the regex), with the time
	 * (performance.now()) the output that made it so arrived from the pty.
	 */
	waitForText(textOrRegex: string | RegExp, timeoutMs?: number): Promise<number>;
	/** Resolves once the predicate holds for the visible lines; same time as waitForText. */
	waitFor(predicate: LinesPredicate, what: string, timeoutMs?: number): Promise<number>;
	/** Resolves with the arrival time of the next output that changes the screen. */
	nextChange(timeoutMs?: number): Promise<number>;
	/** Writes keys to the terminal as typed. */
	press(keys: string): void;
	/** Wall-clock ms (performance.timeOrigin based) of every press() so far, in order. */
	readonly pressedAt: readonly number[];
	resize(columns: number, rows: number): void;
	readonly bytesReceived: number;
	/** When output last arrived (performance.now()), or the spawn time. */
	readonly lastOutputAt: number;
	readonly columns: number;
	readonly rows: number;
	readonly exited: Promise<ExitStatus>;
	/** Whether the child has exited. */
	readonly hasExited: boolean;
	/** Signals the child process (default SIGTERM). */
	kill(signal?: NodeJS.Signals): void;
	/** Signals the child's whole process group (the pty made it a session leader). */
	killGroup(signal?: NodeJS.Signals): void;
	/**
	 * Closes the terminal as a dropped ssh link or a closed window does: the kernel sends
	 * SIGHUP and every later write to it fails with EIO. The screen stops changing.
	 */
	hangUp(): void;
	/** Kills the child (TERM, then KILL) unless it exited, and waits for it. Never throws. */
	dispose(): Promise<void>;
	/** The pid of the process the pty started (may be a wrapper such as `ip netns exec`). */
	readonly pid: number;
	/** The docknet node process itself: the pid or its newest node descendant. */
	nodePid(): number | undefined;
}

interface Waiter {
	check: () => boolean;
	resolve: (at: number) => void;
}

const live = new Set<DocknetPty>();

/** Kills every docknet started here that is still running (use in `after`). */
export async function disposeAllDocknets(): Promise<void> {
	await Promise.all([...live].map(async app => app.dispose()));
}

function childEnv(extra: Record<string, string> | undefined): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (value !== undefined) env[name] = value;
	}

	// With CI set, Ink draws nothing until it unmounts: the test would see an empty screen.
	delete env['CI'];
	env['TERM'] = 'xterm-256color';
	return {...env, ...extra};
}

function describeScreen(lines: string[]): string {
	return lines.map((line, index) => `${String(index).padStart(2)}│${line}`).join('\n');
}

export function startDocknet(options: StartDocknetOptions): DocknetPty {
	let columns = options.columns ?? 100;
	let rows = options.rows ?? 30;
	const record = options.recordOutput ?? true;
	const command = [...(options.command ?? [process.execPath, ...(options.nodeArgs ?? []), options.script ?? docknetBundle]), ...options.args];
	const wrapped = [...(options.wrapper ?? []), ...command];
	const full = options.netns === undefined ? wrapped : ['ip', 'netns', 'exec', options.netns, ...wrapped];
	const [file, ...args] = full as [string, ...string[]];

	const terminal: HeadlessTerminal = new Terminal({cols: columns, rows, allowProposedApi: true, scrollback: 0});
	const child: IPty = spawnPty(file, args, {name: 'xterm-256color', cols: columns, rows, cwd: repoRoot, env: childEnv(options.env)});

	const pressedAt: number[] = [];
	let bytesReceived = 0;
	let lastOutputAt = performance.now();
	const chunks: string[] = [];
	let waiters: Waiter[] = [];
	let exitStatus: ExitStatus | undefined;

	const screen = (): string[] => {
		const buffer = terminal.buffer.active;
		const lines: string[] = [];
		for (let index = 0; index < terminal.rows; index++) {
			lines.push(buffer.getLine(buffer.viewportY + index)?.translateToString(true) ?? '');
		}

		return lines;
	};

	const highlighted = (): string[] => {
		const buffer = terminal.buffer.active;
		const cell = buffer.getNullCell();
		const lines: string[] = [];
		for (let index = 0; index < terminal.rows; index++) {
			const line = buffer.getLine(buffer.viewportY + index);
			let text = '';
			for (let column = 0; line !== undefined && column < line.length; column++) {
				if (line.getCell(column, cell)?.isInverse()) text += cell.getChars() || ' ';
			}

			lines.push(text.trim());
		}

		return lines;
	};

	const settleWaiters = (at: number): void => {
		if (waiters.length === 0) return;
		const still: Waiter[] = [];
		for (const waiter of waiters) {
			if (waiter.check()) waiter.resolve(at);
			else still.push(waiter);
		}

		waiters = still;
	};

	// Output is parsed asynchronously: conditions are checked once xterm has applied a chunk,
	// and credited to the moment that chunk arrived.
	child.onData(data => {
		const arrived = performance.now();
		lastOutputAt = arrived;
		bytesReceived += Buffer.byteLength(data);
		if (record) chunks.push(data);
		terminal.write(data, () => settleWaiters(arrived));
	});

	const exited = new Promise<ExitStatus>(resolve => {
		child.onExit(({exitCode, signal}) => {
			exitStatus = {exitCode, signal: signal === 0 ? undefined : signal};
			// Let xterm finish parsing what arrived before the exit.
			terminal.write('', () => {
				settleWaiters(performance.now());
				resolve(exitStatus as ExitStatus);
			});
		});
	});

	const waitFor = async (predicate: LinesPredicate, what: string, timeoutMs = 10_000): Promise<number> =>
		new Promise<number>((resolve, reject) => {
			let done = false;
			const finish = (error: Error | undefined, at?: number): void => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				clearInterval(poll);
				waiters = waiters.filter(waiter => waiter !== entry);
				if (error) reject(error);
				else resolve(at ?? performance.now());
			};

			const entry: Waiter = {check: () => predicate(screen()), resolve: at => finish(undefined, at)};
			const timer = setTimeout(() => {
				const state = exitStatus ? ` (docknet exited: code ${exitStatus.exitCode}, signal ${exitStatus.signal ?? 'none'})` : '';
				finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${state}. Screen:\n${describeScreen(screen())}`));
			}, timeoutMs);
			// A safety net for a condition that becomes true without new output (it never
			// should); cheap, and the exact time comes from the write callback anyway.
			const poll = setInterval(() => {
				if (entry.check()) finish(undefined);
			}, 50);
			if (entry.check()) {
				finish(undefined);
				return;
			}

			waiters.push(entry);
		});

	const waitForText = async (textOrRegex: string | RegExp, timeoutMs?: number): Promise<number> => {
		const matches = (lines: string[]): boolean => {
			const text = lines.join('\n');
			return typeof textOrRegex === 'string' ? text.includes(textOrRegex) : textOrRegex.test(text);
		};

		return waitFor(matches, typeof textOrRegex === 'string' ? JSON.stringify(textOrRegex) : String(textOrRegex), timeoutMs);
	};

	const nextChange = async (timeoutMs?: number): Promise<number> => {
		const before = screen().join('\n');
		return waitFor(lines => lines.join('\n') !== before, 'the screen to change', timeoutMs);
	};

	const signalChild = (signal: NodeJS.Signals, group: boolean): void => {
		if (exitStatus !== undefined) return;
		try {
			process.kill(group ? -child.pid : child.pid, signal);
		} catch {
			// Already gone.
		}
	};

	const app: DocknetPty = {
		screen,
		text: () => screen().join('\n'),
		highlighted,
		rawOutput: () => chunks.join(''),
		waitForText,
		waitFor,
		nextChange,
		press: sequence => {
			if (exitStatus !== undefined) return;
			pressedAt.push(performance.timeOrigin + performance.now());
			child.write(sequence);
		},
		pressedAt,
		resize: (newColumns, newRows) => {
			columns = newColumns;
			rows = newRows;
			// The emulator first, so output drawn for the new size lands on a screen of that size.
			terminal.resize(newColumns, newRows);
			if (exitStatus === undefined) child.resize(newColumns, newRows);
		},
		get bytesReceived() {
			return bytesReceived;
		},
		get lastOutputAt() {
			return lastOutputAt;
		},
		get columns() {
			return columns;
		},
		get rows() {
			return rows;
		},
		exited,
		get hasExited() {
			return exitStatus !== undefined;
		},
		kill: (signal = 'SIGTERM') => signalChild(signal, false),
		killGroup: (signal = 'SIGTERM') => signalChild(signal, true),
		hangUp: () => {
			// destroy() closes the pty's master side; node-pty has it but does not declare it.
			const closable = child as IPty & {destroy?: () => void};
			if (typeof closable.destroy !== 'function') throw new Error('this node-pty cannot close its terminal');
			closable.destroy();
		},
		dispose: async () => {
			live.delete(app);
			if (exitStatus === undefined) {
				signalChild('SIGTERM', false);
				const killer = setTimeout(() => signalChild('SIGKILL', true), 3000);
				await exited;
				clearTimeout(killer);
			}

			terminal.dispose();
		},
		pid: child.pid,
		nodePid: () => findNodeProcess(child.pid),
	};
	live.add(app);
	return app;
}

function readStat(pid: number): {ppid: number; comm: string} | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const open = stat.indexOf('(');
		const close = stat.lastIndexOf(')');
		const fields = stat.slice(close + 2).split(' ');
		return {ppid: Number(fields[1]), comm: stat.slice(open + 1, close)};
	} catch {
		return undefined;
	}
}

// The single executable's process is named after its file (comm keeps 15 characters).
const isDocknetProcess = (comm: string | undefined): boolean => comm === 'node' || (comm?.startsWith('docknet') ?? false);

/** `pid` itself when it runs node, else its newest node descendant (wrappers exec or fork). */
export function findNodeProcess(pid: number): number | undefined {
	if (isDocknetProcess(readStat(pid)?.comm)) return pid;
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = readStat(Number(entry));
		if (stat === undefined) continue;
		const list = children.get(stat.ppid) ?? [];
		list.push(Number(entry));
		children.set(stat.ppid, list);
	}

	let found: number | undefined;
	const queue = [pid];
	while (queue.length > 0) {
		const current = queue.shift() as number;
		for (const next of children.get(current) ?? []) {
			if (isDocknetProcess(readStat(next)?.comm) && (found === undefined || next > found)) found = next;
			queue.push(next);
		}
	}

	return found;
}

/** CPU time (user + system) of a process in clock ticks, from /proc/<pid>/stat. */
export function cpuTicks(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// Fields 14 and 15 of stat(5) (utime, stime); fields[0] here is field 3.
	return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size in kB, from /proc/<pid>/status. */
export function residentKb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	return match ? Number(match[1]) : Number.NaN;
}
