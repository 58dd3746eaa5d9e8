import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {channelArguments, exitMasterArguments, masterArguments, muxClientOptions, sshArguments} from '../../source/ssh/arguments.js';
import {MASTER_COMMAND} from '../../source/ssh/engine-socket.js';
import {sshDestination, sshOrigin} from '../../source/ssh/target.js';

// The command lines of every ssh run docknet makes: the engine's one connection, its
// channels, and the host-interface reads. The behaviour itself (one login per session, a
// drop is a lost engine) is tested against a real sshd in test/engine/ssh.engine.test.ts.

const target = {host: 'engine.example', port: 2200, username: 'ops'};

describe('ssh command lines', () => {
	test('the master never prompts, owns its control socket, holds stdin and keeps the host out of option parsing', () => {
		assert.deepEqual(masterArguments(target, '/run/d/m-1-0', 8), [
			'-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=8',
			'-o', 'ControlMaster=yes', '-o', 'ControlPath=/run/d/m-1-0', '-o', 'ControlPersist=no',
			'-o', 'ServerAliveInterval=10', '-o', 'ServerAliveCountMax=3',
			'-p', '2200', '-l', 'ops',
			'--', 'engine.example', MASTER_COMMAND,
		]);
	});

	test('a channel is a client of the master that can never open a connection of its own', () => {
		const args = channelArguments({host: '-oProxyCommand=evil'}, '/run/d/m-1-0', 8);
		assert.deepEqual(args.slice(-3), ['--', '-oProxyCommand=evil', 'docker system dial-stdio']);
		for (const option of muxClientOptions('/run/d/m-1-0')) assert.ok(args.includes(option), option);
		assert.ok(args.includes('ProxyCommand=false'));
		assert.ok(args.includes('BatchMode=yes'));
		assert.ok(!args.includes('-n'), 'the channel carries the HTTP connection on stdin');
	});

	test('a read of its own never prompts, times out, multiplexes for the next read', () => {
		assert.deepEqual(sshArguments({host: 'engine.example', port: 2200, username: 'me'}, {connectTimeoutSeconds: 8, connection: {role: 'shared-auto', controlPath: '/tmp/x/%C'}}, 'true'), [
			'-n', '-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=8',
			'-o', 'ControlMaster=auto', '-o', 'ControlPath=/tmp/x/%C', '-o', 'ControlPersist=60',
			'-p', '2200', '-l', 'me',
			'--', 'engine.example', 'true',
		]);
		assert.deepEqual(sshArguments({host: '-oProxyCommand=evil'}, {connectTimeoutSeconds: 1, connection: {role: 'alone'}}, 'true'), [
			'-n', '-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=1', '--', '-oProxyCommand=evil', 'true',
		]);
	});

	test('host-interface reads on a shared connection are clients of it only', () => {
		const args = sshArguments(target, {connectTimeoutSeconds: 8, connection: {role: 'client', controlPath: '/run/d/m-1-0'}}, 'true');
		assert.deepEqual(args.slice(args.indexOf('ControlMaster=no') - 1, args.indexOf('ProxyCommand=false') + 1), [
			'-o', 'ControlMaster=no', '-o', 'ControlPath=/run/d/m-1-0', '-o', 'ProxyCommand=false',
		]);
		assert.ok(!args.includes('ControlPersist=60'));
	});

	test('the exit request names the same socket and target, the host after "--"', () => {
		assert.deepEqual(exitMasterArguments(target, '/tmp/x/%C'), ['-o', 'ControlPath=/tmp/x/%C', '-O', 'exit', '-p', '2200', '-l', 'ops', '--', 'engine.example']);
	});

	test('the target as a user would type it', () => {
		assert.equal(sshOrigin({host: 'engine.example', port: 2200, username: 'me'}), 'ssh -p 2200 me@engine.example');
		assert.equal(sshOrigin({host: 'h'}), 'ssh h');
		assert.equal(sshDestination({host: 'h', username: 'u'}), 'u@h');
	});
});
