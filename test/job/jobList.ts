// Seeding and request reading shared by the Job list tests (Get Many, the Job ID picker).
import type { Simulator } from '../helpers';

const BASE = Date.parse('2026-11-28T12:00:00.000Z');

/** Adds `count` jobs, the first one newest; returns their IDs newest first. */
export function seedJobs(simulator: Simulator, count: number, spec: { outcome?: 'completed' | 'failed'; offsetMinutes?: number } = {}) {
	const ids: string[] = [];
	for (let index = 0; index < count; index++) {
		const minutes = (spec.offsetMinutes ?? 0) + index;
		const job = simulator.addJob({
			processingMs: 0,
			outcome: spec.outcome,
			createdAt: new Date(BASE - minutes * 60_000).toISOString(),
		});
		ids.push(job.jobId);
	}
	return ids;
}

/** limit / offset / status of each GET /api/jobs request, in order. */
export function listQueries(simulator: Simulator) {
	return simulator
		.requests()
		.filter((request) => request.path.startsWith('/api/jobs?') || request.path === '/api/jobs')
		.map((request) => {
			const query = new URL(request.path, 'http://simulator').searchParams;
			return {
				limit: query.get('limit'),
				offset: query.get('offset'),
				...(query.has('status') ? { status: query.get('status') } : {}),
				...(request.status === 429 ? { rateLimited: true } : {}),
			};
		});
}

