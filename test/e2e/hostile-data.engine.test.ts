import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import stringWidth from 'string-width';
import {requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {controlBytes, hostileStrings} from '../helpers/hostile-strings.js';
import {disposeAllDocknets, docknetBundle, keys, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';
import {runProcess} from '../helpers/run-process.js';

// Strings chosen by whoever can create networks and containers, put where the engine lets
// them go (network names, labels, options, aux-address names, aliases), read back by
// docknet on a real engine: through `snapshot` and through the full-screen view in a real
// pseudo-terminal. Nothing of them may act on the terminal or shift the layout.

const esc = '\u001b';
// What docknet itself writes: CSI sequences (cursor, colour, modes). A hostile CSI would hide
// among them, so the screen is checked too: a sequence from data shows as text (␛[31m).
const ownSequences = new RegExp(`${esc}\\[[0-9;?]*[A-Za-z]`, 'g');

let engine: TestEngine;
const resources = new TestResources();
/** The hostile strings the engine accepted as network names, by network id. */
const hostileNetworks = new Map<string, string>();
let labelled: string;
let container: string;

before(async () => {
	engine = requireTestEngine();
	for (const {value} of hostileStrings) {
		const name = `${uniqueName('h')}${value}`;
		try {
			hostileNetworks.set(await resources.createNetwork(name), name);
		} catch {
			// The engine refused this name (it checks some): the string still goes into labels.
		}
	}

	labelled = uniqueName('hostile-labels');
	// The docker CLI refuses white space in label keys; values take anything.
	const labelArgs = [
		...hostileStrings.flatMap(({value}, index) => ['--label', `k${index}=${value}`]),
		'--label',
		`key${esc}]0;title\u0007=v`,
	];
	const optionArgs = hostileStrings.slice(0, 5).flatMap(({value}, index) => ['-o', `com.example.o${index}=${value}`]);
	await resources.createNetwork(labelled, [
		...labelArgs,
		...optionArgs,
		'--subnet',
		'10.213.0.0/24',
		'--aux-address',
		`a${esc}]0;aux${'\u0007'}=10.213.0.9`,
	]);
	container = uniqueName('hostile');
	await resources.runContainer(container, {
		network: labelled,
		args: [
			...hostileStrings.slice(0, 8).flatMap(({value}) => ['--network-alias', `al${value}`]),
			...hostileStrings.slice(0, 8).flatMap(({value}, index) => ['--label', `c${index}=${value}`]),
		],
	});
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
});

interface ProcessResult {
	code: number;
	stdout: string;
	stderr: string;
}

async function runDocknet(args: string[]): Promise<ProcessResult> {
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env['DOCKER_HOST'];
	return runProcess('ip', ['netns', 'exec', engine.netns, process.execPath, docknetBundle, ...args, '--host', engine.dockerHost], {env, timeoutMs: 60_000});
}

function assertNoControlBytes(text: string, what: string): void {
	const at = text.split('\n').findIndex(line => controlBytes.test(line));
	assert.equal(at, -1, `${what}: a control byte in line ${at}: ${JSON.stringify(text.split('\n')[at])}`);
}

describe('hostile strings from a real engine', () => {
	test('the engine took hostile network names (the test has something to show)', () => {
		assert.ok(hostileNetworks.size >= 10, `only ${hostileNetworks.size} hostile names were accepted`);
		assert.ok([...hostileNetworks.values()].some(name => name.includes(`${esc}]0;pwned`)), 'an OSC title name');
		assert.ok([...hostileNetworks.values()].some(name => name.includes('\r')), 'a name with CR');
	});

	test('snapshot text and --tree write no control byte and show each name visibly', async () => {
		for (const args of [['snapshot'], ['snapshot', '--tree']]) {
			const result = await runDocknet(args);
			assert.equal(result.code, 0, result.stderr);
			assertNoControlBytes(result.stdout, args.join(' '));
			assert.ok(!result.stdout.includes(esc), `${args.join(' ')}: an ESC byte`);
			assert.match(result.stdout, /n␛\]0;pwned␇/, `${args.join(' ')} shows the OSC name as text`);
		}
	});

	test('snapshot --json keeps the exact values', async () => {
		const result = await runDocknet(['snapshot', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const parsed = JSON.parse(result.stdout) as {networks: Array<{id: string; name: string; labels: Record<string, string>}>};
		for (const [id, name] of hostileNetworks) {
			assert.equal(parsed.networks.find(network => network.id === id)?.name, name);
		}

		const labels = parsed.networks.find(network => network.name === labelled)?.labels ?? {};
		for (const [index, {value}] of hostileStrings.entries()) assert.equal(labels[`k${index}`], value);
		assert.equal(labels[`key${esc}]0;title\u0007`], 'v');
	});

	describe('the full-screen view in a pseudo-terminal', () => {
		let app: DocknetPty;
		before(async () => {
			app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 120, rows: 40});
			await app.waitForText(container, 20_000);
		});

		test('rows keep their columns: every network row has its driver at the same place', async () => {
			await app.waitForText('n␛]0;pwned␇');
			// Emoji excepted: the headless xterm measures them with Unicode 6's table (one column),
			// docknet and today's terminals with Unicode 15's (two).
			// SCOPE, `local` on every row, is left out: the driver is followed by the subnet.
			const rows = app.screen().filter(line => /^ {2}\S/.test(line) && / bridge +\d/.test(line) && !/\p{Extended_Pictographic}/u.test(line));
			assert.ok(rows.length >= 10, app.text());
			// Columns on screen, not string indices: wide characters take two, combining marks none.
			const driverColumn = (line: string): number => stringWidth(line.slice(0, line.search(/ bridge +\d/)));
			const driverColumns = new Set(rows.map(line => driverColumn(line)));
			assert.equal(driverColumns.size, 1, `driver column differs between rows:\n${rows.map(line => `${driverColumn(line)} ${line}`).join('\n')}`);
			assert.match(app.text(), / 1 Networks/, 'the pane title stays on screen');
		});

		test('details, topology and help of hostile data draw nothing from the data', async () => {
			// Every network's details, the labelled network's above all.
			app.press('1');
			for (let index = 0; index < hostileNetworks.size + 4; index++) {
				app.press(keys.enter);
				await app.waitForText(/ Network /);
				app.press(keys.escape);
				await app.waitForText(' 1 Networks');
				app.press('j');
			}

			app.press('2');
			app.press('/');
			app.press(container);
			app.press(keys.enter);
			app.press(keys.enter);
			await app.waitForText('aln␛]0;pwned␇');
			app.press(keys.escape);
			app.press('t');
			await app.waitForText('Topology');
			app.press(keys.escape);
			app.press('?');
			app.press(keys.escape);
			await app.waitForText(' 1 Networks');

			const raw = app.rawOutput().replace(ownSequences, '');
			assert.ok(!raw.includes(esc), `an ESC not part of docknet's own sequences: ${JSON.stringify(raw.slice(Math.max(0, raw.indexOf(esc) - 40), raw.indexOf(esc) + 40))}`);
			// eslint-disable-next-line no-control-regex
			const strayControl = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/u.exec(raw);
			assert.equal(strayControl, null, `a control character reached the terminal: ${JSON.stringify(strayControl?.[0])}`);
		});
	});

	test('a closed terminal (tmux kill-session) ends docknet cleanly, without a native abort', async () => {
		// tmux closes the terminal the way a closed window or a dropped ssh link does. The
		// session's shell outlives the hang-up (a trap, not an ignore, so docknet still gets
		// SIGHUP) and writes down how docknet ended. A private tmux server: the user's is untouched.
		const dir = mkdtempSync(path.join(os.tmpdir(), 'docknet-hup-'));
		const statusFile = path.join(dir, 'status');
		const tmux = (...args: string[]): Promise<string> =>
			new Promise((resolve, reject) => {
				execFile('tmux', ['-S', path.join(dir, 'tmux.sock'), ...args], (error, stdout) => (error ? reject(error) : resolve(stdout)));
			});
		const command = ['ip', 'netns', 'exec', engine.netns, process.execPath, docknetBundle, '--host', engine.dockerHost].join(' ');
		try {
			await tmux('new-session', '-d', '-x', '100', '-y', '30', `env -u CI bash -c 'trap : HUP; ${command}; echo "$?" > ${statusFile}'`);
			const shown = Date.now() + 20_000;
			while (Date.now() < shown && !(await tmux('capture-pane', '-p')).includes(container)) await new Promise(resolve => setTimeout(resolve, 100));
			assert.ok((await tmux('capture-pane', '-p')).includes(container), 'docknet never showed the engine in tmux');
			await tmux('kill-server');
			const deadline = Date.now() + 15_000;
			while (Date.now() < deadline && !existsSync(statusFile)) await new Promise(resolve => setTimeout(resolve, 50));
			assert.ok(existsSync(statusFile), 'docknet still runs 15 s after its terminal closed');
			// 129: ended by the hang-up; 134 would be node's abort (SIGABRT) in ResetStdio.
			assert.equal(readFileSync(statusFile, 'utf8').trim(), '129');
		} finally {
			await tmux('kill-server').catch(() => undefined);
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('SIGQUIT gives the terminal back: main screen, cursor shown', async () => {
		const app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 100, rows: 30});
		await app.waitForText(container, 20_000);
		app.kill('SIGQUIT');
		const status = await app.exited;
		assert.equal(status.exitCode, 131);
		const output = app.rawOutput();
		assert.ok(output.lastIndexOf(`${esc}[?1049l`) > output.lastIndexOf(`${esc}[?1049h`), 'left the alternate screen');
		assert.ok(output.lastIndexOf(`${esc}[?25h`) > output.lastIndexOf(`${esc}[?25l`), 'cursor shown again');
	});

});
