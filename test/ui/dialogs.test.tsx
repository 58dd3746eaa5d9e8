import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import {endpointOn, fakeNetwork, FakeGateway} from '../helpers/fake-gateway.js';
import {keys, lineWith, renderApp} from '../helpers/render-app.js';

type Rendered = Awaited<ReturnType<typeof renderApp>>;
let app: Rendered | undefined;
afterEach(() => {
	app?.cleanup();
	app = undefined;
});

const right = '\u001B[C';
const left = '\u001B[D';
const ctrlU = '\u0015';
const callsOf = (gateway: FakeGateway, method: string) => gateway.calls.filter(call => call.method === method);

async function start(options: Parameters<typeof renderApp>[0] = {}): Promise<Rendered> {
	app = await renderApp(options);
	// Aliases come with the inspect that follows the first listing.
	await app.waitForFrame(() => app?.store.getSnapshot().containers.every(container => container.inspected || container.state !== 'running') ?? false, 'containers inspected');
	return app;
}

describe('connect', () => {
	test('Containers c: a picker of the networks it is not on; Enter with empty fields connects with the defaults', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'c');
		const picker = await waitForFrame(text => text.includes('Connect ctn1 to which network?'), 'the network picker');
		assert.match(lineWith(picker, 'front') ?? '', /bridge\s+10\.88\.0\.0\/24\s+252/);
		assert.equal(lineWith(picker, '› bridge'), undefined, 'not the network it is on');
		assert.match(picker, /Not offered: host and none/);
		assert.match(picker, /type to filter {2}↑↓ move {2}Enter choose {2}Esc cancel/);
		await press(keys.enter);
		const form = await waitForFrame(text => text.includes('Connect ctn1 to front'), 'the options form');
		assert.match(form, /bridge · 10\.88\.0\.0\/24 · gateway 10\.88\.0\.1 · 1 attached/);
		assert.match(form, /IPv4 address\s+▏/);
		await press(keys.enter);
		const done = await waitForFrame(text => text.includes('✔ Connected ctn1 to front (10.88.0.3)'), 'the success status');
		assert.match(lineWith(done, 'ctn1') ?? '', /front 10\.88\.0\.3/);
		assert.deepEqual(callsOf(gateway, 'connect')[0]?.args, [gateway.network('front').id, gateway.container('ctn1').id, {}]);
	});

	test('Networks c: pick a container by typing; a fixed address and aliases', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('j', 'c');
		const picker = await waitForFrame(text => text.includes('Connect which container to front?'), 'the container picker');
		assert.ok(lineWith(picker, 'ctn1'));
		assert.ok(lineWith(picker, 'old'));
		assert.equal(lineWith(picker, ' web '), undefined, 'web is on front already');
		await press('ctn2');
		const filtered = await waitForFrame(text => text.includes('Filter: ctn2'), 'the filter');
		assert.equal(lineWith(filtered, 'ctn1'), undefined);
		await press(keys.enter);
		await waitForFrame(text => text.includes('Connect ctn2 to front'), 'the form');
		await press('10.88.0.40', keys.down, keys.down, 'db, cache');
		await press(keys.enter);
		await waitForFrame(text => text.includes('✔ Connected ctn2 to front (10.88.0.40; aliases db, cache)'), 'the success status');
		assert.deepEqual(callsOf(gateway, 'connect')[0]?.args[2], {ipv4: '10.88.0.40', aliases: ['db', 'cache']});
	});

	test('keys typed in one burst: c opens the picker and the rest filters it', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2');
		await press('cfr');
		const picker = await waitForFrame(text => text.includes('Filter: fr▏'), 'the filter typed after c');
		assert.match(picker, /Connect ctn1 to which network\?/, 'c opened the picker');
		assert.match(lineWith(picker, 'front') ?? '', /bridge/, 'front matches "fr" and is offered');
		assert.equal(callsOf(gateway, 'connect').length, 0, 'the typed letters went to the filter, not to a command');
	});

	test('checks before sending point at the field, keep every value, and send nothing', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'c', keys.enter);
		await waitForFrame(text => text.includes('Connect ctn1 to front'), 'the form');
		await press('10.9.9.9', keys.down, keys.down, 'ok, -bad');
		await press(keys.enter);
		let frame = await waitForFrame(text => text.includes("✖ 10.9.9.9 is outside front's subnet"), 'the address error');
		assert.match(lineWith(frame, 'IPv4 address') ?? '', /10\.9\.9\.9▏?\s+✖ 10\.9\.9\.9 is outside front's subnet/);
		assert.match(lineWith(frame, 'Aliases') ?? '', /ok, -bad\s+✖ "-bad" is not a valid alias/);
		assert.match(lineWith(frame, '› IPv4 address') ?? '', /10\.9\.9\.9/, 'the focus moves to the first bad field');
		assert.equal(callsOf(gateway, 'connect').length, 0);
		// Fix both; the messages go as the values change.
		await press(ctrlU, '10.88.0.1');
		await press(keys.enter);
		frame = await waitForFrame(text => text.includes('is the gateway of front'), 'the gateway error');
		await press(ctrlU, '10.88.0.2', keys.enter);
		frame = await waitForFrame(text => text.includes('10.88.0.2 is used by web on front'), 'the in-use error');
		await press(ctrlU, '10.88.0.60', keys.down, keys.down, ctrlU, 'ok');
		assert.doesNotMatch(app?.frame() ?? '', /not a valid alias/);
		await press(keys.enter);
		await waitForFrame(text => text.includes('✔ Connected ctn1 to front (10.88.0.60; aliases ok)'), 'sent once fixed');
		assert.equal(callsOf(gateway, 'connect').length, 1);
	});

	test('the engine refusing keeps the form open with its values and the reason at the field', async () => {
		const {press, waitForFrame, gateway} = await start();
		// Taken on the engine behind docknet's back: the store cannot know, the engine refuses.
		gateway.container('ctn2').endpoints.push(endpointOn(gateway.network('front'), '10.88.0.50'));
		await press('2', 'c', keys.enter);
		await waitForFrame(text => text.includes('Connect ctn1 to front'), 'the form');
		await press('10.88.0.50', keys.down, keys.down, 'db');
		await press(keys.enter);
		const frame = await waitForFrame(text => text.includes('that address is taken on front'), 'the refusal');
		assert.match(frame, /Connect ctn1 to front/, 'the form stays open');
		assert.match(lineWith(frame, 'IPv4 address') ?? '', /10\.88\.0\.50▏?\s+✖ that address is taken/);
		assert.match(lineWith(frame, 'Aliases') ?? '', /db/);
		assert.match(frame, /\(engine: Address already in use\)/);
		assert.match(frame, /✖ Could not connect ctn1 to front: that address is taken/);
	});

	test('a host-mode container: c explains instead of opening a picker', async () => {
		const gateway = new FakeGateway();
		gateway.state.containers.push({...gateway.container('ctn1'), id: 'h'.repeat(64), name: 'hosty', networkMode: 'host', endpoints: []});
		const {press, waitForFrame} = await start({gateway});
		await press('2', 'j', 'j', 'c');
		const frame = await waitForFrame(text => text.includes('hosty runs with --network host'), 'the explanation');
		assert.match(frame, /cannot join other networks/);
		assert.doesNotMatch(frame, /which network\?/);
	});

	test('Networks c on host: explained, no picker', async () => {
		const {press, waitForFrame} = await start();
		await press('j', 'j', 'c');
		const frame = await waitForFrame(text => text.includes('host is the host\'s own network stack'), 'the explanation');
		assert.doesNotMatch(frame, /to which network\?|Connect which container/, 'no picker opened');
		// The panes still take the keys, no dialog holds them: Enter opens the host network's details.
		await press(keys.enter);
		await waitForFrame(text => text.includes('Network host'), 'the details of host');
	});
});

