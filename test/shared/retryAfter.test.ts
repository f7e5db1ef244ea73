import { parseRetryAfter } from '../../nodes/Convertly/transport';

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-28T12:00:00.000Z');

	it.each([
		['2', 2000],
		[' 30 ', 30000],
		['1.5', 1500],
		['Sat, 28 Nov 2026 12:00:07 GMT', 7000],
		['Sat, 28 Nov 2026 11:59:00 GMT', 0],
	])('reads %j as %i ms', (value, expected) => {
		expect(parseRetryAfter(value, now)).toBe(expected);
	});

	it.each([[undefined], [''], ['soon'], ['-5'], [42]])('ignores %j (the caller falls back to backoff)', (value) => {
		expect(parseRetryAfter(value, now)).toBeUndefined();
	});
});
