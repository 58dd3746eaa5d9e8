import {createHash} from 'node:crypto';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {
	EndpointError, PODMAN_SOCKET_SOURCE, contextDirectoryName, podmanSocketCandidates, readTextFileIfExists, resolveEngineEndpoint,
} from '../../source/engine/endpoint.js';
import type {EndpointInput} from '../../source/engine/endpoint.js';

const HOME = '/home/me';

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** A file system of a few files, with docker's own layout for contexts. */
class FakeFiles {
	readonly files = new Map<string, string>();
	readonly reads: string[] = [];

	constructor(readonly configDir = `${HOME}/.docker`) {}

	readonly readFile = (path: string): string | undefined => {
		this.reads.push(path);
		return this.files.get(path);
	};

	currentContext(name: string): this {
		this.files.set(`${this.configDir}/config.json`, JSON.stringify({auths: {}, currentContext: name}));
		return this;
	}

	context(name: string, docker: Record<string, unknown>, tls?: {ca?: string; cert?: string; key?: string}): this {
		const hash = sha256(name);
		this.files.set(`${this.configDir}/contexts/meta/${hash}/meta.json`, JSON.stringify({Name: name, Metadata: {}, Endpoints: {docker}}));
		for (const [file, text] of Object.entries(tls ?? {})) {
			this.files.set(`${this.configDir}/contexts/tls/${hash}/docker/${file}.pem`, text);
		}

		return this;
	}
}

function resolve(input: Partial<EndpointInput> & {files?: FakeFiles}) {
	const files = input.files ?? new FakeFiles();
	return resolveEngineEndpoint({env: {}, homeDir: HOME, socketExists: () => false, ...input, readFile: files.readFile});
}

describe('precedence', () => {
	const files = new FakeFiles()
		.currentContext('saved')
		.context('saved', {Host: 'unix:///run/saved.sock'})
		.context('fromenv', {Host: 'unix:///run/fromenv.sock'})
		.context('fromflag', {Host: 'unix:///run/fromflag.sock'});

	test('nothing set: the default socket', () => {
		assert.deepEqual(resolve({}), {
			url: 'unix:///var/run/docker.sock', source: 'default', kind: 'unix', local: true, socketPath: '/var/run/docker.sock',
		});
	});

	test('currentContext in config.json is used when nothing else is set', () => {
		const endpoint = resolve({files});
		assert.equal(endpoint.url, 'unix:///run/saved.sock');
		assert.equal(endpoint.source, 'context saved');
	});

	test('DOCKER_CONTEXT beats currentContext', () => {
		const endpoint = resolve({files, env: {DOCKER_CONTEXT: 'fromenv'}});
		assert.equal(endpoint.url, 'unix:///run/fromenv.sock');
		assert.equal(endpoint.source, 'context fromenv');
	});

	test('DOCKER_HOST beats DOCKER_CONTEXT and currentContext', () => {
		const endpoint = resolve({files, env: {DOCKER_CONTEXT: 'fromenv', DOCKER_HOST: 'unix:///run/env-host.sock'}});
		assert.equal(endpoint.url, 'unix:///run/env-host.sock');
		assert.equal(endpoint.source, 'DOCKER_HOST');
	});

	test('--context beats DOCKER_HOST, as in the docker CLI', () => {
		const endpoint = resolve({files, contextFlag: 'fromflag', env: {DOCKER_CONTEXT: 'fromenv', DOCKER_HOST: 'unix:///run/env-host.sock'}});
		assert.equal(endpoint.url, 'unix:///run/fromflag.sock');
		assert.equal(endpoint.source, 'context fromflag');
	});

	test('--host beats everything else', () => {
		const endpoint = resolve({files, hostFlag: 'unix:///run/flag.sock', env: {DOCKER_CONTEXT: 'fromenv', DOCKER_HOST: 'unix:///run/env-host.sock'}});
		assert.equal(endpoint.url, 'unix:///run/flag.sock');
		assert.equal(endpoint.source, '--host');
	});

	test('--host and --context together are refused, as in the docker CLI', () => {
		assert.throws(() => resolve({files, hostFlag: 'unix:///a.sock', contextFlag: 'fromflag'}), EndpointError);
	});

	test('empty values count as unset', () => {
		const endpoint = resolve({files, hostFlag: '', contextFlag: ' ', env: {DOCKER_HOST: '', DOCKER_CONTEXT: ''}});
		assert.equal(endpoint.source, 'context saved');
	});

	test('the context "default" means the default socket, without reading any context', () => {
		const reads = new FakeFiles().currentContext('default');
		const endpoint = resolve({files: reads});
		assert.equal(endpoint.url, 'unix:///var/run/docker.sock');
		assert.equal(endpoint.source, 'context default');
		assert.ok(reads.reads.every(path => !path.includes('/contexts/')));
		assert.equal(resolve({files, env: {DOCKER_CONTEXT: 'default'}}).url, 'unix:///var/run/docker.sock');
	});

	test('--context default still honours DOCKER_HOST, as the docker CLI does', () => {
		const endpoint = resolve({files, contextFlag: 'default', env: {DOCKER_HOST: 'unix:///run/env-host.sock'}});
		assert.equal(endpoint.url, 'unix:///run/env-host.sock');
		assert.equal(endpoint.source, 'DOCKER_HOST');
	});

	test('DOCKER_CONFIG moves config.json and the contexts', () => {
		const moved = new FakeFiles('/etc/dockercfg').currentContext('moved').context('moved', {Host: 'ssh://ops@build-box'});
		const endpoint = resolve({files: moved, env: {DOCKER_CONFIG: '/etc/dockercfg'}});
		assert.equal(endpoint.url, 'ssh://ops@build-box');
		assert.equal(resolve({files: moved}).source, 'default');
	});
});

