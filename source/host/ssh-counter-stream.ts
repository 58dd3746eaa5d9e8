import {spawn} from 'node:child_process';
import type {ChildProcessWithoutNullStreams} from 'node:child_process';

// The interface counters are read once a second while the host pane is on screen. Over ssh,
// a run per read meant a new ssh client (a process here, a channel and a shell there) every
// second: the largest part of docknet's idle cost over ssh. Instead one ssh run stays open
// and prints /proc/net/dev each time it reads a line from us.

/**
 * Prints /proc/net/dev, then a marker, for every line it reads; shell builtins only, so the
 * remote side starts no process per read either.
 */
export const COUNTER_STREAM_SCRIPT = 'while read -r _; do while IFS= read -r l; do printf "%s\\n" "$l"; done </proc/net/dev; echo @@end; done';
const FRAME_END = '@@end\n';

export interface CounterStreamFailure {
	exitCode: number | null;
	stderr: string;
	spawnError?: string;
	timedOut?: boolean;
}

export interface CounterStream {
	/** The next reading of /proc/net/dev; rejects with the failure when the stream is gone. */
	read(): Promise<string>;
	/** Ends the remote loop and the local ssh client. */
	close(): void;
	readonly closed: boolean;
}

interface Waiter {
	resolve: (frame: string) => void;
	reject: (failure: CounterStreamFailure) => void;
	timer: NodeJS.Timeout;
}

export function openCounterStream(sshBinary: string, args: readonly string[], timeoutMs: number): CounterStream {
	let child: ChildProcessWithoutNullStreams;
	const waiting: Waiter[] = [];
	let buffer = '';
	let stderr = '';
	let closed = false;
	let failure: CounterStreamFailure | undefined;

	const fail = (reason: CounterStreamFailure): void => {
		if (failure === undefined) failure = reason;
		closed = true;
		for (const waiter of waiting.splice(0)) {
			clearTimeout(waiter.timer);
			waiter.reject(failure);
		}

		child.kill('SIGKILL');
	};

	try {
		child = spawn(sshBinary, [...args], {stdio: ['pipe', 'pipe', 'pipe']});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return failedStream({exitCode: null, stderr: '', ...(code === undefined ? {} : {spawnError: code})});
	}

	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		buffer += chunk;
		let end = buffer.indexOf(FRAME_END);
		while (end >= 0) {
			const frame = buffer.slice(0, end);
			buffer = buffer.slice(end + FRAME_END.length);
			const waiter = waiting.shift();
			if (waiter) {
				clearTimeout(waiter.timer);
				waiter.resolve(frame);
			}

			end = buffer.indexOf(FRAME_END);
		}
	});
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-4000);
	});
	child.on('error', (error: NodeJS.ErrnoException) => {
		fail({exitCode: null, stderr, ...(error.code === undefined ? {} : {spawnError: error.code})});
	});
	child.on('close', code => {
		fail({exitCode: code ?? null, stderr});
	});
	// A write after the remote end went away must not throw: `close` reports it.
	child.stdin.on('error', () => undefined);

	return {
		get closed() {
			return closed;
		},
		read: async () => new Promise<string>((resolve, reject) => {
			if (closed) {
				reject(failure ?? {exitCode: null, stderr});
				return;
			}

			const timer = setTimeout(() => fail({exitCode: null, stderr, timedOut: true}), timeoutMs);
			waiting.push({resolve, reject, timer});
			child.stdin.write('\n');
		}),
		close() {
			if (closed) return;
			closed = true;
			for (const waiter of waiting.splice(0)) {
				clearTimeout(waiter.timer);
				waiter.reject({exitCode: null, stderr: 'closed'});
			}

			// End of input ends the remote loop; the client goes with it, or is made to.
			child.stdin.end();
			setTimeout(() => child.kill('SIGKILL'), 2000).unref();
		},
	};
}

function failedStream(failure: CounterStreamFailure): CounterStream {
	return {
		closed: true,
		read: async () => Promise.reject(failure),
		close: () => undefined,
	};
}
