/**
 * What a notification can be about: a leaf module of constants (the schema takes its column's
 * values from it, the pages and e-mails their words).
 */
export const NOTIFICATION_KINDS = [
  'task_queued', 'claim_expiring', 'changes_requested', 'approved', 'published', 'rejected',
  'media_failed', 'document_failed', 'youtube_export_done', 'youtube_export_failed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What the event said when it happened: kept with the notification, so it reads the same later. */
export interface NotificationData {
  /** The material's title at the time. */
  title?: string;
  /** The reviewer's comment (changes requested, rejected). */
  comment?: string;
  /** The org whose stage it concerns (queued, approved at). */
  stage?: string;
  /** Why a job failed, in Vietnamese. */
  reason?: string;
  /** The file a job was working on. */
  fileName?: string;
  /** A YouTube export's channel and video. */
  channel?: string;
  videoId?: string;
  taskId?: string;
  /** When a claim runs out (ISO 8601). */
  expiresAt?: string;
}
