import type { AppContext } from './context.js';
import { JOBS } from './jobs.js';

/** Starts a worker for every job in JOBS (src/jobs.ts), in this process. */
export async function startWorkers(ctx: AppContext, options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
  for (const Job of JOBS) {
    await ctx.queue.work(Job.queue, new Job(ctx), { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 });
  }
}
