import type { JobHandler, JobPolicy } from '../../../core/queue/job.js';
import type { ExportRunner } from '../export-runner.js';

/**
 * Carries one export as far as it can: upload (resumed from where YouTube says it stopped),
 * processing, thumbnail, captions, playlist. Waiting for quota or re-authorisation is not a
 * failure: the runner defers the export and the scheduler job brings it back.
 */
export class YouTubeExportJob implements JobHandler<{ exportId: string }> {
  static readonly queue = 'publishing.youtube-export';
  // An upload of a long lesson on a slow link takes a while; the heartbeat keeps the lease.
  static readonly policy: JobPolicy = { retryLimit: 5, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 300 };

  constructor(private readonly deps: { youtubeRunner: ExportRunner }) {}

  async handle({ exportId }: { exportId: string }): Promise<void> {
    await this.deps.youtubeRunner.run(exportId);
  }
}
