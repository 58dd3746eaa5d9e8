import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {claimSshHeadStart, sshTargetOf} from '../../source/engine/ssh-head-start.js';
import {likelySshEngine, parseCli} from '../../source/config/cli-args.js';
import type {CliOptions} from '../../source/config/cli-args.js';

// Which starts begin the ssh login before the main bundle loads (the launcher), and which
// address it is for. The login itself, taken over by the transport: test/engine/ssh.engine.test.ts.

const options = (argv: string[]): CliOptions => {
	const parsed = parseCli(argv);
	assert.ok(typeof parsed === 'object');
	return parsed;
};

describe('the ssh login started ahead', () => {
	test('for one -H ssh://, or DOCKER_HOST ssh:// with no engine named and no context', () => {
		assert.equal(likelySshEngine(options(['-H', 'ssh://me@box:2200']), {}), 'ssh://me@box:2200');
		assert.equal(likelySshEngine(options(['snapshot', '--json', '-H', 'ssh://box']), {}), 'ssh://box');
		assert.equal(likelySshEngine(options([]), {DOCKER_HOST: 'ssh://box'}), 'ssh://box');
		assert.equal(likelySshEngine(options(['-H', 'ssh://box']), {DOCKER_HOST: 'unix:///var/run/docker.sock'}), 'ssh://box', '-H wins over DOCKER_HOST');
	});

	test('never when it takes more to know the engine, or there is none over ssh', () => {
		assert.equal(likelySshEngine(options([]), {DOCKER_HOST: 'ssh://box', DOCKER_CONTEXT: 'prod'}), undefined);
		assert.equal(likelySshEngine(options(['--context', 'prod']), {DOCKER_HOST: 'ssh://box'}), undefined);
		assert.equal(likelySshEngine(options(['-H', 'ssh://a', '-H', 'ssh://b']), {}), undefined);
		assert.equal(likelySshEngine(options(['-H', 'unix:///run/docker.sock']), {DOCKER_HOST: 'ssh://box'}), undefined);
		assert.equal(likelySshEngine(options([]), {}), undefined);
		assert.equal(likelySshEngine(options(['config', 'check']), {DOCKER_HOST: 'ssh://box'}), undefined);
	});

	test('the target is read as the engine address is, and one ssh would refuse is none', () => {
		assert.deepEqual(sshTargetOf('ssh://me@box.example:2200'), {host: 'box.example', username: 'me', port: 2200});
		assert.deepEqual(sshTargetOf('ssh://box'), {host: 'box'});
		assert.equal(sshTargetOf('ssh://-oProxyCommand=evil'), undefined);
		assert.equal(sshTargetOf('ssh://me:secret@box'), undefined);
		assert.equal(sshTargetOf('tcp://box:2375'), undefined);
	});

	test('with none started, the transport finds none to take over', async () => {
		assert.equal(await claimSshHeadStart({host: 'box'}), undefined);
	});
});
