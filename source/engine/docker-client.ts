import type {Agent as HttpAgent} from 'node:http';
import {Agent as HttpsAgent} from 'node:https';
import Docker from 'dockerode';
import type {ResolvedEndpoint} from './endpoint.js';
import {createSshTransport} from './ssh-transport.js';
import type {SshTransport} from './ssh-transport.js';

// The dockerode client for a resolved endpoint, built so that nothing but that endpoint
// decides where it connects.

export function createDocker(endpoint: ResolvedEndpoint, sshTransport: SshTransport | undefined): Docker {
	// Every connection key is set explicitly so docker-modem's own reading of DOCKER_HOST
	// and friends cannot override the endpoint docknet resolved (it would, for example, pick
	// a tcp host from DOCKER_HOST over an explicit socket path).
	const options: Docker.DockerOptions & {pathPrefix?: string; agent?: HttpsAgent | HttpAgent} = {
		socketPath: undefined,
		host: undefined,
		port: undefined,
		protocol: undefined,
		username: undefined,
		ca: undefined,
		cert: undefined,
		key: undefined,
		timeout: undefined,
		pathPrefix: undefined,
	};

	switch (endpoint.kind) {
		case 'unix':
		case 'npipe': {
			options.socketPath = endpoint.socketPath;
			break;
		}

		case 'tcp': {
			options.host = endpoint.host;
			options.port = endpoint.port;
			options.protocol = endpoint.tls === undefined ? 'http' : 'https';
			if (endpoint.tls !== undefined) {
				const {ca, cert, key, verify} = endpoint.tls;
				options.ca = ca;
				options.cert = cert;
				options.key = key;
				if (!verify) {
					// docker-modem has no insecure switch; an agent's TLS options win over the request's.
					options.agent = new HttpsAgent({rejectUnauthorized: false, ca, cert, key});
				}
			}

			break;
		}

		case 'ssh': {
			// Plain HTTP, each connection a channel of docknet's own ssh connection; the host
			// name only fills the request's Host header.
			const transport = sshTransport ?? createSshTransport({host: endpoint.host ?? '', port: endpoint.port, username: endpoint.username});
			options.protocol = 'http';
			options.host = 'docker';
			options.port = 80;
			options.agent = transport.agent;
			break;
		}
	}

	return withoutDockerEnvironment(() => new Docker(options));
}

const MODEM_ENVIRONMENT = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_PATH_PREFIX'];

/**
 * docker-modem's constructor parses DOCKER_HOST and reads DOCKER_CERT_PATH's files before
 * it looks at the options it is given, and throws when they are broken, even when docknet
 * was told to use another engine. The environment was already taken into account when the
 * endpoint was resolved, so it is hidden for the (synchronous) construction.
 */
function withoutDockerEnvironment<T>(build: () => T): T {
	const saved = new Map<string, string>();
	for (const name of MODEM_ENVIRONMENT) {
		const value = process.env[name];
		if (value !== undefined) {
			saved.set(name, value);
			delete process.env[name];
		}
	}

	try {
		return build();
	} finally {
		for (const [name, value] of saved) {
			process.env[name] = value;
		}
	}
}
