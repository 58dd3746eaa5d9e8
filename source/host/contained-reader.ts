import {type ChildProcessByStdio, spawn} from 'node:child_process';
import * as fs from 'node:fs';
import type {Socket} from 'node:net';
import path from 'node:path';
import type {Readable, Writable} from 'node:stream';
import {type ContainedFile, type ContainedFileReader, type ContainedFs, type ContainedReadOptions, type ContainedRefusal, createContainedFileReader} from './contained-file.js';

// Where the reads of container-controlled files run: in a small helper process (node, started
// from the reader's own source text), never on docknet's main thread nor on its libuv thread
// pool. The reader never blocks on a FIFO or a device (contained-file.ts), but a file system
// the container mounted itself can hang any path lookup (an autofs whose daemon never answers,
// NFS to a server that went away). On the main thread that would freeze the UI until
// `kill -9`; on the thread pool (or in a worker thread) a thread stuck in such a syscall makes
// process.exit() itself hang, because node joins those threads on the way out. A helper
// process can be killed: the read it is on has a deadline, after which the helper is killed,
// that read answers "no answer", and the reads behind it go to a fresh helper. The container
// whose read hung is not read again for a while, so one bad container costs only itself.
//
// The helper's cost: one node start when the first read comes (most of its memory is the node
// binary's pages, shared with docknet's own process), gone again after a quiet spell. Its
// environment is empty (docknet's may hold secrets, and NODE_OPTIONS must not reach it). In
// the single executable there is no plain node to start; there the reads run in-process,
// with every guard but the deadline.

/** One container interface as its own sysfs tells it; the values are the raw file texts. */
export interface ContainedInterface {
	name: string;
	ifindex?: string;
	iflink?: string;
	address?: string;
}

export type ContainedInterfaces = {status: 'listed'; interfaces: ContainedInterface[]} | {status: 'missing'; detail: string} | ContainedRefusal;

/** The reads docknet makes inside a container's root (root = /proc/<pid>/root). */
export interface ContainedReads {
	readFile(root: string, inside: string, options: ContainedReadOptions): Promise<ContainedFile>;
	/**
	 * Its /sys/class/net: every interface but lo with ifindex, iflink and address.
	 * `sysfsOnly` (default true) refuses values that do not come from sysfs.
	 */
	readInterfaces(root: string, sysfsOnly?: boolean): Promise<ContainedInterfaces>;
	/** Stops the helper (tests; docknet's exit kills it anyway). */
	close(): void;
	/** The helper's pid while one runs (tests). */
	helperPid?(): number | undefined;
}

/** Interfaces listed per container at most; a tmpfs can hold millions of made-up ones. */
export const MAX_CONTAINER_INTERFACES = 256;

/** Self-contained (it runs in the helper from its source text): uses only its arguments. */
export function readContainerInterfaces(reader: ContainedFileReader, root: string, maxInterfaces: number, sysfsOnly: boolean): ContainedInterfaces {
	const listing = reader.listDirectory(root, '/sys/class/net', maxInterfaces);
	if (listing.status !== 'listed') return listing;
	const interfaces: ContainedInterface[] = [];
	const fields = ['ifindex', 'iflink', 'address'] as const;
	for (const name of listing.names) {
		if (name === 'lo') continue;
		const entry: ContainedInterface = {name};
		// A value that is missing or refused (a FIFO, a tmpfs file) is simply not there.
		const read = reader.readFilesIn(root, `/sys/class/net/${name}`, fields, sysfsOnly ? {capBytes: 64, filesystem: 'sysfs'} : {capBytes: 64});
		if (read.status === 'read') {
			read.files.forEach((file, index) => {
				const field = fields[index];
				if (field !== undefined && file.status === 'read') entry[field] = file.text.trim();
			});
		}

		interfaces.push(entry);
	}

	return {status: 'listed', interfaces};
}

type RequestBody = {op: 'file'; root: string; inside: string; options: ContainedReadOptions} | {op: 'interfaces'; root: string; max: number; sysfsOnly: boolean};
type Request = RequestBody & {id: number};

/** Calls onLine for each line of the stream. Self-contained: the helper runs it too. */
export function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
	let buffered = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		buffered += chunk;
		let newline = buffered.indexOf('\n');
		while (newline >= 0) {
			const line = buffered.slice(0, newline);
			buffered = buffered.slice(newline + 1);
			onLine(line);
			newline = buffered.indexOf('\n');
		}
	});
}

