import {EngineError} from './model/gateway.js';
import {safeText} from './text/safe-text.js';
import {appendAll} from './model/large-arrays.js';

// What docknet prints when it has to stop: one paragraph a user can act on, never a stack
// trace (those are for --debug), and never a byte of engine text that could act on the
// terminal. The exit codes are documented in the README and in --help.

export const exitCodes = {
	ok: 0,
	/** The engine could not be reached, refused, or answered with an error. */
	engine: 1,
	/** Bad flags, or the full-screen view without a terminal. */
	usage: 2,
	/** The engine answered something docknet cannot read (not the Docker API's shape). */
	badAnswer: 3,
	/** docknet itself failed: a bug. */
	internal: 70,
} as const;

export interface FailureReport {
	paragraph: string;
	exitCode: number;
	/** The stack, for --debug; undefined when there is none worth showing. */
	detail?: string;
}

/** A debugging aid that is only ever shown when asked for. */
export function debugWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
	return argv.includes('--debug') || env['DOCKNET_DEBUG'] === '1';
}

/**
 * @param doing what docknet was doing, e.g. "taking the snapshot"
 * @param where the engine's address, when one was chosen
 */
export function reportFailure(error: unknown, doing: string, where?: string): FailureReport {
	const engine = where === undefined ? 'the Docker engine' : `the Docker engine at ${safeText(where)}`;
	const detail = error instanceof Error ? error.stack : undefined;
	// The message may be the engine's own words: made safe here, before it joins ours.
	const message = safeText(error instanceof Error ? error.message : String(error));
	if (error instanceof EngineError && error.kind === 'unreadable') {
		return {
			paragraph: `stopped while ${doing}: ${engine} sent an answer docknet cannot read (${message}). The engine may be an unsupported version, or something between docknet and the engine cut or changed the answer. Run again with --debug for details.`,
			exitCode: exitCodes.badAnswer,
			detail,
		};
	}

	if (error instanceof EngineError) {
		const paragraph =
			error.kind === 'timeout'
				? `stopped while ${doing}: ${engine} did not answer in time (${message}). It may be overloaded or hung; check it with \`docker info\`, then try again.`
				: error.kind === 'unreachable'
					? `stopped while ${doing}: the connection to ${engine} failed (${message}). Check that the engine runs, then try again.`
					: `stopped while ${doing}: ${engine} answered with an error: ${message}.`;
		return {paragraph, exitCode: exitCodes.engine, detail};
	}

	// Only the gateway can tell an unreadable answer (it checks every answer's shape where it
	// arrives); a SyntaxError, TypeError or RangeError that gets here is docknet's own, such
	// as a call stack overflowed by a long list, and is reported as the bug it is.
	return {
		paragraph: `stopped on an unexpected error while ${doing}: ${message}. This is a bug in docknet; run again with --debug and report what it prints.`,
		exitCode: exitCodes.internal,
		detail,
	};
}

/** The report as written to stderr: the paragraph, and with debug the stack, made safe. */
export function formatFailure(report: FailureReport, debug: boolean): string {
	const lines = [`docknet: ${report.paragraph}`];
	if (debug && report.detail !== undefined) appendAll(lines, report.detail.split('\n').map(line => safeText(line)));
	return `${lines.join('\n')}\n`;
}
