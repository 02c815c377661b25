import type { JobHandler, JobPolicy } from '../../core/queue/job.js';
import type { NotificationService } from '../notification.service.js';
import { SEND_NOTIFICATION_EMAIL_QUEUE } from './queues.js';

/**
 * Mails one notification (enqueued in the event's transaction when its user wants that event by
 * e-mail and SMTP_URL is set). A mail server that is down is retried with a growing delay.
 */
export class SendNotificationEmailJob implements JobHandler<{ notificationId: string }> {
  static readonly queue = SEND_NOTIFICATION_EMAIL_QUEUE;
  static readonly policy: JobPolicy = { retryLimit: 6, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 60 };

  constructor(private readonly deps: { notifications: NotificationService }) {}

  async handle({ notificationId }: { notificationId: string }): Promise<void> {
    await this.deps.notifications.sendEmail(notificationId);
  }
}
