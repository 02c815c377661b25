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
  /** How often an idle worker asks for work (default 2 s); pg-boss allows 0.5 at least. */
  pollingIntervalSeconds?: number;
  /** For a BatchJobHandler: how many waiting jobs one run takes at once. */
  batchSize?: number;
}

export interface JobHandler<Data> {
  handle(data: Data): Promise<void>;
}

/** A job whose waiting instances are handled together (one run for many); they succeed or fail as one. */
export interface BatchJobHandler<Data> {
  handleBatch(data: Data[]): Promise<void>;
}
