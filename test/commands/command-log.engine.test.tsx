import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {dockerCli, TEST_LABEL, TEST_RUN_ID, TestResources, testEngineEnv, uniqueName} from '../helpers/engine-harness.js';
import {createDockerShim, syntaxAccepted} from '../helpers/docker-shim.js';
import {controlBytes} from '../helpers/hostile-strings.js';
import {appOnEngineTests, type AppOnEngine as App} from '../helpers/render-app-engine.js';
import {keys} from '../helpers/render-app.js';

// Actions by keys produce log lines and journal lines whose commands, run with the docker CLI
// against the same engine, do the same thing: compared with `docker inspect`.

const resources = new TestResources();
const {start} = appOnEngineTests(resources, {columns: 160, rows: 40});

/** Runs a logged command line as a user would paste it: through a shell, with the docker CLI. */
function runInShell(line: string, shell = 'sh'): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(shell, ['-c', line], {env: testEngineEnv(), timeout: 60_000}, (error, _stdout, stderr) => (error ? reject(new Error(`${line}: ${stderr}`)) : resolve()));
	});
}

function lastCommand(current: App, verb: string): string {
	const entry = [...(current.commands?.log.entries() ?? [])].reverse().find(item => item.argv[2] === verb);
	assert.ok(entry, `a logged ${verb}`);
	assert.equal(entry.result, 'ok');
	return entry.command;
}

function journalEntries(current: App): Array<{command: string; argv: string[]}> {
	const file = current.commands?.journalFile ?? '';
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as {command: string; argv: string[]});
}

const journalCommands = (current: App): string[] => journalEntries(current).map(entry => entry.command);

/** The networks a container is on, by name, as the engine says. */
async function networksOf(container: string): Promise<string[]> {
	return Object.keys(JSON.parse(await dockerCli(['inspect', '-f', '{{json .NetworkSettings.Networks}}', container])) as Record<string, unknown>).sort();
}

async function networkExists(name: string): Promise<boolean> {
	const listed = await dockerCli(['network', 'ls', '--no-trunc', '--format', '{{json .Name}}']);
	return listed.split('\n').some(line => line !== '' && JSON.parse(line) === name);
}

/** The network as inspect shows it, less what differs between any two creations (id, time). */
async function networkShape(name: string): Promise<unknown> {
	return JSON.parse(await dockerCli(['network', 'inspect', '-f', '{{json .}}', name]), (key, value: unknown) => {
		if (['Id', 'Created', 'Containers'].includes(key)) return undefined;
		// No IPAM driver options: the API gives null or {} depending on the client that sent it.
		return key === 'Options' && value === null ? {} : value;
	});
}

async function endpointShape(container: string, network: string): Promise<unknown> {
	const all = JSON.parse(await dockerCli(['inspect', '-f', '{{json .NetworkSettings.Networks}}', container])) as Record<string, {IPAddress: string; IPAMConfig: unknown; Aliases: string[] | null} | undefined>;
	const endpoint = all[network];
	return endpoint && {IPAddress: endpoint.IPAddress, IPAMConfig: endpoint.IPAMConfig, Aliases: [...(endpoint.Aliases ?? [])].sort()};
}

