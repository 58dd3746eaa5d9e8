import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {CommandLog, recordCommands} from '../../source/commands/command-log.js';
import {commandLine, connectArgv, createArgv, disconnectArgv, engineFlags, networkArgument, onEngine, removeArgv, shellQuote} from '../../source/commands/docker-command.js';
import {journalLine, openJournal, sessionScript, stateDirectory} from '../../source/journal/journal.js';
import {EngineError} from '../../source/model/gateway.js';
import {MAX_SHOWN_LENGTH, safeText} from '../../source/text/safe-text.js';
import {controlBytes, hostileStrings} from '../helpers/hostile-strings.js';
import {createDockerShim, syntaxAccepted} from '../helpers/docker-shim.js';
import {FakeGateway} from '../helpers/fake-gateway.js';

/** What bash makes of the line: each argument on its own, NUL-separated. */
function shellWords(line: string, shell = 'bash'): string[] {
	const output = execFileSync(shell, ['-c', `printf '%s\\0' ${line}`], {encoding: 'utf8'});
	return output.split('\0').slice(0, -1);
}

describe('shell quoting', () => {
	test('hostile names come back from bash exactly as they were, and run nothing', () => {
		const hostile = ["it's", '$(touch /tmp/dn-pwned)', '`id`', 'a b\tc', '*', 'x;rm -rf /', 'line\nbreak', '', '"q"', '\\', '-n', 'a$HOME', '!x', 'é≠'];
		assert.deepEqual(shellWords(hostile.map(shellQuote).join(' ')), hostile);
		assert.throws(() => readFileSync('/tmp/dn-pwned'));
	});

	test('every hostile string round-trips through bash and is written without a raw control byte', () => {
		const values = [...hostileStrings.map(item => item.value), `'\u001b'\\`, '\u0001a', '\u00011', '\u0085x', `a\u{e0001}b`, '\u{1d165}mark', '--help', '--alias=evil'];
		for (const value of values) {
			const quoted = shellQuote(value);
			assert.equal(controlBytes.test(quoted), false, `raw control byte in ${JSON.stringify(quoted)}`);
			// What the log view shows is exactly what the script holds: nothing left to make visible.
			if (quoted.length <= MAX_SHOWN_LENGTH) assert.equal(safeText(quoted), quoted, JSON.stringify(quoted));
			assert.deepEqual(shellWords(`${quoted} ${quoted}`), [value, value], JSON.stringify(quoted));
		}

		// All of them in one line, as a logged command holds them.
		assert.deepEqual(shellWords(commandLine(values)), values);
	});

	test("plain names keep single quotes, which any POSIX shell reads (dash too); only unprintable ones need $'…'", () => {
		const printable = ["it's", 'a b', '$(x)', 'é≠', '网络名', 'box📦', 'e\u0301te\u0301'];
		for (const value of printable) assert.equal(shellQuote(value).startsWith("$'"), false, value);
		assert.deepEqual(shellWords(commandLine(printable), 'sh'), printable);
		assert.equal(shellQuote('n\u001b]0;pwned\u0007'), "$'n\\e]0;pwned\\a'");
		assert.equal(shellQuote('top\nbottom'), "$'top\\nbottom'");
		assert.equal(shellQuote('abc\u202exyz'), "$'abc\\xe2\\x80\\xaexyz'");
		// A digit after \xHH starts a new piece: some shells read more than two hex digits.
		assert.equal(shellQuote('\u00011'), "$'\\x01'$'1'");
	});

	test('plain arguments stay bare', () => {
		assert.equal(commandLine(['docker', 'network', 'connect', '--ip', '10.77.0.50', 'play.net', 'ctn1']), 'docker network connect --ip 10.77.0.50 play.net ctn1');
	});

	test('names that look like options stay names: "--" ends the options of every command', () => {
		assert.deepEqual(removeArgv('--help'), ['docker', 'network', 'rm', '--', '--help']);
		assert.equal(commandLine(connectArgv('--alias=evil', 'xc', {})), 'docker network connect -- --alias=evil xc');
		assert.equal(commandLine(disconnectArgv('-n', '-c', true)), 'docker network disconnect --force -- -n -c');
		assert.equal(commandLine(createArgv({name: '--internal', driver: 'bridge', labels: {a: '-b'}})), 'docker network create --label a=-b -- --internal');
	});
});

