import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {requireTestEngine} from '../helpers/engine-harness.js';
import type {TestEngine} from '../helpers/engine-harness.js';
import {disposeAllDocknets, docknetBundle, startDocknet} from '../helpers/pty-app.js';
import {runProcess} from '../helpers/run-process.js';

// The config file and the shell completions as a user meets them: docknet started in a real
// terminal with a file in its config folder, `docknet config check`, and the completion
// scripts loaded into the shells themselves.

let engine: TestEngine;
const scratch = mkdtempSync(path.join(tmpdir(), 'docknet-config-e2e-'));
let homes = 0;

before(() => {
	engine = requireTestEngine();
});

after(async () => {
	await disposeAllDocknets();
	rmSync(scratch, {recursive: true, force: true});
});

/** A config home of its own holding config.yaml. */
function configHome(text: string): string {
	const home = path.join(scratch, `config-${++homes}`);
	mkdirSync(path.join(home, 'docknet'), {recursive: true});
	chmodSync(path.join(home, 'docknet'), 0o700);
	writeFileSync(path.join(home, 'docknet', 'config.yaml'), text, {mode: 0o600});
	return home;
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) => runProcess(command, args, {env, timeoutMs: 60_000});

const start = (home: string, columns = 100, rows = 30) =>
	startDocknet({args: ['--host', engine.dockerHost], netns: engine.netns, columns, rows, env: {XDG_CONFIG_HOME: home}});

const footerLine = (app: ReturnType<typeof start>): string => app.screen().find(line => line.includes('q quit')) ?? '';
const footerKeys = (app: ReturnType<typeof start>): string[] => footerLine(app).split(/\s+/);

