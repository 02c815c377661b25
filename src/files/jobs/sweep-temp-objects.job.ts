import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { ObjectStorage } from '../../core/storage/index.js';
import { TEMP_PREFIX } from '../file.service.js';

/**
 * Removes temporary upload objects a crashed process left behind. An upload's temporary object
 * is normally moved or deleted by the request itself; this catches only what a crash interrupted.
 */
export class SweepTempObjectsJob implements JobHandler<{ olderThanMinutes?: number }> {
  static readonly queue = 'storage.sweep-temp-objects';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 1800, cron: '17 * * * *' };

  constructor(private readonly deps: { storage: ObjectStorage }) {}

  async handle({ olderThanMinutes = 24 * 60 }: { olderThanMinutes?: number }): Promise<void> {
    const cutoff = Date.now() - olderThanMinutes * 60_000;
    for await (const object of this.deps.storage.list(TEMP_PREFIX)) {
      if (object.lastModified.getTime() < cutoff) await this.deps.storage.delete(object.key);
    }
  }
}
