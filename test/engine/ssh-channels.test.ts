import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {isRefusedSession, SessionBudget} from '../../source/engine/ssh-channels.js';

// The session budget of docknet's one ssh connection. Against a real sshd that refuses
// sessions: ssh-sessions.engine.test.ts.

const refusal = new Error('ssh root@host failed: mux_client_request_session: session request failed: Session open refused by peer');

describe('the ssh session budget', () => {
	test('never grants more sessions than its limit; a released one goes to the first waiting', async () => {
		const budget = new SessionBudget(2, () => false);
		await budget.take();
		await budget.take();
		const order: string[] = [];
		const third = budget.take().then(() => order.push('third'));
		const fourth = budget.take().then(() => order.push('fourth'));
		await new Promise(resolve => setImmediate(resolve));
		assert.deepEqual(order, []);
		budget.release();
		await third;
		assert.deepEqual(order, ['third']);
		budget.release();
		await fourth;
		assert.deepEqual(order, ['third', 'fourth']);
	});

	test('a waiting session asks for an idle one to be given up', async () => {
		let reclaimed = 0;
		const budget = new SessionBudget(1, () => {
			reclaimed += 1;
			return true;
		});
		await budget.take();
		const waiting = budget.take();
		assert.equal(reclaimed, 1);
		budget.release();
		await waiting;
	});

	test('a session sshd refused lowers the limit to what was open; the work runs again once one of those ends', async () => {
		const budget = new SessionBudget(8, () => false);
		await budget.take();
		await budget.take();
		let runs = 0;
		const result = budget.within(async () => {
			runs += 1;
			if (runs === 1) throw refusal;
			return 'done';
		});
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(runs, 1);
		assert.equal(budget.sessionLimit, 2);
		budget.release();
		assert.equal(await result, 'done');
		assert.equal(runs, 2);
	});

	test('any other failure is the caller\'s, and at one session a refusal is too', async () => {
		const budget = new SessionBudget(1, () => false);
		await assert.rejects(budget.within(async () => {
			throw new Error('Permission denied (publickey)');
		}), /Permission denied/);
		await assert.rejects(budget.within(async () => {
			throw refusal;
		}), /refused by peer/);
		// Both released their session.
		await budget.take();
	});

	test('the transport may know a refusal by more than its words (a host read reports only its last line)', async () => {
		const budget = new SessionBudget(4, () => false, error => error instanceof Error && error.message.endsWith('port 65535'));
		let runs = 0;
		const result = await budget.within(async () => {
			runs += 1;
			if (runs === 1) throw new Error('ssh root@host failed: Connection closed by UNKNOWN port 65535');
			return 'read';
		});
		assert.equal(result, 'read');
		assert.equal(runs, 2);
	});

	test('once closed, whoever waits is told so and nobody gets a session', async () => {
		const budget = new SessionBudget(1, () => false);
		await budget.take();
		const waiting = budget.take();
		budget.close(new Error('the ssh connection was closed'));
		await assert.rejects(waiting, /was closed/);
		await assert.rejects(budget.take(), /was closed/);
	});

	test('refusals are told from other ssh failures by what OpenSSH prints', () => {
		assert.ok(isRefusedSession('channel 2: open failed: administratively prohibited: open failed'));
		assert.ok(isRefusedSession(refusal.message));
		assert.ok(!isRefusedSession('Connection closed by 127.0.0.1 port 2222'));
		assert.ok(!isRefusedSession('Host key verification failed.'));
	});
});
