// The one way tests wait: on a condition, with a deadline, never on time alone.

/** Polls until `predicate` holds; throws naming `what` once `timeoutMs` has passed. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000, pollMs = 5): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, pollMs));
	}
}