describe('how a command names a network', () => {
	test('by name when the docker CLI reaches exactly that network with it, else by id', () => {
		const network = (name: string, id = `id-${name}`) => ({id, name});
		for (const name of ['lan', '--help', 'a b', 'n\u001b]0;x\u0007', 'a/b', 'a\rb']) assert.equal(networkArgument(network(name)), name, name);
		// A newline is not matched by the engine's routes; a path it cleans names another object.
		for (const name of ['a\nb', '..', '.', 'a//b', 'x/../y', 'a/', '']) assert.equal(networkArgument(network(name)), `id-${name}`, JSON.stringify(name));
		const twins = [network('dup', 'one'), network('dup', 'two'), network('solo')];
		assert.equal(networkArgument(twins[0] ?? network('x'), twins), 'one');
		assert.equal(networkArgument(network('solo'), twins), 'solo');
	});
});

describe('argv of each action', () => {
	test('connect with every option', () => {
		assert.deepEqual(
			connectArgv('playnet', 'ctn1', {ipv4: '10.77.0.50', ipv6: 'fd00::50', aliases: ['db', 'cache'], links: ['ctn2:web'], driverOptions: {'com.x': '1'}}),
			['docker', 'network', 'connect', '--ip', '10.77.0.50', '--ip6', 'fd00::50', '--alias', 'db', '--alias', 'cache', '--link', 'ctn2:web', '--driver-opt', 'com.x=1', '--', 'playnet', 'ctn1'],
		);
		assert.deepEqual(disconnectArgv('n', 'c', true), ['docker', 'network', 'disconnect', '--force', '--', 'n', 'c']);
	});

	test('create with every IPAM option, both families', () => {
		assert.equal(
			commandLine(
				createArgv({
					name: 'lan',
					driver: 'macvlan',
					subnet: '10.1.0.0/24',
					gateway: '10.1.0.1',
					ipRange: '10.1.0.128/25',
					auxAddresses: {router: '10.1.0.5'},
					enableIPv6: true,
					ipv6Subnet: 'fd00:1::/64',
					ipv6Gateway: 'fd00:1::1',
					ipv6AuxAddresses: {router6: 'fd00:1::5'},
					internal: true,
					attachable: true,
					labels: {team: 'a b'},
					options: {parent: 'eth0'},
				}),
			),
			"docker network create --driver macvlan --subnet 10.1.0.0/24 --gateway 10.1.0.1 --ip-range 10.1.0.128/25 --aux-address router=10.1.0.5 --ipv6 --subnet fd00:1::/64 --gateway fd00:1::1 --aux-address router6=fd00:1::5 --internal --attachable --label 'team=a b' --opt parent=eth0 -- lan",
		);
	});
});

describe('the recording gateway', () => {
	test('records request and outcome once per call, names as a user types them', async () => {
		const gateway = new FakeGateway();
		const log = new CommandLog();
		const snapshot = {networks: gateway.state.networks, containers: gateway.state.containers, engine: undefined};
		const recorded = recordCommands(gateway, log, {snapshot: () => snapshot, endpoint: 'unix:///x.sock'});
		const network = gateway.state.networks.find(item => item.name !== 'bridge' && item.name !== 'host' && item.name !== 'none');
		const container = gateway.state.containers[0];
		assert.ok(network && container);
		await recorded.disconnect(network.id, container.id, false).catch(() => undefined);
		await assert.rejects(recorded.removeNetwork('no-such-id'));
		const [first, second] = log.entries();
		assert.equal(first?.command, `docker network disconnect -- ${shellQuote(network.name)} ${shellQuote(container.name)}`);
		assert.equal(first?.engine, 'unix:///x.sock');
		assert.notEqual(first?.result, 'running');
		assert.equal(second?.command, 'docker network rm -- no-such-id');
		assert.equal(second?.result, 'failed');
	});

	test('with several engines each command carries the flags that reach its engine, as the docker CLI takes them', async () => {
		const gateway = new FakeGateway();
		const log = new CommandLog();
		let flags: readonly string[] = [];
		const recorded = recordCommands(gateway, log, {snapshot: () => ({networks: [], containers: []}), endpoint: 'e', engineFlags: () => flags});
		await recorded.removeNetwork('a').catch(() => undefined);
		flags = engineFlags({context: 'node b', url: 'ssh://me@node-b'});
		await recorded.removeNetwork('a').catch(() => undefined);
		flags = engineFlags({url: 'ssh://me@node-c:2200'});
		await recorded.removeNetwork('a').catch(() => undefined);
		assert.deepEqual(log.entries().map(entry => entry.command), [
			'docker network rm -- a',
			"docker --context 'node b' network rm -- a",
			'docker -H ssh://me@node-c:2200 network rm -- a',
		]);
		// A hostile context name stays one argument after --context.
		const hostile = '$(touch /tmp/dn-pwned);x';
		assert.deepEqual(shellWords(commandLine(onEngine(removeArgv('n'), engineFlags({context: hostile, url: 'u'})))), ['docker', '--context', hostile, 'network', 'rm', '--', 'n']);
	});

	test('a time-out is not called a refusal', async () => {
		const gateway = new FakeGateway();
		const log = new CommandLog();
		const slow = new Proxy(gateway, {
			get: (target, property, receiver) =>
				property === 'removeNetwork' ? () => Promise.reject(new EngineError('timeout', 'no answer in 10 s')) : Reflect.get(target, property, receiver),
		});
		const recorded = recordCommands(slow, log, {snapshot: () => ({networks: [], containers: []}), endpoint: 'e'});
		await assert.rejects(recorded.removeNetwork('abc'));
		assert.equal(log.entries()[0]?.result, 'timed out');
		assert.match(log.entries()[0]?.detail ?? '', /may still have done it/);
	});
});

