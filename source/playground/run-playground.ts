import {spawn} from 'node:child_process';
import {
	checkPrivateEngineRequirements,
	cleanupStaleEngines,
	ensureTestImage,
	formatRequirementProblems,
	startPrivateEngine,
} from './private-engine.js';
import type {PrivateEngine} from './private-engine.js';
import {seedWalkthrough} from './seed.js';

// `docknet --playground`: a private dockerd in its own network namespace, seeded with the
// classic docker0 walkthrough, and docknet itself run inside that namespace so the host
// interfaces pane shows the playground's docker0 and veths, not the machine's.

export const PLAYGROUND_PREFIX = 'docknet-playground';

export interface PlaygroundOptions {
	keep: boolean;
	/** Flags passed on to the docknet that runs inside the namespace. */
	forwardedArgs: string[];
	/** Where progress goes while the engine starts (the UI does not own the screen yet). */
	log?: (line: string) => void;
}

function say(log: (line: string) => void, step: string): void {
	log(`docknet playground: ${step}`);
}

async function isSingleExecutable(): Promise<boolean> {
	try {
		const sea = await import('node:sea');
		return sea.isSea();
	} catch {
		// A node older than 20.12 has no node:sea, and no single executable either.
		return false;
	}
}

/** Runs docknet again, inside the playground's namespace, pointed at its engine. */
async function runInside(engine: PrivateEngine, forwardedArgs: string[]): Promise<number> {
	// execArgv keeps loaders (tsx in development); argv[1] is this very program, except in the
	// single executable, where the executable (process.execPath) is the program.
	const script = (await isSingleExecutable()) ? [] : [...process.execArgv, process.argv[1] ?? ''];
	const program = [...script, '--host', engine.dockerHost, ...forwardedArgs];
	const child = spawn('ip', ['netns', 'exec', engine.netns, process.execPath, ...program], {
		stdio: 'inherit',
		env: {...process.env, DOCKNET_PLAYGROUND: engine.name, DOCKER_HOST: engine.dockerHost},
	});
	// The child owns the terminal; signals meant for docknet reach it, and this process
	// stays alive to clean up after it.
	const forward = (signal: NodeJS.Signals) => () => {
		child.kill(signal);
	};

	const onTerm = forward('SIGTERM');
	const onHup = forward('SIGHUP');
	const onInt = (): void => undefined;
	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onHup);
	process.on('SIGINT', onInt);
	return new Promise(resolve => {
		const done = (code: number): void => {
			process.off('SIGTERM', onTerm);
			process.off('SIGHUP', onHup);
			process.off('SIGINT', onInt);
			resolve(code);
		};

		child.on('error', error => {
			process.stderr.write(`docknet playground: could not start docknet inside the namespace: ${error.message}\n`);
			done(1);
		});
		child.on('exit', (code, signal) => done(code ?? (signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : 1)));
	});
}

/** Returns the exit code docknet should end with. */
export async function runPlayground(options: PlaygroundOptions): Promise<number> {
	// When the terminal goes away (ssh dropped, window closed), every write fails with EIO;
	// unheeded, that error would end this process before it stops the engine.
	const ignoreClosedTerminal = (): void => undefined;
	process.stdout.on('error', ignoreClosedTerminal);
	process.stderr.on('error', ignoreClosedTerminal);
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const problems = checkPrivateEngineRequirements();
	if (problems.length > 0) {
		log(`docknet --playground cannot start here:\n${formatRequirementProblems(problems)}`);
		log('On Debian, `npm run setup` installs what is missing; the playground needs root (sudo).');
		return 1;
	}

	const removed = await cleanupStaleEngines(PLAYGROUND_PREFIX, {onProgress: step => say(log, step)});
	for (const name of removed) say(log, `removed the remains of an earlier playground (${name})`);

	let engine: PrivateEngine | undefined;
	const stopOnSignal = (): void => {
		void engine?.stop().finally(() => process.exit(130));
	};

	// A signal during start-up must not leave a half-made playground behind.
	process.once('SIGINT', stopOnSignal);
	process.once('SIGTERM', stopOnSignal);
	process.once('SIGHUP', stopOnSignal);
	try {
		say(log, 'starting a private Docker engine in its own network namespace');
		engine = await startPrivateEngine({name: `${PLAYGROUND_PREFIX}-${process.pid}`, onProgress: step => say(log, step)});
		say(log, 'making the busybox image locally (no registry needed)');
		await ensureTestImage(engine.dockerHost);
		say(log, 'creating the walkthrough: ctn1, ctn2 on docker0, playnet with ctn3, host, none, container:ctn1');
		await seedWalkthrough(engine.dockerHost, step => say(log, step));
	} catch (error) {
		log(`docknet playground: start-up failed: ${error instanceof Error ? error.message : String(error)}`);
		await engine?.stop();
		return 1;
	} finally {
		process.off('SIGINT', stopOnSignal);
		process.off('SIGTERM', stopOnSignal);
		process.off('SIGHUP', stopOnSignal);
	}

	const code = await runInside(engine, options.forwardedArgs);
	if (options.keep) {
		await engine.keep();
		log(
			[
				`The playground engine ${engine.name} keeps running (--keep).`,
				`  Use it:        DOCKER_HOST=${engine.dockerHost} docker ps`,
				`  View it again: sudo ip netns exec ${engine.netns} docknet --host ${engine.dockerHost}`,
				`  Remove it:     sudo kill $(cat ${engine.dir}/docker.pid); the next docknet --playground cleans up the rest`,
			].join('\n'),
		);
	} else {
		say(log, 'stopping the private engine and removing its namespace and files');
		await engine.stop();
	}

	return code;
}
