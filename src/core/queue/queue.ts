import PgBoss from 'pg-boss';
import type { Tx } from '../db/client.js';
import { withoutQueryParameters } from '../logger.js';
import type { BatchJobHandler, JobHandler, JobPolicy } from './job.js';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  output: unknown;
  retryCount: number;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  /** For a running job: when its lease (renewed by the heartbeat) runs out. */
  leaseEndsOn: Date | null;
}

const JOB_SUMMARY = `SELECT id, name, state, data, output, retry_count AS "retryCount", created_on AS "createdOn",
  started_on AS "startedOn", completed_on AS "completedOn", started_on + expire_in AS "leaseEndsOn" FROM pgboss.job`;

export interface QueueDefinition {
  queue: string;
  policy: JobPolicy;
}

/** pg-boss, in the same Postgres as the data, so a job is enqueued in the row's own transaction. */
export class Queue {
  private readonly boss: PgBoss;
  private readonly policies = new Map<string, JobPolicy>();

  /**
   * `leaseSeconds` (JOB_LEASE_SECONDS) overrides every job's lease: how long a job may go
   * without its worker's heartbeat before another worker takes it over.
   */
  constructor(
    connectionString: string,
    private readonly options: { maintenanceIntervalSeconds: number; leaseSeconds?: number },
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.boss = new PgBoss({ connectionString, max: 4, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds });
    this.boss.on('error', (error) => this.onError(error));
  }

  private lease(queue: string): number {
    return this.options.leaseSeconds ?? this.policies.get(queue)!.expireInSeconds;
  }

  async start(definitions: readonly QueueDefinition[], options: { schedule: boolean }): Promise<void> {
    await this.boss.start();
    for (const { queue, policy } of definitions) {
      this.policies.set(queue, policy);
      if (!(await this.boss.getQueue(queue))) {
        await this.boss.createQueue(queue, {
          name: queue,
          retryLimit: policy.retryLimit,
          retryDelay: policy.retryDelaySeconds,
          retryBackoff: policy.retryBackoff,
          expireInSeconds: this.options.leaseSeconds ?? policy.expireInSeconds,
        });
      }
      if (options.schedule && policy.cron) await this.boss.schedule(queue, policy.cron, {}, { tz: 'UTC' });
    }
  }

  /** Enqueues on the transaction's connection: the job exists if and only if the transaction commits. */
  async enqueue(tx: Tx, queue: string, data: object, options: { singletonKey?: string } = {}): Promise<void> {
    if (!this.policies.has(queue)) throw new Error(`Unknown queue ${queue}`);
    await this.boss.send(queue, data, {
      ...options,
      expireInSeconds: this.lease(queue),
      db: { executeSql: (text: string, values: unknown[]) => tx.client.query(text, values) },
    });
  }

  /**
   * Runs `handler` for the queue's jobs. While a job runs, a heartbeat keeps pushing its expiry
   * one lease ahead; a worker that dies (SIGKILL, lost machine) stops the heartbeat, the job
   * expires after one lease and pg-boss hands it to another worker as a retry.
   */
  async work(queue: string, handler: JobHandler<never> | BatchJobHandler<never>, options: { pollingIntervalSeconds: number }): Promise<void> {
    const lease = this.lease(queue);
    const policy = this.policies.get(queue)!;
    const batch = 'handleBatch' in handler;
    const work = { pollingIntervalSeconds: policy.pollingIntervalSeconds ?? options.pollingIntervalSeconds, batchSize: batch ? policy.batchSize ?? 1 : 1 };
    await this.boss.work<never>(queue, work, async (jobs) => {
      if (jobs.length === 0) return;
      const ids = jobs.map((job) => job.id);
      const heartbeat = setInterval(() => void this.renew(ids, lease).catch((error: Error) => this.onError(error)), (lease * 1000) / 3);
      try {
        if (batch) await handler.handleBatch(jobs.map((job) => job.data));
        else await handler.handle(jobs[0]!.data);
      } catch (error) {
        // pg-boss keeps a failed job's error (GET /api/v1/jobs shows it): never a query's bound values.
        throw withoutQueryParameters(error);
      } finally {
        clearInterval(heartbeat);
      }
    });
  }

  /** pg-boss 10 has no heartbeat of its own: its expiry is started_on + expire_in, so we move expire_in. */
  private async renew(ids: string[], leaseSeconds: number): Promise<void> {
    await this.boss.getDb().executeSql(
      `UPDATE pgboss.job SET expire_in = (now() - started_on) + make_interval(secs => $2) WHERE id = ANY($1::uuid[]) AND state = 'active'`,
      [ids, leaseSeconds],
    );
  }

  /** Jobs of our queues in a state, newest first, with their error output (for administrators). */
  async list(state: JobState, limit = 100): Promise<JobSummary[]> {
    const result = await this.boss.getDb().executeSql(
      `${JOB_SUMMARY} WHERE state = $1 AND name = ANY($2) ORDER BY created_on DESC LIMIT $3`,
      [state, [...this.policies.keys()], limit],
    );
    return result.rows as JobSummary[];
  }

  /** Running jobs whose lease ran out (their worker died or hangs) and that nobody has taken over yet. */
  async listStuck(limit = 100): Promise<JobSummary[]> {
    const result = await this.boss.getDb().executeSql(
      `${JOB_SUMMARY} WHERE state = 'active' AND started_on + expire_in < now() AND name = ANY($1) ORDER BY started_on LIMIT $2`,
      [[...this.policies.keys()], limit],
    );
    return result.rows as JobSummary[];
  }

  async find(id: string): Promise<JobSummary | null> {
    const result = await this.boss.getDb().executeSql(`${JOB_SUMMARY} WHERE id = $1 AND name = ANY($2)`, [id, [...this.policies.keys()]]);
    return (result.rows[0] as JobSummary | undefined) ?? null;
  }

  /** Puts a failed job back for one more attempt, or a cancelled one back in the queue. */
  async retry(job: JobSummary): Promise<void> {
    if (job.state === 'cancelled') await this.boss.resume(job.name, job.id);
    else await this.boss.retry(job.name, job.id);
  }

  async cancel(job: JobSummary): Promise<void> {
    await this.boss.cancel(job.name, job.id);
  }

  async check(): Promise<void> {
    await this.boss.getQueues();
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