describe('contexts', () => {
	test('are found under the sha256 of their name', () => {
		assert.equal(contextDirectoryName('foo'), '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae');
		const files = new FakeFiles().context('prod', {Host: 'tcp://10.0.0.5:2375', SkipTLSVerify: false});
		resolve({files, contextFlag: 'prod'});
		assert.ok(files.reads.includes(`${HOME}/.docker/contexts/meta/${sha256('prod')}/meta.json`));
	});

	test('a plain tcp context without TLS material uses no TLS', () => {
		const files = new FakeFiles().context('prod', {Host: 'tcp://10.0.0.5:2375', SkipTLSVerify: false});
		assert.deepEqual(resolve({files, contextFlag: 'prod'}), {
			url: 'tcp://10.0.0.5:2375', source: 'context prod', kind: 'tcp', local: false, host: '10.0.0.5', port: 2375,
		});
	});

	test('TLS material of the context is read from contexts/tls/<hash>/docker', () => {
		const files = new FakeFiles().context('secure', {Host: 'tcp://engine.example:2376', SkipTLSVerify: false}, {ca: 'CA', cert: 'CERT', key: 'KEY'});
		const endpoint = resolve({files, contextFlag: 'secure', env: {DOCKER_CERT_PATH: '/elsewhere'}});
		assert.deepEqual(endpoint.tls, {ca: 'CA', cert: 'CERT', key: 'KEY', verify: true});
		assert.ok(files.reads.includes(`${HOME}/.docker/contexts/tls/${sha256('secure')}/docker/ca.pem`));
		assert.ok(!files.reads.some(path => path.startsWith('/elsewhere')));
	});

	test('SkipTLSVerify turns TLS on without verification', () => {
		const files = new FakeFiles().context('lab', {Host: 'tcp://lab:2375', SkipTLSVerify: true});
		assert.deepEqual(resolve({files, contextFlag: 'lab'}).tls, {verify: false});
	});

	test('an ssh context', () => {
		const files = new FakeFiles().context('remote', {Host: 'ssh://deploy@build.example:2222'});
		assert.deepEqual(resolve({files, contextFlag: 'remote'}), {
			url: 'ssh://deploy@build.example:2222', source: 'context remote', kind: 'ssh', local: false,
			host: 'build.example', port: 2222, username: 'deploy',
		});
	});

	test('an unknown context is an EndpointError naming it', () => {
		assert.throws(() => resolve({contextFlag: 'nope'}), (error: unknown) =>
			error instanceof EndpointError && error.message.includes('"nope"') && error.message.includes('does not exist'));
		const files = new FakeFiles().currentContext('gone');
		assert.throws(() => resolve({files}), /context "gone" does not exist/);
	});

	test('a context without a docker endpoint is an EndpointError', () => {
		const files = new FakeFiles();
		files.files.set(`${HOME}/.docker/contexts/meta/${sha256('k8s')}/meta.json`, JSON.stringify({Name: 'k8s', Endpoints: {kubernetes: {}}}));
		assert.throws(() => resolve({files, contextFlag: 'k8s'}), /context "k8s" has no Docker endpoint/);
	});

	test('a context with a malformed host is an EndpointError naming the context', () => {
		const files = new FakeFiles().context('bad', {Host: 'gopher://x'});
		assert.throws(() => resolve({files, contextFlag: 'bad'}), /Docker context "bad" has the host "gopher:\/\/x"/);
	});

	test('malformed JSON is an EndpointError naming the file', () => {
		const files = new FakeFiles();
		files.files.set(`${HOME}/.docker/config.json`, '{not json');
		assert.throws(() => resolve({files}), (error: unknown) =>
			error instanceof EndpointError && error.message.includes(`${HOME}/.docker/config.json`));
		const meta = new FakeFiles();
		meta.files.set(`${HOME}/.docker/contexts/meta/${sha256('x')}/meta.json`, '[]');
		assert.throws(() => resolve({files: meta, contextFlag: 'x'}), EndpointError);
	});

	test('config.json without currentContext means the default socket', () => {
		const files = new FakeFiles();
		files.files.set(`${HOME}/.docker/config.json`, JSON.stringify({auths: {}}));
		assert.equal(resolve({files}).source, 'default');
	});

	test('a failing readFile becomes an EndpointError', () => {
		assert.throws(() => resolveEngineEndpoint({
			env: {}, homeDir: HOME, readFile() {
				throw new Error('EACCES: permission denied');
			},
		}), (error: unknown) => error instanceof EndpointError && error.message.includes('config.json'));
	});
});

