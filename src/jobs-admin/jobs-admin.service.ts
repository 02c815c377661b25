import { requireRole, type Principal } from '../auth/principal.js';
import { AppError } from '../core/errors.js';
import type { JobState, JobSummary, Queue } from '../core/queue/queue.js';

/** What the administrators' list filters by: a pg-boss state, or `stuck` (running past its lease). */
export type JobFilter = JobState | 'stuck';

const ABSOLUTE_PATH = /(?:[A-Za-z]:\\|file:\/\/\/?|(?<![\w.:/-])\/)(?:[^\s/\\'"`()<>,;]+[/\\])+([^\s/\\'"`()<>,;]*)/g;
const MAX_ERROR_LENGTH = 500;

/**
 * A failed job's reason as administrators may read it: the message only (never the stack or the
 * stderr a worker kept), with every server path cut down to its last name.
 */
export function jobErrorText(output: unknown): string | null {
  if (!output || typeof output !== 'object') return null;
  const value = output as { message?: unknown; value?: { message?: unknown } };
  const message = typeof value.message === 'string' ? value.message : typeof value.value?.message === 'string' ? value.value.message : null;
  if (message === null) return null;
  const cleaned = message.replace(ABSOLUTE_PATH, (_, name: string) => `…/${name}`);
  return cleaned.length > MAX_ERROR_LENGTH ? `${cleaned.slice(0, MAX_ERROR_LENGTH)}…` : cleaned;
}

function presentJob(job: JobSummary, now = new Date()) {
  return {
    id: job.id, name: job.name, state: job.state, data: job.data, error: job.state === 'completed' ? null : jobErrorText(job.output),
    retryCount: job.retryCount, createdOn: job.createdOn, startedOn: job.startedOn, completedOn: job.completedOn,
    leaseEndsOn: job.state === 'active' ? job.leaseEndsOn : null,
    stuck: job.state === 'active' && !!job.leaseEndsOn && new Date(job.leaseEndsOn) < now,
  };
}

export type PresentedJob = ReturnType<typeof presentJob>;

/** Background jobs for administrators: failed and stuck ones, retried or cancelled (API and page alike). */
export class JobsAdminService {
  constructor(private readonly queue: Queue) {}

  async list(principal: Principal | null, filter: JobFilter): Promise<PresentedJob[]> {
    requireRole(principal, 'admin');
    const rows = filter === 'stuck' ? await this.queue.listStuck() : await this.queue.list(filter);
    return rows.map((job) => presentJob(job));
  }

  private async job(principal: Principal | null, id: string): Promise<JobSummary> {
    requireRole(principal, 'admin');
    const job = await this.queue.find(id);
    if (!job) throw AppError.notFound('job');
    return job;
  }

  /** A failed job gets one more attempt; a cancelled one goes back in the queue. */
  async retry(principal: Principal | null, id: string) {
    const job = await this.job(principal, id);
    if (job.state !== 'failed' && job.state !== 'cancelled') throw new AppError('JOB_NOT_RETRYABLE', { state: job.state });
    await this.queue.retry(job);
    return { id: job.id, state: 'retry' as const };
  }

  /** A job that has not ended (waiting, or running — a stuck one included) is cancelled. */
  async cancel(principal: Principal | null, id: string) {
    const job = await this.job(principal, id);
    if (!['created', 'retry', 'active'].includes(job.state)) throw new AppError('JOB_NOT_CANCELLABLE', { state: job.state });
    await this.queue.cancel(job);
    return { id: job.id, state: 'cancelled' as const };
  }
}
