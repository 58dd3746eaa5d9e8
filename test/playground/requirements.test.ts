import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {checkPrivateEngineRequirements, findProgram} from '../../source/playground/private-engine.js';

const programs = ['dockerd', 'containerd', 'runc', 'iptables', 'ip', 'nsenter', 'busybox'];
const allPresent = programs.every(program => findProgram(program) !== undefined);

describe('checkPrivateEngineRequirements', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'docknet-requirements-'));
	after(() => rmSync(dir, {recursive: true, force: true}));

	test('names dockerd and its Debian package when PATH lacks it', {skip: !allPresent && 'the engine programs are not installed here'}, () => {
		for (const program of programs.filter(name => name !== 'dockerd')) {
			symlinkSync(findProgram(program) ?? '', path.join(dir, program));
		}

		const problems = checkPrivateEngineRequirements({searchPath: dir, uid: 0, platform: 'linux'});
		assert.equal(problems.length, 1, JSON.stringify(problems));
		assert.match(problems[0]?.what ?? '', /dockerd/);
		assert.match(problems[0]?.fix ?? '', /docker\.io/);
	});

	test('names every missing program and root', () => {
		const problems = checkPrivateEngineRequirements({searchPath: path.join(dir, 'empty'), uid: 1000, platform: 'linux'});
		const text = problems.map(problem => `${problem.what} ${problem.fix}`).join('\n');
		for (const expected of [/root/, /dockerd/, /containerd/, /runc/, /iproute2/, /nsenter/, /busybox-static/, /iptables/]) {
			assert.match(text, expected);
		}
	});

	test('says Linux is needed elsewhere', () => {
		const problems = checkPrivateEngineRequirements({platform: 'darwin'});
		assert.equal(problems.length, 1);
		assert.match(problems[0]?.what ?? '', /Linux/);
	});
});
