import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

// Rootless Podman cannot run on this machine's kind (no user namespaces for a second user,
// see README), so its answers are scripted here, shaped as Podman 4.3.1 sends them: docknet
// must name it rootless and say that its bridges and veths cannot be seen, instead of
// showing this machine's interfaces as the engine's.

let dir: string;
let server: Server;
let socketPath: string;

const answers: Record<string, unknown> = {
	'/version': {Components: [{Name: 'Podman Engine', Version: '4.3.1'}], Version: '4.3.1', ApiVersion: '1.41', Os: 'linux', KernelVersion: '6.1.0'},
	'/info': {Name: 'box', ServerVersion: '4.3.1', OperatingSystem: 'debian', Rootless: true, SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'], Swarm: {LocalNodeState: 'inactive'}},
	'/networks': [{Name: 'bridge', Id: 'd1', Driver: 'bridge', Scope: 'local', IPAM: {Config: [{Subnet: '10.88.0.0/16', Gateway: '10.88.0.1'}]}}],
	'/v4.0.0/libpod/networks/json': [{name: 'podman', id: 'd1', driver: 'bridge', network_interface: 'podman0'}],
	'/containers/json?all=true': [],
};

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'docknet-rootless-'));
	socketPath = join(dir, 'podman.sock');
	server = createServer((request, response) => {
		const body = answers[request.url ?? ''];
		response.writeHead(body === undefined ? 404 : 200, {'Content-Type': 'application/json'});
		response.end(JSON.stringify(body ?? {message: 'not scripted'}));
	});
	await new Promise<void>(resolve => {
		server.listen(socketPath, resolve);
	});
});

after(async () => {
	server.closeAllConnections();
	await new Promise<void>(resolve => {
		server.close(() => resolve());
	});
	rmSync(dir, {recursive: true, force: true});
});

test('rootless Podman: named in the snapshot, and the host side said to be out of sight', async () => {
	const output = await new Promise<string>((resolve, reject) => {
		execFile(process.execPath, ['--import', 'tsx', 'source/launcher.ts', 'snapshot', '--json', '--host', `unix://${socketPath}`], {timeout: 60_000}, (error, stdout, stderr) => {
			if (error) reject(new Error(`snapshot --json: ${stderr || error.message}`));
			else resolve(stdout);
		});
	});
	const shot = JSON.parse(output) as {
		engine: {product: string; rootless: boolean};
		networks: Array<{name: string; bridge: string | null}>;
		interfaces: {status: string; reason: string | null; items: unknown[]};
	};
	assert.equal(shot.engine.product, 'Podman');
	assert.equal(shot.engine.rootless, true);
	assert.deepEqual(shot.networks.map(network => [network.name, network.bridge]), [['podman', 'podman0']]);
	assert.equal(shot.interfaces.status, 'unavailable');
	assert.match(shot.interfaces.reason ?? '', /rootless Podman keeps its bridges and veths in a network namespace of its own/);
	assert.deepEqual(shot.interfaces.items, []);
});
