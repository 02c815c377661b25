import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { UploadStore } from '../upload-store.js';

/** Deletes resumable uploads left unfinished past UPLOAD_EXPIRY_HOURS. */
export class SweepExpiredUploadsJob implements JobHandler<Record<string, never>> {
  static readonly queue = 'uploads.sweep-expired';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 1800, cron: '41 * * * *' };

  constructor(private readonly deps: { uploads: { store: UploadStore } }) {}

  async handle(): Promise<void> {
    await this.deps.uploads.store.deleteExpired();
  }
}