describe('command log', () => {
	test('create and rm by keys: the form shows the command as typed; the logged commands do the same', async () => {
		const name = uniqueName('log-net');
		resources.track('network', name);
		const current = await start();
		await current.press('1', 'n');
		await current.waitForFrame(text => text.includes('Create a network'), 'the form');
		// Name, Driver, Subnet, Gateway, IP range, Aux addresses, IPv6, IPv6 subnet, IPv6 gateway, Internal, Attachable, Labels.
		await current.press(name, keys.down, keys.down, '10.214.1.0/24', keys.down, '10.214.1.254', keys.down, '10.214.1.128/25', keys.down, 'router=10.214.1.5');
		await current.waitForFrame(text => text.includes('$ docker network create --subnet 10.214.1.0/24 --gateway 10.214.1.254 --ip-range 10.214.1.128/25 --aux-address router=10.214.1.5'), 'the command, as typed');
		await current.press(keys.down, keys.down, keys.down, keys.down, ' ', keys.down, ' ', keys.down, `${TEST_LABEL}=${TEST_RUN_ID}`);
		await current.waitForFrame(text => text.includes('--internal --attachable'), 'the toggles in the command');
		await current.press(keys.enter);
		await current.waitForFrame(text => text.includes(`✔ Created network ${name}`), 'created');
		const create = lastCommand(current, 'create');
		assert.equal(
			create,
			`docker network create --subnet 10.214.1.0/24 --gateway 10.214.1.254 --ip-range 10.214.1.128/25 --aux-address router=10.214.1.5 --internal --attachable --label ${TEST_LABEL}=${TEST_RUN_ID} -- ${name}`,
		);
		const made = await networkShape(name);

		// The log view: L opens it, with time, result, engine and the command.
		await current.press(keys.escape, 'L');
		const log = await current.waitForFrame(text => text.includes('Command log'), 'the log view');
		assert.match(log, /\d\d:\d\d:\d\d {2}✔ ok {2}unix:\/\//);
		assert.ok(log.includes(`$ docker network create --subnet 10.214.1.0/24`), log);
		await current.press('L');

		// The same command through the docker CLI makes the same network.
		await dockerCli(['network', 'rm', name]);
		await runInShell(create);
		assert.deepEqual(await networkShape(name), made);

		// x removes it; the logged rm removes the network the logged create makes again.
		await current.waitForStore(snapshot => snapshot.networks.some(item => item.name === name), 'the recreated network');
		await current.selectOnly('networks', name);
		await current.press('x');
		await current.waitForFrame(text => text.includes(`Runs: docker network rm -- ${name}`), 'the confirmation names the command');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Removed network ${name}`), 'removed');
		const remove = lastCommand(current, 'rm');
		assert.equal(remove, `docker network rm -- ${name}`);
		await runInShell(create);
		await runInShell(remove);
		assert.equal(await dockerCli(['network', 'ls', '-q', '--filter', `name=^${name}$`]), '');
		assert.deepEqual(journalCommands(current), [create, remove]);
	});

	test('connect (--ip, --alias) and disconnect by keys: the logged commands do the same', async () => {
		const network = uniqueName('log-cnet');
		const container = uniqueName('log-ctn');
		await resources.createNetwork(network, ['--subnet', '10.214.2.0/24']);
		await resources.runContainer(container);
		const current = await start();
		await current.openConnectForm(container, network);
		await current.press('10.214.2.50', keys.down, keys.down, 'db');
		await current.waitForFrame(text => text.includes(`$ docker network connect --ip 10.214.2.50 --alias db -- ${network} ${container}`), 'the command, as typed');
		await current.press(keys.enter);
		await current.waitForFrame(text => text.includes(`✔ Connected ${container} to ${network}`), 'connected');
		const connect = lastCommand(current, 'connect');
		assert.equal(connect, `docker network connect --ip 10.214.2.50 --alias db -- ${network} ${container}`);
		const joined = await endpointShape(container, network);

		await current.press('d');
		await current.waitForFrame(text => text.includes(`Disconnect ${container} from which network?`), 'the picker');
		await current.press(network, keys.enter);
		await current.waitForFrame(text => text.includes(`Runs: docker network disconnect -- ${network} ${container}`), 'the confirmation names the command');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Disconnected ${container} from ${network}`), 'disconnected');
		const disconnect = lastCommand(current, 'disconnect');
		assert.equal(disconnect, `docker network disconnect -- ${network} ${container}`);

		await runInShell(connect);
		assert.deepEqual(await endpointShape(container, network), joined);
		await runInShell(disconnect);
		assert.equal(await endpointShape(container, network), undefined);
		assert.deepEqual(journalCommands(current), [connect, disconnect]);
	});

	test('hostile network names through connect, disconnect and remove: log, journal and y script name exactly what was sent', async () => {
		const esc = '\u001b';
		const bel = '\u0007';
		const marker = `/tmp/dn-pwned-${TEST_RUN_ID}`;
		const container = uniqueName('log-hctn');
		await resources.runContainer(container);
		// Names the engine takes that a shell or the docker CLI would read as something else. The
		// last two the docker CLI cannot name at all: the log names those networks by id.
		const wanted = ['--help', '--alias=evil', `dn-q'$(touch ${marker})`, `dn-rtl\u202eabc`, `dn-c1\u009b31m`, `dn-esc${esc}]0;pwned${bel}`, 'dn-nl\nx', '..'];
		const ids = new Map<string, string>();
		for (const name of wanted) {
			try {
				// The docker CLI itself takes "--" before a name.
				const id = await dockerCli(['network', 'create', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--', name]);
				resources.track('network', id);
				ids.set(name, id);
			} catch {
				// The engine refused this name.
			}
		}

		const names = [...ids.keys()];
		for (const name of ['--help', `dn-esc${esc}]0;pwned${bel}`, 'dn-nl\nx']) assert.ok(ids.has(name), `the engine took ${JSON.stringify(name)}`);
		const idOf = (name: string): string => ids.get(name) ?? assert.fail(name);
		/** The network as the log names it: the name the docker CLI reaches it by, else its id. */
		const reference = (name: string): string => (name.includes('\n') || name === '..' ? idOf(name) : name);
		const current = await start();
		await current.waitForStore(snapshot => names.every(name => snapshot.networks.some(item => item.name === name)), 'every hostile network in the store');

		// By keys where a name can be typed: the form and the confirmation show the quoted command.
		await current.openConnectForm(container, '--alias=evil');
		await current.waitForFrame(text => text.includes(`$ docker network connect -- --alias=evil ${container}`), 'the form names the command');
		await current.press(keys.enter);
		await current.waitForFrame(text => text.includes(`✔ Connected ${container} to --alias=evil`), 'connected');
		await current.press('d');
		await current.waitForFrame(text => text.includes(`Disconnect ${container} from which network?`), 'the picker');
		await current.press('--alias=evil', keys.enter);
		await current.waitForFrame(text => text.includes(`Runs: docker network disconnect -- --alias=evil ${container}`), 'the confirmation names the command');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Disconnected ${container} from --alias=evil`), 'disconnected');

		// The rest through the same action service the keys use.
		const actions = current.actions;
		assert.ok(actions);
		const containerId = current.store.getSnapshot().containers.find(item => item.name === container)?.id ?? assert.fail('no container');
		for (const name of names.filter(item => item !== '--alias=evil')) {
			assert.equal((await actions.connect({networkId: idOf(name), containerId, options: {aliases: [`-x${name.length}`]}})).ok, true, name);
			assert.equal((await actions.disconnect({networkId: idOf(name), containerId, force: false})).ok, true, name);
		}

		// The logged connects and disconnects, run with the real docker CLI, do what they say.
		const joins = current.commands?.log.entries() ?? [];
		assert.equal(joins.length, names.length * 2);
		for (const entry of joins) {
			const network = entry.argv.at(-2) ?? '';
			await runInShell(entry.command, 'bash');
			const on = (await networksOf(container)).includes(names.find(name => reference(name) === network) ?? network);
			assert.equal(on, entry.argv[2] === 'connect', `${entry.command} → on the network: ${on}`);
		}

		await current.selectOnly('networks', '--help');
		await current.press('x');
		await current.waitForFrame(text => text.includes('Runs: docker network rm -- --help'), 'the confirmation names the command');
		await current.press('y');
		await current.waitForFrame(text => text.includes('✔ Removed network --help'), 'removed');
		for (const name of names.filter(item => item !== '--help')) assert.equal((await actions.removeNetwork(idOf(name))).ok, true, name);

		const entries = current.commands?.log.entries() ?? [];
		assert.equal(entries.length, names.length * 3);
		assert.ok(entries.every(entry => entry.result === 'ok'));
		for (const entry of entries) assert.equal(controlBytes.test(entry.command), false, entry.command);
		assert.deepEqual(entries.filter(entry => entry.argv[2] === 'rm').map(entry => entry.argv.at(-1)), ['--help', ...names.filter(name => name !== '--help').map(reference)]);
		assert.ok(entries.some(entry => entry.command === "docker network rm -- $'dn-esc\\e]0;pwned\\a'"));

		// The journal: the same commands and argv, and nothing that acts on a terminal.
		const journal = journalEntries(current);
		assert.deepEqual(journal.map(entry => entry.command), entries.map(entry => entry.command));
		assert.deepEqual(journal.map(entry => entry.argv), entries.map(entry => [...entry.argv]));
		assert.equal(controlBytes.test(readFileSync(current.commands?.journalFile ?? '', 'utf8')), false);

		// The log view shows the commands as the script holds them.
		await current.press(keys.escape, 'L');
		const log = await current.waitForFrame(text => text.includes('Command log'), 'the log view');
		for (const entry of entries.slice(-4)) assert.ok(log.includes(`$ ${entry.command}`), `${entry.command} on screen:\n${log}`);

		// y writes the script: valid for sh and bash, no raw control byte, and run with a docker
		// that only records, it makes exactly the calls that were sent, with the exact names.
		await current.press('y');
		const written = await current.waitForFrame(text => /Wrote \d+ command\(s\) to/.test(text), 'the script written');
		const script = readdirSync(current.stateDir).find(file => file.startsWith('commands-') && file.endsWith('.sh'));
		assert.ok(script, written);
		const file = path.join(current.stateDir, script);
		const text = readFileSync(file, 'utf8');
		assert.ok(text.startsWith('#!/bin/bash\n'));
		assert.equal(controlBytes.test(text), false, 'a raw control byte in the script');
		assert.equal(await syntaxAccepted('sh', file), undefined);
		assert.equal(await syntaxAccepted('bash', file), undefined);
		const shim = createDockerShim();
		try {
			assert.deepEqual(await shim.run(file), entries.map(entry => entry.argv.slice(1)));
		} finally {
			shim.dispose();
		}

		// The logged removals by name, run with the real docker CLI on networks of those names,
		// remove exactly them.
		for (const entry of entries.filter(item => item.argv[2] === 'rm' && ids.has(item.argv.at(-1) ?? ''))) {
			const name = entry.argv.at(-1) ?? '';
			resources.track('network', await dockerCli(['network', 'create', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--', name]));
			await runInShell(entry.command, 'bash');
			assert.equal(await networkExists(name), false, `${entry.command}: removed`);
		}

		assert.equal(existsSync(marker), false, 'a name ran a command');
	});
});
