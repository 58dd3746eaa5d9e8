import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {describe, test} from 'node:test';
import {COUNTER_STREAM_SCRIPT} from '../../source/host/ssh-counter-stream.js';
import {peerScript} from '../../source/host/ssh-peer-script.js';
import {LIST_SCRIPT, SCAN_SCRIPT} from '../../source/host/ssh-source.js';
import {remoteShCommand, shellQuote} from '../../source/ssh/shell-quote.js';

// remoteShCommand quotes docknet's own remote scripts with the same shellQuote that writes
// command lines for people (its hostile-name cases: test/commands/docker-command.test.ts).

/** What a login shell on the engine host does with the command ssh hands it. */
function loginShell(shell: string, command: string): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile(shell, ['-c', command], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)));
	});
}

describe('remote scripts through the one shell quoting', () => {
	test('a script with quotes of both kinds reaches sh unchanged, under dash and bash alike', async () => {
		const script = `echo "it's" 'a "test"' $((1 + 2))`;
		for (const shell of ['sh', 'bash']) assert.equal(await loginShell(shell, remoteShCommand(script)), `it's a "test" 3\n`, shell);
	});

	test('every script docknet runs over ssh quotes as a plain POSIX word', () => {
		for (const script of [SCAN_SCRIPT, LIST_SCRIPT, COUNTER_STREAM_SCRIPT, peerScript([1, 22, 333])]) {
			const command = remoteShCommand(script);
			assert.ok(command.startsWith("sh -c '"), command.slice(0, 40));
			assert.equal(command, `sh -c ${shellQuote(script)}`);
		}
	});

	test('a script that would need $\'…\' is refused instead of sent to a shell that cannot read it', () => {
		assert.throws(() => remoteShCommand('echo a\nb'), /POSIX sh/);
	});
});
