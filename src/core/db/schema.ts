import { sql } from 'drizzle-orm';
// The question model is a leaf module of plain types and constants: the columns take their shapes from it.
import { COGNITIVE_LEVELS, QUESTION_TYPES, type ClozePart, type QuestionOption, type Scoring } from '../../questions/model.js';
import { CHANNEL_STATUSES, EXPORT_STATES, PRIVACY_STATUSES, type ChannelSettings, type ExportSteps } from '../../publishing/youtube/model.js';
import { NOTIFICATION_KINDS, type NotificationData, type NotificationKind } from '../../notifications/model.js';
import {
  bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

/**
 * The relational model. Departments, provinces and taxonomy terms change by decree, so they are
 * rows with history, never enums in code. The search table and the audit guards live in the
 * hand-written migration (they need extensions and triggers drizzle-kit does not express).
 */

export type ReviewScope = { levels?: string[]; subjects?: string[] };

export const orgUnits = pgTable('org_units', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['ministry', 'department', 'province', 'district', 'school'] }).notNull(),
  parentId: uuid('parent_id'),
  reviewScope: jsonb('review_scope').$type<ReviewScope>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** A merged org (a province merger) is closed, not deleted: its history keeps pointing at it. */
  closedAt: timestamp('closed_at', { withTimezone: true }),
  mergedIntoId: uuid('merged_into_id'),
}, (t) => [index('org_units_parent_idx').on(t.parentId)]);

export const ROLES = ['contributor', 'reviewer', 'publisher', 'org-admin', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  orgId: uuid('org_id').notNull().references(() => orgUnits.id),
  roles: text('roles').array().$type<Role[]>().notNull(),
  personalId: text('personal_id').unique(),
  /** Only for notifications the user asked to get by e-mail (Decree 13/2023: no more personal data than that needs). */
  email: text('email'),
  /** The events the user wants by e-mail as well as in the inbox; none unless they choose. */
  emailEvents: text('email_events').array().$type<NotificationKind[]>().notNull().default(sql`'{}'::text[]`),
  /** A deactivated account keeps its history but signs in no more; its sessions are revoked with it. */
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** For the idle expiry; written at most once a minute per session, not on every request. */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

/**
 * A one-time link an administrator made for a user to set a new password: only the sha256 of its
 * token is stored; using it, or making a newer one, ends it.
 */
export const passwordResets = pgTable('password_resets', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('password_resets_user_idx').on(t.userId)]);

