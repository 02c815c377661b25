/**
 * Plain types and constants of YouTube publishing, shared by the schema, services and routes.
 * A leaf module: it imports nothing.
 */

export const PRIVACY_STATUSES = ['private', 'unlisted', 'public'] as const;
export type PrivacyStatus = (typeof PRIVACY_STATUSES)[number];

/**
 * `needs_authorization`: created, consent not given yet; `active`: holds a refresh token;
 * `needs_reauthorization`: Google refused the refresh token (revoked, expired): its exports wait.
 */
export const CHANNEL_STATUSES = ['needs_authorization', 'active', 'needs_reauthorization'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

/** What happens on YouTube when a material published there gets a new published version. */
export const NEW_VERSION_POLICIES = ['update_metadata', 'replace_video'] as const;
export type NewVersionPolicy = (typeof NEW_VERSION_POLICIES)[number];

export interface ChannelSettings {
  /** Placeholders: {title} {level} {grade} {subject} {lesson} {series} {province} {license} {url} {description}. */
  titleTemplate: string;
  descriptionTemplate: string;
  /** `scheduled`: each video stays private until the next `scheduleTime` (Vietnam time), then YouTube makes it public. */
  privacy: PrivacyStatus | 'scheduled';
  /** HH:MM in Asia/Ho_Chi_Minh, for `scheduled`. */
  scheduleTime: string;
  /** One playlist per grade + subject, optionally per textbook series too; created on demand. */
  playlist: { enabled: boolean; perSeries: boolean; nameTemplate: string };
  /**
   * Levels whose videos are declared "made for kids". It has legal weight on YouTube (COPPA):
   * comments and personalised ads go off. Explicit, stored, shown.
   */
  madeForKidsLevels: string[];
  onNewVersion: NewVersionPolicy;
}

export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = {
  titleTemplate: '{subject} {grade} – {title}',
  descriptionTemplate: [
    '{title}',
    '',
    '{description}',
    '',
    'Cấp học: {level} · Lớp: {grade} · Môn: {subject}',
    'Bộ sách: {series}',
    'Đơn vị đóng góp: {province}',
    'Giấy phép: {license}',
    'Xem học liệu trên Kho học liệu số dùng chung: {url}',
  ].join('\n'),
  privacy: 'unlisted',
  scheduleTime: '19:00',
  playlist: { enabled: true, perSeries: false, nameTemplate: '{subject} {grade}{series_suffix}' },
  madeForKidsLevels: ['mam-non', 'tieu-hoc'],
  onNewVersion: 'update_metadata',
};

/**
 * The publishAt a `scheduled` channel gives a new export: the next `scheduleTime` in Vietnam
 * (UTC+7, no daylight saving) at least an hour away, so the upload and processing can finish first.
 */
export function nextScheduledTime(scheduleTime: string, now: Date): Date {
  const [hours, minutes] = scheduleTime.split(':').map(Number) as [number, number];
  const vietnam = new Date(now.getTime() + 7 * 3600_000);
  let at = Date.UTC(vietnam.getUTCFullYear(), vietnam.getUTCMonth(), vietnam.getUTCDate(), hours, minutes) - 7 * 3600_000;
  while (at < now.getTime() + 3600_000) at += 24 * 3600_000;
  return new Date(at);
}

/**
 * `queued` waits for a worker; `deferred` waits for quota, a paused channel or re-authorisation
 * (`deferredUntil`, `reason`); `uploading` has a resumable session; `processing` is uploaded and
 * being finished (YouTube processing, thumbnail, captions, playlist); `done` has the video id.
 */
export const EXPORT_STATES = ['queued', 'deferred', 'uploading', 'processing', 'done', 'failed'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/** The steps after the upload, remembered so that a retried job does not redo (and re-pay) them. */
export interface ExportSteps {
  /** The Pacific day whose quota this export's whole cost was reserved from. */
  reservedDay?: string;
  thumbnail?: boolean;
  /** Caption files (version file ids) already on YouTube. */
  captions?: string[];
  playlistItem?: boolean;
  /** A new version shown on the same video: metadata and thumbnail only, no upload. */
  metadataOnly?: boolean;
  /** A new version uploaded as a new video: the old one is made private once this one is done. */
  replacesVideoId?: string;
  /** The material was archived or withdrawn: its video is to be made private. */
  makePrivate?: boolean;
}
