import {createHash} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {safeText} from '../text/safe-text.js';
import {checkSshAddressText, sshChecked, sshUserAndHost} from './ssh-address.js';
import {isRecord} from '../text/json-read.js';

// Chooses the engine the way the docker CLI does, so `docknet` talks to the same engine as
// `docker` in the same shell. docker-modem only understands DOCKER_HOST; contexts and the
// --context flag are resolved here.

export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';
/** Where rootful Podman serves the Docker API (podman.socket). */
export const PODMAN_ROOT_SOCKET_PATH = '/run/podman/podman.sock';
export const PODMAN_SOCKET_SOURCE = 'Podman socket, no /var/run/docker.sock';
const DEFAULT_NPIPE_PATH = '//./pipe/docker_engine';

export type EndpointKind = 'unix' | 'tcp' | 'ssh' | 'npipe';

export interface EndpointTls {
	/** PEM text, not a path. */
	ca?: string;
	cert?: string;
	key?: string;
	/** Whether the engine's certificate is checked. */
	verify: boolean;
}

export interface ResolvedEndpoint {
	url: string;
	/** How it was chosen: "--host", "DOCKER_HOST", "context prod", "default". */
	source: string;
	kind: EndpointKind;
	/** A unix socket on this machine: the engine's host interfaces are this machine's. */
	local: boolean;
	socketPath?: string;
	host?: string;
	/** For ssh://, only when the address names one. */
	port?: number;
	username?: string;
	tls?: EndpointTls;
}

export class EndpointError extends Error {
	constructor(message: string, options?: {cause?: unknown}) {
		super(message, options);
		this.name = 'EndpointError';
	}
}

export interface EndpointInput {
	hostFlag?: string;
	contextFlag?: string;
	env: Record<string, string | undefined>;
	homeDir: string;
	/** Returns the file's text, or undefined when it does not exist. */
	readFile?: (path: string) => string | undefined;
	/** Whether a unix socket exists at the path (default: asks the file system). */
	socketExists?: (path: string) => boolean;
	/** The user's id, which decides whose Podman socket comes first (default: this process's). */
	uid?: number;
}

export function isSocket(path: string): boolean {
	try {
		return statSync(path).isSocket();
	} catch {
		return false;
	}
}

/**
 * Podman's sockets, in the order docknet tries them when there is no Docker socket: a
 * user's own rootless Podman first ($XDG_RUNTIME_DIR/podman/podman.sock), root's the
 * machine-wide one first.
 */
export function podmanSocketCandidates(env: Record<string, string | undefined>, uid: number): string[] {
	const runtimeDir = nonEmpty(env['XDG_RUNTIME_DIR']) ?? (uid > 0 ? `/run/user/${uid}` : undefined);
	const own = runtimeDir === undefined ? [] : [join(runtimeDir, 'podman', 'podman.sock')];
	return uid === 0 ? [PODMAN_ROOT_SOCKET_PATH, ...own] : [...own, PODMAN_ROOT_SOCKET_PATH];
}

export function readTextFileIfExists(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			return undefined;
		}

		throw error;
	}
}

/** The directory name docker uses for a context's metadata and TLS material. */
export function contextDirectoryName(name: string): string {
	return createHash('sha256').update(name).digest('hex');
}

export function resolveEngineEndpoint(input: EndpointInput): ResolvedEndpoint {
	const {env} = input;
	const read = guardedReader(input.readFile ?? readTextFileIfExists);
	const configDir = nonEmpty(env['DOCKER_CONFIG']) ?? join(input.homeDir, '.docker');
	const hostFlag = nonEmpty(input.hostFlag);
	const contextFlag = nonEmpty(input.contextFlag);
	const dockerHost = nonEmpty(env['DOCKER_HOST']);

	if (hostFlag !== undefined && contextFlag !== undefined) {
		throw new EndpointError('Use either --host or --context, not both.');
	}

	const fromHostString = (value: string, source: string): ResolvedEndpoint =>
		withEnvTls(parseHost(value, source, env), env, configDir, read);

	if (hostFlag !== undefined) {
		return fromHostString(hostFlag, '--host');
	}

	// The docker CLI lets an explicit --context beat DOCKER_HOST, but DOCKER_HOST beats
	// DOCKER_CONTEXT and the saved current context.
	const contextName = contextFlag
		?? (dockerHost === undefined ? nonEmpty(env['DOCKER_CONTEXT']) ?? currentContext(configDir, read) : undefined);

	if (contextName === undefined || contextName === 'default') {
		if (dockerHost !== undefined) {
			return fromHostString(dockerHost, 'DOCKER_HOST');
		}

		if (contextName === undefined) {
			// No engine chosen at all and no Docker socket: a machine that runs Podman instead
			// serves the same API on its own socket. docknet uses it and says so in the header.
			const exists = input.socketExists ?? isSocket;
			if (!exists(DEFAULT_SOCKET_PATH)) {
				const podman = podmanSocketCandidates(env, input.uid ?? process.getuid?.() ?? -1).find(path => exists(path));
				if (podman !== undefined) return {url: `unix://${podman}`, source: PODMAN_SOCKET_SOURCE, kind: 'unix', local: true, socketPath: podman};
			}
		}

		return defaultEndpoint(contextName === undefined ? 'default' : 'context default');
	}

	return fromContext(contextName, configDir, read);
}

