import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {get} from 'node:http';
import {describe, test} from 'node:test';
import {EndpointError, resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import type {ResolvedEndpoint} from '../../source/engine/endpoint.js';
import {describeUnreachable, sshCheckCommand} from '../../source/engine/errors.js';
import {sshTargetProblem} from '../../source/engine/ssh-address.js';
import {createSshTransport} from '../../source/engine/ssh-transport.js';
import {EngineError} from '../../source/model/gateway.js';
import {controlBytes} from '../helpers/hostile-strings.js';

// ssh:// addresses come from DOCKER_HOST, --host or a context file, which someone else may
// have written: docknet refuses before ssh runs what the docker CLI or ssh would refuse, and
// the command a hint suggests does exactly what it reads.

const fromDockerHost = (value: string): ResolvedEndpoint => resolveEngineEndpoint({env: {DOCKER_HOST: value}, homeDir: '/nonexistent'});

function refusal(value: string): string {
	try {
		fromDockerHost(value);
	} catch (error) {
		assert.ok(error instanceof EndpointError, String(error));
		return error.message;
	}

	assert.fail(`${JSON.stringify(value)} was accepted`);
}

/** What OpenSSH itself says of a user and host on its command line; `-G` only prints the configuration. */
function sshVerdict(username: string | undefined, host: string): Promise<string> {
	return new Promise(resolve => {
		execFile('ssh', ['-G', ...(username === undefined ? [] : ['-l', username]), '--', host], {timeout: 10_000}, (error, _stdout, stderr) =>
			resolve(error ? stderr.trim() : 'accepted'),
		);
	});
}

describe('ssh:// addresses docknet refuses before ssh runs', () => {
	const cases: ReadonlyArray<[string, string]> = [
		['ssh://%3Btouch%20%2Ftmp%2Fx%3B@host', 'remote username contains invalid characters'],
		['ssh://-oProxyCommand=touch%20%2Ftmp%2Fx@host', 'remote username contains invalid characters'],
		['ssh://-oProxyCommand=x', 'hostname contains invalid characters'],
		['ssh://me@h$(id)st', 'hostname contains invalid characters'],
		['ssh://me@a%3Bb', 'hostname contains invalid characters'],
		['ssh://a%1B%5D0%3Bx%07@host', 'invalid user: cannot quote character at byte 1: POSIX shell lacks escape sequences'],
		['ssh://me@h%1B%5D0%3Bx%07', 'invalid host: cannot quote character at byte 1: POSIX shell lacks escape sequences'],
		['ssh://%00@host', 'invalid user: cannot quote character at byte 0: shell strings cannot contain null bytes'],
		['ssh://a\u001b]0;x\u0007@host', 'invalid SSH URL: net/url: invalid control character in URL'],
		['ssh://me@ho\nst', 'invalid SSH URL: net/url: invalid control character in URL'],
		['ssh://me:secret@host', 'invalid SSH URL: plain-text password is not supported'],
		['ssh://host?foo=bar', 'invalid SSH URL: query parameters are not allowed: "foo=bar"'],
		['ssh://host#bar', 'invalid SSH URL: fragments are not allowed: "bar"'],
		['ssh://%zz@host', 'invalid SSH URL: invalid URL escape "%zz"'],
		['ssh:///no-hostname', 'invalid SSH URL: hostname is empty'],
	];

	for (const [value, words] of cases) {
		test(`${JSON.stringify(value)}: ${words}`, () => {
			const message = refusal(value);
			assert.ok(message.includes(`: ${words}.`), message);
			assert.equal(controlBytes.test(message), false, message);
		});
	}

	test('ssh itself refuses the users and hosts refused with its words, and takes the ones docknet takes', async () => {
		const verdicts: ReadonlyArray<[string | undefined, string]> = [
			[';touch /tmp/x;', 'host'],
			['-oProxyCommand=x', 'host'],
			['a -b', 'host'],
			['a\\', 'host'],
			[undefined, '-oProxyCommand=x'],
			[undefined, 'a b'],
			[undefined, 'a,b'],
			[undefined, 'h$(id)'],
			['a b', 'host'],
			['me', 'box.example'],
			['user$x', 'fe80::1%eth0'],
		];
		for (const [username, host] of verdicts) {
			const ours = sshTargetProblem({host, ...(username === undefined ? {} : {username})});
			assert.equal(ours ?? 'accepted', await sshVerdict(username, host), `${username ?? ''} @ ${host}`);
		}

		assert.equal(existsSync('/tmp/x'), false);
	});

	test('a control character, which ssh would refuse as well, is refused with the docker CLI\'s words', async () => {
		assert.equal(await sshVerdict('a\u001bb', 'host'), 'remote username contains invalid characters');
		assert.match(sshTargetProblem({host: 'host', username: 'a\u001bb'}) ?? '', /^invalid user: cannot quote character at byte 1/);
	});

	test('a context file someone else wrote is held to the same rules, and its words are shown harmless', () => {
		/** A docker config whose current context "prod" has this host. */
		const contextWith = (host: string) => (file: string): string | undefined =>
			file.endsWith('config.json') ? JSON.stringify({currentContext: 'prod'}) : file.endsWith('meta.json') ? JSON.stringify({Name: 'prod', Endpoints: {docker: {Host: host}}}) : undefined;
		assert.throws(
			() => resolveEngineEndpoint({env: {}, homeDir: '/home/me', readFile: contextWith('ssh://-oProxyCommand=touch%20%2Ftmp%2Fx@h\u001b]0;t\u0007')}),
			(error: unknown) => error instanceof EndpointError && error.message.includes('invalid SSH URL: net/url: invalid control character in URL') && !controlBytes.test(error.message),
		);
		assert.throws(
			() => resolveEngineEndpoint({env: {}, homeDir: '/home/me', readFile: contextWith('ssh://-oProxyCommand=x@host')}),
			/Docker context "prod" has the host "ssh:\/\/-oProxyCommand=x@host", which is not a valid engine address: remote username contains invalid characters\./,
		);
	});

	test('plain addresses are taken as before, user and host decoded', () => {
		assert.deepEqual(fromDockerHost('ssh://deploy@build.example:2222'), {
			url: 'ssh://deploy@build.example:2222', source: 'DOCKER_HOST', kind: 'ssh', local: false, host: 'build.example', port: 2222, username: 'deploy',
		});
		assert.equal(fromDockerHost('ssh://first%20last@box').username, 'first last');
		assert.equal(fromDockerHost('ssh://[fd00::5]').host, 'fd00::5');
	});

	test('the ssh transport refuses such a target too, without starting ssh', async () => {
		const marker = `/tmp/dn-ssh-ran-${process.pid}`;
		const fakeSsh = `/tmp/dn-fake-ssh-${process.pid}`;
		execFileSync('sh', ['-c', `printf '#!/bin/sh\\ntouch ${marker}\\n' > ${fakeSsh} && chmod 755 ${fakeSsh}`]);
		const transport = createSshTransport({host: '-oProxyCommand=x'}, {sshBinary: fakeSsh, controlDirectory: `/tmp/dn-ssh-control-${process.pid}`});
		try {
			const failure = await new Promise<Error>(resolve => {
				const request = get({agent: transport.agent, host: 'docker', path: '/_ping'}, () => resolve(new Error('answered')));
				request.on('error', resolve);
			});
			assert.ok(failure instanceof EngineError, String(failure));
			assert.match(failure.message, /hostname contains invalid characters/);
			assert.equal(existsSync(marker), false, 'ssh was started');
		} finally {
			transport.close();
			rmSync(marker, {force: true});
			rmSync(fakeSsh, {force: true});
			rmSync(`/tmp/dn-ssh-control-${process.pid}`, {recursive: true, force: true});
		}
	});
});

describe('the ssh hint', () => {
	/** What bash makes of the suggested command: its words. */
	const words = (command: string): string[] => execFileSync('bash', ['-c', `printf '%s\\0' ${command}`], {encoding: 'utf8'}).split('\0').slice(0, -1);

	test('names the port, and quotes what needs quoting', () => {
		assert.equal(sshCheckCommand({host: 'box', username: 'me'}), 'ssh me@box docker version');
		assert.equal(sshCheckCommand({host: 'box', port: 2200}), 'ssh -p 2200 box docker version');
		// Named in the address, so named in the hint: the ssh config may say otherwise for the host.
		assert.equal(sshCheckCommand({host: 'box', port: 22}), 'ssh -p 22 box docker version');
		assert.deepEqual(words(sshCheckCommand({host: 'box', username: 'first last'})), ['ssh', 'first last@box', 'docker', 'version']);
	});

	test('hostile values that reach it anyway are quoted and made harmless, never pasted raw', () => {
		const hostile: ResolvedEndpoint = {url: 'ssh://x@y', source: 'DOCKER_HOST', kind: 'ssh', local: false, host: 'h\u001b]0;t\u0007', username: ';touch /tmp/x;'};
		for (const kind of ['unreachable', 'permission'] as const) {
			const text = describeUnreachable(hostile, new EngineError(kind, 'connection refused'));
			assert.equal(controlBytes.test(text), false, text);
			const command = /`(ssh [^`]*)`/.exec(text)?.[1] ?? '';
			assert.deepEqual(words(command), ['ssh', ';touch /tmp/x;@h\u001b]0;t\u0007', 'docker', 'version'], text);
		}

		assert.equal(existsSync('/tmp/x'), false);
	});
});
