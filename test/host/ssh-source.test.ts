import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import * as fs from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {HostSourceError} from '../../source/model/host-source.js';
import {parseProcNetDev} from '../../source/host/ip-json.js';
import {COUNTER_STREAM_SCRIPT} from '../../source/host/ssh-counter-stream.js';
import {
	LIST_SCRIPT,
	SCAN_SCRIPT,
	createSshSource,
	parseRemoteScan,
} from '../../source/host/ssh-source.js';
import {prepareControlDirectory} from '../../source/ssh/control-directory.js';
import {describeSshFailure} from '../../source/ssh/failure.js';
import {parsePeerReport, peerScript} from '../../source/host/ssh-peer-script.js';
import {fakeContainer} from './fake-host-tree.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const target = {host: 'engine.example', port: 2200, username: 'me'};

function sh(script: string, input?: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = execFile('sh', ['-c', script], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)));
		child.stdin?.on('error', () => undefined);
		child.stdin?.end(input ?? '');
	});
}

describe('remote scripts', () => {
	test('the scripts are valid POSIX sh and read this machine as a remote would', async () => {
		const names = (await fs.readdir('/sys/class/net')).sort();
		assert.deepEqual((await sh(LIST_SCRIPT)).trim().split('\n').sort(), names);
		const scanned = parseRemoteScan(await sh(SCAN_SCRIPT));
		assert.deepEqual(scanned.map((item) => item.name).sort(), names);
		assert.equal(scanned.find((item) => item.name === 'lo')?.kind, 'loopback');

		const report = await sh(peerScript([999_999_999, process.pid]));
		const lines = report.trim().split('\n');
		assert.ok(lines.includes('gone 999999999'), report);
		// Our own process: its sysfs is the host's, every interface listed except lo.
		const own = lines.filter((line) => line.startsWith(`if ${process.pid} `)).map((line) => line.split(' ')[2]);
		assert.deepEqual(own.sort(), names.filter((name) => name !== 'lo'));
		const eth = lines.find((line) => line.startsWith('host ') && !line.startsWith('host lo '));
		// The counter stream: one reading of /proc/net/dev per line it is given.
		const frames = (await sh(COUNTER_STREAM_SCRIPT, 'x\ny\n')).split('@@end\n');
		assert.equal(frames.length, 3);
		assert.ok(parseProcNetDev(frames[0] ?? '').has('lo'));
		assert.match(eth ?? '', /^host \S+ \d+ \d+( \S+)?$/);
	});
});