function defaultEndpoint(source: string): ResolvedEndpoint {
	return {url: `unix://${DEFAULT_SOCKET_PATH}`, source, kind: 'unix', local: true, socketPath: DEFAULT_SOCKET_PATH};
}

function nonEmpty(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

type Reader = (path: string) => string | undefined;

function guardedReader(readFile: Reader): Reader {
	return path => {
		try {
			return readFile(path);
		} catch (error) {
			throw new EndpointError(`Could not read ${path}: ${error instanceof Error ? error.message : String(error)}.`, {cause: error});
		}
	};
}

function currentContext(configDir: string, read: Reader): string | undefined {
	const path = join(configDir, 'config.json');
	const text = read(path);
	if (text === undefined) {
		return undefined;
	}

	const config = parseJsonObject(text, path);
	const name = config['currentContext'];
	return typeof name === 'string' ? nonEmpty(name) : undefined;
}

function parseJsonObject(text: string, path: string): Record<string, unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new EndpointError(`${path} is not valid JSON.`);
	}

	if (!isRecord(parsed)) {
		throw new EndpointError(`${path} does not hold a JSON object.`);
	}

	return parsed;
}

function fromContext(name: string, configDir: string, read: Reader): ResolvedEndpoint {
	const hash = contextDirectoryName(name);
	const metaPath = join(configDir, 'contexts', 'meta', hash, 'meta.json');
	const text = read(metaPath);
	if (text === undefined) {
		throw new EndpointError(`Docker context "${name}" does not exist (no ${metaPath}); \`docker context ls\` lists the known ones.`);
	}

	const meta = parseJsonObject(text, metaPath);
	const endpoints = meta['Endpoints'];
	const docker = isRecord(endpoints) ? endpoints['docker'] : undefined;
	const host = isRecord(docker) && typeof docker['Host'] === 'string' ? nonEmpty(docker['Host']) : undefined;
	if (!isRecord(docker) || host === undefined) {
		throw new EndpointError(`Docker context "${name}" has no Docker endpoint host in ${metaPath}.`);
	}

	const source = `context ${name}`;
	const endpoint = parseHost(host, source, {});
	if (endpoint.kind !== 'tcp') {
		return endpoint;
	}

	const tlsDir = join(configDir, 'contexts', 'tls', hash, 'docker');
	const material = readTlsMaterial(tlsDir, read);
	const skipVerify = docker['SkipTLSVerify'] === true;
	const hasMaterial = material.ca !== undefined || material.cert !== undefined || material.key !== undefined;
	if (!hasMaterial && !skipVerify && endpoint.port !== 2376) {
		return endpoint;
	}

	return {...endpoint, tls: {...material, verify: !skipVerify}};
}

function readTlsMaterial(dir: string, read: Reader): Omit<EndpointTls, 'verify'> {
	const material: Omit<EndpointTls, 'verify'> = {};
	const ca = read(join(dir, 'ca.pem'));
	const cert = read(join(dir, 'cert.pem'));
	const key = read(join(dir, 'key.pem'));
	if (ca !== undefined) {
		material.ca = ca;
	}

	if (cert !== undefined) {
		material.cert = cert;
	}

	if (key !== undefined) {
		material.key = key;
	}

	return material;
}

function tlsVerifyRequested(env: Record<string, string | undefined>): boolean {
	const value = nonEmpty(env['DOCKER_TLS_VERIFY']);
	return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
}

/** TLS for a tcp:// address given by --host or DOCKER_HOST, configured by the environment. */
function withEnvTls(endpoint: ResolvedEndpoint, env: Record<string, string | undefined>, configDir: string, read: Reader): ResolvedEndpoint {
	if (endpoint.kind !== 'tcp') {
		return endpoint;
	}

	const verify = tlsVerifyRequested(env);
	if (!verify && endpoint.port !== 2376) {
		return endpoint;
	}

	const certDir = nonEmpty(env['DOCKER_CERT_PATH']) ?? configDir;
	return {...endpoint, tls: {...readTlsMaterial(certDir, read), verify}};
}

