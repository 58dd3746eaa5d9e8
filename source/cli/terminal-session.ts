import {closeSync, constants, openSync, writeSync} from 'node:fs';
import {debugWanted, exitCodes, formatFailure, reportFailure} from '../failure-report.js';
import type {IdleMemoryTrim} from '../runtime/idle-memory-trim.js';
import type {UiInstance} from '../startup/render-ui.js';
import {keyTrace} from '../terminal/key-trace.js';

// The full-screen session's hold on the terminal: the alternate screen on the way in, and
// every way out (q, Ctrl-C, SIGTERM, SIGHUP from a dropped ssh session, a crash) giving the
// user's terminal back as it was.

const enterAlternateScreen = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

export interface TerminalSessionOptions {
	/** Stops following the engines and closes their connections: on a normal way out. */
	close(): void;
	/** Stops following the engines only: the terminal is gone and nothing is waited for. */
	stop(): void;
	/** What the session shows (the engines), named in a crash report. */
	showing: string;
	/** DOCKNET_KEY_TRACE: the file the keys' timings are written to on the way out. */
	keyTraceFile?: string;
}

export interface TerminalSession {
	/** Switches to the alternate screen: just before the first frame. */
	enter(): void;
	/** What to stop on the way out once Ink renders (a signal may come before that). */
	attach(instance: UiInstance, memoryTrim: IdleMemoryTrim): void;
	/** Leaves: stops everything, gives the terminal back, says `message`, exits with `code`. */
	shutdown(code: number, message?: string): void;
}

/** Takes the process's signals and the terminal's errors; returns how to enter and leave. */
export function openTerminalSession(options: TerminalSessionOptions): TerminalSession {
	const {keyTraceFile} = options;
	if (keyTraceFile) keyTrace.enable();
	let restored = false;
	const restoreTerminal = (): void => {
		if (restored) return;
		restored = true;
		process.stdout.write(leaveAlternateScreen + showCursor);
	};

	let exiting = false;
	const screen: {instance?: UiInstance; memoryTrim?: IdleMemoryTrim} = {};
	const shutdown = (code: number, message?: string): void => {
		if (exiting) return;
		exiting = true;
		screen.memoryTrim?.stop();
		options.close();
		screen.instance?.unmount();
		restoreTerminal();
		if (keyTraceFile) writeKeyTrace(keyTraceFile);
		if (message) process.stderr.write(message);
		process.exit(code);
	};

	// The terminal went away (window closed, ssh dropped, tmux session killed): there is
	// nothing to draw on or restore. Node restores the tty's settings at exit and aborts when
	// that fails on a hung-up tty (node::ResetStdio); with the descriptors closed it skips them.
	const terminalGone = (code: number): void => {
		if (exiting) return;
		exiting = true;
		restored = true;
		screen.memoryTrim?.stop();
		options.stop();
		if (keyTraceFile) writeKeyTrace(keyTraceFile);
		for (const fd of [0, 1, 2]) {
			try {
				closeSync(fd);
			} catch {
				// Already closed.
			}
		}

		process.exit(code);
	};

	const unexpected = (error: unknown): void => {
		const report = reportFailure(error, 'showing the engine', options.showing);
		shutdown(exitCodes.internal, formatFailure({...report, exitCode: exitCodes.internal}, debugWanted(process.argv, process.env)));
	};

	process.on('SIGTERM', () => shutdown(143));
	process.on('SIGINT', () => shutdown(130));
	process.on('SIGQUIT', () => shutdown(131));
	// SIGHUP also comes from `kill -HUP` with the terminal still there: give it back then. A
	// synchronous write tells which: on a hung-up terminal it fails with EIO.
	process.on('SIGHUP', () => {
		if (exiting) return;
		try {
			writeSync(1, leaveAlternateScreen + showCursor);
		} catch {
			terminalGone(129);
			return;
		}

		shutdown(129);
	});
	for (const stream of [process.stdout, process.stdin]) {
		stream.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EIO' || error.code === 'EPIPE' || error.code === 'ENXIO' || error.code === 'EBADF') terminalGone(129);
			else unexpected(error);
		});
	}

	// A hung-up terminal reads as end of file; when nobody forwards the SIGHUP (docknet is not
	// the session leader, and the leader survives), that is the only sign, as docknet may be
	// writing nothing at all while idle.
	process.stdin.on('end', () => terminalGone(129));
	process.on('uncaughtException', unexpected);
	process.on('unhandledRejection', unexpected);
	process.on('exit', restoreTerminal);

	return {
		enter: () => process.stdout.write(enterAlternateScreen),
		attach(instance, memoryTrim) {
			screen.instance = instance;
			screen.memoryTrim = memoryTrim;
		},
		shutdown,
	};
}

/** The operator names the file, maybe in a shared /tmp: a link planted there is not followed. */
function writeKeyTrace(file: string): void {
	try {
		const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
		try {
			writeSync(fd, `${JSON.stringify(keyTrace.recorded())}\n`);
		} finally {
			closeSync(fd);
		}
	} catch {
		// A diagnostic only: never a reason to fail on the way out.
	}
}
