import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {completionScript, flagDescriptions} from '../../source/completion/completion-scripts.js';
import {cliFlags, parseCli, UsageError} from '../../source/config/cli-args.js';

describe('subcommands', () => {
	test('config path|check and completion <shell> parse; anything else is a usage error', () => {
		assert.deepEqual(pick(parseCli(['config', 'check'])), {command: 'config', configAction: 'check'});
		assert.deepEqual(pick(parseCli(['config', 'path'])), {command: 'config', configAction: 'path'});
		assert.deepEqual(pick(parseCli(['completion', 'fish'])), {command: 'completion', completion: 'fish'});
		assert.deepEqual(pick(parseCli(['snapshot'])), {command: 'snapshot'});
		for (const [argv, message] of [
			[['config'], /config takes path or check/],
			[['config', 'edit'], /config takes path or check/],
			[['config', 'path', 'extra'], /unknown command "config path extra"/],
			[['completion', 'tcsh'], /completion takes bash, zsh or fish/],
			[['snapshot', 'now'], /unknown command "snapshot now"/],
			[['launch'], /unknown command "launch"/],
		] as const) {
			assert.throws(() => parseCli([...argv]), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
		}
	});

	test('every flag has a description, and every script offers every flag', () => {
		assert.deepEqual(Object.keys(flagDescriptions).sort(), Object.keys(cliFlags).sort());
		for (const shell of ['bash', 'zsh', 'fish'] as const) {
			const script = completionScript(shell);
			for (const name of Object.keys(cliFlags)) assert.ok(shell === 'fish' ? script.includes(`-l ${name}`) : script.includes(`--${name}`), `${shell}: --${name}`);
		}
	});
});

function pick(options: ReturnType<typeof parseCli>): Record<string, unknown> {
	if (typeof options === 'string') return {options};
	return Object.fromEntries(Object.entries({command: options.command, configAction: options.configAction, completion: options.completion}).filter(([, value]) => value !== undefined));
}
