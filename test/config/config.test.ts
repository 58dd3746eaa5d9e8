import assert from 'node:assert/strict';
import {chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {configFilePath, readConfigText} from '../../source/config/config-file.js';
import {parseConfig} from '../../source/config/config-schema.js';
import {applyKeyOverrides, parseChord} from '../../source/config/key-bindings.js';
import {loadConfig} from '../../source/config/load-config.js';
import {startSettings} from '../../source/config/start-settings.js';
import {parseCli} from '../../source/config/cli-args.js';
import type {CliOptions} from '../../source/config/cli-args.js';
import {chosenColumns, shownEvents} from '../../source/ui/chosen-view.js';
import {footerText} from '../../source/ui/components/footer.js';
import {helpLines} from '../../source/ui/components/help-view.js';
import {keymap} from '../../source/ui/keys/keymap.js';
import {matchBinding, noKey} from '../../source/ui/keys/match-key.js';
import {networkColumns} from '../../source/view/pane-rows.js';
import chalk from 'chalk';
import {builtInPalettes, colorNames} from '../../source/ui/theme.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'docknet-config-test-'));
after(() => rmSync(scratch, {recursive: true, force: true}));
let serial = 0;

/** A config home of its own, with config.yaml holding `text`; the mode is the test's to change. */
function configHome(text: string): {env: Record<string, string>; file: string; directory: string} {
	const home = path.join(scratch, `home-${++serial}`);
	const directory = path.join(home, 'docknet');
	mkdirSync(directory, {recursive: true, mode: 0o700});
	chmodSync(directory, 0o700);
	const file = path.join(directory, 'config.yaml');
	writeFileSync(file, text, {mode: 0o600});
	return {env: {XDG_CONFIG_HOME: home}, file, directory};
}

const appOptions = (argv: string[] = []): CliOptions => {
	const parsed = parseCli(argv);
	if (typeof parsed === 'string') throw new Error('not app options');
	return parsed;
};

describe('the config file', () => {
	test('lives in $XDG_CONFIG_HOME/docknet, else ~/.config/docknet', () => {
		assert.equal(configFilePath({XDG_CONFIG_HOME: '/x/conf'}, '/home/me'), '/x/conf/docknet/config.yaml');
		assert.equal(configFilePath({}, '/home/me'), '/home/me/.config/docknet/config.yaml');
		assert.equal(configFilePath({XDG_CONFIG_HOME: 'relative'}, '/home/me'), '/home/me/.config/docknet/config.yaml', 'a relative XDG path is ignored, as the spec says');
	});

	test('a good file sets everything it names', async () => {
		const {env} = configHome(`readOnly: true
theme: mine
themes:
  mine: {base: light, accent: magentaBright}
keys:
  removeNetwork: X
  prune: x
  quit: [ctrl-q, q]
columns:
  networks: [name, subnet]
engines: [lab, unix:///run/other.sock]
hideEvents: [exec_start, container health_status]
`);
		const loaded = await loadConfig(env, '/nonexistent');
		assert.deepEqual(loaded.problems, []);
		assert.equal(loaded.notice, undefined);
		const settings = startSettings(appOptions(), loaded, env);
		assert.equal(settings.readOnly, true);
		assert.equal(settings.theme.accent, 'magentaBright');
		assert.equal(settings.theme.color('warn'), builtInPalettes.light.warn, 'the rest from its base');
		assert.deepEqual(settings.engines, [{kind: 'context', value: 'lab'}, {kind: 'host', value: 'unix:///run/other.sock'}]);
		assert.deepEqual(settings.columns, {networks: ['NAME', 'SUBNET']});
		const quit = settings.keymap.find(binding => binding.command === 'quit');
		assert.deepEqual(quit?.keys.map(chord => chord.display), ['Ctrl-Q', 'q']);
	});

	test('flags and the environment win over the file; NO_COLOR over any theme', async () => {
		const {env} = configHome('engines: [lab]\ntheme: high-contrast\n');
		const loaded = await loadConfig(env, '/nonexistent');
		assert.deepEqual(startSettings(appOptions(['-H', 'unix:///a.sock']), loaded, env).engines, [{kind: 'host', value: 'unix:///a.sock'}]);
		assert.deepEqual(startSettings(appOptions(), loaded, {...env, DOCKER_HOST: 'unix:///b.sock'}).engines, []);
		assert.deepEqual(startSettings(appOptions(), loaded, {...env, DOCKER_CONTEXT: 'other'}).engines, []);
		assert.equal(startSettings(appOptions(), loaded, env).theme.accent, 'cyanBright');
		assert.equal(startSettings(appOptions(), loaded, {...env, NO_COLOR: '1'}).theme.colorEnabled, false);
		assert.equal(startSettings(appOptions(['--no-color']), loaded, env).theme.colorEnabled, false);
		const plain = await loadConfig(configHome('theme: no-color\n').env, '/nonexistent');
		assert.equal(startSettings(appOptions(), plain, {}).theme.colorEnabled, false);
	});

	test('no file: defaults, silently', async () => {
		const loaded = await loadConfig({XDG_CONFIG_HOME: path.join(scratch, 'nothing-here')}, '/nonexistent');
		assert.equal(loaded.found, false);
		assert.deepEqual(loaded.problems, []);
		assert.equal(loaded.keymap, keymap);
	});

	test('a broken file: one line naming file and line, and defaults', async () => {
		const {env, file} = configHome('keys:\n  quit: [q\n  help: ?\n');
		const loaded = await loadConfig(env, '/nonexistent');
		assert.ok(loaded.problems.length > 0);
		assert.match(loaded.notice ?? '', new RegExp(`^Config: ${file.replaceAll('/', '\\/')}:\\d+: not YAML: .*defaults apply there\\.$`));
		assert.ok(!(loaded.notice ?? '').includes('\n'), 'one line');
		assert.equal(loaded.keymap, keymap, 'the built-in keys');
		assert.equal(startSettings(appOptions(), loaded, {}).readOnly, false);
	});

	test('each bad setting keeps its default, the others apply; every problem has its line', () => {
		const {config, problems} = parseConfig(`readOnly: yes please
theme: neon
columns:
  networks: [NAME, COLOUR]
  boxes: [NAME]
  containers: [name, state]
themes:
  t: {accent: chartreuse}
colours: 1
`);
		assert.deepEqual(problems.map(problem => problem.line).sort((a, b) => a - b), [1, 2, 4, 5, 8, 9]);
		const text = problems.map(problem => `${problem.line}: ${problem.message}`).join('\n');
		assert.match(text, /^1: readOnly: true or false$/m);
		assert.match(text, /^2: theme: "neon" is neither built in/m);
		assert.match(text, /^4: columns.networks: "COLOUR" is not one of NAME, PROJECT, DRIVER/m);
		assert.match(text, /^5: columns: "boxes" is not a pane/m);
		assert.match(text, /^8: themes.t.accent: "chartreuse" is not a colour/m);
		assert.match(text, /^9: "colours" is not a setting/m);
		assert.equal(config.readOnly, undefined);
		assert.equal(config.theme, undefined);
		assert.deepEqual(config.columns, {containers: ['NAME', 'STATE']});
	});
});

describe('key bindings from the file', () => {
	test('keys as people write them', () => {
		assert.deepEqual(parseChord('ctrl-a'), {input: 'a', ctrl: true, display: 'Ctrl-A'});
		assert.deepEqual(parseChord('C-x'), {input: 'x', ctrl: true, display: 'Ctrl-X'});
		assert.deepEqual(parseChord('Ctrl+K'), {input: 'k', ctrl: true, display: 'Ctrl-K'});
		assert.deepEqual(parseChord('shift-tab'), {special: 'tab', shift: true, display: 'Shift-Tab'});
		assert.deepEqual(parseChord('PgDn'), {special: 'pageDown', display: 'PgDn'});
		assert.deepEqual(parseChord('space'), {input: ' ', display: 'Space'});
		assert.deepEqual(parseChord('X'), {input: 'X', display: 'X'});
		for (const bad of ['ctrl-', 'ctrl-1', 'hyper-a', 'é', 'ab']) assert.equal(parseChord(bad), undefined, bad);
	});

	test('rebinding changes the keys, the footer and the help together', () => {
		const {keymap: bound, problems} = applyKeyOverrides([
			{command: 'connect', keys: [{text: 'ctrl-a', line: 3}], line: 3},
			{command: 'topology', keys: [{text: 'T', line: 4}], line: 4},
		]);
		assert.deepEqual(problems, []);
		const scopes = ['global', 'list', 'containers'] as const;
		assert.equal(matchBinding('a', {...noKey, ctrl: true}, scopes, bound)?.command, 'connect');
		assert.equal(matchBinding('c', noKey, scopes, bound), undefined, 'c is free now');
		assert.equal(matchBinding('T', {...noKey, shift: true}, scopes, bound)?.command, 'topology');
		const footer = footerText([...scopes], false, 200, bound);
		assert.match(footer, /Ctrl-A connect/);
		assert.match(footer, /T topology/);
		assert.doesNotMatch(footer, /\bc connect|\bt topology/);
		const help = helpLines(false, 120, undefined, bound).map(line => line.text).join('\n');
		assert.match(help, /^ {2}Ctrl-A +Connect the selected container/m);
		assert.match(help, /^ {2}T +Show the whole host as a tree/m);
	});

	test('a key two commands would answer in one place is refused, with its line; the built-in keys stay', () => {
		const {keymap: bound, problems, rebound} = applyKeyOverrides([
			{command: 'prune', keys: [{text: 'd', line: 7}], line: 7},
			{command: 'help', keys: [{text: 'j', line: 8}], line: 8},
			{command: 'swarm', keys: [{text: 'S', line: 9}], line: 9},
			{command: 'teleport', keys: [{text: 'z', line: 10}], line: 10},
		]);
		const text = problems.map(problem => `${problem.line}: ${problem.message}`).join('\n');
		assert.match(text, /^7: keys.prune: d is disconnect's key too \(networks\); prune keeps its built-in keys$/m);
		assert.match(text, /^8: keys.help: j is moveDown's key too/m, 'global against a pane key');
		assert.match(text, /^10: keys: "teleport" is not a command/m);
		assert.deepEqual(rebound, ['swarm']);
		assert.deepEqual(bound.find(binding => binding.command === 'prune')?.keys.map(chord => chord.input), ['p']);
		assert.deepEqual(bound.find(binding => binding.command === 'swarm')?.keys.map(chord => chord.input), ['S']);
	});

	test('swapping two keys is no conflict; keys in places never active together do not clash', () => {
		const swapped = applyKeyOverrides([
			{command: 'removeNetwork', keys: [{text: 'p', line: 1}], line: 1},
			{command: 'prune', keys: [{text: 'x', line: 2}], line: 2},
			// y writes the log's script; y in the Networks pane is a different place.
			{command: 'createNetwork', keys: [{text: 'y', line: 3}], line: 3},
		]);
		assert.deepEqual(swapped.problems, []);
		assert.equal(matchBinding('p', noKey, ['global', 'list', 'networks'], swapped.keymap)?.command, 'removeNetwork');
	});
});

describe('reading the file safely (docknet runs as root)', () => {
	const uid = process.getuid?.() ?? 0;

	test('a directory or file writable by group or others is refused with the reason', () => {
		const open = configHome('readOnly: true\n');
		chmodSync(open.directory, 0o777);
		const refused = readConfigText(open.file, uid);
		assert.equal(refused.kind, 'refused');
		assert.match(refused.kind === 'refused' ? refused.reason : '', /docknet is writable by its group or others \(mode 0777\)/);
		const file = configHome('readOnly: true\n');
		chmodSync(file.file, 0o666);
		assert.match(JSON.stringify(readConfigText(file.file, uid)), /config.yaml is writable by its group or others \(mode 0666\)/);
	});

	test("a directory or file owned by someone else is refused; so is a symbolic link of someone else's", async () => {
		const other = uid + 4242;
		const byOther = configHome('readOnly: false\n');
		chownSync(byOther.directory, other, other);
		assert.match(JSON.stringify(readConfigText(byOther.file, uid)), new RegExp(`is owned by uid ${other}, not by uid ${uid} that docknet runs as`));

		const mine = configHome('readOnly: true\n');
		const linkHome = path.join(scratch, `home-${++serial}`);
		mkdirSync(path.join(linkHome, 'docknet'), {recursive: true, mode: 0o700});
		const link = path.join(linkHome, 'docknet', 'config.yaml');
		symlinkSync(mine.file, link);
		assert.equal(readConfigText(link, uid).kind, 'read', "one's own link is followed");
		lchownSync(link, other, other);
		const refused = readConfigText(link, uid);
		assert.match(JSON.stringify(refused), new RegExp(`is a symbolic link owned by uid ${other}, not by uid ${uid}`));

		const loaded = await loadConfig({XDG_CONFIG_HOME: linkHome}, '/nonexistent');
		assert.match(loaded.notice ?? '', /^Config: .*symbolic link owned by uid \d+, not by uid \d+ that docknet runs as — not read; defaults apply there\.$/);
		assert.equal(startSettings(appOptions(), loaded, {}).readOnly, false, 'nothing of it applied');
	});
});

test('every colour a theme may name is one the table rows can paint (chalk), and no hex', () => {
	for (const name of colorNames) assert.equal(typeof (chalk as unknown as Record<string, unknown>)[name], 'function', name);
	for (const palette of Object.values(builtInPalettes)) for (const colour of Object.values(palette)) assert.ok(colorNames.has(colour), colour);
	assert.match(parseConfig('themes:\n  t: {accent: "#ff8800"}\n').problems[0]?.message ?? '', /"#ff8800" is not a colour/);
});

describe('what the file leaves out of the screen', () => {
	test('columns not chosen are hidden, NAME stays; the same choice gives the same array', () => {
		const chosen = chosenColumns(networkColumns, ['SUBNET']);
		assert.deepEqual(chosen.filter(column => !column.hidden).map(column => column.title), ['NAME', 'SUBNET']);
		assert.equal(chosenColumns(networkColumns, ['SUBNET']), chosen);
		assert.equal(chosenColumns(networkColumns, undefined), networkColumns);
	});

	test('hidden events by action or by type and action', () => {
		const event = (type: string, action: string) => ({type, action, actorId: 'a', attributes: {}, time: 0, timeNano: '0'});
		const events = [event('container', 'exec_start: sh -c true'), event('container', 'health_status: healthy'), event('network', 'connect'), event('container', 'start')];
		assert.deepEqual(shownEvents(events, ['exec_start', 'container health_status']).map(item => item.action), ['connect', 'start']);
		assert.equal(shownEvents(events, []), events);
	});
});
