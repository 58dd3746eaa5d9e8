import {render} from 'ink-testing-library';
import React from 'react';
import {App} from '../../source/app.js';
import {EngineActions} from '../../source/model/engine-actions.js';
import {EngineSync} from '../../source/model/engine-sync.js';
import type {EngineSyncOptions} from '../../source/model/engine-sync.js';
import {HostMonitor} from '../../source/model/host-monitor.js';
import {SwarmSync} from '../../source/model/swarm-sync.js';
import {SnapshotStore} from '../../source/model/store.js';
import {AppServicesProvider} from '../../source/ui/app-context.js';
import type {AppServices} from '../../source/ui/app-context.js';
import {createTheme} from '../../source/ui/theme.js';
import {FakeGateway} from './fake-gateway.js';
import {FakeHostSource} from './fake-host-source.js';

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

/** Polls until `predicate` holds; tests wait on what the screen shows, not on time. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

export async function renderApp(options: RenderAppOptions = {}) {
	const gateway = options.gateway ?? new FakeGateway();
	const store = new SnapshotStore();
	const swarmSync = new SwarmSync(gateway, store, {settleDelaysMs: [20, 20]});
	const sync = new EngineSync(gateway, store, {backoffMs: () => 30, onSwarmHint: () => swarmSync.request(), ...options.syncOptions});
	const bridges: Record<string, string> = {};
	for (const network of gateway.state.networks) {
		if (network.driver === 'bridge') bridges[network.id] = network.name === 'bridge' ? 'docker0' : `br-${network.id.slice(0, 12)}`;
	}

	const hostSource = new FakeHostSource(() => gateway.state.containers, bridges);
	const monitor = new HostMonitor(options.withHost ? hostSource : {unavailable: 'not part of this test'}, store, {rescanDelayMs: 1});
	let quitCount = 0;
	let ratesActive = false;
	const services: AppServices = {
		store,
		theme: createTheme(false),
		readOnly: options.readOnly ?? false,
		// As cli.tsx does: the actions exist unless docknet runs read-only.
		actions: options.readOnly ? undefined : new EngineActions(gateway, store, {settleTimeoutMs: 1000}),
		setInterfaceRatesActive: active => {
			ratesActive = active;
		},
		quit: () => {
			quitCount++;
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
	sync.start();
	monitor.start();
	await sync.firstLoad;
	const frame = (): string => result.lastFrame() ?? '';
	await waitFor(() => frame().includes('● live'), 'the first live frame');

	return {
		gateway,
		store,
		sync,
		hostSource,
		monitor,
		frame,
		resize,
		get quitCount() {
			return quitCount;
		},
		get ratesActive() {
			return ratesActive;
		},
		/** Types keys and waits for the screen to change (or `settle` turns). */
		press: keyTyper(result.stdin, frame),
		async waitForFrame(predicate: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string> {
			await waitFor(() => predicate(frame()), what, timeoutMs);
			return frame();
		},
		cleanup(): void {
			sync.stop();
			swarmSync.stop();
			monitor.stop();
			result.unmount();
			result.cleanup();
		},
	};
}

/** Types keys into a rendered app, after each waiting briefly for the screen to change (some keys change nothing). */
export function keyTyper(stdin: {write(data: string): void}, frame: () => string): (...sequence: string[]) => Promise<void> {
	return async (...sequence) => {
		for (const key of sequence) {
			const before = frame();
			stdin.write(key);
			// Esc alone is delivered after a tick; give the render a few turns.
			await waitFor(() => frame() !== before, `the screen to change after ${JSON.stringify(key)}`, 500).catch(() => undefined);
		}
	};
}

/** The line of the frame that contains `text`, for asserting on one row. */
export function lineWith(frame: string, text: string): string | undefined {
	return frame.split('\n').find(line => line.includes(text));
}
