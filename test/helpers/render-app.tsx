import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import React from 'react';
import {App} from '../../source/app.js';
import {createAppServices} from '../../source/app-services.js';
import type {AppServicesOptions} from '../../source/app-services.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import type {EngineSyncOptions} from '../../source/model/engine-sync.js';
import {AppServicesProvider} from '../../source/ui/app-context.js';
import type {AppServices} from '../../source/ui/app-context.js';
import {keymap} from '../../source/ui/keys/keymap.js';
import {createTheme} from '../../source/ui/theme.js';
import {FakeGateway} from './fake-gateway.js';
import {FakeHostSource} from './fake-host-source.js';
import {keyTrace} from '../../source/terminal/key-trace.js';
import {waitFor} from './wait-for.js';

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

export interface RenderAppOptions {
	gateway?: FakeGateway;
	columns?: number;
	rows?: number;
	readOnly?: boolean;
	syncOptions?: EngineSyncOptions;
	/** Also feed host interfaces (docker0 for `bridge`, br-… for the others). */
	withHost?: boolean;
	/** Returned by the services' `actions` slot when a test needs it. */
	extraServices?: Partial<AppServices>;
}

/** The settings docknet starts with when no config file and no flags change them. */
export const defaultSettings = (readOnly = false): AppServicesOptions['settings'] => ({readOnly, theme: createTheme(false), keymap, hiddenEvents: [], columns: {}});

/** A folder of the test's own for the journal and `y` scripts; removed by the caller. */
export const testStateDir = (): string => mkdtempSync(path.join(tmpdir(), 'docknet-test-state-'));

export async function renderApp(options: RenderAppOptions = {}) {
	const gateway = options.gateway ?? new FakeGateway();
	const bridges: Record<string, string> = {};
	for (const network of gateway.state.networks) {
		if (network.driver === 'bridge') bridges[network.id] = network.name === 'bridge' ? 'docker0' : `br-${network.id.slice(0, 12)}`;
	}

	const hostSource = new FakeHostSource(() => gateway.state.containers, bridges);
	let quitCount = 0;
	let ratesActive = false;
	const stateDir = testStateDir();
	// The app as docknet builds it (picture, router, host monitors, command log), over the fake engine.
	const app = createAppServices({
		endpoints: [resolveEngineEndpoint({hostFlag: 'unix:///fake/docker.sock', env: {}, homeDir: '/nonexistent'})],
		settings: defaultSettings(options.readOnly),
		env: {},
		homeDir: '/nonexistent',
		stateDir,
		quit: () => {
			quitCount++;
		},
		connect: () => ({gateway}),
		hostSource: () => (options.withHost ? hostSource : {unavailable: 'not part of this test'}),
		plumbing: () => ({unavailable: 'not part of this test'}),
		tuning: {
			sync: {backoffMs: () => 30, ...options.syncOptions},
			swarm: {settleDelaysMs: [20, 20]},
			hostMonitor: {rescanDelayMs: 1},
			actions: {settleTimeoutMs: 1000},
		},
	});
	const services: AppServices = {
		...app.services,
		setInterfaceRatesActive: (active, visible) => {
			ratesActive = active;
			app.services.setInterfaceRatesActive(active, visible);
		},
		...options.extraServices,
	};
	const result = render(
		<AppServicesProvider services={services}>
			<App endpoint="unix:///fake/docker.sock" />
		</AppServicesProvider>,
	);
	const stdout = result.stdout as unknown as {columns: number; rows: number; emit(event: string): void};
	const resize = (columns: number, rows: number): void => {
		Object.defineProperty(stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(stdout, 'rows', {value: rows, configurable: true});
		stdout.emit('resize');
	};

	resize(options.columns ?? 100, options.rows ?? 30);
	const engine = app.engineSet.primary;
	await engine.sync.firstLoad;
	const frame = (): string => result.lastFrame() ?? '';
	await waitFor(() => frame().includes('● live'), 'the first live frame');

	return {
		gateway,
		/** What the UI reads: the picture over the one engine. */
		store: app.engineSet.picture,
		sync: engine.sync,
		hostSource,
		frame,
		resize,
		get quitCount() {
			return quitCount;
		},
		get ratesActive() {
			return ratesActive;
		},
		/** Types keys and waits for the screen to change (or `settle` turns). */
		press: keyTyper(result.stdin),
		async waitForFrame(predicate: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string> {
			await waitFor(() => predicate(frame()), what, timeoutMs);
			return frame();
		},
		cleanup(): void {
			app.close();
			result.unmount();
			result.cleanup();
			rmSync(stateDir, {recursive: true, force: true});
		},
	};
}

const turn = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

/**
 * Types keys into a rendered app one at a time. After each it waits until the app's key
 * handler has taken it (a lone Esc is delivered a tick later) and then for the render that
 * key caused, if any: React commits and Ink writes the frame within two turns. A key that
 * changes nothing costs those two turns, not a timeout.
 */
export function keyTyper(stdin: {write(data: string): void}): (...sequence: string[]) => Promise<void> {
	return async (...sequence) => {
		for (const key of sequence) {
			const before = keyTrace.handledCount();
			stdin.write(key);
			await waitFor(() => keyTrace.handledCount() > before, `the app to take the key ${JSON.stringify(key)}`, 2000, 1);
			await turn();
			await turn();
		}
	};
}

/** The line of the frame that contains `text`, for asserting on one row. */
export function lineWith(frame: string, text: string): string | undefined {
	return frame.split('\n').find(line => line.includes(text));
}
