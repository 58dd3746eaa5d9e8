// DOCKNET_KEY_TRACE=<file>: for every key, when docknet's handler ran and when the next
// frame went to the terminal, as wall-clock ms, written to <file> on exit (by cli.tsx). The benchmark sets
// it to split a slow key into its parts: waiting to be read (docknet busy, or not given the
// CPU), drawing, and the terminal side. Off, it costs one comparison per key and frame.

export interface KeyTraceEntry {
	handledAt: number;
	framedAt: number | undefined;
}

class KeyTrace {
	private enabled = false;
	private readonly entries: KeyTraceEntry[] = [];
	private waiting: KeyTraceEntry[] = [];
	private handled = 0;

	enable(): void {
		this.enabled = true;
	}

	keyHandled(): void {
		this.handled++;
		if (!this.enabled) return;
		const entry = {handledAt: performance.timeOrigin + performance.now(), framedAt: undefined};
		this.entries.push(entry);
		this.waiting.push(entry);
	}

	frameWritten(): void {
		if (this.waiting.length === 0) return;
		const at = performance.timeOrigin + performance.now();
		for (const entry of this.waiting) entry.framedAt = at;
		this.waiting = [];
	}

	/** Key events the handler has taken so far, traced or not: a test waits for its key to be taken. */
	handledCount(): number {
		return this.handled;
	}

	recorded(): readonly KeyTraceEntry[] {
		return this.entries;
	}
}

export const keyTrace = new KeyTrace();
