import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {channelArguments, masterArguments, muxClientOptions} from '../../source/engine/ssh-transport.js';
import {sshArguments} from '../../source/host/ssh-source.js';

// The command lines of docknet's one ssh connection and its channels. The behaviour itself
// (one login per session, a drop is a lost engine) is tested against a real sshd in
// ssh.engine.test.ts.

const target = {host: 'engine.example', port: 2200, username: 'ops'};

describe('ssh transport command lines', () => {
	test('the master never prompts, owns its control socket, holds stdin and keeps the host out of option parsing', () => {
		assert.deepEqual(masterArguments(target, '/run/d/m-1-0', 8), [
			'-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=8', '-p', '2200', '-l', 'ops',
			'-o', 'ControlMaster=yes', '-o', 'ControlPath=/run/d/m-1-0', '-o', 'ControlPersist=no',
			'-o', 'ServerAliveInterval=10', '-o', 'ServerAliveCountMax=3',
			'--', 'engine.example', 'cat >/dev/null',
		]);
	});

	test('a channel is a client of the master that can never open a connection of its own', () => {
		const args = channelArguments({host: '-oProxyCommand=evil'}, '/run/d/m-1-0', 8);
		assert.deepEqual(args.slice(-3), ['--', '-oProxyCommand=evil', 'docker system dial-stdio']);
		for (const option of muxClientOptions('/run/d/m-1-0')) assert.ok(args.includes(option), option);
		assert.ok(args.includes('ProxyCommand=false'));
		assert.ok(args.includes('BatchMode=yes'));
	});

	test('host-interface reads on a shared connection are clients of it only', () => {
		const args = sshArguments(target, {connectTimeoutSeconds: 8, controlPath: '/run/d/m-1-0', shared: true}, 'true');
		assert.deepEqual(args.slice(args.indexOf('ControlMaster=no') - 1, args.indexOf('ProxyCommand=false') + 1), [
			'-o', 'ControlMaster=no', '-o', 'ControlPath=/run/d/m-1-0', '-o', 'ProxyCommand=false',
		]);
		assert.ok(!args.includes('ControlPersist=60'));
	});
});
