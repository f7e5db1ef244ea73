/**
 * Bounds how many requests are in flight at once across all items of one execution.
 * Waiters are served first come, first served; an aborted waiter leaves the queue.
 */
export class Semaphore {
	private available: number;

	private readonly waiters: Array<() => void> = [];

	constructor(capacity: number) {
		this.available = Math.max(1, Math.floor(capacity));
	}

	async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		await this.acquire(signal);
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	private async acquire(signal?: AbortSignal): Promise<void> {
		if (this.available > 0) {
			this.available--;
			return;
		}
		await new Promise<void>((resolve, reject) => {
			const grant = () => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			};
			const onAbort = () => {
				const index = this.waiters.indexOf(grant);
				if (index !== -1) this.waiters.splice(index, 1);
				reject(signal?.reason);
			};
			if (signal?.aborted) {
				onAbort();
				return;
			}
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiters.push(grant);
		});
	}

	private release(): void {
		const next = this.waiters.shift();
		// The slot passes straight to the next waiter, so `available` only grows when none wait.
		if (next) next();
		else this.available++;
	}
}
