/**
 * The bounds every request of the node keeps, whatever the server does. Exported so that the
 * README, the tests (which scale the times down) and the code agree on one set of numbers.
 */
export const REQUEST_LIMITS = {
	/**
	 * Most time one attempt at an API request may take, from connecting to the last byte of the
	 * answer (a server that drips its answer is cut off here, not only a silent one).
	 */
	attemptTimeoutMs: 30_000,
	/** Total time a request may spend, retries included, when the node is not waiting for a job. */
	plainRequestBudgetMs: 60_000,
	/** Largest API answer read, after decompression. A job with 1,000 results is about 0.5 MiB. */
	maxJsonBytes: 10 * 1024 * 1024,
	/** Deepest nesting of objects and arrays accepted in an API answer (a job is about 4 deep). */
	maxJsonDepth: 64,
	/** Redirects followed within the Base URL's origin (API requests) or for a download. */
	maxRedirects: 5,
	/** Most time a download may take to start answering (connect and headers). */
	downloadStartTimeoutMs: 30_000,
	/**
	 * A download must bring at least `downloadMinBytesPerWindow` bytes (or end) in every window of
	 * this length: about 34 KiB/s. Nothing the server announces changes this rule. An upload gets
	 * the same rate as extra time: its size divided by it, on top of the attempt's time limit.
	 */
	downloadWindowMs: 30_000,
	downloadMinBytesPerWindow: 1024 * 1024,
	/** Largest result file downloaded: above Convertly's largest plan limit (50 GB video). */
	maxDownloadBytes: 64 * 1024 * 1024 * 1024,
};
