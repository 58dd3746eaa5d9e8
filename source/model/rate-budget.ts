/**
 * A token bucket: `burst` actions may happen at once, then one per `intervalMs`. The store
 * rations its notifications with it and the host monitor its rescans, so an occasional
 * change shows at once while a storm of changes costs a bounded rate of work.
 */
export class RateBudget {
	private tokens: number;
	private tokensAt = -Infinity;

	constructor(
		private readonly intervalMs: number,
		private readonly burst: number,
		private readonly now: () => number = () => performance.now(),
	) {
		this.tokens = burst;
	}

	/** Milliseconds until the next action is within budget; 0 when it is now. */
	wait(): number {
		this.refill();
		return this.tokens >= 1 ? 0 : (1 - this.tokens) * this.intervalMs;
	}

	/** Records an action (made when wait() said so, or forced). */
	spend(): void {
		this.refill();
		this.tokens -= 1;
	}

	private refill(): void {
		const now = this.now();
		const earned = this.intervalMs > 0 ? (now - this.tokensAt) / this.intervalMs : Infinity;
		this.tokens = Math.min(this.burst, this.tokens + earned);
		this.tokensAt = now;
	}
}
