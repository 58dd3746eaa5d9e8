import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {CommandLog, recordCommands} from '../../source/commands/command-log.js';
import {commandLine, connectArgv, createArgv, disconnectArgv, shellQuote} from '../../source/commands/docker-command.js';
import {journalLine, openJournal, sessionScript, stateDirectory} from '../../source/journal/journal.js';
import {EngineError} from '../../source/model/gateway.js';
import {FakeGateway} from '../helpers/fake-gateway.js';

/** What a POSIX shell makes of the line: each argument on its own, NUL-separated. */
function shellWords(line: string): string[] {
	const output = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], {encoding: 'utf8'});
	return output.split('\0').slice(0, -1);
}

describe('shell quoting', () => {
	test('hostile names come back from sh exactly as they were, and run nothing', () => {
		const hostile = ["it's", '$(touch /tmp/dn-pwned)', '`id`', 'a b\tc', '*', 'x;rm -rf /', 'line\nbreak', '', '"q"', '\\', '-n', 'a$HOME', '!x', 'é≠'];
		assert.deepEqual(shellWords(hostile.map(shellQuote).join(' ')), hostile);
		assert.throws(() => readFileSync('/tmp/dn-pwned'));
	});

	test('plain arguments stay bare', () => {
		assert.equal(commandLine(['docker', 'network', 'connect', '--ip', '10.77.0.50', 'play.net', 'ctn1']), 'docker network connect --ip 10.77.0.50 play.net ctn1');
	});
});

describe('argv of each action', () => {
	test('connect with every option', () => {
		assert.deepEqual(
			connectArgv('playnet', 'ctn1', {ipv4: '10.77.0.50', ipv6: 'fd00::50', aliases: ['db', 'cache'], links: ['ctn2:web'], driverOptions: {'com.x': '1'}}),
			['docker', 'network', 'connect', '--ip', '10.77.0.50', '--ip6', 'fd00::50', '--alias', 'db', '--alias', 'cache', '--link', 'ctn2:web', '--driver-opt', 'com.x=1', 'playnet', 'ctn1'],
		);
		assert.deepEqual(disconnectArgv('n', 'c', true), ['docker', 'network', 'disconnect', '--force', 'n', 'c']);
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
			"docker network create --driver macvlan --subnet 10.1.0.0/24 --gateway 10.1.0.1 --ip-range 10.1.0.128/25 --aux-address router=10.1.0.5 --ipv6 --subnet fd00:1::/64 --gateway fd00:1::1 --aux-address router6=fd00:1::5 --internal --attachable --label 'team=a b' --opt parent=eth0 lan",
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
		assert.equal(first?.command, `docker network disconnect ${shellQuote(network.name)} ${shellQuote(container.name)}`);
		assert.equal(first?.engine, 'unix:///x.sock');
		assert.notEqual(first?.result, 'running');
		assert.equal(second?.command, 'docker network rm no-such-id');
		assert.equal(second?.result, 'failed');
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
});
