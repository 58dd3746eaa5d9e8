import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {healthOfEvent} from '../../source/model/health.js';
import {isShownEvent} from '../../source/model/engine-sync.js';
import type {EngineEvent} from '../../source/model/types.js';
import {describeEvent, eventTone} from '../../source/view/format.js';

const event = (action: string, attributes: Record<string, string> = {}, type = 'container'): EngineEvent => ({
	type,
	action,
	actorId: 'c1',
	attributes: {name: 'web', ...attributes},
	time: 0,
	timeNano: '0',
});

describe('health_status events', () => {
	test("Docker's action suffix and Podman's attribute say the same health", () => {
		assert.equal(healthOfEvent(event('health_status: unhealthy')), 'unhealthy');
		assert.equal(healthOfEvent(event('health_status: healthy')), 'healthy');
		assert.equal(healthOfEvent(event('health_status', {health_status: 'starting'})), 'starting');
		assert.equal(healthOfEvent(event('health_status: running')), undefined, 'a word docknet does not know names no health');
		assert.equal(healthOfEvent(event('exec_die')), undefined);
		assert.equal(healthOfEvent(event('health_status: healthy', {}, 'network')), undefined);
	});

	test('shown in the events strip, in words and tone', () => {
		assert.ok(isShownEvent(event('health_status: unhealthy')));
		assert.ok(!isShownEvent(event('exec_start: /bin/sh -c exit 1')));
		assert.equal(describeEvent(event('health_status: unhealthy')), 'container web unhealthy');
		assert.equal(eventTone(event('health_status: unhealthy')), 'bad');
		assert.equal(eventTone(event('health_status', {health_status: 'healthy'})), 'good');
	});
});
