import {createDockerGateway} from '../source/engine/docker-gateway.js';
import {resolveEngineEndpoint} from '../source/engine/endpoint.js';
import {EngineSync} from '../source/model/engine-sync.js';
import {SnapshotStore} from '../source/model/store.js';

// What the idle reconcile costs docknet's process: EngineSync against a real engine (the
// benchmark's, seeded with N containers), CPU time over an idle window with the reconcile
// on and with it off. Usage: tsx bench/reconcile-cost.ts unix:///path/docker.sock [seconds]

const host = process.argv[2];
if (host === undefined) {
	process.stderr.write('usage: tsx bench/reconcile-cost.ts <engine url> [seconds]\n');
	process.exit(2);
}

const seconds = Number(process.argv[3] ?? 30);

async function idleCpu(reconcileMs: number): Promise<{percent: number; requests: number; containers: number}> {
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
	return {
		percent: ((used.user + used.system) / 1000 / elapsed) * 100,
		requests: gateway.requestCount - requestsBefore,
		containers: store.getSnapshot().containers.length,
	};
}

const on = await idleCpu(5000);
const off = await idleCpu(0);
process.stdout.write(
	`${on.containers} containers, ${seconds} s idle: reconcile every 5 s ${on.percent.toFixed(2)} % of a core (${on.requests} requests); ` +
		`without it ${off.percent.toFixed(2)} % (${off.requests} requests)\n`,
);
process.exit(0);
