import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {contextDirectoryName} from '../../source/engine/endpoint.js';
import {ensureTestImage, startPrivateEngine} from '../../source/playground/private-engine.js';
import type {PrivateEngine} from '../../source/playground/private-engine.js';
import {auxEngineName, dockerOn} from '../helpers/aux-engine.js';
import {runProcess} from '../helpers/run-process.js';
import {requireTestEngine, TEST_IMAGE, TEST_LABEL, TEST_RUN_ID, TestResources} from '../helpers/engine-harness.js';
import {disposeAllDocknets, keys, startDocknet} from '../helpers/pty-app.js';
import {openConnectForm} from '../helpers/pty-steps.js';

// With several engines open, a command docknet logs or previews names its engine: pasted
// into a shell whose default engine is another one, it still acts where docknet acted. One
// engine is opened by a docker context (its commands say `--context`), the other by its
// address (`-H`); each command is run by bash with the real docker CLI, with DOCKER_HOST
// pointing at the other engine.

const main = requireTestEngine();
const resources = new TestResources();
let aux: PrivateEngine | undefined;
const CONTEXT = `dn-ctx-${TEST_RUN_ID}`;
const mainNetwork = `mr-${TEST_RUN_ID}`;
const auxNetwork = `ar-${TEST_RUN_ID}`;
const auxContainer = `ax-${TEST_RUN_ID}`;
const AUX_SUBNET = '10.232.2.0/24';
const home = mkdtempSync(path.join(tmpdir(), 'docknet-engine-commands-'));
const dockerConfig = path.join(home, 'docker');
const stateHome = path.join(home, 'state');

function auxEngine(): PrivateEngine {
	if (aux === undefined) throw new Error('the second engine did not start');
	return aux;
}

/** A logged command pasted into bash, whose default engine is `defaultHost`. */
async function pasted(command: string, defaultHost: string): Promise<void> {
	const env: NodeJS.ProcessEnv = {...process.env, DOCKER_HOST: defaultHost, DOCKER_CONFIG: dockerConfig};
	delete env['DOCKER_CONTEXT'];
	const result = await runProcess('bash', ['-c', command], {env});
	assert.equal(result.code, 0, `${command}: ${result.stderr}`);
}

function journalCommands(): string[] {
	const text = readFileSync(path.join(stateHome, 'docknet', 'journal.jsonl'), 'utf8');
	return text.split('\n').filter(Boolean).map(line => (JSON.parse(line) as {command: string}).command);
}

before(async () => {
	aux = await startPrivateEngine({name: auxEngineName('cmds')});
	await ensureTestImage(aux.dockerHost);
	// The user's docker context for the shared test engine, as `docker context create` writes it.
	const meta = path.join(dockerConfig, 'contexts', 'meta', contextDirectoryName(CONTEXT));
	mkdirSync(meta, {recursive: true});
	writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({Name: CONTEXT, Metadata: {}, Endpoints: {docker: {Host: main.dockerHost, SkipTLSVerify: false}}}));
	await resources.createNetwork(mainNetwork);
	await dockerOn(auxEngine().dockerHost, ['network', 'create', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--subnet', AUX_SUBNET, auxNetwork]);
	await dockerOn(auxEngine().dockerHost, ['run', '-d', '--label', `${TEST_LABEL}=${TEST_RUN_ID}`, '--name', auxContainer, TEST_IMAGE, 'sleep', '100000']);
});

after(async () => {
	await disposeAllDocknets();
	await resources.cleanup();
	await aux?.stop();
	rmSync(home, {recursive: true, force: true});
});

describe('commands of several engines name their engine', () => {
	test('the form, the confirmation and the log carry --context or -H; pasted with another default engine, each acts on its own', async () => {
		const auxHost = auxEngine().dockerHost;
		const app = startDocknet({
			args: ['--context', CONTEXT, '-H', auxHost],
			env: {DOCKER_CONFIG: dockerConfig, XDG_STATE_HOME: stateHome},
			netns: main.netns,
			columns: 200,
			rows: 50,
		});
		await app.waitFor(lines => (lines[0] ?? '').includes('● 2 engines live') && lines.some(line => line.includes(auxContainer)), 'both engines live', 30_000);

		// Connect the second engine's container by keys: the form's command names that engine.
		await openConnectForm(app, auxContainer, auxNetwork, AUX_SUBNET);
		const connect = `docker -H ${auxHost} network connect -- ${auxNetwork} ${auxContainer}`;
		await app.waitForText(connect);
		app.press(keys.enter);
		await app.waitForText(new RegExp(`Connected ${auxContainer} to ${auxNetwork}`), 20_000);
		app.press(keys.escape);

		// Remove the context engine's network by keys: the confirmation names the context.
		app.press('1');
		app.press(`/${mainNetwork}`);
		app.press(keys.enter);
		await app.waitFor(lines => lines.some(line => line.includes(' 1 Networks (1 of')), 'the network filtered');
		app.press('x');
		const remove = `docker --context ${CONTEXT} network rm -- ${mainNetwork}`;
		await app.waitForText(remove);
		app.press('y');
		await app.waitForText(`Removed network ${mainNetwork}`, 20_000);
		app.press('q');
		await app.exited;

		assert.deepEqual(journalCommands(), [connect, remove]);

		// Undone behind docknet's back, then done again by the pasted commands, each in a
		// shell whose default engine is the other one.
		await dockerOn(auxHost, ['network', 'disconnect', auxNetwork, auxContainer]);
		await pasted(connect, main.dockerHost);
		const networks = JSON.parse(await dockerOn(auxHost, ['inspect', '--format', '{{json .NetworkSettings.Networks}}', auxContainer])) as Record<string, unknown>;
		assert.ok(auxNetwork in networks, 'connected again on the second engine');

		await resources.createNetwork(mainNetwork);
		await pasted(remove, auxHost);
		const left = await dockerOn(main.dockerHost, ['network', 'ls', '--filter', `name=^${mainNetwork}$`, '-q']);
		assert.equal(left, '', 'removed again on the context\'s engine');
	});
});