describe('ssh failures become sentences', () => {
	const cases: Array<[string, {exitCode: number | null; stderr: string; spawnError?: string; timedOut?: boolean}, RegExp, RegExp | undefined]> = [
		['unknown host key', {exitCode: 255, stderr: 'Host key verification failed.\r\n'}, /does not know the host key of engine\.example/, /ssh -p 2200 me@engine\.example/],
		['changed host key', {exitCode: 255, stderr: '@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n'}, /has changed/, /ssh-keygen -R '\[engine\.example\]:2200'/],
		['no usable key', {exitCode: 255, stderr: 'me@engine.example: Permission denied (publickey,password).\r\n'}, /refused the login/, /ssh-agent/],
		['unknown host', {exitCode: 255, stderr: 'ssh: Could not resolve hostname engine.example: Name or service not known\r\n'}, /cannot resolve/, undefined],
		['refused', {exitCode: 255, stderr: 'ssh: connect to host engine.example port 2200: Connection refused\r\n'}, /nothing accepts ssh connections on engine\.example port 2200/, undefined],
		['connect timeout', {exitCode: 255, stderr: 'ssh: connect to host engine.example port 2200: Connection timed out\r\n'}, /timed out/, /reachable/],
		['killed by our timeout', {exitCode: null, stderr: '', timedOut: true}, /did not answer in time/, /reachable/],
		['no ssh program', {exitCode: null, stderr: '', spawnError: 'ENOENT'}, /ssh program was not found/, /OpenSSH client/],
		['no ip remotely', {exitCode: 127, stderr: 'sh: 1: ip: not found\n'}, /has no "ip" command/, /iproute2/],
		['old ip', {exitCode: 255 - 1, stderr: 'Option "-j" is unknown, try "ip -help".\n'}, /too old/, /4\.14/],
		['anything else', {exitCode: 1, stderr: 'first\nsomething odd\n'}, /failed: something odd$/, undefined],
		['silent failure', {exitCode: 3, stderr: ''}, /failed with exit code 3/, undefined],
	];
	test('host key hints name the port only when the address does, as known_hosts and ssh do', () => {
		const unknown = {exitCode: 255, stderr: 'Host key verification failed.\r\n'};
		const changed = {exitCode: 255, stderr: '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n'};
		assert.match(describeSshFailure({host: 'alias'}, unknown).hint ?? '', /run "ssh alias" once/);
		assert.match(describeSshFailure({host: 'alias'}, changed).hint ?? '', /ssh-keygen -R alias\)/);
		assert.match(describeSshFailure({host: 'alias', port: 22}, unknown).hint ?? '', /run "ssh -p 22 alias" once/);
		assert.match(describeSshFailure({host: 'alias', port: 22}, changed).hint ?? '', /ssh-keygen -R alias\)/);
	});

	for (const [label, failure, reason, hint] of cases) {
		test(label, () => {
			const described = describeSshFailure(target, failure);
			assert.match(described.reason, reason);
			if (hint) assert.match(described.hint ?? '', hint);
			else assert.equal(described.hint, undefined);
		});
	}
});

describe('parsing remote output', () => {
	test('scan: ip JSON, then the wifi interfaces found by DEVTYPE', async () => {
		const json = await fs.readFile(path.join(fixtures, 'ip-addr-machine.json'), 'utf8');
		const interfaces = parseRemoteScan(`${json}\n@@wlan\n/sys/class/net/eth0/uevent\n`);
		assert.deepEqual(
			interfaces.map((item) => `${item.name}:${item.kind}`),
			['lo:loopback', 'ifb0:other', 'ifb1:other', 'eth0:wifi'],
		);
		assert.equal(parseRemoteScan(`${json}\n@@wlan\n`).find((item) => item.name === 'eth0')?.kind, 'ethernet');
		assert.equal(parseRemoteScan(json).length, 4, 'no marker at all (truncated) still parses');
		assert.ok((interfaces.find((item) => item.name === 'eth0')?.stats.rxBytes ?? 0) > 0);
	});

	const web = fakeContainer({id: 'a'.repeat(64), name: 'web', pid: 300}, [{networkId: 'n1', networkName: 'bridge', mac: '02:42:ac:11:00:02'}]);
	const db = fakeContainer({id: 'b'.repeat(64), name: 'db', pid: 301}, [
		{networkId: 'n1', networkName: 'bridge', mac: '02:42:ac:11:00:03'},
		{networkId: 'n2', networkName: 'backend', mac: '02:42:ac:12:00:02'},
	]);

	test('peers: joined from the container side, confirmed by the host side', () => {
		const report = [
			'if 300 eth0 7 8 02:42:ac:11:00:02',
			'if 301 eth0 9 10 02:42:ac:11:00:03',
			'if 301 eth1 11 12 02:42:ac:12:00:02',
			// A macvlan child: its parent's iflink does not point back.
			'if 301 eth2 13 2 02:42:0a:00:00:05',
			'if 301 eth3   ',
			'gone 302',
			'host eth0 2 2',
			'host docker0 3 3',
			'host veth1 8 7',
			'host veth2 10 9',
			'host veth3 12 11',
			'',
		].join('\n');
		const scan = parsePeerReport(report, [web, db], target);
		assert.equal(scan.status, 'ok');
		assert.deepEqual(
			scan.status === 'ok' ? scan.peers.map((peer) => `${peer.hostIfindex}→${peer.containerName}/${peer.containerInterface}@${peer.networkName}`) : [],
			['8→web/eth0@bridge', '10→db/eth0@bridge', '12→db/eth1@backend'],
		);
	});

	test('peers: a denial means the ssh user is not allowed', () => {
		const scan = parsePeerReport('denied 300\nhost lo 1 1\n', [web], target);
		assert.equal(scan.status, 'unavailable');
		assert.match(scan.status === 'unavailable' ? scan.reason : '', /ssh user on engine\.example may not look inside containers/);
		assert.match(scan.status === 'unavailable' ? (scan.hint ?? '') : '', /root/);
		const asRoot = parsePeerReport('denied 300\n', [web], {...target, username: 'root'});
		assert.deepEqual(asRoot, {status: 'unavailable', reason: "engine.example refused root access to the containers' /proc/<pid>/root"});
	});
});

