import { requirePrincipal, type Principal } from '../auth/principal.js';
import type { Db, Tx } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { Mailer } from '../core/mail.js';
import type { Queue } from '../core/queue/queue.js';
import { SEND_NOTIFICATION_EMAIL_QUEUE } from './jobs/queues.js';
import { describeNotification } from './messages.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './model.js';
import type { NewNotification, NotificationRepository, NotificationRow } from './notification.repository.js';

/** A claim is recalled this long before it runs out (the reminder job runs every five minutes). */
export const CLAIM_REMINDER_MINUTES = 15;

function present(row: NotificationRow) {
  const text = describeNotification(row);
  return { id: row.id, kind: row.kind, materialId: row.materialId, data: row.data, ...text, read: row.readAt !== null, readAt: row.readAt, createdAt: row.createdAt };
}

/**
 * The in-app inbox and its e-mails. Events write their notifications in their own transaction
 * (`notify` takes it), and the e-mail is a job enqueued in that same transaction, so a rolled-back
 * event tells nobody; without SMTP_URL nothing is mailed.
 */
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly notifications: NotificationRepository,
    private readonly queue: Queue,
    private readonly mailer: Mailer | null,
    private readonly publicUrl: string,
  ) {}

  async notify(tx: Tx, notices: NewNotification[]): Promise<void> {
    for (const row of await this.notifications.insert(notices, tx.db)) {
      if (this.mailer && row.email && row.emailEvents.includes(row.kind)) {
        await this.queue.enqueue(tx, SEND_NOTIFICATION_EMAIL_QUEUE, { notificationId: row.id }, { singletonKey: row.id });
      }
    }
  }

  /** A material entered the queue of an org's stage: its reviewers hear of it (never its owner). */
  async taskQueued(tx: Tx, task: { orgId: string; materialId: string; ownerId: string; title: string }): Promise<void> {
    const { orgName, userIds } = await this.notifications.reviewersOf(task.orgId, task.ownerId, tx.db);
    await this.notify(tx, userIds.map((userId) => ({
      userId, kind: 'task_queued' as const, materialId: task.materialId, data: { title: task.title, stage: orgName },
    })));
  }

  /** A decision the material's owner hears of: approved at a stage, changes requested (with the comment), rejected, published. */
  async decided(tx: Tx, event: { kind: 'approved' | 'changes_requested' | 'rejected' | 'published'; ownerId: string; materialId: string; version: number; stageOrgId: string; comment: string | null }) {
    const { title, stage } = await this.notifications.versionAndStage(event.materialId, event.version, event.stageOrgId, tx.db);
    await this.notify(tx, [{
      userId: event.ownerId, kind: event.kind, materialId: event.materialId,
      data: { title, ...(event.kind === 'approved' && stage ? { stage } : {}), ...(event.comment ? { comment: event.comment } : {}) },
    }]);
  }

  /**
   * A background job on stored content failed for good (media processing, document conversion):
   * whoever has that content in a material's working version hears of it, with the reason. For the
   * jobs' own final transaction; `kind` says which job.
   */
  async processingFailed(tx: Tx, failure: { sha256: string; kind: 'media_failed' | 'document_failed'; reason: string }): Promise<void> {
    const uploaders = await this.notifications.uploadersOf(failure.sha256, tx.db);
    await this.notify(tx, uploaders.map((u) => ({
      userId: u.ownerId, kind: failure.kind, materialId: u.materialId, data: { title: u.title, fileName: u.fileName, reason: failure.reason },
    })));
  }

  /** Reminds each reviewer whose claim runs out soon, once per claim (the key names the claim's expiry). */
  async remindExpiringClaims(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const claims = await this.notifications.expiringClaims(CLAIM_REMINDER_MINUTES, tx.db);
      await this.notify(tx, claims.map((c) => ({
        userId: c.userId, kind: 'claim_expiring' as const, materialId: c.materialId,
        data: { title: c.title, taskId: c.taskId, expiresAt: c.expiresAt.toISOString() },
        dedupeKey: `claim:${c.taskId}:${c.userId}:${c.expiresAt.toISOString()}`,
      })));
    });
  }

  /** Sends one notification's e-mail, once; nothing when its user no longer wants it or has no address. */
  async sendEmail(notificationId: string): Promise<void> {
    const row = await this.notifications.toEmail(notificationId);
    if (!this.mailer || !row || row.notification.emailedAt || !row.active || !row.email || !row.emailEvents.includes(row.notification.kind)) return;
    const text = describeNotification(row.notification);
    const lines = [text.title, text.detail, text.path ? `Xem trên Kho học liệu số: ${this.publicUrl}${text.path}` : null,
      '', `Bạn nhận thư này vì đã chọn nhận thông báo qua e-mail. Đổi lựa chọn tại ${this.publicUrl}/cua-toi/thong-bao/cai-dat`];
    await this.mailer.send({ to: row.email, subject: text.title, text: lines.filter((line) => line !== null).join('\n') });
    await this.notifications.markEmailed(notificationId);
  }

  async list(principal: Principal | null, page: { limit: number; offset: number; unreadOnly?: boolean }) {
    const actor = requirePrincipal(principal);
    const result = await this.notifications.list(actor.id, { ...page, unreadOnly: page.unreadOnly ?? false });
    return { total: result.total, unread: result.unread, items: result.items.map(present) };
  }

  unreadCount(userId: string): Promise<number> {
    return this.notifications.unreadCount(userId);
  }

  async markRead(principal: Principal | null, id: string): Promise<{ id: string; read: true }> {
    const actor = requirePrincipal(principal);
    // Someone else's notification does not exist for the caller.
    if (!(await this.notifications.markRead(actor.id, id))) throw AppError.notFound('notification');
    return { id, read: true };
  }

  async markAllRead(principal: Principal | null): Promise<{ marked: number }> {
    const actor = requirePrincipal(principal);
    return { marked: await this.notifications.markAllRead(actor.id) };
  }

  async preferences(principal: Principal | null) {
    const actor = requirePrincipal(principal);
    return { ...(await this.notifications.preferences(actor.id)), mailConfigured: this.mailer !== null };
  }

  async setPreferences(principal: Principal | null, input: { email: string | null; emailEvents: NotificationKind[] }) {
    const actor = requirePrincipal(principal);
    const emailEvents = NOTIFICATION_KINDS.filter((kind) => input.emailEvents.includes(kind));
    const email = input.email?.trim().toLowerCase() || null;
    await this.notifications.setPreferences(actor.id, { email, emailEvents });
    return this.preferences(actor);
  }
}
