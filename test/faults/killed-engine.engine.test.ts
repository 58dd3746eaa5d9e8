import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {after, test} from 'node:test';
import {startPrivateEngine} from '../../source/playground/private-engine.js';
import type {PrivateEngine} from '../../source/playground/private-engine.js';
import {auxEngineName} from '../helpers/aux-engine.js';
import {disposeAllDocknets, startDocknet} from '../helpers/pty-app.js';

// The engine killed outright (SIGKILL of dockerd) while docknet watches it, then started
// again on the same socket with a fresh state: docknet says the connection is lost, keeps
// running, and shows the new engine's picture once it answers. A private engine of its own,
// so the shared test engine is never killed.

const name = auxEngineName('kill');
const engines: PrivateEngine[] = [];
const stackTrace = /^\s+at .+\(.*:\d+:\d+\)$/m;

after(async () => {
	await disposeAllDocknets();
	for (const engine of engines.reverse()) await engine.stop();
});

async function docker(engine: PrivateEngine, args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('docker', args, {env: {...process.env, DOCKER_HOST: engine.dockerHost}, timeout: 60_000}, (error, stdout, stderr) => {
			if (error) reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`));
			else resolve(stdout.trim());
		});
	});
}

test('SIGKILL of the engine mid-session: "lost", no crash; the restarted engine\'s data once it answers', async () => {
	const first = await startPrivateEngine({name});
	engines.push(first);
	await docker(first, ['network', 'create', '--subnet', '10.215.0.0/24', 'before-kill']);
	const app = startDocknet({args: ['--host', first.dockerHost], netns: first.netns, columns: 120, rows: 30});
	await app.waitFor(lines => lines.some(line => line.includes('● live')) && lines.some(line => line.includes('before-kill')), 'live with before-kill', 30_000);

	process.kill(first.pid, 'SIGKILL');
	await app.waitForText(/Engine connection lost: .*Showing the last data \(stale\)/, 20_000);
	// The last data stays on screen, marked stale.
	assert.ok(app.text().includes('before-kill'));
	assert.equal(app.hasExited, false);

	const second = await startPrivateEngine({name});
	engines.push(second);
	await docker(second, ['network', 'create', '--subnet', '10.215.1.0/24', 'after-restart']);
	await app.waitFor(
		lines => lines.some(line => line.includes('● live')) && lines.some(line => line.includes('after-restart')) && !lines.some(line => line.includes('before-kill')),
		'live with the new engine\'s networks only',
		40_000,
	);
	assert.equal(app.hasExited, false);
	assert.doesNotMatch(app.rawOutput(), stackTrace);
	assert.ok(!app.rawOutput().includes('node:internal'));
});
