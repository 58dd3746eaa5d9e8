import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
	checkPrivateEngineRequirements,
	cleanupStaleEngines,
	ensureTestImage,
	findProgram,
	formatRequirementProblems,
	startPrivateEngine,
	type PrivateEngine,
	type RequirementProblem,
} from '../source/playground/private-engine.js';
import {startTestSshd, testSshdProblems} from './helpers/test-sshd.js';
import type {TestSshd} from './helpers/test-sshd.js';
import {checkPrivatePodmanRequirements, cleanupStalePodmans, startPrivatePodman, type PrivatePodman} from './helpers/private-podman.js';

// `npm test` runs this after lint, typecheck and build: it starts one private Docker engine
// (its own network namespace), runs every test file with node's runner against it, and stops
// the engine whatever happens. When *.podman.test.* files are selected it also starts a
// private Podman (its own network and mount namespaces) and stops it the same way. Usage:
//   tsx test/run-tests.ts [--unit] [--concurrency=N] [file, directory or substring …] [node --test options …]
// Files run one at a time unless --concurrency=N (or DOCKNET_TEST_CONCURRENCY) says otherwise:
// the engine files share one engine, and in a trial on a loaded machine two unit files at once
// made the 200,000-network snapshot test's in-process engine drop its connection.

const ENGINE_PREFIX = 'docknet-test';
// Not under ENGINE_PREFIX: the Docker engines' stale cleanup must never take a live Podman.
const PODMAN_PREFIX = process.env['DOCKNET_PODMAN_PREFIX'] ?? 'docknet-podman';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testRoot = path.join(repoRoot, 'test');

function say(message: string): void {
	process.stderr.write(`[run-tests] ${message}\n`);
}

function shout(lines: string[]): void {
	const bar = '!'.repeat(78);
	process.stderr.write(`\n${bar}\n${lines.map(line => `!! ${line}`).join('\n')}\n${bar}\n\n`);
}

function findTestFiles(dir: string): string[] {
	const files: string[] = [];
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
			files.push(...findTestFiles(full));
		} else if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) {
			files.push(full);
		}
	}

	return files;
}

const isEngineTest = (file: string) => /\.engine\.test\.tsx?$/.test(file);
const isPodmanTest = (file: string) => /\.podman\.test\.tsx?$/.test(file);
const needsEngine = (file: string) => isEngineTest(file) || isPodmanTest(file);

function selectFiles(all: string[], filters: string[]): string[] {
	if (filters.length === 0) {
		return all;
	}

	return all.filter(file =>
		filters.some(filter => {
			const resolved = path.resolve(filter);
			if (existsSync(resolved)) {
				return statSync(resolved).isDirectory() ? file.startsWith(`${resolved}${path.sep}`) : file === resolved;
			}

			return path.relative(repoRoot, file).includes(filter);
		}),
	);
}

function engineProblems(): RequirementProblem[] {
	const problems = checkPrivateEngineRequirements();
	if (process.platform === 'linux' && findProgram('docker') === undefined) {
		problems.push({what: 'the docker CLI not found (tests drive the engine with it)', fix: 'install the Debian package docker.io'});
	}

	problems.push(...testSshdProblems());

	return problems;
}

let engine: PrivateEngine | undefined;
let sshd: TestSshd | undefined;
let podman: PrivatePodman | undefined;
let child: ChildProcess | undefined;
let interruptedBy: NodeJS.Signals | undefined;

let podmanStarting: Promise<unknown> = Promise.resolve();

async function stopDockerEngine(): Promise<void> {
	const runningSshd = sshd;
	sshd = undefined;
	await runningSshd?.stop();
	const running = engine;
	engine = undefined;
	await running?.stop();
}

/** Stops both engines; a Podman still starting is waited for, then stopped. */
async function stopEngine(): Promise<void> {
	await Promise.all([
		stopDockerEngine(),
		podmanStarting.then(async () => {
			const running = podman;
			podman = undefined;
			await running?.stop();
		}),
	]);
}

async function finish(code: number): Promise<never> {
	await stopEngine();
	process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
	if (interruptedBy !== undefined) {
		return;
	}

	interruptedBy = signal;
	say(`${signal}: stopping the tests and the private engine`);
	if (child !== undefined && child.exitCode === null && child.signalCode === null) {
		// On Ctrl-C the terminal has signalled the runner already; a SIGTERM only reached us.
		child.kill(signal);
	} else {
		void finish(signal === 'SIGINT' ? 130 : 143);
	}
}