describe('ssh source through a stand-in ssh binary', () => {
	let directory: string;
	let logFile: string;
	let localSsh: string;
	before(async () => {
		directory = await fs.mkdtemp(path.join(tmpdir(), 'docknet-ssh-test-'));
		logFile = path.join(directory, 'calls.log');
		// Records its arguments and runs the remote command here, as the remote host would.
		localSsh = path.join(directory, 'ssh');
		await fs.writeFile(
			localSsh,
			`#!/bin/sh\nprintf '%s\\n' "$*" >> '${logFile}'\nfor a; do last=$a; done\ncase " $* " in *" -O exit "*) exit 0;; esac\nexec sh -c "$last"\n`,
			{mode: 0o755},
		);
	});
	after(() => fs.rm(directory, {recursive: true, force: true}));

	test('scan, names, counters and peers in one ssh run each', async () => {
		await fs.rm(logFile, {force: true});
		const controlDirectory = path.join(directory, 'control');
		const source = createSshSource(target, {sshBinary: localSsh, controlDirectory});
		assert.equal(source.origin, 'ssh -p 2200 me@engine.example');
		const names = (await fs.readdir('/sys/class/net')).sort();
		assert.deepEqual(await source.listNames(), names);
		assert.deepEqual((await source.scan()).map((item) => item.name).sort(), names);
		const stats = await source.readStats(['lo', 'nosuch0']);
		assert.deepEqual([...stats.keys()], ['lo']);
		// Counters again and again: the same ssh run answers each (one open stream).
		const later = await source.readStats(['lo']);
		await source.readStats(['lo']);
		assert.ok((later.get('lo')?.rxBytes ?? -1) >= (stats.get('lo')?.rxBytes ?? 0));
		// This test process as a "container": its interfaces are the host's own, none a veth peer.
		const self = fakeContainer({id: 'c'.repeat(64), pid: process.pid});
		assert.deepEqual(await source.findVethPeers([self]), {status: 'ok', peers: []});
		assert.deepEqual(await source.findVethPeers([fakeContainer({id: 'd'.repeat(64), pid: 0})]), {status: 'ok', peers: []});

		const calls = (await fs.readFile(logFile, 'utf8')).trim().split('\n');
		assert.equal(calls.length, 4, 'one ssh run per call, one for all the counter reads; nothing spawned when no container has a pid');
		for (const call of calls) {
			// The counter stream reads its requests from stdin: no -n for it alone.
			const stdin = call.includes('while read -r _');
			assert.ok(
				call.startsWith(
					`${stdin ? '' : '-n '}-T -o BatchMode=yes -o ConnectTimeout=8 -o ControlMaster=auto -o ControlPath=${controlDirectory}/%C -o ControlPersist=60 -p 2200 -l me -- engine.example sh -c '`,
				),
				call,
			);
		}

		assert.equal(calls.filter((call) => call.includes('while read -r _')).length, 1);
		assert.equal((await fs.stat(controlDirectory)).mode & 0o777, 0o700);
		await source.close?.();
		const closing = (await fs.readFile(logFile, 'utf8')).trim().split('\n').pop();
		assert.equal(closing, `-o ControlPath=${controlDirectory}/%C -O exit -p 2200 -l me -- engine.example`);
		await source.close?.();
		assert.equal((await fs.readFile(logFile, 'utf8')).trim().split('\n').length, 5, 'closing twice ends the master once');
		await assert.rejects(source.readStats(['lo']), HostSourceError, 'a closed source reads nothing');
	});

	test('a control directory others could write to, or a too long one, turns multiplexing off', async () => {
		assert.equal(await prepareControlDirectory(path.join(directory, 'x'.repeat(80))), undefined);
		const open = path.join(directory, 'open');
		await fs.mkdir(open, {mode: 0o777});
		await fs.chmod(open, 0o777);
		assert.equal(await prepareControlDirectory(open), undefined);
		const symlinked = path.join(directory, 'link');
		await fs.mkdir(path.join(directory, 'private'), {mode: 0o700});
		await fs.symlink(path.join(directory, 'private'), symlinked);
		assert.equal(await prepareControlDirectory(symlinked), undefined);
		assert.equal(await prepareControlDirectory(path.join(directory, 'private')), path.join(directory, 'private'), 'reused when safe');

		await fs.rm(logFile, {force: true});
		const source = createSshSource({host: 'h'}, {sshBinary: localSsh, controlDirectory: open});
		await source.listNames();
		assert.doesNotMatch(await fs.readFile(logFile, 'utf8'), /Control/);
		await source.close?.();
	});

	test('without multiplexing no control options are passed', async () => {
		await fs.rm(logFile, {force: true});
		const source = createSshSource({host: 'h'}, {sshBinary: localSsh, multiplex: false, timeoutMs: 3000});
		await source.listNames();
		await source.close?.();
		assert.equal((await fs.readFile(logFile, 'utf8')).trim(), `-n -T -o BatchMode=yes -o ConnectTimeout=2 -- h sh -c '${LIST_SCRIPT}'`);
	});

	test('a failing ssh rejects scans with the reason and reports peers unavailable', async () => {
		const failing = path.join(directory, 'ssh-hostkey');
		await fs.writeFile(failing, '#!/bin/sh\necho "Host key verification failed." >&2\nexit 255\n', {mode: 0o755});
		const source = createSshSource(target, {sshBinary: failing, multiplex: false});
		await assert.rejects(source.scan(), (error: unknown) => {
			assert.ok(error instanceof HostSourceError);
			assert.match(error.reason, /host key/);
			assert.match(error.hint ?? '', /accept the key/);
			return true;
		});
		await assert.rejects(source.readStats(['lo']), HostSourceError);
		const peers = await source.findVethPeers([fakeContainer({id: 'e'.repeat(64), pid: 1234})]);
		assert.equal(peers.status, 'unavailable');
		assert.match(peers.status === 'unavailable' ? peers.reason : '', /host key/);
	});

	test('a missing ssh binary and a hanging one are reported, not thrown raw', async () => {
		const missing = createSshSource(target, {sshBinary: path.join(directory, 'no-such-ssh'), multiplex: false});
		await assert.rejects(missing.listNames(), /ssh program was not found/);

		const hanging = path.join(directory, 'ssh-hang');
		await fs.writeFile(hanging, '#!/bin/sh\nexec sleep 30\n', {mode: 0o755});
		const slow = createSshSource(target, {sshBinary: hanging, multiplex: false, timeoutMs: 300});
		const started = Date.now();
		await assert.rejects(slow.listNames(), /did not answer in time/);
		assert.ok(Date.now() - started < 5000);
	});

	test('ip output that is not JSON is a HostSourceError', async () => {
		const oldIp = path.join(directory, 'ssh-old-ip');
		await fs.writeFile(oldIp, '#!/bin/sh\necho "not json"\necho @@wlan\n', {mode: 0o755});
		const source = createSshSource(target, {sshBinary: oldIp, multiplex: false});
		await assert.rejects(source.scan(), /printed no usable JSON/);
	});
});
