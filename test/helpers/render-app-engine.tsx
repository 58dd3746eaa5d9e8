import {rmSync} from 'node:fs';
import {after, afterEach} from 'node:test';
import {render} from 'ink-testing-library';
import React from 'react';
import {App} from '../../source/app.js';
import {createAppServices} from '../../source/app-services.js';
import {resolveEngineEndpoint} from '../../source/engine/endpoint.js';
import {createDockerGateway} from '../../source/engine/docker-gateway.js';
import type {EngineGateway} from '../../source/model/gateway.js';
import type {EngineSnapshot} from '../../source/model/store.js';
import {AppServicesProvider} from '../../source/ui/app-context.js';
import type {AppServices} from '../../source/ui/app-context.js';
import {requireTestEngine} from './engine-harness.js';
import {defaultSettings, keyTyper, keys, testStateDir} from './render-app.js';
import {waitFor} from './wait-for.js';

// The whole app over the REAL test engine, driven by keystrokes like render-app.tsx drives it
// over the fake, built as docknet builds it (createAppServices): the real gateway, the
// picture, the router, the command log and its journal. Host interfaces are left out (the
// pseudo-terminal tests cover them).

export interface RenderAppOnEngineOptions {
	columns?: number;
	rows?: number;
	readOnly?: boolean;
	/** Another engine than the Docker test engine (the Podman tests pass theirs). */
	dockerHost?: string;
	/** The gateway's per-request limit (Podman's /version is slow on a busy machine). */
	timeoutMs?: number;
	/** Services a test adds or replaces (a rebound keymap, an engine switch). */
	extraServices?: Partial<AppServices>;
}

/** Records which gateway methods were called, to prove a request was (not) sent. */
function recording(gateway: EngineGateway, calls: string[]): EngineGateway {
	return new Proxy(gateway, {
		get(target, property, receiver) {
			const value: unknown = Reflect.get(target, property, receiver);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => {
				calls.push(String(property));
				return (value as (...parameters: unknown[]) => unknown).apply(target, args);
			};
		},
	});
}

export async function renderAppOnEngine(options: RenderAppOnEngineOptions = {}) {
	const dockerHost = options.dockerHost ?? requireTestEngine().dockerHost;
	const calls: string[] = [];
	let quitCount = 0;
	// The journal in a folder of this test's own.
	const stateDir = testStateDir();
	const app = createAppServices({
		endpoints: [resolveEngineEndpoint({hostFlag: dockerHost, env: {}, homeDir: '/nonexistent'})],
		settings: defaultSettings(options.readOnly),
		env: {},
		homeDir: '/nonexistent',
		stateDir,
		quit: () => {
			quitCount++;
		},
		connect: endpoint => ({gateway: recording(createDockerGateway(endpoint, {timeoutMs: options.timeoutMs}), calls)}),
		hostSource: () => ({unavailable: 'not part of this test'}),
	});
	const services: AppServices = {...app.services, setInterfaceRatesActive: () => undefined, ...options.extraServices};
	const store = app.engineSet.picture;
	const result = render(
		<AppServicesProvider services={services}>
			<App endpoint={dockerHost} />
		</AppServicesProvider>,
	);
	const stdout = result.stdout as unknown as {emit(event: string): void};
	Object.defineProperty(stdout, 'columns', {value: options.columns ?? 100, configurable: true});
	Object.defineProperty(stdout, 'rows', {value: options.rows ?? 40, configurable: true});
	stdout.emit('resize');
	await app.engineSet.primary.sync.firstLoad;
	const frame = (): string => result.lastFrame() ?? '';
	await waitFor(() => frame().includes('● live'), 'the first live frame', 10_000);

	const press = keyTyper(result.stdin);

	const waitForFrame = async (predicate: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> => {
		await waitFor(() => predicate(frame()), what, timeoutMs);
		return frame();
	};

	const waitForStore = async (predicate: (snapshot: EngineSnapshot) => boolean, what: string, timeoutMs = 15_000): Promise<void> => {
		await waitFor(() => predicate(store.getSnapshot()), what, timeoutMs);
	};

	const selectOnly = async (pane: 'networks' | 'containers', name: string): Promise<void> => {
		await waitForStore(snapshot => (pane === 'networks' ? snapshot.networks : snapshot.containers).some(item => item.name === name), `${name} in the store`);
		// Esc first clears a filter an earlier step left.
		await press(pane === 'networks' ? '1' : '2', '/', keys.escape, '/', name, keys.enter);
		await waitForFrame(text => text.includes(pane === 'networks' ? '1 Networks (1 of' : '2 Containers (1 of'), `${name} alone in its pane`);
	};

	return {
		gateway: app.engineSet.primary.gateway,
		store,
		actions: app.services.actions,
		commands: app.commands,
		stateDir,
		frame,
		/** Gateway methods called so far, in order. */
		calls,
		get quitCount() {
			return quitCount;
		},
		/** Types each key and waits (briefly) for the screen to change after it. */
		press,
		waitForFrame,
		/** Waits until the store (fed by the engine's events) satisfies `predicate`. */
		waitForStore,
		/** Filters the pane down to the one row named `name` once the store has it (Enter keeps the filter, selected). */
		selectOnly,
		/** From any screen: the container alone in its pane, c, the network picked by typing its name, Enter: the options form. */
		async openConnectForm(container: string, network: string): Promise<void> {
			await selectOnly('containers', container);
			await press('c');
			await waitForFrame(text => text.includes(`Connect ${container} to which network?`), 'the network picker');
			await press(network);
			await waitForFrame(text => text.includes(`Filter: ${network}`), 'the picker filtered');
			await press(keys.enter);
			await waitForFrame(text => text.includes(`Connect ${container} to ${network}`) && text.includes('IPv4 address'), 'the options form');
		},
		cleanup(): void {
			app.close();
			result.unmount();
			result.cleanup();
			rmSync(stateDir, {recursive: true, force: true});
		},
	};
}

export type AppOnEngine = Awaited<ReturnType<typeof renderAppOnEngine>>;

/**
 * What every app-on-engine test file sets up: start() renders the app, which is cleaned up
 * after each test; the file's engine resources are removed after the last one.
 */
export function appOnEngineTests(resources: {cleanup(): Promise<void>}, defaults: RenderAppOnEngineOptions = {}): {start(options?: RenderAppOnEngineOptions): Promise<AppOnEngine>} {
	let current: AppOnEngine | undefined;
	afterEach(() => {
		current?.cleanup();
		current = undefined;
	});
	after(() => resources.cleanup());
	return {
		async start(options = {}) {
			current = await renderAppOnEngine({...defaults, ...options});
			return current;
		},
	};
}
