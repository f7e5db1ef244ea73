// Types for the static test file server (plain JS so that it may use Node built-ins).

export interface ServedFile {
	/** The bytes; or give `path` instead. */
	body?: Uint8Array | string;
	/** A file on disk, streamed on every request (for large files); instead of `body`. */
	path?: string;
	/** Content-Type (default application/octet-stream). */
	type?: string;
	/** Status to answer with (default 200). */
	status?: number;
	headers?: Record<string, string>;
}

export interface FileServer {
	/** http://127.0.0.1:<port> */
	url: string;
	requests: Array<{ method: string; path: string; headers: Record<string, string | string[] | undefined>; at: number }>;
	/** Adds or replaces the file at `path`. */
	serve(path: string, file: ServedFile): void;
	/** Stops the server and ends every open connection. */
	close(): Promise<void>;
}

/** Serves the given files under their paths (e.g. '/photo.png') on 127.0.0.1; 404 for anything else. */
export function startFileServer(files?: Record<string, ServedFile>): Promise<FileServer>;