/** Starts the private Podman; returns why it could not (for the caller to fail or skip), else undefined. */
async function preparePodman(): Promise<string[] | undefined> {
	const problems = checkPrivatePodmanRequirements();
	if (problems.length > 0) {
		return ['The Podman tests need a private Podman, and this machine lacks:', ...formatRequirementProblems(problems).split('\n')];
	}

	const started = Date.now();
	try {
		const removed = await cleanupStalePodmans(PODMAN_PREFIX);
		if (removed.length > 0) {
			say(`removed the remains of earlier Podman runs: ${removed.join('; ')}`);
		}

		podman = await startPrivatePodman({name: `${PODMAN_PREFIX}-${process.pid}`});
		if (interruptedBy === undefined) {
			await ensureTestImage(podman.dockerHost);
		}
	} catch (error) {
		const running = podman;
		podman = undefined;
		await running?.stop();
		return ['Starting the private Podman failed:', ...String(error instanceof Error ? error.message : error).split('\n')];
	}

	say(`private Podman ${podman.name} ready in ${Date.now() - started} ms (${podman.dockerHost}, netns ${podman.netns})`);
	return undefined;
}

/** How many test files run at once: as asked, else one. */
function chosenConcurrency(asked: string | undefined): number {
	if (asked !== undefined) {
		const value = Number(asked);
		if (!Number.isInteger(value) || value < 1) {
			say(`--concurrency must be a whole number from 1 up, not ${JSON.stringify(asked)}`);
			process.exit(2);
		}

		return value;
	}

	return 1;
}

