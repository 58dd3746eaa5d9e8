import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {commandCatalog} from '../../source/ui/command-line/command-catalog.js';
import {closedCommandLine, commandLineReducer} from '../../source/ui/command-line/command-line-state.js';
import type {CommandLineAction, CommandLineState} from '../../source/ui/command-line/command-line-state.js';
import {completionsAt} from '../../source/ui/command-line/complete-command.js';
import type {CompletionSources} from '../../source/ui/command-line/complete-command.js';
import {createInput} from '../../source/ui/command-line/command-requests.js';
import {parseCommand, tokenize} from '../../source/ui/command-line/parse-command.js';
import {helpLines} from '../../source/ui/components/help-view.js';

const sources: CompletionSources = {
	container: ['ctn1', 'ctn2', 'web'],
	network: ['bridge', 'front', 'back'],
	context: ['default', 'node-b'],
	driver: ['bridge', 'macvlan'],
};

const run = (actions: CommandLineAction[], from: CommandLineState = closedCommandLine): CommandLineState =>
	actions.reduce(commandLineReducer, from);

describe('the : command parser', () => {
	test('reads flags the way the docker CLI does', () => {
		const parsed = parseCommand(':connect ctn1 front --ip 10.0.0.5 --alias=db --alias cache --driver-opt a=b');
		assert.ok(parsed.ok);
		assert.equal(parsed.command.spec.name, 'connect');
		assert.deepEqual(parsed.command.positionals, ['ctn1', 'front']);
		assert.deepEqual(parsed.command.flags, {ip: ['10.0.0.5'], alias: ['db', 'cache'], 'driver-opt': ['a=b']});
		const forced = parseCommand('disconnect front ctn1 -f');
		assert.ok(forced.ok);
		assert.deepEqual(forced.command.flags, {force: ['true']});
		const ended = parseCommand('filter -- -weird name');
		assert.ok(ended.ok);
		assert.deepEqual(ended.command.positionals, ['-weird', 'name']);
	});

	test('answers aliases, quotes and every mistake with one sentence', () => {
		assert.ok(['q', 'q!', 'net', 'ctr', 'topo'].every(name => parseCommand(name).ok));
		const quoted = parseCommand(`create 'my net' --label "a=b c"`);
		assert.ok(quoted.ok);
		assert.deepEqual([quoted.command.positionals, quoted.command.flags['label']], [['my net'], ['a=b c']]);
		const problems: Array<[string, RegExp]> = [
			['connect ctn1', /takes exactly 2 arguments: <container> <network>/],
			['connect a b c', /takes exactly 2 arguments/],
			['connect a b --ipp 1', /unknown flag: --ipp/],
			['connect a b --ip', /flag needs an argument: --ip/],
			['connect a b --ip 1 --ip 2', /--ip is given twice/],
			['disconnect a b --force=maybe', /switch: true or false/],
			['topo extra', /takes no arguments/],
			['zap', /unknown command ":zap"/],
			['con', /did you mean :containers, :connect\?/],
			[`create 'open`, /quote is not closed/],
			['', /no command/],
		];
		for (const [line, pattern] of problems) {
			const parsed = parseCommand(line);
			assert.equal(parsed.ok, false, line);
			if (!parsed.ok) assert.match(parsed.error, pattern, line);
		}
	});

	test('splits like a shell without expanding anything', () => {
		assert.deepEqual(tokenize(`a 'b c' "d\\"e" f\\ g $(x)`).map(token => token.text), ['a', 'b c', 'd"e', 'f g', '$(x)']);
		assert.deepEqual(tokenize('ab  cd').map(token => token.start), [0, 4]);
	});

	test(':create maps flags onto the create form\'s fields; the IPv6 subnet goes to the IPv6 field', () => {
		const parsed = parseCommand('create lan -d macvlan --subnet 10.1.0.0/24 --subnet fd00::/64 --gateway 10.1.0.1 -o parent=eth0 --aux-address r=10.1.0.5 --attachable');
		assert.ok(parsed.ok);
		assert.deepEqual(createInput(parsed.command), {
			name: 'lan',
			driver: 'macvlan',
			subnet: '10.1.0.0/24',
			gateway: '10.1.0.1',
			ipRange: '',
			auxAddresses: 'r=10.1.0.5',
			ipv6: true,
			ipv6Subnet: 'fd00::/64',
			ipv6Gateway: '',
			internal: false,
			attachable: true,
			labels: '',
			options: 'parent=eth0',
		});
		const twice = parseCommand('create lan --subnet 10.1.0.0/24 --subnet 10.2.0.0/24');
		assert.ok(twice.ok);
		assert.match(String(createInput(twice.command)), /10\.2\.0\.0\/24 is one too many/);
	});

	test(':create takes --ipv4=false as docker does: an IPv6-only network, refused without IPv6', () => {
		const only = parseCommand('create v6 --ipv4=false --ipv6 --subnet fd00:9::/64');
		assert.ok(only.ok);
		const input = createInput(only.command);
		assert.ok(typeof input !== 'string');
		assert.equal(input.ipv4, false);
		assert.equal(input.ipv6, true);
		assert.equal(input.ipv6Subnet, 'fd00:9::/64');
		const untouched = parseCommand('create plain');
		assert.ok(untouched.ok);
		assert.ok(!('ipv4' in Object(createInput(untouched.command))), 'not typed: the form keeps IPv4 on');
		const neither = parseCommand('create none --ipv4=false');
		assert.ok(neither.ok);
		assert.match(String(createInput(neither.command)), /IPv6-only network: add --ipv6/);
		const bad = parseCommand('create x --ipv4=no');
		assert.equal(bad.ok, false);
	});
});

