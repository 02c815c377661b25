import type { AppContext } from './context.js';
import { JOBS } from './jobs.js';

/**
 * Starts a worker for every job in JOBS (src/jobs.ts), in this process; a job class with a static
 * `concurrency` gets that many (pg-boss 10 runs one job at a time per work() call).
 */
export async function startWorkers(ctx: AppContext, options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
  for (const Job of JOBS) {
    const count = 'concurrency' in Job ? Job.concurrency(ctx) : 1;
    for (let i = 0; i < count; i++) await ctx.queue.work(Job.queue, new Job(ctx), { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 });
  }
}
