/** Longest file name handed to n8n; most file systems allow 255 bytes. */
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * The one place a file name from a server or an input item becomes a name the node hands to
 * n8n: the base name only (no folder, so n8n records no `directory`), no control characters,
 * at most MAX_FILE_NAME_LENGTH characters with the extension kept; `fallback` when nothing
 * usable is left (empty, or only dots).
 */
export function sanitiseFileName(name: unknown, fallback: string): string {
	if (typeof name !== 'string') return fallback;
	const base = name.split(/[\\/]/).pop() ?? '';
	// NUL, CR/LF and the other control characters (by code point: no-control-regex applies).
	const cleaned = Array.from(base)
		.filter((character) => {
			const code = character.codePointAt(0) ?? 0;
			return code >= 0x20 && code !== 0x7f;
		})
		.join('')
		.trim();
	if (cleaned === '' || /^\.+$/.test(cleaned)) return fallback;
	if (cleaned.length <= MAX_FILE_NAME_LENGTH) return cleaned;
	const dot = cleaned.lastIndexOf('.');
	const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
	return `${cleaned.slice(0, MAX_FILE_NAME_LENGTH - extension.length)}${extension}`;
}
