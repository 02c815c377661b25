import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { NotificationService } from '../notification.service.js';

/** Every five minutes: reviewers whose claim runs out within a quarter of an hour are told, once per claim. */
export class ClaimReminderJob implements JobHandler<unknown> {
  static readonly queue = 'notifications.claim-reminder';
  static readonly policy: JobPolicy = { retryLimit: 1, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 120, cron: '*/5 * * * *' };

  constructor(private readonly deps: { notifications: NotificationService }) {}

  async handle(): Promise<void> {
    await this.deps.notifications.remindExpiringClaims();
  }
}
