import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {ENGINE_SOCKET_LINE, MASTER_COMMAND, engineSocketFrom} from '../../source/ssh/engine-socket.js';

// The master's remote command names the socket the docker CLI on the engine host would
// dial. Run here under sh, as the engine host's login shell would run it.

const home = mkdtempSync(path.join(tmpdir(), 'docknet-engine-socket-'));
after(() => rmSync(home, {recursive: true, force: true}));

async function masterLine(env: Record<string, string>): Promise<string> {
	return new Promise((resolve, reject) => {
		// The master's command reads stdin until docknet closes it: here it is closed at once.
		const child = execFile('sh', ['-c', MASTER_COMMAND], {env: {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, ...env}}, (error, stdout) => (error ? reject(error) : resolve(stdout)));
		child.stdin?.end();
	});
}

describe('the engine socket, as the master finds it', () => {
	test('the default socket, DOCKER_HOST unix://, and dial-stdio for everything else', async () => {
		assert.equal(await masterLine({}), 'socket /var/run/docker.sock\n');
		assert.equal(await masterLine({DOCKER_HOST: 'unix:///run/user/1000/docker.sock'}), 'socket /run/user/1000/docker.sock\n');
		assert.equal(await masterLine({DOCKER_HOST: 'tcp://10.0.0.2:2375'}), 'dial-stdio\n');
		assert.equal(await masterLine({DOCKER_CONTEXT: 'prod'}), 'dial-stdio\n');
		const config = path.join(home, 'cli-config');
		mkdirSync(config);
		writeFileSync(path.join(config, 'config.json'), '{"currentContext": "rootless"}');
		assert.equal(await masterLine({DOCKER_CONFIG: config}), 'dial-stdio\n');
		mkdirSync(path.join(home, '.docker'));
		writeFileSync(path.join(home, '.docker', 'config.json'), '{"auths": {}}');
		assert.equal(await masterLine({}), 'socket /var/run/docker.sock\n');
	});

	test('only a plain absolute path is forwarded; the line is found among a login shell\'s chatter', () => {
		assert.equal(engineSocketFrom('socket /var/run/docker.sock'), '/var/run/docker.sock');
		assert.equal(engineSocketFrom('socket /tmp/x/docker.sock\r'), '/tmp/x/docker.sock');
		for (const line of ['dial-stdio', 'socket relative.sock', 'socket /a:b.sock', 'socket /a b.sock', 'socket /a/../b.sock', 'socket /a\u001b]0;x', '', 'welcome to the host']) {
			assert.equal(engineSocketFrom(line), undefined, JSON.stringify(line));
		}

		assert.ok(ENGINE_SOCKET_LINE.test('socket /var/run/docker.sock'));
		assert.ok(ENGINE_SOCKET_LINE.test('dial-stdio'));
		assert.ok(!ENGINE_SOCKET_LINE.test('Last login: today'));
	});
});
