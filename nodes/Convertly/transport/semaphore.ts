/**
 * Bounds how many requests are in flight at once across all items of one execution.
 * Waiters are served first come, first served. `close()` turns away every waiter and every later
 * caller, so that one abort listener serves them all (thousands of per-waiter listeners would
 * trip Node's listener-leak warning).
 */
export class Semaphore {
	private available: number;

	private closedWith: Error | undefined;

	private readonly waiters: Array<{ grant: () => void; refuse: (error: Error) => void }> = [];

	constructor(capacity: number) {
		// NaN would leave every caller waiting forever (NaN > 0 is false); refuse it outright.
		if (typeof capacity !== 'number' || !Number.isFinite(capacity) || capacity < 1) {
			throw new RangeError(`A semaphore needs a finite capacity of at least 1, not ${String(capacity)}`);
		}
		this.available = Math.floor(capacity);
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	close(reason: Error): void {
		this.closedWith = reason;
		for (const waiter of this.waiters.splice(0)) waiter.refuse(reason);
	}

	private async acquire(): Promise<void> {
		if (this.closedWith) throw this.closedWith;
		if (this.available > 0) {
			this.available--;
			return;
		}
		await new Promise<void>((grant, refuse) => this.waiters.push({ grant, refuse }));
	}

	private release(): void {
		const next = this.waiters.shift();
		// The slot passes straight to the next waiter, so `available` only grows when none wait.
		if (next) next.grant();
		else this.available++;
	}
}
