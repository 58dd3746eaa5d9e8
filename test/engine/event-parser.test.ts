import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {createEventParser, parseEventLine} from '../../source/engine/event-parser.js';

function dockerEvent(overrides: {action?: string; id?: string; attributes?: Record<string, string>; timeNano?: string} = {}): string {
	const timeNano = overrides.timeNano ?? '1764295906123456789';
	const attributes = overrides.attributes ?? {name: 'web', type: 'bridge'};
	// Docker writes timeNano as a bare number, which is why it is spliced in as text here.
	return `{"Type":"network","Action":"${overrides.action ?? 'create'}","Actor":{"ID":"${overrides.id ?? 'abc123'}","Attributes":${JSON.stringify(attributes)}},"scope":"local","time":${timeNano.slice(0, 10)},"timeNano":${timeNano}}`;
}

function splitEvery(buffer: Buffer, size: number): Buffer[] {
	const chunks: Buffer[] = [];
	for (let offset = 0; offset < buffer.length; offset += size) {
		chunks.push(buffer.subarray(offset, offset + size));
	}

	return chunks;
}

describe('createEventParser', () => {
	test('maps Docker event JSON to an EngineEvent with exact timeNano', () => {
		const parser = createEventParser();
		const events = parser.push(`${dockerEvent()}\n`);
		assert.deepEqual(events, [{
			type: 'network',
			action: 'create',
			actorId: 'abc123',
			attributes: {name: 'web', type: 'bridge'},
			time: 1_764_295_906_123,
			timeNano: '1764295906123456789',
		}]);
	});

	test('returns several events that arrive in one chunk, in order', () => {
		const parser = createEventParser();
		const chunk = [dockerEvent({action: 'create'}), dockerEvent({action: 'connect'}), dockerEvent({action: 'destroy'})].join('\n') + '\n';
		assert.deepEqual(parser.push(Buffer.from(chunk)).map(event => event.action), ['create', 'connect', 'destroy']);
	});

	test('keeps a partial line until its newline arrives', () => {
		const parser = createEventParser();
		const line = dockerEvent({id: 'split'});
		assert.deepEqual(parser.push(line.slice(0, 20)), []);
		assert.deepEqual(parser.push(line.slice(20, 50)), []);
		const events = parser.push(`${line.slice(50)}\n${dockerEvent({id: 'next'}).slice(0, 10)}`);
		assert.deepEqual(events.map(event => event.actorId), ['split']);
		assert.deepEqual(parser.push(`${dockerEvent({id: 'next'}).slice(10)}\n`).map(event => event.actorId), ['next']);
	});

	test('reassembles an ~80 KB event split into many chunks', () => {
		const parser = createEventParser();
		const big = 'x'.repeat(80 * 1024);
		const payload = Buffer.from(`${dockerEvent({id: 'big', attributes: {'com.example.blob': big, name: 'ctn'}})}\n${dockerEvent({id: 'small'})}\n`);
		const chunks = splitEvery(payload, 349);
		assert.ok(chunks.length > 200);
		const events = chunks.flatMap(chunk => parser.push(chunk));
		assert.deepEqual(events.map(event => event.actorId), ['big', 'small']);
		assert.equal(events[0]?.attributes['com.example.blob'], big);
	});

	test('decodes a multi-byte UTF-8 character split across chunks', () => {
		const parser = createEventParser();
		const payload = Buffer.from(`${dockerEvent({attributes: {name: 'café-🐳'}})}\n`);
		const whale = payload.indexOf(Buffer.from('🐳'));
		const events = [
			...parser.push(payload.subarray(0, whale + 2)),
			...parser.push(payload.subarray(whale + 2, whale + 3)),
			...parser.push(payload.subarray(whale + 3)),
		];
		assert.equal(events[0]?.attributes['name'], 'café-🐳');
		const eAcute = payload.indexOf(Buffer.from('é'));
		const again = createEventParser();
		const split = [...again.push(payload.subarray(0, eAcute + 1)), ...again.push(payload.subarray(eAcute + 1))];
		assert.equal(split[0]?.attributes['name'], 'café-🐳');
	});

	test('skips blank lines and CRLF endings', () => {
		const parser = createEventParser();
		const events = parser.push(`\n\n${dockerEvent({id: 'a'})}\r\n\r\n   \n${dockerEvent({id: 'b'})}\n`);
		assert.deepEqual(events.map(event => event.actorId), ['a', 'b']);
	});

	test('drops a garbage line and keeps going', () => {
		const parser = createEventParser();
		const events = parser.push(`{"Type":"network",broken\nnot json at all\n42\n[1,2]\n${dockerEvent({id: 'ok'})}\n`);
		assert.deepEqual(events.map(event => event.actorId), ['ok']);
	});

	test('reset drops the partial line', () => {
		const parser = createEventParser();
		parser.push(dockerEvent({id: 'lost'}).slice(0, 30));
		parser.reset();
		assert.deepEqual(parser.push(`${dockerEvent({id: 'fresh'})}\n`).map(event => event.actorId), ['fresh']);
	});

	test('handles string and Buffer chunks mixed', () => {
		const parser = createEventParser();
		const line = dockerEvent({id: 'mixed'});
		assert.deepEqual(parser.push(Buffer.from(line.slice(0, 40))), []);
		assert.deepEqual(parser.push(`${line.slice(40)}\n`).map(event => event.actorId), ['mixed']);
	});
});

describe('parseEventLine', () => {
	test('understands legacy status/id/from events', () => {
		const event = parseEventLine('{"status":"start","id":"deadbeef","from":"busybox","time":1764295906}');
		assert.deepEqual(event, {
			type: 'container',
			action: 'start',
			actorId: 'deadbeef',
			attributes: {image: 'busybox'},
			time: 1_764_295_906_000,
			timeNano: '1764295906000000000',
		});
	});

	test('tolerates events with no Type, Actor or time', () => {
		assert.deepEqual(parseEventLine('{"Action":"prune"}'), {
			type: 'unknown', action: 'prune', actorId: '', attributes: {}, time: 0, timeNano: '0',
		});
	});

	test('combines modern fields with legacy ones when both are present', () => {
		const event = parseEventLine('{"status":"die","id":"c1","from":"img","Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"0","image":"img"}},"time":1,"timeNano":1000000001}');
		assert.equal(event?.type, 'container');
		assert.equal(event?.action, 'die');
		assert.deepEqual(event?.attributes, {exitCode: '0', image: 'img'});
		assert.equal(event?.timeNano, '1000000001');
		assert.equal(event?.time, 1000);
	});

	test('does not take a label called timeNano for the event time', () => {
		const event = parseEventLine(dockerEvent({attributes: {timeNano: '5'}, timeNano: '1764295906123456789'}));
		assert.equal(event?.timeNano, '1764295906123456789');
		assert.equal(event?.attributes['timeNano'], '5');
	});
});
