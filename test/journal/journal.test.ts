import assert from 'node:assert/strict';
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {CommandEntry} from '../../source/commands/command-log.js';
import {createCommandLogService, openJournal, writeSessionScript} from '../../source/journal/journal.js';

// The journal and the `y` script go only into a state directory of the running user's, never
// through a planted link nor into someone else's file. Another user is played by `nobody`.

const nobody = 65534;
const needsRoot = process.geteuid?.() === 0 ? false : 'chown needs root';
const victimText = 'the victim, unchanged\n';

let base: string;
let counter = 0;

before(() => {
	base = mkdtempSync(path.join(tmpdir(), 'docknet-journal-'));
});

after(() => {
	rmSync(base, {recursive: true, force: true});
});

function folder(): string {
	counter += 1;
	const made = path.join(base, String(counter));
	mkdirSync(made, {mode: 0o700});
	return made;
}

function victimIn(directory: string): string {
	const file = path.join(directory, 'victim');
	writeFileSync(file, victimText);
	return file;
}

const entry: CommandEntry = {serial: 1, time: 0, engine: 'e', argv: ['docker', 'network', 'rm', 'lan'], command: 'docker network rm lan', result: 'ok'};
const written = new Date('2026-12-04T10:00:00.000Z');

describe('journal and script in a state directory', () => {
	test('of our own: the directory is made 0700, the journal 0600, each script a new file', () => {
		const state = path.join(folder(), 'state', 'docknet');
		const journal = openJournal(state);
		assert.equal(journal.problem(), undefined);
		assert.equal(existsSync(state), false, 'nothing is made before there is something to write');
		journal.append(entry);
		journal.append({...entry, serial: 2});
		assert.equal(journal.problem(), undefined);
		assert.equal(readFileSync(journal.file, 'utf8').split('\n').filter(Boolean).length, 2);
		assert.equal(statSync(state).mode & 0o777, 0o700);
		assert.equal(statSync(journal.file).mode & 0o777, 0o600);
		const first = writeSessionScript(state, [entry], written);
		const second = writeSessionScript(state, [entry], written);
		assert.deepEqual([path.basename(first), path.basename(second)], ['commands-2026-12-04T100000Z.sh', 'commands-2026-12-04T100000Z-2.sh']);
		assert.equal(statSync(first).mode & 0o777, 0o700);
	});

	test('journal.jsonl a link to a file: nothing appended there; the problem is named', () => {
		const state = folder();
		const victim = victimIn(folder());
		symlinkSync(victim, path.join(state, 'journal.jsonl'));
		const journal = openJournal(state);
		journal.append(entry);
		assert.equal(readFileSync(victim, 'utf8'), victimText);
		assert.equal(journal.problem(), `${path.join(state, 'journal.jsonl')} is a symbolic link`);
	});

	test("commands-<time>.sh a link to a file: the script never goes through it", () => {
		const state = folder();
		const victim = victimIn(folder());
		symlinkSync(victim, path.join(state, 'commands-2026-12-04T100000Z.sh'));
		const script = writeSessionScript(state, [entry], written);
		assert.equal(path.basename(script), 'commands-2026-12-04T100000Z-2.sh');
		assert.equal(readFileSync(victim, 'utf8'), victimText);
	});

	test("a state directory of another user: refused before the first action, nothing written, not even through its links", {skip: needsRoot}, () => {
		const state = folder();
		const victim = victimIn(folder());
		symlinkSync(victim, path.join(state, 'journal.jsonl'));
		symlinkSync(victim, path.join(state, 'commands-2026-12-04T100000Z.sh'));
		chownSync(state, nobody, nobody);
		const refusal = `${state} is owned by uid ${nobody}, not by uid 0 that docknet runs as: nothing is written there`;
		const service = createCommandLogService(state);
		assert.equal(service.journalProblem(), refusal);
		// A finished action goes to the journal; the script is `y`.
		service.log.finish(service.log.begin(['docker', 'network', 'rm', 'lan'], 'e'), 'ok');
		assert.equal(service.journalProblem(), refusal);
		assert.throws(() => service.writeScript(), {message: refusal});
		assert.throws(() => writeSessionScript(state, [entry], written), {message: refusal});
		assert.equal(readFileSync(victim, 'utf8'), victimText);
		assert.deepEqual(readdirSync(state).sort(), ['commands-2026-12-04T100000Z.sh', 'journal.jsonl']);
	});

	test('a state directory others may write: refused, nothing written', () => {
		const state = folder();
		chmodSync(state, 0o777);
		const journal = openJournal(state);
		assert.match(journal.problem() ?? '', /is writable by its group or others \(mode 0777\): nothing is written there$/);
		journal.append(entry);
		assert.throws(() => writeSessionScript(state, [entry], written), /mode 0777/);
		assert.deepEqual(readdirSync(state), []);
	});

	test('a state directory that is a link: refused', () => {
		const real = folder();
		const state = path.join(folder(), 'docknet');
		symlinkSync(real, state);
		const journal = openJournal(state);
		journal.append(entry);
		assert.equal(journal.problem(), `${state} is a symbolic link: nothing is written there`);
		assert.deepEqual(readdirSync(real), []);
	});
});
