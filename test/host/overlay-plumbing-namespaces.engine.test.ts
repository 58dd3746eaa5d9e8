import {execFileSync} from 'node:child_process';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {readOverlayPlumbing} from '../../source/host/overlay-plumbing.js';

// An engine's netns folder where one overlay namespace cannot be read: the others are read
// all the same, and the one says why.

const namespace = `dnh-plumb-${process.pid}`;
let dir = '';

before(() => {
	execFileSync('ip', ['netns', 'add', namespace]);
	execFileSync('ip', ['netns', 'exec', namespace, 'ip', 'link', 'add', 'br0', 'type', 'bridge']);
	dir = mkdtempSync(path.join(os.tmpdir(), 'docknet-netns-'));
	// A readable overlay namespace, and a file of the same kind of name that is no namespace
	// (as a bind mount looks from a mount namespace it never reached).
	symlinkSync(`/var/run/netns/${namespace}`, path.join(dir, '1-aaaaaaaaaa'));
	writeFileSync(path.join(dir, '1-bbbbbbbbbb'), '');
});

after(() => {
	rmSync(dir, {recursive: true, force: true});
	try {
		execFileSync('ip', ['netns', 'del', namespace]);
	} catch {
		// Already gone.
	}
});

describe('overlay plumbing, namespace by namespace', () => {
	test('an unreadable namespace is reported for its network only', async () => {
		const scan = await readOverlayPlumbing(dir, ['aaaaaaaaaa-good', 'bbbbbbbbbb-bad', 'cccccccccc-absent']);
		assert.equal(scan.status, 'ok');
		assert.ok(scan.status === 'ok');
		const byId = new Map(scan.overlays.map(item => [item.networkId, item]));
		assert.equal(byId.get('aaaaaaaaaa-good')?.bridge, 'br0');
		assert.equal(byId.get('aaaaaaaaaa-good')?.error, undefined);
		assert.match(byId.get('bbbbbbbbbb-bad')?.error ?? '', /\S/);
		assert.equal(byId.has('cccccccccc-absent'), false, 'no namespace on this node: left out');
	});
});