describe('host strings', () => {
	test('unix sockets are local; an empty path means the default socket', () => {
		assert.deepEqual(resolve({hostFlag: 'unix:///tmp/x/docker.sock'}), {
			url: 'unix:///tmp/x/docker.sock', source: '--host', kind: 'unix', local: true, socketPath: '/tmp/x/docker.sock',
		});
		assert.equal(resolve({hostFlag: 'unix://'}).socketPath, '/var/run/docker.sock');
	});

	test('tcp without TLS', () => {
		assert.deepEqual(resolve({env: {DOCKER_HOST: 'tcp://192.168.1.20:2375'}}), {
			url: 'tcp://192.168.1.20:2375', source: 'DOCKER_HOST', kind: 'tcp', local: false, host: '192.168.1.20', port: 2375,
		});
	});

	test('a bare host:port means tcp, a missing port 2375', () => {
		const endpoint = resolve({hostFlag: 'engine.local:4243'});
		assert.equal(endpoint.kind, 'tcp');
		assert.equal(endpoint.url, 'tcp://engine.local:4243');
		assert.equal(resolve({hostFlag: 'tcp://engine.local'}).port, 2375);
	});

	test('IPv6 tcp hosts', () => {
		const endpoint = resolve({hostFlag: 'tcp://[::1]:2375'});
		assert.equal(endpoint.host, '::1');
		assert.equal(endpoint.url, 'tcp://[::1]:2375');
	});

	test('DOCKER_TLS_VERIFY=1 turns on verified TLS with certs from DOCKER_CERT_PATH', () => {
		const files = new FakeFiles();
		files.files.set('/certs/ca.pem', 'CA');
		files.files.set('/certs/cert.pem', 'CERT');
		files.files.set('/certs/key.pem', 'KEY');
		const endpoint = resolve({files, env: {DOCKER_HOST: 'tcp://engine:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs'}});
		assert.deepEqual(endpoint.tls, {ca: 'CA', cert: 'CERT', key: 'KEY', verify: true});
		assert.equal(resolve({files, env: {DOCKER_HOST: 'tcp://engine', DOCKER_TLS_VERIFY: '1'}}).port, 2376);
	});

	test('certs default to ~/.docker', () => {
		const files = new FakeFiles();
		files.files.set(`${HOME}/.docker/ca.pem`, 'HOME-CA');
		const endpoint = resolve({files, hostFlag: 'tcp://engine:2375', env: {DOCKER_TLS_VERIFY: '1'}});
		assert.deepEqual(endpoint.tls, {ca: 'HOME-CA', verify: true});
	});

	test('port 2376 means TLS even without DOCKER_TLS_VERIFY, unverified', () => {
		assert.deepEqual(resolve({hostFlag: 'tcp://engine:2376'}).tls, {verify: false});
		assert.equal(resolve({hostFlag: 'tcp://engine:2376', env: {DOCKER_TLS_VERIFY: '0'}}).tls?.verify, false);
		assert.equal(resolve({hostFlag: 'tcp://engine:2375', env: {DOCKER_TLS_VERIFY: ''}}).tls, undefined);
	});

	test('ssh with user and port, and without either', () => {
		assert.deepEqual(resolve({hostFlag: 'ssh://me@box.example:2200'}), {
			url: 'ssh://me@box.example:2200', source: '--host', kind: 'ssh', local: false, host: 'box.example', port: 2200, username: 'me',
		});
		assert.deepEqual(resolve({env: {DOCKER_HOST: 'ssh://box.example'}}), {
			url: 'ssh://box.example', source: 'DOCKER_HOST', kind: 'ssh', local: false, host: 'box.example',
		});
	});

	test('ssh takes a port only from the address, so the ssh config\'s Port or ProxyJump for the host applies otherwise', () => {
		assert.equal(resolve({hostFlag: 'ssh://alias'}).port, undefined);
		assert.equal(resolve({hostFlag: 'ssh://me@alias'}).port, undefined);
		assert.equal(resolve({hostFlag: 'ssh://alias:22'}).port, 22);
		assert.equal(resolve({hostFlag: 'ssh://alias:22'}).url, 'ssh://alias:22');
	});

	test('npipe', () => {
		const endpoint = resolve({hostFlag: 'npipe:////./pipe/docker_engine'});
		assert.equal(endpoint.kind, 'npipe');
		assert.equal(endpoint.socketPath, '//./pipe/docker_engine');
		assert.equal(endpoint.local, false);
	});

	for (const [value, fragment] of [
		['gopher://engine', 'not supported'],
		['tcp://', 'names no host'],
		['tcp://engine:99999', 'not a valid engine address'],
		['tcp://engine:port', 'not a valid engine address'],
		['ssh://me@', 'not a valid engine address'],
		['tcp://me@engine:2375', 'no user name'],
	] as const) {
		test(`"${value}" is an EndpointError that names the flag and the value`, () => {
			assert.throws(() => resolve({hostFlag: value}), (error: unknown) =>
				error instanceof EndpointError
				&& error.message.startsWith(`--host "${value}"`)
				&& error.message.includes(fragment)
				&& error.message.endsWith('.'));
		});
	}

	test('a malformed DOCKER_HOST names DOCKER_HOST', () => {
		assert.throws(() => resolve({env: {DOCKER_HOST: 'tcp://:x'}}), /^EndpointError: DOCKER_HOST "tcp:\/\/:x"/);
	});
});

