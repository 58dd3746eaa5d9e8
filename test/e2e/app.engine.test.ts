import {execFile, spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {dockerCli, requireTestEngine, TestResources, uniqueName} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {disposeAllDocknets, docknetBundle, findNodeProcess, keys, startDocknet} from '../helpers/pty-app.js';
import type {DocknetPty} from '../helpers/pty-app.js';
import {runProcess} from '../helpers/run-process.js';

// docknet as a user runs it: a real pseudo-terminal, a real engine, the screen read back from
// a terminal emulator. The app runs inside the engine's network namespace (ip netns exec), so
// its host interfaces pane shows that engine's docker0 and veths.

const leaveAlternateScreen = '\u001B[?1049l';
const enterAlternateScreen = '\u001B[?1049h';
const onlyControlSequences = new RegExp(`^(?:${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z])*$`);
const paneTitles = [' 1 Networks', ' 2 Containers', ' 3 Host interfaces'];

let engine: TestEngine;
const resources = new TestResources();

before(() => {
	engine = requireTestEngine();
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
});

function start(columns = 100, rows = 30, args: string[] = []): DocknetPty {
	return startDocknet({args: ['--host', engine.dockerHost, ...args], netns: engine.netns, columns, rows});
}

const nonEmpty = (lines: string[]): string[] => lines.filter(line => line.trim() !== '');

/** The lines above the events strip (which keeps naming containers that are gone). */
function paneLines(lines: string[]): string[] {
	const strip = lines.findIndex(line => /^ ?Events\b/.test(line));
	return strip < 0 ? lines : lines.slice(0, strip);
}

function assertTerminalRestored(app: DocknetPty): void {
	const output = app.rawOutput();
	const left = output.lastIndexOf(leaveAlternateScreen);
	assert.ok(left >= 0, 'docknet never left the alternate screen');
	assert.ok(left > output.lastIndexOf(enterAlternateScreen), 'docknet re-entered the alternate screen after leaving it');
	// After leaving, only control sequences (show the cursor) may follow: nothing drawn.
	const tail = output.slice(left + leaveAlternateScreen.length);
	assert.match(tail, onlyControlSequences, `output after leaving the alternate screen: ${JSON.stringify(tail)}`);
}

interface ProcessResult {
	code: number;
	stdout: string;
	stderr: string;
}

async function runDocknet(args: string[], netns?: string): Promise<ProcessResult> {
	const command = netns === undefined ? [process.execPath, docknetBundle, ...args] : ['ip', 'netns', 'exec', netns, process.execPath, docknetBundle, ...args];
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env['DOCKER_HOST'];
	delete env['DOCKER_CONTEXT'];
	return runProcess(command[0] as string, command.slice(1), {env, timeoutMs: 30_000});
}

/** The host-side veth of a running container's eth0, found by ifindex in the engine's namespace. */
async function hostVethOf(container: string): Promise<string> {
	const pid = await dockerCli(['inspect', '-f', '{{.State.Pid}}', container]);
	const ifindex = readFileSync(`/proc/${pid}/root/sys/class/net/eth0/iflink`, 'utf8').trim();
	const links = await new Promise<string>((resolve, reject) => {
		execFile('ip', ['-n', engine.netns, '-o', 'link', 'show'], (error, stdout) => (error ? reject(error) : resolve(stdout)));
	});
	for (const line of links.split('\n')) {
		const match = /^(\d+):\s+([^@:\s]+)/.exec(line);
		if (match?.[1] === ifindex && match[2] !== undefined) return match[2];
	}

	throw new Error(`no interface with ifindex ${ifindex} in ${engine.netns}:\n${links}`);
}

describe('docknet in a terminal, live against the engine (100x30)', () => {
	let app: DocknetPty;
	// Short names: the name column is narrow at 100 columns and "✚new" follows the name.
	const first = uniqueName('a');
	const second = uniqueName('b');
	const network = uniqueName('n');

	before(async () => {
		app = start();
		await app.waitForText('● live');
	});

	after(async () => {
		await app.dispose();
	});

	test('the header names the engine and its version', async () => {
		const version = await dockerCli(['version', '--format', '{{.Server.Version}}']);
		await app.waitFor(lines => (lines[0] ?? '').startsWith('docknet') && (lines[0] ?? '').includes(`Docker ${version}`), `the header with Docker ${version}`);
		assert.ok((app.screen()[0] ?? '').includes(`Docker ${version}`), 'the first line names the engine and its version');
	});

	test('a container started elsewhere appears without a key, marked new', async () => {
		await resources.runContainer(first);
		await app.waitFor(lines => lines.some(line => line.includes(`${first} ✚new`) && line.includes('running')), `${first} ✚new, running`);
		assert.match(app.screen().find(line => line.includes(first)) ?? '', /✚new.*running/, 'its row is marked new and running');
	});

	test('a network created elsewhere appears', async () => {
		await resources.createNetwork(network);
		await app.waitForText(network);
		assert.ok(app.screen().some(line => line.includes(network)), `${network} is listed`);
		await resources.runContainer(second, {network});
		await app.waitFor(lines => lines.some(line => line.includes(second) && line.includes('running')), `${second} running`);
	});

	test('host interfaces (key 3) show docker0 and the container veth, named by container:eth0', async () => {
		const veth = await hostVethOf(first);
		app.press('3');
		await app.waitFor(() => app.highlighted().some(text => text.startsWith('3 Host interfaces')), 'the interfaces pane focused');
		// The peer column may be too narrow for the whole "name:eth0" at 100 columns.
		const peerShown = (line: string): boolean => line.includes(`${first}:eth0`) || line.includes(`${first}:e…`) || line.includes(`${first}:…`);
		await app.waitFor(
			lines => lines.some(line => /^\W{0,2}\s*docker0\s/.test(line)) && lines.some(line => line.includes(`${veth} `) && peerShown(line)),
			`docker0 and ${veth} as ${first}:eth0`,
		);
		// The details name the peer in full.
		app.press(`/${veth}`);
		await app.waitForText(`/${veth}▏`);
		app.press(keys.enter);
		// Wait for each key's effect: two Enters arriving in one read are lost (Ink hands them over as one string "\r\r").
		await app.waitFor(lines => lines.some(line => line.includes(' 3 Host interfaces (1 of') && line.includes(`/${veth}`) && !line.includes('▏')), `only ${veth} listed, filter kept`);
		app.press(keys.enter);
		await app.waitFor(lines => lines.some(line => /^Container\s/.test(line) && line.includes(`${first}:eth0`)), `details of ${veth} naming ${first}:eth0`);
		app.press(keys.escape);
		await app.waitForText(' 3 Host interfaces (1 of');
		app.press('/');
		await app.waitForText(`/${veth}▏`);
		app.press(keys.escape);
		await app.waitFor(lines => !lines.some(line => line.includes(`/${veth}`)), 'the filter cleared');
	});

	test('keys move the selection and filter the containers pane', async () => {
		app.press('2');
		await app.waitFor(() => app.highlighted().some(text => text.startsWith('2 Containers')), 'the containers pane focused');
		const selected = (): string | undefined => app.highlighted().find(text => text.includes(first) || text.includes(second));
		// Home, then down: the selection goes from one row to the next.
		app.press('g');
		await app.waitFor(() => selected() !== undefined, 'a selected container row');
		const before = selected();
		app.press('j');
		await app.waitFor(() => selected() !== before, 'the selection to move');

		app.press(`/${second}`);
		await app.waitForText(`/${second}`);
		app.press(keys.enter);
		await app.waitFor(
			lines =>
				lines.some(line => line.includes(' 2 Containers (1 of') && !line.includes('▏')) &&
				!lines.some(line => line.includes(first) && line.includes('running')) &&
				lines.some(line => line.includes(second) && line.includes('running')),
			`only ${second} listed`,
		);
		assert.match(app.text(), / 2 Containers \(1 of \d+\)/);
	});

	test('Enter opens the container details with its IP address', async () => {
		const ip = await dockerCli(['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, second]);
		assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
		app.press(keys.enter);
		await app.waitFor(lines => lines.some(line => line.includes(`Container ${second}`)) && lines.some(line => line.includes(ip)), `details of ${second} with ${ip}`);
		app.press(keys.escape);
		await app.waitForText(' 2 Containers (1 of');
		// Clear the filter for the next tests.
		app.press('/');
		await app.waitForText(`/${second}▏`);
		app.press(keys.escape);
		await app.waitFor(lines => !lines.some(line => line.includes(`/${second}`)), 'the filter cleared');
	});

	test('a stopped container shows exited', async () => {
		await dockerCli(['stop', '-t', '0', first]);
		await app.waitFor(lines => lines.some(line => line.includes(first) && line.includes('exited')), `${first} exited`);
		assert.doesNotMatch(app.screen().find(line => line.includes(first)) ?? '', /running/, 'no longer shown running');
	});

	test('a removed container disappears', async () => {
		await dockerCli(['rm', '-f', first]);
		await app.waitFor(lines => !paneLines(lines).some(line => line.includes(first)), `${first} gone from the panes`);
		assert.equal(paneLines(app.screen()).filter(line => line.includes(first)).length, 0);
		assert.ok(paneLines(app.screen()).some(line => line.includes(second)), 'the other container is still listed');
	});

	test('q quits with code 0 and restores the terminal', async () => {
		app.press('q');
		const status = await app.exited;
		assert.deepEqual(status, {exitCode: 0, signal: undefined});
		assertTerminalRestored(app);
	});
});

describe('docknet leaves the terminal as it found it', () => {
	for (const [signal, code] of [
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const) {
		test(`${signal} exits cleanly and restores the terminal`, async () => {
			const app = start();
			try {
				await app.waitForText('● live');
				const pid = findNodeProcess(app.pid);
				assert.ok(pid !== undefined, 'the docknet node process');
				process.kill(pid, signal);
				const status = await app.exited;
				assert.equal(status.exitCode, code);
				assert.equal(status.signal, undefined, 'docknet handled the signal instead of dying from it');
				assertTerminalRestored(app);
				assert.doesNotMatch(app.rawOutput(), /\n\s+at .+:\d+:\d+/, 'no stack trace');
			} finally {
				await app.dispose();
			}
		});
	}
});

describe('docknet times its keys for the benchmark', () => {
	test('DOCKNET_KEY_TRACE: one entry per key pressed, each drawn after it was handled', async () => {
		const traceFile = path.join(os.tmpdir(), `docknet-key-trace-test-${process.pid}.json`);
		const app = startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns: 100, rows: 30, env: {DOCKNET_KEY_TRACE: traceFile}});
		try {
			await app.waitForText('● live');
			for (const key of ['2', 'j', 'k', '1']) {
				const before = app.text();
				app.press(key);
				await app.waitFor(lines => lines.join('\n') !== before, `the screen to change after ${key}`);
			}

			app.press('q');
			await app.exited;
			const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as Array<{handledAt: number; framedAt?: number}>;
			assert.equal(trace.length, app.pressedAt.length, 'one entry per key');
			for (const [index, entry] of trace.slice(0, -1).entries()) {
				assert.ok(entry.handledAt >= (app.pressedAt[index] ?? Infinity) - 5, `key ${index} handled after it was pressed`);
				assert.ok(entry.framedAt !== undefined && entry.framedAt >= entry.handledAt, `key ${index} drawn after it was handled`);
			}
		} finally {
			await app.dispose();
			rmSync(traceFile, {force: true});
		}
	});
});

describe('docknet fits the terminal', () => {
	const assertFullLayout = (lines: string[], columns: number): void => {
		const text = lines.join('\n');
		for (const title of paneTitles) assert.ok(text.includes(title), `"${title}" on screen:\n${text}`);
		assert.ok((lines[0] ?? '').startsWith('docknet'), `header on line 0:\n${text}`);
		const visible = nonEmpty(lines);
		assert.match(visible.at(-1) ?? '', /q quit/, `footer last:\n${text}`);
		for (const line of lines) assert.ok(line.length <= columns, `line wider than ${columns}: ${line}`);
	};

	for (const [columns, rows] of [
		[80, 24],
		[200, 50],
	] as const) {
		test(`${columns}x${rows} shows all three panes and the footer`, async () => {
			const app = start(columns, rows);
			try {
				await app.waitFor(
					lines => paneTitles.every(title => lines.join('\n').includes(title)) && /q quit/.test(nonEmpty(lines).at(-1) ?? '') && lines.join('\n').includes('● live'),
					'all three panes, the footer and a live engine',
				);
				assertFullLayout(app.screen(), columns);
			} finally {
				await app.dispose();
			}
		});
	}

	test('resizing from 120x40 to 80x24 redraws without stale lines', async () => {
		const app = start(120, 40);
		try {
			await app.waitFor(lines => paneTitles.every(title => lines.join('\n').includes(title)) && lines.join('\n').includes('● live'), 'the full layout at 120x40');
			const footerRowBefore = app.screen().findLastIndex(line => line.trim() !== '');
			assert.ok(footerRowBefore > 24, 'the 120x40 layout uses the extra rows');
			app.resize(80, 24);
			// Everything a clean 80x24 screen has, once each; leftovers of the 120x40 frame (a
			// header pushed off line 0, a duplicated line, a tail after the footer) fail it.
			const redrawn = (lines: string[]): boolean => {
				const text = lines.join('\n');
				const visible = nonEmpty(lines);
				return (
					(lines[0] ?? '').startsWith('docknet │') &&
					lines.findLastIndex(line => line.trim() !== '') <= 22 &&
					/q quit$/.test((visible.at(-1) ?? '').trimEnd()) &&
					lines.filter(line => line.includes('docknet │')).length === 1 &&
					lines.filter(line => /q quit/.test(line)).length === 1 &&
					paneTitles.every(title => text.split(title).length - 1 === 1) &&
					new Set(visible).size === visible.length - visible.filter(line => line.trim() === '').length
				);
			};

			await app.waitFor(redrawn, 'the 80x24 layout redrawn cleanly: header on line 0, footer last, each pane title and line once', 5000);
			assertFullLayout(app.screen(), 80);
		} finally {
			await app.dispose();
		}
	});

	test('a 50x12 terminal says it is too small', async () => {
		const app = start(50, 12);
		try {
			await app.waitForText('Terminal too small');
			app.press('q');
			assert.equal((await app.exited).exitCode, 0);
		} finally {
			await app.dispose();
		}
	});
});

describe('docknet outside the full-screen view', () => {
	test('an engine socket that does not exist: one paragraph, exit code 1, no stack trace', async () => {
		const socket = '/tmp/docknet-no-such-engine/docker.sock';
		const result = await runDocknet(['--host', `unix://${socket}`]);
		assert.equal(result.code, 1);
		const message = result.stderr.trim();
		assert.ok(message.includes(socket), `the message names the socket:\n${message}`);
		assert.doesNotMatch(message, /\n\s*\n/, `one paragraph:\n${message}`);
		assert.doesNotMatch(message, /^\s+at /m, `no stack trace:\n${message}`);
		assert.ok(!result.stdout.includes(enterAlternateScreen), 'never entered the alternate screen');
	});

	describe('docknet snapshot --json agrees with docker inspect', () => {
		const userNetwork = uniqueName('sn');
		const onBridge = uniqueName('sb');
		const onUser = uniqueName('su');
		const onBoth = uniqueName('sx');
		const stopped = uniqueName('ss');

		interface SnapshotJson {
			networks: Array<{name: string; ipam: {pools: Array<{subnet: string}>}}>;
			containers: Array<{name: string; state: string; endpoints: Array<{network: string; ipv4: string | null; mac: string | null}>}>;
			interfaces: {items: Array<{name: string; kind: string; peer: {container: string} | null}>};
		}

		interface Inspected {
			Name: string;
			State: {Running: boolean};
			HostConfig: {NetworkMode: string};
			NetworkSettings: {Networks: Record<string, {IPAddress: string; MacAddress: string}>};
		}

		let snapshot: SnapshotJson;

		before(async () => {
			await resources.createNetwork(userNetwork, ['--subnet', '10.231.0.0/24']);
			await resources.runContainer(onBridge);
			await resources.runContainer(onUser, {network: userNetwork});
			await resources.runContainer(onBoth);
			await dockerCli(['network', 'connect', userNetwork, onBoth]);
			await resources.runContainer(stopped);
			await dockerCli(['stop', '-t', '0', stopped]);
			const result = await runDocknet(['snapshot', '--json', '--host', engine.dockerHost], engine.netns);
			assert.equal(result.code, 0, result.stderr);
			snapshot = JSON.parse(result.stdout) as SnapshotJson;
		});

		test('networks: names and subnets', async () => {
			const ids = (await dockerCli(['network', 'ls', '-q', '--no-trunc'])).split('\n');
			const inspected = JSON.parse(await dockerCli(['network', 'inspect', ...ids])) as Array<{Name: string; IPAM: {Config: Array<{Subnet?: string}> | null}}>;
			const expected = inspected
				.map(network => ({name: network.Name, subnets: (network.IPAM.Config ?? []).flatMap(pool => (pool.Subnet ? [pool.Subnet] : [])).sort()}))
				.sort((a, b) => a.name.localeCompare(b.name));
			const actual = snapshot.networks
				.map(network => ({name: network.name, subnets: network.ipam.pools.map(pool => pool.subnet).sort()}))
				.sort((a, b) => a.name.localeCompare(b.name));
			assert.deepEqual(actual, expected);
			assert.deepEqual(actual.find(network => network.name === userNetwork)?.subnets, ['10.231.0.0/24']);
		});

		test('containers: names, IPv4 per network and MAC', async () => {
			const ids = (await dockerCli(['ps', '-aq', '--no-trunc'])).split('\n');
			const inspected = JSON.parse(await dockerCli(['inspect', ...ids])) as Inspected[];
			const describe = (name: string, endpoints: Array<{network: string; ipv4: string; mac: string}>) => ({
				name,
				endpoints: endpoints.sort((a, b) => a.network.localeCompare(b.network)),
			});
			const expected = inspected
				.map(container =>
					describe(
						container.Name.replace(/^\//, ''),
						Object.entries(container.NetworkSettings.Networks)
							// A stopped container keeps its networks but no address.
							.filter(([, endpoint]) => endpoint.IPAddress !== '')
							.map(([network, endpoint]) => ({network, ipv4: endpoint.IPAddress, mac: endpoint.MacAddress})),
					),
				)
				.sort((a, b) => a.name.localeCompare(b.name));
			const actual = snapshot.containers
				.map(container =>
					describe(
						container.name,
						container.endpoints
							.filter(endpoint => endpoint.ipv4 !== null)
							.map(endpoint => ({network: endpoint.network, ipv4: endpoint.ipv4 ?? '', mac: endpoint.mac ?? ''})),
					),
				)
				.sort((a, b) => a.name.localeCompare(b.name));
			assert.deepEqual(actual, expected);
			const both = actual.find(container => container.name === onBoth);
			assert.deepEqual(both?.endpoints.map(endpoint => endpoint.network), ['bridge', userNetwork].sort((a, b) => a.localeCompare(b)));
			assert.equal(snapshot.containers.find(container => container.name === stopped)?.state, 'exited');
		});

		test('interfaces: docker0, and each running bridged container owns its veth', async () => {
			const items = snapshot.interfaces.items;
			assert.ok(items.some(item => item.name === 'docker0' && item.kind === 'bridge'), 'docker0 listed as a bridge');
			const ids = (await dockerCli(['ps', '-q', '--no-trunc'])).split('\n');
			const running = (JSON.parse(await dockerCli(['inspect', ...ids])) as Inspected[]).filter(
				container => container.State.Running && Object.keys(container.NetworkSettings.Networks).some(name => name !== 'host' && name !== 'none'),
			);
			assert.ok(running.length >= 3);
			for (const container of running) {
				const name = container.Name.replace(/^\//, '');
				const veth = await hostVethOf(name);
				const item = items.find(candidate => candidate.name === veth);
				assert.ok(item, `${veth} (eth0 of ${name}) listed`);
				assert.equal(item.peer?.container, name, `${veth} belongs to ${name}`);
			}
		});

		test('a reader that stops reading (`| head`, `| true`): docknet ends quietly, exit 0, nothing on stderr', async () => {
			const child = spawn('ip', ['netns', 'exec', engine.netns, process.execPath, docknetBundle, 'snapshot', '--json', '--host', engine.dockerHost], {stdio: ['ignore', 'pipe', 'pipe']});
			// The reader is gone before docknet writes a byte: every write meets a closed pipe.
			child.stdout.destroy();
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			const code = await new Promise<number | null>(resolve => {
				child.on('close', resolve);
			});
			assert.equal(stderr, '');
			assert.equal(code, 0);
		});
	});
});