describe('modal dialogs', () => {
	test('keys go to the dialog alone; Esc cancels and changes nothing', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'c');
		await waitForFrame(text => text.includes('Connect ctn1 to which network?'), 'the picker');
		// q, 1 and ? would quit, focus or open help in the panes; here they are filter text.
		await press('q1?');
		await waitForFrame(text => text.includes('Filter: q1?▏'), 'typed into the filter');
		assert.equal(app?.quitCount, 0);
		assert.match(app?.frame() ?? '', /Nothing matches "q1\?"/);
		await press(keys.escape);
		const frame = await waitForFrame(text => text.includes('Cancelled: nothing was changed.'), 'cancelled');
		assert.match(frame, /2 Containers/);
		await press(keys.enter, keys.escape);
		assert.equal(callsOf(gateway, 'connect').length, 0);
	});

	test('Esc in the form cancels at any step; nothing is sent', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'c', keys.enter, '10.88.0.9');
		await waitForFrame(text => text.includes('10.88.0.9▏'), 'typed');
		await press(keys.escape);
		await waitForFrame(text => text.includes('Cancelled: nothing was changed.'), 'cancelled');
		assert.equal(callsOf(gateway, 'connect').length, 0);
	});

	test('read-only: every changing key is refused and says so; no dialog opens', async () => {
		const {press, waitForFrame, gateway} = await start({readOnly: true});
		for (const key of ['c', 'x', 'n', 'p']) {
			await press(key);
			await waitForFrame(text => /Read-only mode: "\w+" is off \(--read-only, or readOnly in the config file\)/.test(text), `the refusal of ${key}`);
		}

		await press('2', 'd');
		const frame = await waitForFrame(text => text.includes('Read-only mode: "disconnect" is off'), 'the refusal of d');
		assert.doesNotMatch(frame, /\?$/m);
		assert.equal(gateway.calls.filter(call => !['info', 'listNetworks', 'listContainers', 'streamEvents', 'inspectContainer', 'inspectNetwork'].includes(call.method)).length, 0);
	});

	test('? help lists the dialog keys next to the commands that open them', async () => {
		const {press, waitForFrame} = await start({rows: 80});
		await press('?');
		const frame = await waitForFrame(text => text.includes('In dialogs'), 'the dialog keys in the help');
		assert.match(frame, /c\s+Connect the selected container to a network/);
		assert.match(frame, /Esc\s+Cancel: nothing is changed/);
	});

	test('at the smallest size the create form scrolls, saying how many fields are hidden', async () => {
		const {press, waitForFrame} = await start({columns: 60, rows: 16});
		await press('n');
		let frame = await waitForFrame(text => text.includes('Create a network'), 'the form');
		const below = /↓ (\d+) more/.exec(frame);
		assert.ok(below, 'a count of the fields below');
		assert.equal(lineWith(frame, ' Driver options '), undefined, 'the last field is below');
		assert.doesNotMatch(frame, /↑ \d+ more/);
		await press(...Array.from({length: 12}, () => keys.down));
		frame = await waitForFrame(text => text.includes('› Driver options'), 'the last field focused');
		assert.match(frame, /↑ \d+ more/);
		assert.doesNotMatch(frame, /↓ \d+ more/);
		assert.ok(frame.split('\n').length <= 15, 'the frame fits');
	});

	test('at 80x24 the create form shows every field, and the frame fits', async () => {
		const {press, waitForFrame} = await start({columns: 80, rows: 24});
		await press('n');
		const frame = await waitForFrame(text => text.includes('Create a network'), 'the form');
		for (const label of ['Name', 'Driver', 'Subnet', 'Gateway', 'IP range', 'Aux addresses', 'IPv6', 'IPv6 subnet', 'IPv6 gateway', 'Internal', 'Attachable', 'Labels', 'Driver options']) {
			assert.ok(lineWith(frame, ` ${label} `), `${label} is on screen`);
		}

		const lines = frame.split('\n');
		assert.ok(lines.length <= 23, `${lines.length} lines`);
		assert.ok(lines.every(line => line.length <= 80));
		assert.match(lines.at(-1) ?? '', /Tab\/↑↓ field {2}Space toggle/);
	});
});