describe('readTextFileIfExists', () => {
	test('reads a file and returns undefined for a missing one', () => {
		const dir = mkdtempSync(join(tmpdir(), 'docknet-endpoint-'));
		try {
			writeFileSync(join(dir, 'config.json'), '{"currentContext":"x"}');
			mkdirSync(join(dir, 'sub'));
			assert.equal(readTextFileIfExists(join(dir, 'config.json')), '{"currentContext":"x"}');
			assert.equal(readTextFileIfExists(join(dir, 'missing.json')), undefined);
			assert.equal(readTextFileIfExists(join(dir, 'config.json', 'below-a-file')), undefined);
			assert.throws(() => readTextFileIfExists(join(dir, 'sub')));
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('is the default reader of resolveEngineEndpoint', () => {
		const dir = mkdtempSync(join(tmpdir(), 'docknet-endpoint-'));
		try {
			const hash = contextDirectoryName('disk');
			mkdirSync(join(dir, 'contexts', 'meta', hash), {recursive: true});
			writeFileSync(join(dir, 'config.json'), JSON.stringify({currentContext: 'disk'}));
			writeFileSync(join(dir, 'contexts', 'meta', hash, 'meta.json'), JSON.stringify({Endpoints: {docker: {Host: 'unix:///run/disk.sock'}}}));
			const endpoint = resolveEngineEndpoint({env: {DOCKER_CONFIG: dir}, homeDir: '/nonexistent'});
			assert.equal(endpoint.url, 'unix:///run/disk.sock');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe('no Docker socket, a Podman socket', () => {
	const sockets = (...paths: string[]) => (path: string) => paths.includes(path);

	test("root: the machine's Podman socket is used, and the source says why", () => {
		const endpoint = resolve({uid: 0, socketExists: sockets('/run/podman/podman.sock')});
		assert.equal(endpoint.url, 'unix:///run/podman/podman.sock');
		assert.equal(endpoint.source, PODMAN_SOCKET_SOURCE);
		assert.equal(endpoint.local, true);
	});

	test("a user: their own rootless Podman comes before the machine's", () => {
		const own = '/run/user/1000/podman/podman.sock';
		const endpoint = resolve({uid: 1000, env: {XDG_RUNTIME_DIR: '/run/user/1000'}, socketExists: sockets(own, '/run/podman/podman.sock')});
		assert.equal(endpoint.url, `unix://${own}`);
		assert.deepEqual(podmanSocketCandidates({}, 1000), [own, '/run/podman/podman.sock']);
	});

	test('a Docker socket, or any engine chosen, wins over Podman', () => {
		const both = sockets('/var/run/docker.sock', '/run/podman/podman.sock');
		assert.equal(resolve({uid: 0, socketExists: both}).url, 'unix:///var/run/docker.sock');
		assert.equal(resolve({uid: 0, socketExists: sockets('/run/podman/podman.sock'), env: {DOCKER_HOST: 'tcp://h:2375'}}).source, 'DOCKER_HOST');
		assert.equal(resolve({uid: 0, socketExists: sockets('/run/podman/podman.sock'), env: {DOCKER_CONTEXT: 'default'}}).url, 'unix:///var/run/docker.sock');
	});

	test('neither: the Docker socket, so the start-up message names it', () => {
		assert.equal(resolve({uid: 0}).url, 'unix:///var/run/docker.sock');
	});
});
