import {execFileSync, spawn} from 'node:child_process';
import type {ChildProcess} from 'node:child_process';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {readOverlayPlumbing} from '../../source/host/overlay-plumbing.js';

// An engine's netns folder where one overlay namespace cannot be read: the others are read
// all the same, and the one says why.

const namespace = `dnh-plumb-${process.pid}`;
let dir = '';
let holder: ChildProcess | undefined;

before(() => {
	execFileSync('ip', ['netns', 'add', namespace]);
	execFileSync('ip', ['netns', 'exec', namespace, 'ip', 'link', 'add', 'br0', 'type', 'bridge']);
	dir = mkdtempSync(path.join(os.tmpdir(), 'docknet-netns-'));
	// A readable overlay namespace, and a file of the same kind of name that is no namespace
	// (as a bind mount looks from a mount namespace it never reached).
	symlinkSync(`/var/run/netns/${namespace}`, path.join(dir, '1-aaaaaaaaaa'));
	writeFileSync(path.join(dir, '1-bbbbbbbbbb'), '');
	// A namespace bound in another mount namespace only, as an engine's looks from a docknet
	// started in its own mount namespace: here it is an empty file.
	writeFileSync(path.join(dir, '1-cccccccccc'), '');
	holder = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind /var/run/netns/${namespace} ${dir}/1-cccccccccc && exec sleep 300`], {stdio: 'ignore'});
});

after(() => {
	holder?.kill('SIGKILL');
	rmSync(dir, {recursive: true, force: true});
	try {
		execFileSync('ip', ['netns', 'del', namespace]);
	} catch {
		// Already gone.
	}
});

describe('overlay plumbing, namespace by namespace', () => {
	test('an unreadable namespace is reported for its network only; one bound in another mount namespace is read there', async () => {
		const bound = (): boolean => {
			try {
				return statSync(`/proc/${holder?.pid}/root${dir}/1-cccccccccc`).dev !== statSync(`/proc/${holder?.pid}/root${dir}`).dev;
			} catch {
				return false;
			}
		};

		for (let tries = 0; !bound(); tries++) {
			assert.ok(tries < 100, 'the other mount namespace has its bind mount');
			await new Promise(resolve => setTimeout(resolve, 50));
		}

		const scan = await readOverlayPlumbing(dir, ['aaaaaaaaaa-good', 'bbbbbbbbbb-bad', 'cccccccccc-elsewhere', 'dddddddddd-absent']);
		assert.equal(scan.status, 'ok');
		assert.ok(scan.status === 'ok');
		const byId = new Map(scan.overlays.map(item => [item.networkId, item]));
		assert.equal(byId.get('aaaaaaaaaa-good')?.bridge, 'br0');
		assert.equal(byId.get('aaaaaaaaaa-good')?.error, undefined);
		assert.match(byId.get('bbbbbbbbbb-bad')?.error ?? '', /\S/);
		assert.equal(byId.get('cccccccccc-elsewhere')?.bridge, 'br0', 'read through the mount namespace that has it');
		assert.equal(byId.get('cccccccccc-elsewhere')?.error, undefined);
		assert.equal(byId.has('dddddddddd-absent'), false, 'no namespace on this node: left out');
	});
});
