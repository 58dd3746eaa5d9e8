import {ensureTestImage, startPrivateEngine, BUSYBOX_IMAGE} from '../source/playground/private-engine.js';
import {createDockerGateway} from '../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../source/engine/endpoint.js';
import {EngineSync} from '../source/model/engine-sync.js';
import {SnapshotStore} from '../source/model/store.js';
import {execFile} from 'node:child_process';

// What the idle reconcile costs docknet's process at N containers: a private engine seeded
// with N running containers on N/10 networks, then EngineSync alone (no UI: the reconcile
// changes nothing on screen while nothing changes) for an idle window with the reconcile
// on and with it off; CPU time of this process over each window.
// Usage: tsx bench/reconcile-cost.ts [--n=200] [--seconds=30]

const argument = (name: string, fallback: number): number =>
	Number(process.argv.find(item => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const n = argument('n', 200);
const seconds = argument('seconds', 30);
const say = (message: string): void => {
	process.stderr.write(`[reconcile-cost] ${message}\n`);
};

async function docker(host: string, args: string[]): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		execFile('docker', ['-H', host, ...args], {timeout: 120_000}, error => (error ? reject(error) : resolve()));
	});
}

async function idleCpu(host: string, reconcileMs: number): Promise<{percent: number; requests: number; containers: number}> {
	const gateway = createDockerGateway(resolveEngineEndpoint({hostFlag: host, env: {}, homeDir: '/nonexistent'}));
	const store = new SnapshotStore();
	const sync = new EngineSync(gateway, store, {reconcileMs});
	sync.start();
	await sync.firstLoad;
	// Let the background inspection of every running container finish.
	await new Promise(resolve => setTimeout(resolve, 5000));
	const requestsBefore = gateway.requestCount;
	const before = process.cpuUsage();
	const started = performance.now();
	await new Promise(resolve => setTimeout(resolve, seconds * 1000));
	const used = process.cpuUsage(before);
	const elapsed = performance.now() - started;
	sync.stop();
	return {percent: ((used.user + used.system) / 1000 / elapsed) * 100, requests: gateway.requestCount - requestsBefore, containers: store.getSnapshot().containers.length};
}

const engine = await startPrivateEngine({name: process.env['DOCKNET_COST_ENGINE'] ?? 'docknet-reconcile-cost'});
try {
	await ensureTestImage(engine.dockerHost);
	const networks = Math.max(1, Math.floor(n / 10));
	for (let index = 0; index < networks; index++) await docker(engine.dockerHost, ['network', 'create', '--subnet', `10.150.${index}.0/24`, `net-${index}`]);
	const started = performance.now();
	let next = 0;
	await Promise.all(Array.from({length: 4}, async () => {
		while (next < n) {
			const index = next++;
			await docker(engine.dockerHost, ['run', '-d', '--name', `c-${index}`, '--network', `net-${index % networks}`, BUSYBOX_IMAGE, 'sleep', '1000000']);
		}
	}));
	say(`seeded ${n} containers in ${Math.round((performance.now() - started) / 1000)} s`);
	const on = await idleCpu(engine.dockerHost, 5000);
	const off = await idleCpu(engine.dockerHost, 0);
	process.stdout.write(
		`${on.containers} containers, ${seconds} s idle: reconcile every 5 s ${on.percent.toFixed(2)} % of a core (${on.requests} requests); ` +
			`without it ${off.percent.toFixed(2)} % (${off.requests} requests)\n`,
	);
} finally {
	await engine.stop();
}

process.exit(0);
