/**
 * Maps 0…count-1 with at most `size` calls at work at once, keeping results in index order.
 * After the first failure no new call starts, and the failure is thrown only once the calls
 * already at work have ended, so that nothing is still running when the caller has failed.
 */
export async function mapInPool<T>(count: number, size: number, map: (index: number) => Promise<T>): Promise<T[]> {
	// NaN would start no worker at all and return holes as if every item gave nothing.
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`mapInPool needs a whole number of workers, at least 1, not ${size}`);
	const results = new Array<T>(count);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (next < count && !failure) {
			const index = next++;
			try {
				results[index] = await map(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(size, count)) }, worker));
	if (failure) throw failure.error;
	return results;
}
