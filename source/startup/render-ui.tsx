import {render} from 'ink';
import React from 'react';
import {App} from '../app.js';
import {FrameWriter} from '../terminal/frame-writer.js';
import {AppServicesProvider} from '../ui/app-context.js';
import type {AppServices} from '../ui/app-context.js';

// Ink, React and every component: loaded by cli.tsx once the engine has been asked for its
// data, so the two overlap.

export type UiInstance = ReturnType<typeof render>;

export function renderUi(services: AppServices, endpointUrl: string, stdout: NodeJS.WriteStream): UiInstance {
	const frames = new FrameWriter(stdout);
	// debug: Ink hands over whole frames and FrameWriter diffs them onto the screen (see
	// frame-writer.ts for why Ink's own incremental mode is not used). Debug mode also
	// renders when CI is set, which the pseudo-terminal tests rely on.
	return render(
		<AppServicesProvider services={services}>
			<App endpoint={endpointUrl} />
		</AppServicesProvider>,
		{stdout: frames as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false},
	);
}
