import type {HostSourceChoice} from './engine-connections.js';
import {contextName} from './engine-set.js';
import type {EngineSet, OpenEngine} from './engine-set.js';
import {HostMonitor} from './model/host-monitor.js';
import type {HostMonitorOptions} from './model/host-monitor.js';

export interface HostMonitorsOptions {
	/** What an engine's host is read through (sysfs, ssh), or why it cannot be read. */
	hostSource(engine: OpenEngine, label: string | undefined): HostSourceChoice;
	/** How each monitor paces its scans (tests make them quick). */
	monitor?: HostMonitorOptions;
}

/**
 * Each engine's host is read by a monitor of its own, made when first needed: the host pane
 * shows one engine's host at a time (h shows the next), and a container's inside view and
 * NAT rules are read on its own engine's host.
 */
export class HostMonitors {
	private readonly monitors = new Map<string, HostMonitor>();
	private readonly started = new Set<string>();
	private shown: OpenEngine;
	// What the interfaces pane asked for before the shown host's monitor started.
	private rates: {active: boolean; visible?: readonly string[]} = {active: false};

	constructor(private readonly set: EngineSet, private readonly options: HostMonitorsOptions) {
		this.shown = set.primary;
		// Whether a host can be read depends on the engine's answer (rootless): the first
		// engine's monitor starts once its listing is in (or it failed).
		void set.primary.sync.firstLoad.catch(() => undefined).finally(() => {
			if (this.shown === set.primary) this.show(set.primary);
		});
	}

	of(engine: OpenEngine): HostMonitor {
		let monitor = this.monitors.get(engine.key);
		if (monitor === undefined) {
			const label = this.set.picture.getSnapshot().owners.labels.get(engine.key);
			monitor = new HostMonitor(this.options.hostSource(engine, label), engine.store, this.options.monitor);
			this.monitors.set(engine.key, monitor);
		}

		return monitor;
	}

	setRatesActive(active: boolean, visible?: readonly string[]): void {
		this.rates = {active, ...(visible === undefined ? {} : {visible})};
		this.monitors.get(this.shown.key)?.setRatesActive(active, visible);
	}

	/** Shows the next engine's host in the interfaces pane; says which. */
	showNext(): string {
		const shown = new Set((this.set.picture.getSnapshot().engines ?? []).filter(engine => engine.sameAs === undefined).map(engine => engine.key));
		const candidates = this.set.engines.filter(engine => shown.has(engine.key));
		if (candidates.length < 2) return 'One engine is open: its host is the one shown.';
		const next = candidates[(candidates.indexOf(this.shown) + 1) % candidates.length] ?? this.set.primary;
		this.monitors.get(this.shown.key)?.setRatesActive(false);
		this.show(next);
		return `Host interfaces of ${this.set.picture.getSnapshot().owners.labels.get(next.key) ?? next.key}.`;
	}

	stop(): void {
		for (const monitor of this.monitors.values()) monitor.stop();
	}

	/** `:ctx`: the named engine becomes the current one (its host shown, where `:create` goes); says what happened. */
	async switchTo(name: string | undefined): Promise<string> {
		const labelOf = (engine: OpenEngine): string => this.set.picture.getSnapshot().owners.labels.get(engine.key) ?? contextName(engine.endpoint) ?? engine.endpoint.url;
		if (name === undefined) {
			const open = this.set.engines.map(engine => `${labelOf(engine)}${engine === this.shown ? ' (current)' : ''}`);
			const contexts = this.set.dockerContexts().map(context => context.name);
			return `Engines open: ${open.join(', ')}${contexts.length > 0 ? ` · docker contexts: ${contexts.join(', ')}` : ''} · :ctx <name> switches`;
		}

		const found = this.set.findOrOpen(name);
		if (!found) return `No open engine and no docker context named "${name}" (:ctx alone lists them).`;
		// A new engine's host can be read once its first answer says what it is (rootless or not).
		if (found.opened) await this.set.answerWithin(found.engine.sync.firstLoad.then(async () => found.engine.firstInfo));
		if (found.engine !== this.shown) {
			this.monitors.get(this.shown.key)?.setRatesActive(false);
			this.show(found.engine);
		}

		return `${found.opened ? 'Opened' : 'Now on'} ${labelOf(found.engine)}: its host in the interfaces pane; :create creates there.`;
	}

	private show(engine: OpenEngine): void {
		const monitor = this.of(engine);
		if (!this.started.has(engine.key)) {
			this.started.add(engine.key);
			monitor.start();
		}

		this.shown = engine;
		this.set.picture.showHostOf(engine.key);
		monitor.setRatesActive(this.rates.active, this.rates.visible);
	}
}
