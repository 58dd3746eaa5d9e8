// Who docknet logs in as and where, for every ssh run it makes (the engine's connection and
// its channels, the host-interface reads) and for the hints a user pastes into a shell.

export interface SshTarget {
	host: string;
	port?: number;
	username?: string;
}

/** "me@host" as the user would type it after `ssh`. */
export function sshDestination(target: SshTarget): string {
	return target.username ? `${target.username}@${target.host}` : target.host;
}

/** "ssh -p 2200 me@host": the command a user would run to reach the same place. */
export function sshOrigin(target: SshTarget): string {
	return `ssh ${target.port ? `-p ${target.port} ` : ''}${sshDestination(target)}`;
}