describe('in flight', () => {
	test('a spinner while the engine works; other keys keep working; a repeated key sends once', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'j', 'd');
		await waitForFrame(text => text.includes('Disconnect ctn2 from bridge?'), 'the confirmation');
		const release = gateway.hold();
		await press('y');
		let frame = await waitForFrame(text => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Disconnecting ctn2 from bridge…/.test(text), 'the spinner');
		// The same action again while the first is in flight.
		await press('d', 'y');
		frame = await waitForFrame(text => text.includes('Already disconnecting ctn2 from bridge'), 'refused as in flight');
		// The refusal does not hide that the first disconnect is still working.
		assert.match(lineWith(frame, 'Already disconnecting') ?? '', /·\s+[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Disconnecting ctn2 from/);
		await press('?');
		await waitForFrame(text => text.includes('Keys —'), 'the help opens meanwhile');
		await press(keys.escape);
		release();
		frame = await waitForFrame(text => text.includes('✔ Disconnected ctn2 from bridge (was 172.17.0.3) — u undoes'), 'the result');
		assert.equal(callsOf(gateway, 'disconnect').length, 1);
		assert.match(lineWith(frame, 'ctn2') ?? '', /–/);
	});

	test('Enter twice on a form sends once', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'c', keys.enter);
		await waitForFrame(text => text.includes('Connect ctn1 to front'), 'the form');
		const release = gateway.hold();
		await press(keys.enter);
		await waitForFrame(text => text.includes('Connect ctn1 to front — sending…'), 'sending');
		await press(keys.enter, keys.enter);
		release();
		await waitForFrame(text => text.includes('✔ Connected ctn1 to front'), 'connected');
		assert.equal(callsOf(gateway, 'connect').length, 1);
	});
});

