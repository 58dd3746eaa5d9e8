import type {DocknetPty} from './pty-app.js';
import {keys} from './pty-app.js';

// Steps a user takes in docknet on a pseudo-terminal, shared by the test files that take them.

/** A line of a JavaScript stack trace: never on docknet's screen, whatever the engine does. */
export const stackTrace = /^\s+at .+\(.*:\d+:\d+\)$/m;

/**
 * Filters the Containers pane down to `container`, presses c and picks `network` (shown with
 * its `subnet`): the connect form is open, Enter would send it.
 */
export async function openConnectForm(app: DocknetPty, container: string, network: string, subnet: string): Promise<void> {
	app.press('2');
	await app.waitFor(() => app.highlighted().some(text => text.startsWith('2 Containers')), 'the containers pane focused');
	app.press(`/${container}`);
	await app.waitForText(`/${container}▏`);
	app.press(keys.enter);
	await app.waitFor(lines => lines.some(line => line.includes(' 2 Containers (1 of') && !line.includes('▏')), `only ${container} listed`);
	app.press('c');
	await app.waitForText(`Connect ${container} to which network?`);
	app.press(network);
	await app.waitFor(lines => lines.some(line => line.includes(network) && line.includes(subnet)), 'the network in the picker');
	app.press(keys.enter);
	await app.waitForText(`Connect ${container} to ${network}`);
}
