import {render} from 'ink';
import React from 'react';
import {App} from '../app.js';
import {FrameWriter} from '../terminal/frame-writer.js';
import {AppServicesProvider} from '../ui/app-context.js';
import {initialUiState} from '../ui/state/ui-state.js';
import type {AppServices} from '../ui/app-context.js';

// Ink, React and every component: loaded by cli.tsx once the engine has been asked for its
// data, so the two overlap.

export type UiInstance = ReturnType<typeof render>;

/** `notice`: a line the status line shows at start (the config file's problem). */
export function renderUi(services: AppServices, endpointUrl: string, stdout: NodeJS.WriteStream, notice?: string): UiInstance {
	const frames = new FrameWriter(stdout);
	// debug: Ink hands over whole frames and FrameWriter diffs them onto the screen (see
	// frame-writer.ts for why Ink's own incremental mode is not used). Debug mode also
	// renders when CI is set, which the pseudo-terminal tests rely on.
	return render(
		<AppServicesProvider services={services}>
			<App endpoint={endpointUrl} initialState={notice === undefined ? initialUiState : {...initialUiState, status: {tone: 'error', text: notice, serial: 1}}} />
		</AppServicesProvider>,
		{stdout: frames as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false},
	);
}