describe('disconnect and undo', () => {
	test('Networks d with several containers: pick which, the confirmation names both, anything but y cancels', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('d');
		const picker = await waitForFrame(text => text.includes('Disconnect which container from bridge?'), 'the picker');
		assert.match(lineWith(picker, 'ctn1') ?? '', /172\.17\.0\.2/);
		await press(keys.down, keys.enter);
		const confirm = await waitForFrame(text => text.includes('Disconnect ctn2 from bridge?'), 'the confirmation');
		assert.match(confirm, /ctn2 \(running\) leaves bridge and loses its address 172\.17\.0\.3 there/);
		assert.match(confirm, /y disconnects · any other key cancels/);
		await press('n');
		await waitForFrame(text => text.includes('Cancelled: nothing was changed.'), 'cancelled');
		assert.equal(callsOf(gateway, 'disconnect').length, 0);
	});

	test('D force-disconnects after a confirmation that says so', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'D');
		const confirm = await waitForFrame(text => text.includes('Force-disconnect ctn1 from bridge?'), 'the confirmation');
		assert.match(confirm, /--force/);
		await press('y');
		await waitForFrame(text => text.includes('✔ Force-disconnected ctn1 from bridge'), 'done');
		assert.equal(callsOf(gateway, 'disconnect')[0]?.args[2], true);
	});

	test('u reconnects what d took away, with the same address and aliases', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('2', 'G', 'd', 'y');
		await waitForFrame(text => text.includes('✔ Disconnected web from front (was 10.88.0.2) — u undoes'), 'disconnected');
		await press('u');
		const frame = await waitForFrame(text => text.includes('✔ Undone: connected web to front (10.88.0.2; aliases www)'), 'undone');
		assert.match(lineWith(frame, ' web ') ?? '', /front 10\.88\.0\.2/);
		// The MAC address the endpoint had goes too (the gateway sends it only to engines that apply it).
		const {mac, ...sent} = (callsOf(gateway, 'connect')[0]?.args[2] ?? {}) as {mac?: string};
		assert.deepEqual(sent, {ipv4: '10.88.0.2', aliases: ['www']});
		assert.match(mac ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
		await press('u');
		await waitForFrame(text => text.includes('Nothing left to undo: the one connect or disconnect this session made was undone.'), 'nothing left');
	});
});