describe('Tab completion', () => {
	test('command names, then what each argument names, flags after a dash', () => {
		assert.deepEqual(completionsAt(':co', sources).candidates, ['connect', 'containers']);
		assert.deepEqual(completionsAt(':connect ', sources).candidates, ['back', 'bridge', 'ctn1', 'ctn2', 'front', 'web']);
		assert.deepEqual(completionsAt(':connect ctn1 ', sources).candidates, ['back', 'bridge', 'front'], 'a container first: networks next');
		assert.deepEqual(completionsAt(':connect front ', sources).candidates, ['ctn1', 'ctn2', 'web'], 'a network first: containers next');
		assert.deepEqual(completionsAt(':connect ctn1 front --a', sources).candidates, ['--alias']);
		assert.deepEqual(completionsAt(':connect ctn1 front --link c', sources).candidates, ['ctn1', 'ctn2']);
		assert.deepEqual(completionsAt(':ctx n', sources).candidates, ['node-b']);
		assert.deepEqual(completionsAt(':create x -d m', sources).candidates, ['macvlan']);
		assert.deepEqual(completionsAt(':rm f', sources).candidates, ['front']);
		assert.deepEqual(completionsAt(':disconnect ctn1 front -', sources).candidates, ['--force']);
		assert.deepEqual(completionsAt(':create x --ipv', sources).candidates, ['--ipv4=false', '--ipv6'], 'IPv4 is on unless turned off');
		assert.deepEqual(completionsAt(':create x --ipv4=false --ipv', sources).candidates, ['--ipv6']);
	});

	test('one candidate completes with a space; several complete their common start, then Tab cycles', () => {
		const single = run([{type: 'open'}, {type: 'type', text: 'rm fr'}, {type: 'complete', sources}]);
		assert.equal(single.text, 'rm front ');
		const several = run([{type: 'open'}, {type: 'type', text: 'connect c'}, {type: 'complete', sources}]);
		assert.equal(several.text, 'connect ctn');
		assert.match(several.hint ?? '', /ctn1 ctn2/);
		const cycling = run([{type: 'complete', sources}, {type: 'complete', sources}], several);
		assert.equal(cycling.text, 'connect ctn2');
		assert.equal(run([{type: 'complete', sources}], cycling).text, 'connect ctn1', 'round again');
		assert.match(run([{type: 'open'}, {type: 'type', text: 'rm zz'}, {type: 'complete', sources}]).hint ?? '', /nothing starts with "zz"/);
	});

	test('names with spaces are quoted so they stay one argument', () => {
		const state = run([{type: 'open'}, {type: 'type', text: 'rm my'}, {type: 'complete', sources: {network: ['my net']}}]);
		assert.equal(state.text, "rm 'my net' ");
		const parsed = parseCommand(state.text);
		assert.ok(parsed.ok);
		assert.deepEqual(parsed.command.positionals, ['my net']);
	});
});

describe('history', () => {
	test('↑ and ↓ walk the lines run, the draft comes back at the end; a repeat is kept once', () => {
		let state = run([{type: 'ran', text: 'networks'}, {type: 'ran', text: 'topology'}, {type: 'ran', text: 'topology'}]);
		assert.deepEqual(state.history, ['networks', 'topology']);
		state = run([{type: 'open'}, {type: 'type', text: 'fil'}, {type: 'history', step: -1}], state);
		assert.equal(state.text, 'topology');
		state = run([{type: 'history', step: -1}, {type: 'history', step: -1}], state);
		assert.equal(state.text, 'networks', 'stops at the oldest');
		state = run([{type: 'history', step: 1}, {type: 'history', step: 1}], state);
		assert.equal(state.text, 'fil', 'the draft again');
		assert.deepEqual(run([{type: 'close'}], state).history, ['networks', 'topology'], 'closing keeps the history');
	});
});

test('the help lists every : command with its usage', () => {
	const text = helpLines(false, 100).map(line => line.text).join('\n');
	for (const spec of commandCatalog) assert.ok(text.includes(`:${spec.name}`), spec.name);
	assert.match(text, /:connect <container> <network> \[--ip …\]/);
	assert.match(helpLines(true, 100).map(line => line.text).join('\n'), /Create a network, checked as the create form checks it \(also :new\) — off in/);
});