/** The helper's main loop: one JSON request per line on stdin, one JSON answer per line on stdout. Self-contained. */
export function serveContainedReads(
	makeReader: typeof createContainedFileReader,
	readInterfaces: typeof readContainerInterfaces,
	eachLine: typeof onLines,
	nodeFs: ContainedFs,
): void {
	const reader = makeReader(nodeFs);
	process.stdout.write('ready\n');
	eachLine(process.stdin, line => {
		const request = JSON.parse(line) as Request;
		const result =
			request.op === 'file' ? reader.readFile(request.root, request.inside, request.options) : readInterfaces(reader, request.root, request.max, request.sysfsOnly);
		process.stdout.write(`${JSON.stringify({id: request.id, result})}\n`);
	});
	// docknet went away (or closed us): so do we.
	process.stdin.on('end', () => process.exit(0));
}

function helperSource(): string {
	// tsx and esbuild's keepNames wrap inner functions in a __name() helper of the module;
	// the helper has no module, so it gets a stand-in.
	return [
		'"use strict";',
		'const __name = (target) => target;',
		`const createContainedFileReader = ${createContainedFileReader.toString()};`,
		`const readContainerInterfaces = ${readContainerInterfaces.toString()};`,
		`const onLines = ${onLines.toString()};`,
		`(${serveContainedReads.toString()})(createContainedFileReader, readContainerInterfaces, onLines, require('node:fs'));`,
	].join('\n');
}

function isSingleExecutable(): boolean {
	// Node before 20.16 has no getBuiltinModule; there a node binary is still called node.
	if (typeof process.getBuiltinModule !== 'function') return !path.basename(process.execPath).startsWith('node');
	const sea = process.getBuiltinModule('node:sea') as {isSea?: () => boolean} | undefined;
	return sea?.isSea?.() ?? false;
}

export interface ContainedReadsOptions {
	/** Deadline of one read, once the helper runs. Default 2000 ms. */
	timeoutMs?: number;
	/** How long a starting helper may take to say it is ready. Default 15 000 ms. */
	startMs?: number;
	/** The helper stops after this long without a request. Default 20 000 ms. */
	idleMs?: number;
	/** How long a root whose read hung is answered "hung" without trying. Default 60 000 ms. */
	hungForMs?: number;
	/** Run in-process instead of in a helper (the single executable; tests). */
	inProcess?: boolean;
	/** In-process only: the file system calls (tests inject failures). */
	fs?: ContainedFs;
}

type Result = ContainedFile | ContainedInterfaces;
type Helper = ChildProcessByStdio<Writable, Readable, null>;

interface Pending {
	request: Request;
	resolve: (result: Result) => void;
	/** Helpers that went away while it was asked. */
	lost: number;
}

function inProcessReads(calls: ContainedFs): ContainedReads {
	const reader = createContainedFileReader(calls);
	return {
		readFile: async (root, inside, options) => reader.readFile(root, inside, options),
		readInterfaces: async (root, sysfsOnly = true) => readContainerInterfaces(reader, root, MAX_CONTAINER_INTERFACES, sysfsOnly),
		close: () => undefined,
	};
}