describe('networks', () => {
	test('n creates a network from the form: driver, toggles with Space, labels', async () => {
		const {press, waitForFrame, gateway} = await start();
		// Some other network selected first (j): afterwards the new one must be.
		await press('1', 'j', 'n');
		await waitForFrame(text => text.includes('Create a network'), 'the form');
		await press('back', keys.tab, right);
		let frame = await waitForFrame(text => text.includes('‹ macvlan ›'), 'the driver chosen');
		await press(keys.enter);
		frame = await waitForFrame(text => text.includes('macvlan needs the host interface'), 'the parent explained');
		assert.match(lineWith(frame, '› Driver options') ?? '', /✖ macvlan needs/);
		await press(...Array.from({length: 11}, () => keys.up), left);
		frame = await waitForFrame(text => text.includes('‹ bridge ›'), 'back to bridge');
		// Gateway → IP range, Aux addresses, IPv6, IPv6 subnet, IPv6 gateway, Internal.
		await press(keys.down, '10.201.9.0/24', keys.down, '10.201.9.254', ...Array.from({length: 6}, () => keys.down), ' ', keys.down, ' ', keys.down, 'team=net');
		frame = await waitForFrame(text => text.includes('team=net'), 'typed');
		assert.match(lineWith(frame, 'Internal') ?? '', /\[x\] on/);
		assert.match(lineWith(frame, 'Attachable') ?? '', /\[x\] on/);
		await press(keys.enter);
		frame = await waitForFrame(text => text.includes('✔ Created network back (bridge, 10.201.9.0/24, gateway 10.201.9.254)'), 'created');
		assert.match(lineWith(frame, 'back ') ?? '', /10\.201\.9\.0\/24/);
		assert.deepEqual(callsOf(gateway, 'createNetwork')[0]?.args[0], {
			name: 'back',
			driver: 'bridge',
			subnet: '10.201.9.0/24',
			gateway: '10.201.9.254',
			internal: true,
			attachable: true,
			labels: {team: 'net'},
		});
		// The new network is the selection: x offers to remove it, not the one selected before.
		await press('x');
		await waitForFrame(text => text.includes('Remove network back?'), 'the new network selected');
		await press(keys.escape);
	});

	test('an overlapping subnet warns once; Enter again sends anyway', async () => {
		const {press, waitForFrame, gateway} = await start();
		await press('n', 'wide', keys.down, keys.down, '10.0.0.0/8', keys.enter);
		await waitForFrame(text => text.includes('⚠ Enter again sends anyway. Subnet: overlaps front (10.88.0.0/24)'), 'the warning');
		assert.equal(callsOf(gateway, 'createNetwork').length, 0);
		await press(keys.enter);
		await waitForFrame(text => text.includes('✔ Created network wide'), 'created after the second Enter');
	});

	test('a name the engine refuses: the form stays with the message at Name', async () => {
		const {press, waitForFrame, gateway} = await start();
		// Created behind docknet's back, so the check before sending cannot know.
		gateway.state.networks.push(fakeNetwork({name: 'ghost'}));
		await press('n', 'ghost', keys.enter);
		const frame = await waitForFrame(text => text.includes('exists already'), 'the refusal');
		assert.match(lineWith(frame, '› Name') ?? '', /ghost▏?\s+✖ a network named ghost exists already/);
	});

	test('x: predefined and busy networks are explained; an unused one goes after y', async () => {
		const gateway = new FakeGateway();
		gateway.state.networks.push(fakeNetwork({name: 'spare', pools: [{subnet: '10.201.7.0/24'}]}));
		const {press, waitForFrame} = await start({gateway});
		await press('x');
		await waitForFrame(text => text.includes("✖ bridge is one of the engine's predefined networks"), 'bridge refused');
		await press('j', 'x');
		await waitForFrame(text => text.includes('✖ front has a container attached: web — disconnect it first (d)'), 'front refused, naming web');
		await press('G', 'x');
		const confirm = await waitForFrame(text => text.includes('Remove network spare?'), 'the confirmation');
		assert.match(confirm, /spare: bridge, 10\.201\.7\.0\/24, scope local/);
		await press('y');
		const frame = await waitForFrame(text => text.includes('✔ Removed network spare'), 'removed');
		assert.equal(lineWith(frame, 'spare '), undefined);
		assert.equal(callsOf(gateway, 'removeNetwork').length, 1, 'bridge and front were refused before asking the engine');
	});

	test('p lists exactly what would go (only what the filter shows), then removes those', async () => {
		const gateway = new FakeGateway();
		for (const name of ['old-a', 'old-b', 'keep-c']) gateway.state.networks.push(fakeNetwork({name}));
		const {press, waitForFrame} = await start({gateway});
		await press('p');
		let frame = await waitForFrame(text => text.includes('Prune 3 unused networks?'), 'the list');
		for (const name of ['old-a', 'old-b', 'keep-c']) assert.ok(lineWith(frame, name), name);
		assert.equal(lineWith(frame, 'front'), undefined);
		await press('x');
		await waitForFrame(text => text.includes('Cancelled'), 'cancelled');
		await press('/', 'old', keys.enter, 'p');
		frame = await waitForFrame(text => text.includes('Prune 2 unused networks?'), 'the filtered list');
		assert.match(frame, /Only networks matching the filter "old"/);
		assert.equal(lineWith(frame, 'keep-c'), undefined);
		await press('y');
		frame = await waitForFrame(text => text.includes('✔ Pruned 2 networks: old-a and old-b'), 'pruned');
		assert.deepEqual(gateway.state.networks.map(network => network.name).sort(), ['bridge', 'front', 'host', 'keep-c', 'none']);
	});

	test('a long prune list scrolls with arrows and pages, and every network can be seen before y', async () => {
		const gateway = new FakeGateway();
		const names = Array.from({length: 120}, (_, index) => `unused-${String(index).padStart(3, '0')}`);
		for (const name of names) gateway.state.networks.push(fakeNetwork({name}));
		const {press, waitForFrame, frame} = await start({gateway});
		await press('p');
		await waitForFrame(text => text.includes('Prune 120 unused networks?') && text.includes('unused-000'), 'the first rows');
		assert.match(frame(), /rows 1–\d+ of 120 · ↓ more/);
		const seen = new Set<string>();
		const collect = (): void => {
			for (const name of names) if (frame().includes(name)) seen.add(name);
		};

		collect();
		for (let page = 0; page < 20 && !frame().includes('unused-119'); page++) {
			await press(keys.pageDown);
			collect();
		}

		assert.ok(frame().includes('unused-119'), 'the last network is reachable');
		assert.equal(seen.size, 120, 'paging showed every network once on the way');
		assert.doesNotMatch(frame(), /↓ more/);
		await press(keys.up, keys.home);
		await waitForFrame(text => text.includes('unused-000'), 'back at the top');
		assert.match(frame(), /Prune 120 unused networks\?/, 'scrolling did not cancel');
		await press('y');
		await waitForFrame(text => text.includes('✔ Pruned 120 networks'), 'pruned', 10_000);
	});

		test('p with nothing unused says so', async () => {
		const {press, waitForFrame, gateway} = await start();
		const networksBefore = gateway.state.networks.length;
		await press('p');
		const frame = await waitForFrame(text => text.includes('No unused network to prune.'), 'nothing to prune');
		assert.doesNotMatch(frame, /Prune \d+ unused/, 'no confirmation to answer');
		assert.equal(callsOf(gateway, 'removeNetwork').length, 0, 'nothing removed');
		assert.equal(gateway.state.networks.length, networksBefore);
	});
});
