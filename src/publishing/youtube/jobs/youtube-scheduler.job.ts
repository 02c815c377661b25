import type { JobHandler, JobPolicy } from '../../../core/queue/job.js';
import type { ExportRunner } from '../export-runner.js';

/** Every minute: deferred exports whose time has come (quota reset, pause over, channel re-authorised) go back to work. */
export class YouTubeSchedulerJob implements JobHandler<object> {
  static readonly queue = 'publishing.youtube-scheduler';
  static readonly policy: JobPolicy = { retryLimit: 0, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 60, cron: '* * * * *' };

  constructor(private readonly deps: { youtubeRunner: ExportRunner }) {}

  async handle(): Promise<void> {
    await this.deps.youtubeRunner.requeueDue(new Date());
  }
}