export function createContainedReads(options: ContainedReadsOptions = {}): ContainedReads {
	if (options.inProcess ?? isSingleExecutable()) return inProcessReads(options.fs ?? fs);
	const timeoutMs = options.timeoutMs ?? 2000;
	const startMs = options.startMs ?? 15_000;
	const idleMs = options.idleMs ?? 20_000;
	const hungForMs = options.hungForMs ?? 60_000;
	// In the order sent, which is the order the helper reads them in.
	const pending = new Map<number, Pending>();
	const hungSince = new Map<string, number>();
	let helper: Helper | undefined;
	let ready = false;
	let deadline: NodeJS.Timeout | undefined;
	let idleTimer: NodeJS.Timeout | undefined;
	let nextId = 1;
	let source: string | undefined;

	const stopHelper = (): void => {
		helper?.kill('SIGKILL');
		helper = undefined;
		ready = false;
	};

	// A helper stuck in a syscall would outlive docknet.
	process.once('exit', stopHelper);

	const noAnswer = (why: string): Result => ({status: 'refused', reason: why});

	const answer = (id: number, result: Result): void => {
		const waiting = pending.get(id);
		if (!waiting) return;
		pending.delete(id);
		waiting.resolve(result);
	};

	/**
	 * One deadline, for the read the helper is on (the oldest unanswered): each read gets
	 * timeoutMs of its own, however many wait behind it, and a helper still starting (a
	 * loaded machine) is given startMs before anything is blamed on a container.
	 */
	function arm(): void {
		clearTimeout(deadline);
		deadline = undefined;
		if (pending.size === 0) {
			scheduleIdleStop();
			return;
		}

		deadline = setTimeout(onDeadline, ready ? timeoutMs : startMs);
	}

	function onDeadline(): void {
		deadline = undefined;
		if (!ready) {
			stopHelper();
			for (const id of [...pending.keys()]) answer(id, noAnswer('not read: the reader did not start'));
			return;
		}

		const [head] = pending.keys();
		const stuck = head === undefined ? undefined : pending.get(head);
		if (head === undefined || stuck === undefined) return;
		hungSince.set(stuck.request.root, Date.now());
		answer(head, noAnswer(`no answer within ${timeoutMs / 1000} s: a file system in the container hangs`));
		// The helper is stuck in that read: a fresh one takes the rest.
		stopHelper();
		for (const waiting of pending.values()) send(waiting.request);
		arm();
	}

	function startHelper(): Helper {
		source ??= helperSource();
		const child = spawn(process.execPath, ['--max-old-space-size=32', '--max-semi-space-size=1', '-e', source], {stdio: ['pipe', 'pipe', 'ignore'], env: {}});
		onLines(child.stdout, line => {
			if (helper !== child) return;
			if (line === 'ready') {
				ready = true;
			} else {
				const {id, result} = JSON.parse(line) as {id: number; result: Result};
				answer(id, result);
			}

			arm();
		});
		const lost = (): void => {
			if (helper !== child) return;
			helper = undefined;
			ready = false;
			// Whatever it was doing is asked again of a fresh helper, once: a read that
			// ends its helper every time must not start one helper after another.
			for (const [id, waiting] of pending) {
				waiting.lost += 1;
				if (waiting.lost === 1) send(waiting.request);
				else answer(id, noAnswer('not read: the reader stopped while reading it'));
			}

			arm();
		};

		child.on('exit', lost);
		child.on('error', lost);
		child.stdin.on('error', () => undefined);
		// Neither the helper nor its pipes keep docknet alive; the deadline of a pending read does.
		child.unref();
		(child.stdout as unknown as Socket).unref();
		(child.stdin as unknown as Socket).unref();
		return child;
	}

	function scheduleIdleStop(): void {
		clearTimeout(idleTimer);
		idleTimer = setTimeout(() => {
			if (pending.size === 0) stopHelper();
		}, idleMs);
		idleTimer.unref();
	}

	function send(request: Request): void {
		helper ??= startHelper();
		helper.stdin.write(`${JSON.stringify(request)}\n`);
	}

	function ask(request: RequestBody): Promise<Result> {
		const since = hungSince.get(request.root);
		if (since !== undefined && Date.now() - since < hungForMs) {
			return Promise.resolve(noAnswer('not read: an earlier read in this container hung'));
		}

		hungSince.delete(request.root);
		clearTimeout(idleTimer);
		const id = nextId++;
		const full: Request = {...request, id};
		return new Promise<Result>(resolve => {
			pending.set(id, {request: full, resolve, lost: 0});
			send(full);
			if (deadline === undefined) arm();
		});
	}

	return {
		readFile: async (root, inside, readOptions) => (await ask({op: 'file', root, inside, options: readOptions})) as ContainedFile,
		readInterfaces: async (root, sysfsOnly = true) => (await ask({op: 'interfaces', root, max: MAX_CONTAINER_INTERFACES, sysfsOnly})) as ContainedInterfaces,
		helperPid: () => helper?.pid,
		close: () => {
			process.removeListener('exit', stopHelper);
			clearTimeout(idleTimer);
			clearTimeout(deadline);
			stopHelper();
		},
	};
}

let shared: ContainedReads | undefined;

/** The one helper docknet uses for every container read. */
export function sharedContainedReads(): ContainedReads {
	shared ??= createContainedReads();
	return shared;
}
