/** What an attempt may open to read its body from: a file stream of n8n's binary data store. */
interface Destroyable {
	destroy(): unknown;
}

function isDestroyable(value: unknown): value is Destroyable {
	return typeof value === 'object' && value !== null && typeof (value as { destroy?: unknown }).destroy === 'function';
}

/**
 * The sources one request attempt opened for its body, destroyed when the attempt ends, however
 * it ends. An answer can come before the whole body was sent (a 401 or 413 during an upload), and
 * a Stop, a timeout or a dropped connection end the request too; the HTTP client then stops
 * reading without destroying the file stream, whose file handle stayed open until garbage
 * collection (Node's DEP0137 warning, "Closing a FileHandle object on garbage collection").
 * Destroying a stream that was read to its end changes nothing.
 */
export class AttemptSources {
	private readonly opened = new Set<Destroyable>();

	private closed = false;

	/** Registers a source as it is opened; one opened after the attempt ended is destroyed at once. */
	add<T>(source: T): T {
		if (!isDestroyable(source)) return source;
		if (this.closed) source.destroy();
		else this.opened.add(source);
		return source;
	}

	close(): void {
		this.closed = true;
		for (const source of this.opened) source.destroy();
		this.opened.clear();
	}
}
