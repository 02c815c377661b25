/**
 * A background job: one class per file, with its queue name and retry policy as statics,
 * registered in the JOBS list of src/jobs.ts. Handlers must be idempotent: pg-boss delivers at least once.
 */
export interface JobPolicy {
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** The lease: a running job's worker renews it (heartbeat); unrenewed, the job goes to another worker. */
  expireInSeconds: number;
  /** Cron expression (UTC) for jobs the queue schedules itself. */
  cron?: string;
}

export interface JobHandler<Data> {
  handle(data: Data): Promise<void>;
}
