import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { QcService } from '../qc.service.js';

/** Measures a TV lesson's video against the broadcast profile (resolution, scan, loudness, black, silence…). */
export class TvLessonQcJob implements JobHandler<{ sha256: string }> {
  static readonly queue = 'media.tv-lesson-qc';
  static readonly policy: JobPolicy = { retryLimit: 2, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 120 };

  constructor(private readonly deps: { qc: QcService }) {}

  async handle({ sha256 }: { sha256: string }): Promise<void> {
    await this.deps.qc.measure(sha256);
  }
}
