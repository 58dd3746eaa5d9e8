import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {dockerCli, TEST_LABEL, TEST_RUN_ID, TestResources, testEngineEnv, uniqueName} from '../helpers/engine-harness.js';
import {appOnEngineTests, type AppOnEngine as App} from '../helpers/render-app-engine.js';
import {keys} from '../helpers/render-app.js';

// Actions by keys produce log lines and journal lines whose commands, run with the docker CLI
// against the same engine, do the same thing: compared with `docker inspect`.

const resources = new TestResources();
const {start} = appOnEngineTests(resources, {columns: 160, rows: 40});

/** Runs a logged command line as a user would paste it: through sh, with the docker CLI. */
function runInShell(line: string): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile('sh', ['-c', line], {env: testEngineEnv(), timeout: 60_000}, (error, _stdout, stderr) => (error ? reject(new Error(`${line}: ${stderr}`)) : resolve()));
	});
}

function lastCommand(current: App, verb: string): string {
	const entry = [...(current.commands?.log.entries() ?? [])].reverse().find(item => item.argv[2] === verb);
	assert.ok(entry, `a logged ${verb}`);
	assert.equal(entry.result, 'ok');
	return entry.command;
}

function journalCommands(current: App): string[] {
	const file = current.commands?.journalFile ?? '';
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(line => (JSON.parse(line) as {command: string}).command);
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
			`docker network create --subnet 10.214.1.0/24 --gateway 10.214.1.254 --ip-range 10.214.1.128/25 --aux-address router=10.214.1.5 --internal --attachable --label ${TEST_LABEL}=${TEST_RUN_ID} ${name}`,
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
		await current.waitForFrame(text => text.includes(`Runs: docker network rm ${name}`), 'the confirmation names the command');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Removed network ${name}`), 'removed');
		const remove = lastCommand(current, 'rm');
		assert.equal(remove, `docker network rm ${name}`);
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
		await current.waitForFrame(text => text.includes(`$ docker network connect --ip 10.214.2.50 --alias db ${network} ${container}`), 'the command, as typed');
		await current.press(keys.enter);
		await current.waitForFrame(text => text.includes(`✔ Connected ${container} to ${network}`), 'connected');
		const connect = lastCommand(current, 'connect');
		assert.equal(connect, `docker network connect --ip 10.214.2.50 --alias db ${network} ${container}`);
		const joined = await endpointShape(container, network);

		await current.press('d');
		await current.waitForFrame(text => text.includes(`Disconnect ${container} from which network?`), 'the picker');
		await current.press(network, keys.enter);
		await current.waitForFrame(text => text.includes(`Runs: docker network disconnect ${network} ${container}`), 'the confirmation names the command');
		await current.press('y');
		await current.waitForFrame(text => text.includes(`✔ Disconnected ${container} from ${network}`), 'disconnected');
		const disconnect = lastCommand(current, 'disconnect');
		assert.equal(disconnect, `docker network disconnect ${network} ${container}`);

		await runInShell(connect);
		assert.deepEqual(await endpointShape(container, network), joined);
		await runInShell(disconnect);
		assert.equal(await endpointShape(container, network), undefined);
		assert.deepEqual(journalCommands(current), [connect, disconnect]);
	});
});
