import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {commandLine, removeArgv} from '../../source/commands/docker-command.js';
import {commandLogLines} from '../../source/ui/presentation/command-log-lines.js';
import {displayWidth} from '../../source/view/columns.js';
import {controlBytes, hostileStrings} from '../helpers/hostile-strings.js';

// The log view's lines: the command a user reads and copies is the one the script holds.

/** The command as the view shows it, its wrapped pieces joined again. */
function shownCommand(command: string, width: number): string {
	const entry = {serial: 1, time: 0, engine: 'unix:///x.sock', argv: [], command, result: 'ok' as const};
	const lines = commandLogLines([entry], {}, width).map(line => line.text);
	const start = lines.findIndex(line => line.startsWith('  $ '));
	assert.notEqual(start, -1, lines.join('\n'));
	const pieces = lines.slice(start).filter(line => line.startsWith('    ') || line.startsWith('  $ '));
	for (const piece of pieces) assert.ok(displayWidth(piece) <= width, `${piece} is wider than ${width}`);
	return pieces.map(piece => piece.slice(4)).join('');
}

describe('the command log view', () => {
	test('shows every hostile name quoted exactly as the script writes it, whole however long', () => {
		for (const {label, value} of hostileStrings) {
			const command = commandLine(removeArgv(value));
			const shown = shownCommand(command, 80);
			assert.equal(shown, command, label);
			assert.equal(controlBytes.test(shown), false, label);
		}
	});

	test('a name with a newline is shown as the escape bash reads, not as a picture of it', () => {
		assert.equal(shownCommand(commandLine(removeArgv('top\nbottom')), 80), "docker network rm -- $'top\\nbottom'");
	});
});
