import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {exitCodes, reportFailure} from '../source/failure-report.js';
import {EngineError} from '../source/model/gateway.js';

// Which paragraph and exit code a failure gets: only the gateway's own shape checks make an
// "unreadable answer"; docknet's own errors are reported as the bugs they are.

describe('reportFailure', () => {
	test("an answer the gateway could not read: exit 3, the engine's answer named", () => {
		const report = reportFailure(new EngineError('unreadable', 'the engine sent something other than the network list'), 'taking the snapshot', 'unix:///run/docker.sock');
		assert.equal(report.exitCode, exitCodes.badAnswer);
		assert.match(report.paragraph, /^stopped while taking the snapshot: the Docker engine at unix:\/\/\/run\/docker.sock sent an answer docknet cannot read \(the engine sent something other than the network list\)/);
	});

	test('a stack overflow, a TypeError or a SyntaxError of docknet\'s own: exit 70, a bug, never "an answer docknet cannot read"', () => {
		for (const error of [new RangeError('Maximum call stack size exceeded'), new TypeError("Cannot read properties of undefined (reading 'name')"), new SyntaxError('Unexpected token')]) {
			const report = reportFailure(error, 'taking the snapshot', 'unix:///run/docker.sock');
			assert.equal(report.exitCode, exitCodes.internal, error.message);
			assert.match(report.paragraph, /This is a bug in docknet/);
			assert.doesNotMatch(report.paragraph, /sent an answer|docknet cannot read/);
		}
	});

	test('the engine answering with an error: exit 1', () => {
		assert.equal(reportFailure(new EngineError('engine', 'disk on fire', 500), 'taking the snapshot').exitCode, exitCodes.engine);
	});
});
