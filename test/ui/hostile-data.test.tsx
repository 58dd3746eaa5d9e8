import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import stringWidth from 'string-width';
import {classicState, endpointOn, fakeContainer, fakeNetwork, FakeGateway} from '../helpers/fake-gateway.js';
import {controlBytes, hostileStrings} from '../helpers/hostile-strings.js';
import {keys, renderApp} from '../helpers/render-app.js';

// Every field of the fake engine's data filled with hostile strings: whatever the engine
// (or anyone who can create objects on it) sends, the frames hold no control character and
// no line is wider than the terminal.

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

let next = 0;
const hostile = (): string => hostileStrings[next++ % hostileStrings.length]?.value ?? '';

function hostileGateway(): FakeGateway {
	const state = classicState();
	const evil = fakeNetwork({
		name: `evil${hostile()}`,
		driver: `drv${hostile()}`,
		scope: `local${hostile()}`,
		pools: [{subnet: '10.66.0.0/24', gateway: '10.66.0.1', auxAddresses: {[`aux${hostile()}`]: '10.66.0.9'}}],
		options: {[`opt${hostile()}`]: hostile(), plain: hostile()},
		labels: {[`label${hostile()}`]: hostile(), other: hostile()},
	});
	const victim = fakeContainer({
		name: `victim${hostile()}`,
		image: `img${hostile()}`,
		status: `Up ${hostile()}`,
		networkMode: evil.name,
		labels: {[`l${hostile()}`]: hostile()},
		endpoints: [endpointOn(evil, '10.66.0.2', {aliases: [hostile(), hostile()], links: [hostile()]})],
		ports: [{containerPort: 80, protocol: `tcp${hostile()}`, hostIp: `0.0.0.0${hostile()}`, hostPort: 8080}],
	});
	state.networks.push(evil);
	state.containers.push(victim);
	return new FakeGateway(state);
}

function assertClean(frame: string, columns: number, what: string): void {
	for (const [index, line] of frame.split('\n').entries()) {
		assert.doesNotMatch(line, controlBytes, `${what}, line ${index}: ${JSON.stringify(line)}`);
		assert.ok(stringWidth(line) <= columns, `${what}, line ${index} is ${stringWidth(line)} columns wide: ${line}`);
	}
}

describe('hostile data in every field (fake engine)', () => {
	for (const columns of [100]) {
		test(`panes, details, topology, help, picker and events stay clean at ${columns} columns`, async () => {
			next = 0;
			app = await renderApp({gateway: hostileGateway(), columns, rows: 40, withHost: true});
			const visited: Array<[string, string]> = [];
			const look = (what: string): void => {
				visited.push([what, app?.frame() ?? '']);
			};

			look('start');
			const victimId = app.gateway.state.containers.at(-1)?.id ?? '';
			app.gateway.emit('container', 'start', victimId, {name: `victim${hostile()}`, image: hostile()});
			app.gateway.emit('network', 'connect', app.gateway.state.networks.at(-1)?.id ?? '', {container: victimId, name: hostile()});
			await app.waitForFrame(frame => frame.includes('container start'), 'the events');
			look('events');
			for (const pane of ['1', '2']) {
				await app.press(pane, 'G', keys.enter);
				look(`details of the last row of pane ${pane}`);
				await app.press(keys.escape);
			}

			await app.press('t');
			look('topology');
			await app.press(keys.escape, '2', 'G', 'c');
			look('connect picker');
			await app.press(keys.escape, '?');
			look('help');
			await app.press(keys.escape);
			for (const [what, frame] of visited) assertClean(frame, columns, what);
			assert.ok(visited.some(([, frame]) => frame.includes('victim')), 'the hostile container was shown');
			assert.ok(visited.some(([, frame]) => frame.includes('␛')), 'escape characters were shown as ␛');
		});
	}
});