async function main(): Promise<void> {
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);

	const args = process.argv.slice(2);
	const unitOnly = args.includes('--unit');
	const concurrencyArg = args.find(arg => arg.startsWith('--concurrency='))?.slice('--concurrency='.length) ?? process.env['DOCKNET_TEST_CONCURRENCY'];
	const nodeOptions = args.filter(arg => arg.startsWith('--') && arg !== '--unit' && !arg.startsWith('--concurrency=') && !arg.startsWith('--test-concurrency='));
	const nodeConcurrency = args.find(arg => arg.startsWith('--test-concurrency='))?.slice('--test-concurrency='.length);
	// Checked before any engine is started.
	const concurrency = chosenConcurrency(concurrencyArg ?? nodeConcurrency);
	const filters = args.filter(arg => !arg.startsWith('--'));

	const all = findTestFiles(testRoot).sort();
	let files = selectFiles(all, filters);
	if (files.length === 0) {
		say(filters.length === 0 ? 'no test files found under test/' : `no test file matches ${filters.join(' ')}`);
		await finish(1);
	}

	const skipAllowed = process.env['DOCKNET_SKIP_ENGINE_TESTS'] === '1';
	let skippedEngineTests = 0;
	const skipEngineTests = (reason: string[]) => {
		skippedEngineTests = files.filter(file => isEngineTest(file)).length;
		files = files.filter(file => !isEngineTest(file));
		shout([
			`ENGINE TESTS SKIPPED (${skippedEngineTests} file${skippedEngineTests === 1 ? '' : 's'}) because DOCKNET_SKIP_ENGINE_TESTS=1.`,
			...reason,
			'Only unit tests run; this is NOT a full test run.',
		]);
	};

	const skipPodmanTests = (reason: string[]) => {
		const skipped = files.filter(file => isPodmanTest(file)).length;
		files = files.filter(file => !isPodmanTest(file));
		shout([
			`PODMAN TESTS SKIPPED (${skipped} file${skipped === 1 ? '' : 's'}) because DOCKNET_SKIP_ENGINE_TESTS=1.`,
			...reason,
			'This is NOT a full test run.',
		]);
	};

	// Started beside the Docker engine (each takes a second or two); awaited after it.
	const podmanStarted = !unitOnly && files.some(file => isPodmanTest(file)) ? preparePodman() : Promise.resolve(undefined);
	podmanStarting = podmanStarted;

	if (unitOnly) {
		files = files.filter(file => !needsEngine(file));
	} else if (files.some(file => isEngineTest(file))) {
		const problems = engineProblems();
		if (problems.length > 0) {
			const reason = ['The engine tests need a private Docker engine, and this machine lacks:', ...formatRequirementProblems(problems).split('\n')];
			if (!skipAllowed) {
				say(`${reason.join('\n')}\nRun \`npm run setup\` (as root, or with sudo) to install what is missing, then run the tests as root.\nTo run only the unit tests: npm run test:unit (or set DOCKNET_SKIP_ENGINE_TESTS=1).`);
				await finish(1);
			}

			skipEngineTests(reason);
		} else {
			const started = Date.now();
			try {
				const removed = await cleanupStaleEngines(ENGINE_PREFIX);
				if (removed.length > 0) {
					say(`removed the remains of earlier runs: ${removed.join('; ')}`);
				}

				engine = await startPrivateEngine({name: `${ENGINE_PREFIX}-${process.pid}`});
				if (interruptedBy !== undefined) {
					await finish(interruptedBy === 'SIGINT' ? 130 : 143);
				}

				await ensureTestImage(engine.dockerHost);
				sshd = await startTestSshd({dir: path.join(engine.dir, 'sshd'), netns: engine.netns, dockerHost: engine.dockerHost});
			} catch (error) {
				await stopDockerEngine();
				const reason = ['Starting the private Docker engine failed:', ...String(error instanceof Error ? error.message : error).split('\n')];
				if (!skipAllowed) {
					say(`${reason.join('\n')}\nRun \`npm run setup\` and run the tests as root; or set DOCKNET_SKIP_ENGINE_TESTS=1 to run the unit tests only.`);
					await finish(1);
				}

				skipEngineTests(reason);
			}

			if (engine !== undefined) {
				say(`private engine ${engine.name} ready in ${Date.now() - started} ms (${engine.dockerHost}, netns ${engine.netns})`);
			}
		}
	}

	const podmanProblem = await podmanStarted;
	if (interruptedBy !== undefined) {
		await finish(interruptedBy === 'SIGINT' ? 130 : 143);
	}

	if (podmanProblem !== undefined) {
		if (!skipAllowed) {
			say(`${podmanProblem.join('\n')}\nRun \`npm run setup\` (as root, or with sudo) to install what is missing, then run the tests as root.\nTo run only the unit tests: npm run test:unit (or set DOCKNET_SKIP_ENGINE_TESTS=1).`);
			await finish(1);
		}

		skipPodmanTests(podmanProblem);
	}

	if (files.length === 0) {
		say('no test files left to run');
		await finish(1);
	}

	if (interruptedBy !== undefined) {
		await finish(interruptedBy === 'SIGINT' ? 130 : 143);
	}

	const env: NodeJS.ProcessEnv = {...process.env};
	if (engine !== undefined) {
		env['DOCKNET_TEST_DOCKER_HOST'] = engine.dockerHost;
		env['DOCKNET_TEST_NETNS'] = engine.netns;
		env['DOCKNET_TEST_SOCKET'] = engine.socketPath;
	}

	if (sshd !== undefined) {
		env['DOCKNET_TEST_SSH_URL'] = sshd.url;
		env['DOCKNET_TEST_SSH_BIN'] = sshd.binDir;
		env['DOCKNET_TEST_SSHD_LOG'] = sshd.logFile;
	}

	if (podman !== undefined) {
		env['DOCKNET_TEST_PODMAN_HOST'] = podman.dockerHost;
		env['DOCKNET_TEST_PODMAN_NETNS'] = podman.netns;
		env['DOCKNET_TEST_PODMAN_DIR'] = podman.dir;
	}

	say(`running ${files.length} test file${files.length === 1 ? '' : 's'}${engine === undefined && podman === undefined ? ' (unit tests only)' : ''}, ${concurrency} at a time`);
	const runnerArgs = [
		'--import',
		'tsx',
		'--test',
		`--test-concurrency=${concurrency}`,
		'--test-reporter=spec',
		...nodeOptions,
		...files.map(file => path.relative(repoRoot, file)),
	];
	// A test stuck on a hung engine would otherwise hold CI until its budget runs out, with the
	// engine still up; node's --test-timeout cannot help (it applies to whole files here).
	const budgetMs = Number(process.env['DOCKNET_TEST_BUDGET_MS'] ?? 15 * 60_000);
	const watchdog = setTimeout(() => {
		say(`the tests did not finish within ${Math.round(budgetMs / 1000)} s (DOCKNET_TEST_BUDGET_MS); stopping them`);
		child?.kill('SIGTERM');
		setTimeout(() => child?.kill('SIGKILL'), 5000).unref();
	}, budgetMs);
	watchdog.unref();
	const code = await new Promise<number>(resolve => {
		child = spawn(process.execPath, runnerArgs, {cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit']});
		child.on('error', error => {
			say(`could not start node's test runner: ${error.message}`);
			resolve(1);
		});
		child.on('close', (exitCode, signal) => {
			resolve(exitCode ?? (signal === 'SIGINT' ? 130 : 1));
		});
	});
	clearTimeout(watchdog);
	child = undefined;

	// Nothing is printed on success from here on: node's summary stays the last output.
	await stopEngine();
	if (interruptedBy !== undefined) {
		process.exit(interruptedBy === 'SIGINT' ? 130 : 143);
	}

	process.exit(code);
}

main().catch(async (error: unknown) => {
	say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	await finish(1);
});
