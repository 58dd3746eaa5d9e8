import {spawn} from 'node:child_process';
import {chmod, copyFile, mkdir, mkdtemp, rm, symlink} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {engineCall, engineRequest, socketPathOf} from './engine-api.js';
import {findStaticBusybox} from './engine-requirements.js';
import {findProgram} from './linux-host.js';

// The one image the tests and the playground run: the static busybox, imported into the engine.

export const BUSYBOX_IMAGE = 'docknet-test/busybox:latest';
const BUSYBOX_APPLETS = ['sh', 'ls', 'ip', 'ifconfig', 'route', 'sleep', 'cat', 'echo', 'hostname'];

/** Imports the static busybox as docknet-test/busybox:latest unless the engine already has it. */
export async function ensureTestImage(dockerHost: string): Promise<void> {
	const socketPath = socketPathOf(dockerHost);
	const existing = await engineCall(socketPath, 'GET', `/images/${BUSYBOX_IMAGE}/json`, {accept: [404]});
	if (existing.status === 200) {
		return;
	}

	const busybox = findStaticBusybox();
	if (busybox === undefined) {
		throw new Error('No statically linked busybox found: install the Debian package busybox-static');
	}

	const root = await mkdtemp(path.join(os.tmpdir(), 'docknet-image-'));
	try {
		await mkdir(path.join(root, 'bin'));
		await mkdir(path.join(root, 'tmp'));
		await chmod(path.join(root, 'tmp'), 0o1777);
		await copyFile(busybox, path.join(root, 'bin', 'busybox'));
		await chmod(path.join(root, 'bin', 'busybox'), 0o755);
		for (const applet of BUSYBOX_APPLETS) {
			await symlink('busybox', path.join(root, 'bin', applet));
		}

		const tar = spawn(findProgram('tar') ?? 'tar', ['-C', root, '--numeric-owner', '--owner=0', '--group=0', '-c', '.'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let tarError = '';
		tar.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			tarError += chunk;
		});
		const [repo, tag] = BUSYBOX_IMAGE.split(':');
		const query = new URLSearchParams({fromSrc: '-', repo: repo ?? '', tag: tag ?? 'latest'});
		query.append('changes', 'CMD ["/bin/sh"]');
		query.append('changes', 'ENV PATH=/bin');
		const response = await engineCall(socketPath, 'POST', `/images/create?${query.toString()}`, {
			stream: tar.stdout,
			contentType: 'application/x-tar',
			timeoutMs: 60_000,
		});
		// The import answers 200 and reports failures inside its JSON progress stream.
		const failure = response.body
			.split('\n')
			.filter(line => line.includes('"error"'))
			.map(line => line.trim())[0];
		if (failure !== undefined || tarError.trim() !== '') {
			throw new Error(`Importing ${BUSYBOX_IMAGE} failed: ${failure ?? tarError.trim()}`);
		}
	} finally {
		await rm(root, {recursive: true, force: true});
	}

	const check = await engineRequest(socketPath, 'GET', `/images/${BUSYBOX_IMAGE}/json`);
	if (check.status !== 200) {
		throw new Error(`Importing ${BUSYBOX_IMAGE} reported success, but the engine does not list it`);
	}
}