describe('the config file, in the running app', () => {
	test('a broken file: one line in the status line, naming file and line, and the built-in keys work', async () => {
		const home = configHome('keys:\n  connect: ctrl-\n  topology: [t\n');
		const app = start(home, 140, 30);
		await app.waitForText('● live', 20_000);
		const file = path.join(home, 'docknet', 'config.yaml');
		await app.waitFor(lines => lines.some(line => line.includes(`Config: ${file}:`)), 'the config line');
		assert.equal(app.screen().filter(line => line.includes('Config:')).length, 1, 'one line');
		assert.ok(footerKeys(app).includes('t'), `the footer has the built-in key: ${footerLine(app)}`);
		app.press('t');
		await app.waitForText('Topology');
		app.press('q');
		assert.equal((await app.exited).exitCode, 0);

		const check = await run(process.execPath, [docknetBundle, 'config', 'check'], {...process.env, XDG_CONFIG_HOME: home});
		assert.equal(check.code, 1);
		assert.match(check.stdout, new RegExp(`^${file.replaceAll('/', '\\/')}:3: not YAML`, 'm'), 'every problem, with its line');
	});

	test('rebound keys, a theme, chosen columns and readOnly, all from the file', async () => {
		const home = configHome(`theme: high-contrast
keys:
  topology: T
  help: F1x
columns:
  networks: [name, subnet]
`);
		const app = start(home, 140, 30);
		await app.waitForText('● live', 20_000);
		// help: F1x is not a key, so that one line is said and help keeps ?.
		await app.waitForText(/config\.yaml:4: keys\.help: "F1x" is not a key/);
		// The footer names each key at least by its letter (with its words where they fit).
		assert.ok(footerKeys(app).includes('T') && !footerKeys(app).includes('t'), `the footer has T, not t: ${footerLine(app)}`);
		app.press('t');
		app.press('T');
		await app.waitForText('Topology');
		app.press('\u001B');
		await app.waitFor(lines => lines.some(line => line.includes('1 Networks')), 'the panes again');
		// The help says the same as the footer and the keys.
		app.press('?');
		await app.waitFor(lines => lines.some(line => /^ {2}T +Show the whole host as a tree/.test(line)), 'the help naming T');
		app.press('\u001B');
		await app.waitFor(lines => lines.some(line => line.includes('1 Networks')), 'the panes after the help');
		const header = app.screen().find(line => line.includes('NAME') && line.includes('SUBNET'));
		assert.ok(header, 'the networks header');
		assert.doesNotMatch(header ?? '', /DRIVER|SCOPE|GATEWAY/);
		// high-contrast draws the focused pane's accent in bright cyan (SGR 96).
		assert.match(app.rawOutput(), new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*;96m 1 Networks`));
		app.press('q');
		await app.exited;

		const readOnly = start(configHome('readOnly: true\n'));
		await readOnly.waitForText('READ-ONLY', 20_000);
		readOnly.press('q');
		await readOnly.exited;

		const check = await run(process.execPath, [docknetBundle, 'config', 'check'], {...process.env, XDG_CONFIG_HOME: configHome('readOnly: true\ntheme: light\n')});
		assert.equal(check.code, 0);
		assert.match(check.stdout, /config\.yaml: fine — readOnly true; theme light/);
	});

	test('a file others could write is refused in one line, and nothing of it applies', async () => {
		const home = configHome('readOnly: true\n');
		chmodSync(path.join(home, 'docknet'), 0o777);
		const app = start(home, 180, 30);
		await app.waitForText('● live', 20_000);
		await app.waitForText(/Config: .*writable by its group or others \(mode 0777\)/);
		assert.doesNotMatch(app.text(), /READ-ONLY/);
		app.press('q');
		await app.exited;
	});
});

describe('shell completion', () => {
	let bin: string;
	let dockerConfig: string;
	before(() => {
		// `docknet` on the PATH, as an installed one is: the scripts call it for context names.
		bin = path.join(scratch, 'bin');
		mkdirSync(bin, {recursive: true});
		writeFileSync(path.join(bin, 'docknet'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(docknetBundle)} "$@"\n`, {mode: 0o755});
		dockerConfig = path.join(scratch, 'docker');
		for (const name of ['lab-east', 'lab-west']) {
			const hash = createHash('sha256').update(name).digest('hex');
			mkdirSync(path.join(dockerConfig, 'contexts', 'meta', hash), {recursive: true});
			writeFileSync(path.join(dockerConfig, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker: {Host: `unix:///tmp/${name}.sock`}}}));
		}
	});

	const env = (): NodeJS.ProcessEnv => ({...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, DOCKER_CONFIG: dockerConfig});

	/** What bash's completion offers for the words typed (the last one is being completed). */
	async function bashOffers(...words: string[]): Promise<string[]> {
		const script = `source <(docknet completion bash)
complete -p docknet >/dev/null || exit 9
COMP_WORDS=(${words.map(word => `'${word}'`).join(' ')}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_docknet
printf '%s\\n' "\${COMPREPLY[@]}"`;
		const result = await run('bash', ['-c', script], env());
		assert.equal(result.code, 0, result.stderr);
		return result.stdout.split('\n').filter(Boolean);
	}

	test('bash: subcommands, flags, their values, context names', async () => {
		const registered = await run('bash', ['-c', 'source <(docknet completion bash) && complete -p docknet'], env());
		assert.equal(registered.stdout.trim(), 'complete -F _docknet docknet');
		assert.deepEqual(await bashOffers('docknet', ''), ['snapshot', 'config', 'completion']);
		assert.deepEqual(await bashOffers('docknet', 'con'), ['config']);
		assert.deepEqual(await bashOffers('docknet', 'config', ''), ['path', 'check']);
		assert.deepEqual(await bashOffers('docknet', 'completion', 'z'), ['zsh']);
		assert.deepEqual(await bashOffers('docknet', '--re'), ['--read-only']);
		assert.ok((await bashOffers('docknet', 'snapshot', '--')).includes('--json'));
		assert.deepEqual(await bashOffers('docknet', '--context', 'lab-'), ['lab-east', 'lab-west']);
		assert.deepEqual(await bashOffers('docknet', '-c', 'lab-w'), ['lab-west']);
		assert.deepEqual(await bashOffers('docknet', '-H', 'ss'), ['ssh://']);
	});

	/** What fish's completion offers for the command line typed so far (`complete -C`). */
	async function fishOffers(line: string): Promise<string[]> {
		const result = await run('fish', ['--no-config', '-c', `docknet completion fish | source; complete -C ${JSON.stringify(line)}`], env());
		assert.equal(result.code, 0, result.stderr);
		return result.stdout.split('\n').filter(Boolean).map(offer => offer.split('\t')[0] ?? '');
	}

	test('fish: subcommands, flags, context names; zsh: the script parses and registers _docknet', async () => {
		assert.deepEqual(await fishOffers('docknet con'), ['config']);
		assert.deepEqual((await fishOffers('docknet config ')).sort(), ['check', 'path']);
		assert.deepEqual(await fishOffers('docknet --re'), ['--read-only']);
		assert.deepEqual(await fishOffers('docknet --context lab-'), ['lab-east', 'lab-west']);

		const zshScript = path.join(scratch, 'docknet.zsh');
		writeFileSync(zshScript, (await run(process.execPath, [docknetBundle, 'completion', 'zsh'])).stdout);
		const parsed = await run('zsh', ['-n', zshScript]);
		assert.equal(parsed.code, 0, `zsh -n: ${parsed.stderr}`);
		const registered = await run('zsh', ['-fc', `autoload -U compinit && compinit -u -d ${JSON.stringify(path.join(scratch, 'zcompdump'))} && source ${JSON.stringify(zshScript)} && print -r -- $_comps[docknet]`], env());
		assert.equal(registered.stdout.trim(), '_docknet', registered.stderr);
		assert.match(readFileSync(zshScript, 'utf8'), /^#compdef docknet$/m);

		const contexts = await run(process.execPath, [docknetBundle, 'completion', 'contexts'], env());
		assert.deepEqual(contexts.stdout.split('\n').filter(Boolean), ['lab-east', 'lab-west']);
	});
});