const HOST_EXAMPLES = 'unix:///var/run/docker.sock, tcp://host:2375 or ssh://user@host';

/**
 * Parses an engine address the way the docker CLI accepts it for -H / DOCKER_HOST. TLS is
 * not decided here; only the default tcp port depends on DOCKER_TLS_VERIFY.
 */
export function parseHost(value: string, source: string, env: Record<string, string | undefined>): ResolvedEndpoint {
	const raw = value.trim();
	// The value may hold anything (a context file is someone else's): shown, never obeyed.
	const shown = safeText(raw);
	const invalid = (why: string): EndpointError => new EndpointError(source.startsWith('context ')
		? `Docker ${safeText(source).replace(/^context (.*)$/, 'context "$1"')} has the host "${shown}", which is not a valid engine address: ${why}.`
		: `${source} "${shown}" is not a valid engine address: ${why}.`);

	// Like the docker CLI, a bare "host:port" means tcp.
	const withScheme = raw.includes('://') ? raw : `tcp://${raw}`;
	const separator = withScheme.indexOf('://');
	const scheme = withScheme.slice(0, separator).toLowerCase();
	const rest = withScheme.slice(separator + 3);

	switch (scheme) {
		case 'unix': {
			const socketPath = rest === '' ? DEFAULT_SOCKET_PATH : rest;
			return {url: `unix://${socketPath}`, source, kind: 'unix', local: true, socketPath};
		}

		case 'npipe': {
			const socketPath = rest === '' ? DEFAULT_NPIPE_PATH : rest;
			return {url: `npipe://${socketPath}`, source, kind: 'npipe', local: false, socketPath};
		}

		case 'tcp':
		case 'ssh': {
			if (scheme === 'ssh') sshChecked(() => checkSshAddressText(rest), invalid);
			let url: URL;
			try {
				url = new URL(`${scheme}://${rest}`);
			} catch {
				throw invalid(`expected something like ${HOST_EXAMPLES}`);
			}

			const host = url.hostname.replace(/^\[(.*)]$/, '$1');
			if (host === '') {
				throw invalid(scheme === 'ssh' ? 'invalid SSH URL: hostname is empty' : 'it names no host');
			}

			const hostPart = url.hostname;
			if (scheme === 'tcp') {
				if (url.username !== '' || url.password !== '') {
					throw invalid('tcp addresses take no user name');
				}

				const port = url.port === '' ? (tlsVerifyRequested(env) ? 2376 : 2375) : Number(url.port);
				return {url: `tcp://${hostPart}:${port}`, source, kind: 'tcp', local: false, host, port};
			}

			const target = sshChecked(() => sshUserAndHost(url), invalid);
			const userPart = target.username === undefined ? '' : `${url.username}@`;
			const portPart = url.port === '' ? '' : `:${url.port}`;
			const endpoint: ResolvedEndpoint = {url: `ssh://${userPart}${hostPart}${portPart}`, source, kind: 'ssh', local: false, host: target.host};
			// No port in the address: ssh's own config (a Port, a ProxyJump for the alias) decides, as for the docker CLI.
			if (url.port !== '') endpoint.port = Number(url.port);
			if (target.username !== undefined) {
				endpoint.username = target.username;
			}

			return endpoint;
		}

		default: {
			throw invalid(`the scheme "${scheme}://" is not supported (use ${HOST_EXAMPLES})`);
		}
	}
}

/** One engine the user named, in the order named: `-H url` or `--context name`. */
export type EngineChoice = {kind: 'host'; value: string} | {kind: 'context'; value: string};

export interface EndpointsInput extends Omit<EndpointInput, 'hostFlag' | 'contextFlag'> {
	choices: readonly EngineChoice[];
}

/**
 * The engines to open. None or one named: the docker CLI's rules (resolveEngineEndpoint).
 * Several: each as named, in order, `-H` and `--context` mixed freely; the same endpoint
 * twice is opened once.
 */
export function resolveEngineEndpoints(input: EndpointsInput): ResolvedEndpoint[] {
	const {choices, ...rest} = input;
	if (choices.length <= 1) {
		const [choice] = choices;
		return [resolveEngineEndpoint({...rest, hostFlag: choice?.kind === 'host' ? choice.value : undefined, contextFlag: choice?.kind === 'context' ? choice.value : undefined})];
	}

	const endpoints: ResolvedEndpoint[] = [];
	for (const choice of choices) {
		const endpoint = resolveEngineEndpoint(choice.kind === 'host' ? {...rest, hostFlag: choice.value} : {...rest, contextFlag: choice.value});
		if (!endpoints.some(known => known.url === endpoint.url)) endpoints.push(endpoint);
	}

	return endpoints;
}

export {listDockerContexts, type KnownContext} from './docker-contexts.js';