describe('journal', () => {
	test('XDG_STATE_HOME, else ~/.local/state', () => {
		assert.equal(stateDirectory({XDG_STATE_HOME: '/s'}, '/home/u'), '/s/docknet');
		assert.equal(stateDirectory({XDG_STATE_HOME: 'relative'}, '/home/u'), '/home/u/.local/state/docknet');
		assert.equal(stateDirectory({}, '/home/u'), '/home/u/.local/state/docknet');
	});

	test('one line per action, whatever the names hold; failed commands stay comments in the script', () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'docknet-journal-'));
		try {
			const journal = openJournal(path.join(directory, 'nested'));
			const entry = {serial: 1, time: 0, engine: 'e', argv: ['docker', 'network', 'rm', 'a\nb'], command: commandLine(['docker', 'network', 'rm', 'a\nb']), result: 'failed' as const, detail: 'no\nsuch'};
			journal.append(entry);
			journal.append({...entry, serial: 2, result: 'ok'});
			const lines = readFileSync(journal.file, 'utf8').split('\n').filter(Boolean);
			assert.equal(lines.length, 2);
			assert.deepEqual(JSON.parse(lines[0] ?? '').argv, entry.argv);
			assert.equal(journalLine(entry).includes('\n'), false);
			const script = sessionScript([entry], new Date(0));
			// The failed command is one comment line: its newline is shown, not obeyed.
			assert.ok(script.split('\n').every(line => line === '' || line.startsWith('#')), script);
		} finally {
			rmSync(directory, {recursive: true, force: true});
		}
	});

	test('hostile names in the journal and the script: no raw control byte, valid for sh and bash, bash runs exactly the argv', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'docknet-script-'));
		const shim = createDockerShim();
		try {
			const names = [...hostileStrings.map(item => item.value), '--help', '--alias=evil', "it's $(touch /tmp/dn-pwned)"];
			const entries = names.map((name, index) => {
				const argv = index % 2 === 0 ? removeArgv(name) : connectArgv(name, `-c${name}`, {aliases: [`-${name}`]});
				return {serial: index, time: 0, engine: `e${name}`, argv, command: commandLine(argv), result: 'ok' as const, detail: name};
			});
			const [first] = entries;
			assert.ok(first);
			// A failed command stays a comment: it runs nothing.
			const script = sessionScript([...entries, {...first, serial: 99, result: 'failed'}], new Date(0));
			assert.ok(script.startsWith('#!/bin/bash\n'));
			assert.equal(controlBytes.test(script), false, 'a raw control byte in the script');
			const file = path.join(directory, 'commands.sh');
			writeFileSync(file, script, {mode: 0o700});
			assert.equal(await syntaxAccepted('sh', file), undefined);
			assert.equal(await syntaxAccepted('bash', file), undefined);
			assert.deepEqual(await shim.run(file), entries.map(entry => entry.argv.slice(1)));
			assert.throws(() => readFileSync('/tmp/dn-pwned'));

			for (const entry of entries) {
				const line = journalLine(entry);
				// eslint-disable-next-line no-control-regex -- finding control characters is the point
				assert.equal(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\p{Cf}/u.test(line), false, line.slice(0, 80));
				assert.deepEqual((JSON.parse(line) as {argv: string[]}).argv, entry.argv);
			}
		} finally {
			shim.dispose();
			rmSync(directory, {recursive: true, force: true});
		}
	});
});
