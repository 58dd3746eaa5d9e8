import {createConnection} from 'node:net';
import type {Readable} from 'node:stream';

// Helpers of the ssh transport's forwarded route: the master's line naming the engine socket, and whether a
// forwarded socket reaches something that speaks HTTP (sshd closes a forward it refuses
// right after the local connect).

/**
 * The first line of a stream that matches `wanted` (a login shell may print others first),
 * or undefined if the stream ends, 4 KB pass, or `ms` go by without one.
 */
export async function lineMatching(stream: Readable, wanted: RegExp, ms: number): Promise<string | undefined> {
	return new Promise(resolve => {
		let text = '';
		let seen = 0;
		const onData = (chunk: Buffer | string): void => {
			text += chunk.toString();
			for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
				const line = text.slice(0, end);
				seen += end + 1;
				text = text.slice(end + 1);
				if (wanted.test(line)) {
					done(line);
					return;
				}
			}

			if (seen + text.length > 4096) done(undefined);
		};

		const onEnd = (): void => done(undefined);
		const timer = setTimeout(onEnd, ms);
		timer.unref();
		const done = (line: string | undefined): void => {
			clearTimeout(timer);
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('close', onEnd);
			// The rest of the output is nobody's: keep the pipe drained.
			stream.resume();
			resolve(line);
		};

		stream.on('data', onData);
		stream.once('end', onEnd);
		stream.once('close', onEnd);
	});
}

/** Whether an HTTP server answers a ping on the unix socket at `socketPath` within `ms`. */
export async function answersHttp(socketPath: string, ms: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = createConnection(socketPath);
		const finish = (answered: boolean): void => {
			clearTimeout(timer);
			socket.destroy();
			resolve(answered);
		};

		const timer = setTimeout(() => finish(false), ms);
		let answer = '';
		socket.on('connect', () => socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n'));
		socket.on('data', (chunk: Buffer) => {
			answer += chunk.toString('latin1');
			if (answer.length >= 9) finish(answer.startsWith('HTTP/1.'));
		});
		socket.on('error', () => finish(false));
		socket.on('close', () => finish(false));
	});
}
