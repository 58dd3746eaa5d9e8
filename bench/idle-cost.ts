import {execFile} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {BUSYBOX_IMAGE, ensureTestImage, startPrivateEngine} from '../source/playground/private-engine.js';
import {cpuTicks, docknetBundle, startDocknet} from '../test/helpers/pty-app.js';
import {startCountingProxy} from './count-proxy.js';

// What docknet costs while nothing happens, now that it probes an idle engine for signs of
// life: CPU, bytes to the terminal and requests to the engine over a quiet minute.
// Usage: npx tsx bench/idle-cost.ts [--seconds=60] [--script=dist/docknet.js] [--name=docknet-idle]
//        [--running=0] [--stopped=0]   (containers to seed first; the stopped ones exited)
//        [--settle=3]                  (seconds after `live` before the window: start-up inspects)

const argument = (name: string, fallback: string): string =>
	process.argv.find(item => item.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const seconds = Number(argument('seconds', '60'));
const script = argument('script', docknetBundle);
const name = argument('name', `docknet-idle-${process.pid % 100_000}`);
const running = Number(argument('running', '0'));
const stopped = Number(argument('stopped', '0'));
const settleSeconds = Number(argument('settle', '3'));
const clockTicks = 100;

async function docker(host: string, args: string[]): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		execFile('docker', ['-H', host, ...args], {timeout: 120_000}, error => (error ? reject(error) : resolve()));
	});
}

// Requests per path, with ids folded into a star and query strings left out.
function countByPath(paths: readonly string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of paths) {
		const key = item.replace(/\?.*$/, '').replace(/^\/v[\d.]+/, '').replace(/\/[0-9a-f]{12,}/g, '/*');
		counts[key] = (counts[key] ?? 0) + 1;
	}

	return counts;
}

const engine = await startPrivateEngine({name});
if (running + stopped > 0) {
	await ensureTestImage(engine.dockerHost);
	await docker(engine.dockerHost, ['network', 'create', 'idle-net']);
	for (let index = 0; index < running + stopped; index++) {
		const args = index < running ? ['run', '-d', '--network', 'idle-net', BUSYBOX_IMAGE, 'sleep', '1000000'] : ['run', '--network', 'idle-net', BUSYBOX_IMAGE, 'sh', '-c', 'exit 0'];
		await docker(engine.dockerHost, args);
	}
}

const proxy = await startCountingProxy(`${engine.dir}/count.sock`, engine.socketPath);
try {
	const app = startDocknet({args: ['--host', `unix://${proxy.socketPath}`], script, columns: 160, rows: 45, recordOutput: false});
	try {
		await app.waitForText('● live', 30_000);
		// Let the start-up settle (background inspections, the first host scan).
		await new Promise(resolve => setTimeout(resolve, settleSeconds * 1000));
		const pid = app.nodePid();
		if (pid === undefined) throw new Error('no docknet process');
		const ticks = cpuTicks(pid);
		const bytes = app.bytesReceived;
		const requests = proxy.requests.length;
		const started = performance.now();
		await new Promise(resolve => setTimeout(resolve, seconds * 1000));
		const elapsed = (performance.now() - started) / 1000;
		const cpu = ((cpuTicks(pid) - ticks) / clockTicks / elapsed) * 100;
		const paths = proxy.requests.slice(requests).map(request => request.path);
		process.stdout.write(`${JSON.stringify({script, running, stopped, seconds: Math.round(elapsed), cpuPercent: Number(cpu.toFixed(2)), bytesToTerminal: app.bytesReceived - bytes, engineRequests: paths.length, pings: paths.filter(path => path.startsWith('/_ping')).length, byPath: countByPath(paths)})}\n`);
	} finally {
		await app.dispose();
	}
} finally {
	await proxy.close();
	await engine.stop();
}
