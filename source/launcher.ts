import packageJson from '../package.json' with {type: 'json'};
import {debugWanted, exitCodes, formatFailure, reportFailure} from './failure-report.js';
import {startSshHeadStart} from './engine/ssh-head-start.js';
import {likelySshEngine, parseCli, usageText} from './config/cli-args.js';
import type {CliOptions} from './config/cli-args.js';
import {loadBundledMain} from './startup/code-cache.js';
import {safeText} from './text/safe-text.js';

// docknet's entry point. It answers what needs no engine (--version, --help, a bad flag)
// at node's own speed, and only then loads the rest: Ink, React, dockerode and the app.

interface Main {
	runDocknet(options: CliOptions): Promise<void>;
}

// Set by scripts/build.mjs: the file of the separately bundled main part. Undefined when the
// main part is bundled into this file (the single executable) or in development (tsx).
declare const DOCKNET_MAIN_BUNDLE: string | undefined;

async function loadMain(options: CliOptions): Promise<Main> {
	if (typeof DOCKNET_MAIN_BUNDLE === 'string') {
		// --read-only leaves the disk as it was: the compiled-code cache is read, not written.
		const loaded = loadBundledMain<Main>(DOCKNET_MAIN_BUNDLE, {write: !options.readOnly});
		if (loaded.problem !== undefined) process.stderr.write(`docknet: compiled-code cache not used: ${safeText(loaded.problem)}\n`);
		return loaded.exports;
	}

	return import('./cli.js');
}

async function launch(): Promise<void> {
	let options: CliOptions | 'help' | 'version';
	try {
		options = parseCli(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`docknet: ${safeText(error instanceof Error ? error.message : String(error))}\nRun docknet --help for usage.\n`);
		process.exit(exitCodes.usage);
	}

	if (options === 'help') {
		process.stdout.write(`${usageText(packageJson.version)}\n`);
		return;
	}

	if (options === 'version') {
		process.stdout.write(`${packageJson.version}\n`);
		return;
	}

	// Over ssh the login is the longest wait: it runs while the main bundle loads.
	const sshEngine = likelySshEngine(options, process.env);
	if (sshEngine !== undefined) startSshHeadStart(sshEngine);
	const main = await loadMain(options);
	await main.runDocknet(options);
}

// Not a top-level await: the single executable runs this file as CommonJS.
// Whatever escapes is reported as one paragraph; the stack only with --debug.
launch().catch((error: unknown) => {
	const report = reportFailure(error, 'starting');
	process.stderr.write(formatFailure(report, debugWanted(process.argv, process.env)));
	process.exit(report.exitCode);
});