/**
 * A user's inbox, written in the transaction of the event it tells of. The partial index makes
 * the header's unread count one index lookup; `dedupeKey` keeps a repeated event (a reminder
 * job run twice) to one notification.
 */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull().references(() => users.id),
  kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
  materialId: uuid('material_id').references(() => materials.id),
  data: jsonb('data').$type<NotificationData>().notNull().default({}),
  dedupeKey: text('dedupe_key').unique(),
  readAt: timestamp('read_at', { withTimezone: true }),
  emailedAt: timestamp('emailed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('notifications_user_idx').on(t.userId, t.createdAt),
  index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} IS NULL`),
]);

/**
 * Failed sign-ins counted per key: an (account, address) pair, an address, an account. Each
 * attempt is counted before its password is checked (src/auth/login-throttle.ts), so parallel
 * guesses cannot all be evaluated; a success takes its own count back.
 */
export const loginThrottles = pgTable('login_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  /** Pair keys only: the last successful sign-in of this account from this address. */
  succeededAt: timestamp('succeeded_at', { withTimezone: true }),
});

export const taxonomyTerms = pgTable('taxonomy_terms', {
  kind: text('kind', { enum: ['level', 'grade', 'subject', 'series', 'material-type', 'license'] }).notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  position: integer('position').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  validUntil: timestamp('valid_until', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.kind, t.code] })]);

export const MATERIAL_STATUSES = ['draft', 'in_review', 'changes_requested', 'rejected', 'published', 'archived'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

export const materials = pgTable('materials', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerId: uuid('owner_id').notNull().references(() => users.id),
  orgId: uuid('org_id').notNull().references(() => orgUnits.id),
  type: text('type').notNull(),
  status: text('status', { enum: MATERIAL_STATUSES }).notNull().default('draft'),
  version: integer('version').notNull().default(1),
  publishedVersion: integer('published_version'),
  downloadCount: bigint('download_count', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('materials_org_idx').on(t.orgId), index('materials_owner_idx').on(t.ownerId)]);

export type ReviewStage = { order: number; orgId: string; orgCode: string };

export const materialVersions = pgTable('material_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  materialId: uuid('material_id').notNull().references(() => materials.id),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  description: text('description'),
  level: text('level').notNull(),
  grades: integer('grades').array().notNull(),
  subject: text('subject').notNull(),
  series: text('series'),
  topic: text('topic'),
  license: text('license').notNull(),
  language: text('language').notNull().default('vi'),
  stages: jsonb('stages').$type<ReviewStage[]>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
}, (t) => [uniqueIndex('material_versions_material_version_idx').on(t.materialId, t.version)]);

/** Stored bytes, addressed by their sha256: identical content is kept once. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  mime: text('mime').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A named file of one material version; its id is the file id of the API. */
export const versionFiles = pgTable('version_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  versionId: uuid('version_id').notNull().references(() => materialVersions.id),
  sha256: text('sha256').notNull().references(() => blobs.sha256),
  name: text('name').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  mime: text('mime').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('version_files_version_idx').on(t.versionId), index('version_files_sha_idx').on(t.sha256)]);

/** What a version held when it was submitted: the next round is compared with it (src/review/changes.ts). */
export type SubmissionSnapshot = {
  fields: Record<string, unknown>;
  files: Array<{ name: string; sha256: string; size: number }>;
  /** Each question by a key (its name, else its position) with a digest of its content. */
  questions: Array<{ key: string; digest: string; label: string }>;
};

/** One submission of a version for review (a round): the teacher's answer to the last round, and what was sent. */
export const reviewRounds = pgTable('review_rounds', {
  id: uuid('id').primaryKey().defaultRandom(),
  materialId: uuid('material_id').notNull().references(() => materials.id),
  version: integer('version').notNull(),
  submittedBy: uuid('submitted_by').notNull().references(() => users.id),
  note: text('note'),
  snapshot: jsonb('snapshot').$type<SubmissionSnapshot>().notNull(),
  submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('review_rounds_material_idx').on(t.materialId, t.submittedAt)]);

export const reviewTasks = pgTable('review_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  materialId: uuid('material_id').notNull().references(() => materials.id),
  version: integer('version').notNull(),
  /** Null for tasks opened before rounds were recorded. */
  roundId: uuid('round_id').references(() => reviewRounds.id),
  stageOrder: integer('stage_order').notNull(),
  orgId: uuid('org_id').notNull().references(() => orgUnits.id),
  done: boolean('done').notNull().default(false),
  claimedBy: uuid('claimed_by').references(() => users.id),
  /** When the current claim began (renewals keep it): a decision names the claim it was made under. */
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
  claimExpiresAt: timestamp('claim_expires_at', { withTimezone: true }),
  decision: text('decision', { enum: ['approve', 'request_changes', 'reject', 'withdrawn'] }),
  /** For the teacher. */
  comment: text('comment'),
  /** Codes of src/review/reasons.json checked with the decision. */
  reasons: text('reasons').array().notNull().default([]),
  /** For the reviewers of the later stages and rounds only, never shown to the teacher. */
  internalNote: text('internal_note'),
  decidedBy: uuid('decided_by').references(() => users.id),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('review_tasks_org_idx').on(t.orgId, t.done, t.createdAt),
  index('review_tasks_material_idx').on(t.materialId),
  check('review_tasks_decision_when_done', sql`${t.done} = (${t.decision} is not null)`),
]);

/** Append-only: the migration installs triggers that refuse UPDATE and DELETE. */
export const auditEvents = pgTable('audit_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorId: uuid('actor_id').references(() => users.id),
  action: text('action').notNull(),
  materialId: uuid('material_id').references(() => materials.id),
  orgId: uuid('org_id').references(() => orgUnits.id),
  version: integer('version'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
}, (t) => [index('audit_events_material_idx').on(t.materialId, t.id)]);

export const collections = pgTable('collections', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  description: text('description'),
  level: text('level'),
  grade: integer('grade'),
  subject: text('subject'),
  ownerId: uuid('owner_id').notNull().references(() => users.id),
  orgId: uuid('org_id').notNull().references(() => orgUnits.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const collectionItems = pgTable('collection_items', {
  collectionId: uuid('collection_id').notNull().references(() => collections.id),
  materialId: uuid('material_id').notNull().references(() => materials.id),
  position: integer('position').notNull(),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.collectionId, t.materialId] })]);

export const PROCESSING_STATES = ['queued', 'running', 'ready', 'failed'] as const;
export type ProcessingState = (typeof PROCESSING_STATES)[number];

/** Media work on one stored content (a blob): identical uploads are processed once. */
export const mediaProcessing = pgTable('media_processing', {
  sha256: text('sha256').primaryKey().references(() => blobs.sha256),
  state: text('state', { enum: PROCESSING_STATES }).notNull().default('queued'),
  progress: integer('progress').notNull().default(0),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  /** Technical metadata: duration, size, frame rate, codecs, bitrate, channels… */
  metadata: jsonb('metadata').$type<Record<string, unknown>>(),
  /** Waveform peaks of audio, for a player. */
  peaks: jsonb('peaks').$type<number[]>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const RENDITION_KINDS = ['hls', 'mp4', 'audio', 'poster', 'thumbnail'] as const;
export type RenditionKind = (typeof RENDITION_KINDS)[number];

/**
 * A derived file. Rows appear only in the job's final transaction, so a rendition is visible
 * whole or not at all; `storageKey` lies under the run's own prefix.
 */
export const renditions = pgTable('renditions', {
  id: uuid('id').primaryKey().defaultRandom(),
  sha256: text('sha256').notNull().references(() => blobs.sha256),
  kind: text('kind', { enum: RENDITION_KINDS }).notNull(),
  format: text('format').notNull(),
  width: integer('width'),
  height: integer('height'),
  bitrate: integer('bitrate'),
  size: bigint('size', { mode: 'number' }).notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('renditions_identity_idx').on(t.sha256, t.kind, t.format, sql`coalesce(${t.width}, 0)`)]);

/** The technical check of TV lessons: measurements of one stored content, judged on read against the configured profile. */
export const mediaQc = pgTable('media_qc', {
  sha256: text('sha256').primaryKey().references(() => blobs.sha256),
  state: text('state', { enum: PROCESSING_STATES }).notNull().default('queued'),
  probe: jsonb('probe').$type<Record<string, unknown>>(),
  measurements: jsonb('measurements').$type<Record<string, unknown>>(),
  error: text('error'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** `unavailable`: this server lacks the tools to preview it (never a failure: installing them and re-queuing mends it). */
export const DOCUMENT_STATES = ['queued', 'running', 'ready', 'failed', 'unavailable'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];
export type DocumentDetails = {
  /** Text typed in the pre-Unicode Vietnamese fonts (.VnTime, VNI-Times): it reads as garbage until converted. */
  legacyEncoding?: 'tcvn3' | 'vni';
  /** Debian packages this server would need to preview the document (state `unavailable`). */
  missingPackages?: string[];
  /** Whether LibreOffice ran inside bubblewrap (no network, only its job folder writable). */
  sandboxed?: boolean;
};
export type PageImage = { width: number; height: number; key: string; size: number };

/** The preview of one stored document (a blob): its PDF, page images and text, made once per distinct content. */
export const documentProcessing = pgTable('document_processing', {
  sha256: text('sha256').primaryKey().references(() => blobs.sha256),
  state: text('state', { enum: DOCUMENT_STATES }).notNull().default('queued'),
  kind: text('kind', { enum: ['pdf', 'office', 'epub'] }).notNull(),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  pageCount: integer('page_count'),
  /** The PDF shown and printed (the upload itself for a PDF, LibreOffice's for Office files). */
  pdfKey: text('pdf_key'),
  pdfSize: bigint('pdf_size', { mode: 'number' }),
  details: jsonb('details').$type<DocumentDetails>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One page of a document (a chapter of an EPUB): its text for search and its images, widest first. */
export const documentPages = pgTable('document_pages', {
  sha256: text('sha256').notNull().references(() => blobs.sha256),
  page: integer('page').notNull(),
  text: text('text').notNull(),
  images: jsonb('images').$type<PageImage[]>().notNull().default([]),
}, (t) => [primaryKey({ columns: [t.sha256, t.page] })]);

export const PACKAGE_KINDS = ['scorm12', 'scorm2004', 'html5', 'h5p'] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];

/**
 * An interactive package (SCORM, HTML5, H5P) of one stored content, checked and unpacked by a job:
 * its files lie under `storagePrefix` (the package's root, re-rooted), visible once `ready`.
 */
export const packageProcessing = pgTable('package_processing', {
  sha256: text('sha256').primaryKey().references(() => blobs.sha256),
  state: text('state', { enum: PROCESSING_STATES }).notNull().default('queued'),
  kind: text('kind', { enum: PACKAGE_KINDS }),
  /** The file the player opens, relative to the package's root. */
  launchPath: text('launch_path'),
  storagePrefix: text('storage_prefix'),
  title: text('title'),
  entries: integer('entries'),
  unpackedBytes: bigint('unpacked_bytes', { mode: 'number' }),
  error: text('error'),
  attempts: integer('attempts').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A learner's attempt at a SCORM package (its content, so a new version with the same bytes
 * resumes): what the SCO last committed, enough to resume it.
 */
export const packageAttempts = pgTable('package_attempts', {
  userId: uuid('user_id').notNull().references(() => users.id),
  sha256: text('sha256').notNull().references(() => blobs.sha256),
  scormVersion: text('scorm_version', { enum: ['1.2', '2004'] }).notNull(),
  completionStatus: text('completion_status').notNull(),
  successStatus: text('success_status').notNull(),
  scoreRaw: text('score_raw'),
  scoreScaled: text('score_scaled'),
  location: text('location').notNull().default(''),
  suspendData: text('suspend_data').notNull().default(''),
  totalSeconds: integer('total_seconds').notNull().default(0),
  commits: integer('commits').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.userId, t.sha256] })]);

/** An image of a question, stored as a blob; question HTML refers to it as `@@ASSET@@/<name>`. */
export type QuestionAssetRef = { name: string; sha256: string; mime: string; size: number };

/** A question of a question-bank material's version; a revision copies them, the published version keeps its own. */
export const questions = pgTable('questions', {
  id: uuid('id').primaryKey().defaultRandom(),
  versionId: uuid('version_id').notNull().references(() => materialVersions.id),
  position: integer('position').notNull(),
  type: text('type', { enum: QUESTION_TYPES }).notNull(),
  name: text('name'),
  /** Sanitised HTML; formulas (LaTeX, MathML) kept as they are. */
  stem: text('stem').notNull(),
  options: jsonb('options').$type<QuestionOption[]>().notNull().default([]),
  parts: jsonb('parts').$type<ClozePart[]>(),
  scoring: jsonb('scoring').$type<Scoring>(),
  points: integer('points_thousandths').notNull().default(1000),
  generalFeedback: text('general_feedback'),
  shuffle: boolean('shuffle'),
  caseSensitive: boolean('case_sensitive'),
  cognitiveLevel: text('cognitive_level', { enum: COGNITIVE_LEVELS }),
  topic: text('topic'),
  tags: text('tags').array().notNull().default([]),
  assets: jsonb('assets').$type<QuestionAssetRef[]>().notNull().default([]),
  /** Stem and options as plain text, lower case, without diacritics: what `?q=` matches. */
  searchText: text('search_text').notNull().default(''),
  /** Where it came from: format, file name, line or item id. */
  source: jsonb('source').$type<{ format: string; file?: string; line?: number; itemId?: string }>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('questions_version_idx').on(t.versionId, t.position)]);

/**
 * A test drawn from question banks by a specification matrix. Each variant keeps the questions it
 * drew (by id, with the option order shown), so exports stay the same when banks change later.
 */
export const generatedTests = pgTable('generated_tests', {
  id: uuid('id').primaryKey().defaultRandom(),
  ownerId: uuid('owner_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
  variants: jsonb('variants').$type<GeneratedVariant[]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type GeneratedVariant = {
  code: string;
  sections: Array<{ title: string; instructions?: string; questions: Array<{ questionId: string; points: number; optionOrder?: string[] }> }>;
};

/**
 * A YouTube channel the ministry (or a province) publishes to. Client secret and refresh token
 * are AES-256-GCM ciphertexts (src/core/crypto.ts), never returned by the API.
 */
export const youtubeChannels = pgTable('youtube_channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull().references(() => orgUnits.id),
  name: text('name').notNull(),
  /** The OAuth client: its Google Cloud project owns the quota shared by its channels. */
  clientId: text('client_id').notNull(),
  clientSecretEnc: text('client_secret_enc').notNull(),
  refreshTokenEnc: text('refresh_token_enc'),
  status: text('status', { enum: CHANNEL_STATUSES }).notNull().default('needs_authorization'),
  /** The YouTube channel id and title the consent was given for. */
  youtubeChannelId: text('youtube_channel_id'),
  youtubeTitle: text('youtube_title'),
  /** The one consent in progress: its state carries this nonce, and the callback consumes it. */
  oauthNonce: text('oauth_nonce'),
  settings: jsonb('settings').$type<ChannelSettings>().notNull(),
  /** uploadLimitExceeded pauses one channel for a day. */
  pausedUntil: timestamp('paused_until', { withTimezone: true }),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/** Quota of one Google Cloud project (an OAuth client), counted per Pacific-time day as Google does. */
export const youtubeProjects = pgTable('youtube_projects', {
  clientId: text('client_id').primaryKey(),
  /** The Pacific-time date the counters belong to (YYYY-MM-DD). */
  day: text('day').notNull(),
  unitsUsed: integer('units_used').notNull().default(0),
  uploadsUsed: integer('uploads_used').notNull().default(0),
  /** quotaExceeded from Google pauses every channel of the project until the reset. */
  pausedUntil: timestamp('paused_until', { withTimezone: true }),
  /** Set when YouTube locked a public/unlisted upload to private: the project has not passed the API audit. */
  unverifiedAt: timestamp('unverified_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One video per (material version, channel): the unique index makes concurrent requests one export. */
export const youtubeExports = pgTable('youtube_exports', {
  id: uuid('id').primaryKey().defaultRandom(),
  materialId: uuid('material_id').notNull().references(() => materials.id),
  versionId: uuid('version_id').notNull().references(() => materialVersions.id),
  version: integer('version').notNull(),
  channelId: uuid('channel_id').notNull().references(() => youtubeChannels.id),
  requestedBy: uuid('requested_by').notNull().references(() => users.id),
  state: text('state', { enum: EXPORT_STATES }).notNull().default('queued'),
  privacy: text('privacy', { enum: PRIVACY_STATUSES }).notNull(),
  publishAt: timestamp('publish_at', { withTimezone: true }),
  /** Storage key of the bytes uploaded: the source, or the MP4 mezzanine made for YouTube. */
  mediaKey: text('media_key'),
  bytesTotal: bigint('bytes_total', { mode: 'number' }),
  bytesSent: bigint('bytes_sent', { mode: 'number' }).notNull().default(0),
  /** The resumable session, saved before the first byte so that a crash resumes it. A capability URL: never served. */
  sessionUri: text('session_uri'),
  videoId: text('video_id'),
  steps: jsonb('steps').$type<ExportSteps>().notNull().default({}),
  deferredUntil: timestamp('deferred_until', { withTimezone: true }),
  /** Why it failed or waits, in Vietnamese, with YouTube's reason when there is one. */
  reason: text('reason'),
  /** Things the publisher must know even when it worked (forced private, made for kids…). */
  warnings: text('warnings').array().notNull().default([]),
  /** The privacy last applied on YouTube; archiving sets it to private. */
  appliedPrivacy: text('applied_privacy', { enum: PRIVACY_STATUSES }),
  attempts: integer('attempts').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('youtube_exports_version_channel_idx').on(t.versionId, t.channelId),
  index('youtube_exports_state_idx').on(t.state, t.deferredUntil),
  index('youtube_exports_material_idx').on(t.materialId),
]);

/** Playlists created on demand, one per channel and key (grade + subject [+ series]). */
export const youtubePlaylists = pgTable('youtube_playlists', {
  channelId: uuid('channel_id').notNull().references(() => youtubeChannels.id),
  key: text('key').notNull(),
  playlistId: text('playlist_id').notNull(),
  title: text('title').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.channelId, t.key] })]);

export const BROADCAST_KINDS = ['tv', 'radio'] as const;
export const SLOT_STATUSES = ['scheduled', 'aired', 'missed'] as const;

/** A TV or radio channel lessons are broadcast on (VTV7, provincial stations, VOV). */
export const broadcastChannels = pgTable('broadcast_channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind', { enum: BROADCAST_KINDS }).notNull(),
  /** The org whose publishers run its schedule: the ministry for national channels, a province for its station. */
  orgId: uuid('org_id').notNull().references(() => orgUnits.id),
  timezone: text('timezone').notNull().default('Asia/Ho_Chi_Minh'),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One airing of a material on a channel. Times in UTC. The migration adds an exclusion
 * constraint (btree_gist) so two slots of a channel never overlap, whatever the concurrency.
 */
export const broadcastSlots = pgTable('broadcast_slots', {
  id: uuid('id').primaryKey().defaultRandom(),
  channelId: uuid('channel_id').notNull().references(() => broadcastChannels.id),
  materialId: uuid('material_id').notNull().references(() => materials.id),
  version: integer('version').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  status: text('status', { enum: SLOT_STATUSES }).notNull().default('scheduled'),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('broadcast_slots_channel_idx').on(t.channelId, t.startsAt),
  index('broadcast_slots_material_idx').on(t.materialId),
  check('broadcast_slots_order', sql`${t.endsAt} > ${t.startsAt}`),
]);
