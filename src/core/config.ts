import { isIP } from 'node:net';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every setting of the system, read once from the environment and validated.
 * The README's configuration table mirrors this schema; keep them in step.
 */
const EnvSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development' }),
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  CONTENT_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  CONTENT_ORIGIN: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], { default: 'info' }),
  DATA_DIR: Type.String({ default: './var' }),
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  EMBEDDED_PG_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 54329 }),
  S3_ENDPOINT: Type.Optional(Type.String({ minLength: 1 })),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 1 })),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String()),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String()),
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: false }),
  DOWNLOAD_REDIRECT: Type.Boolean({ default: false }),
  MEILI_HOST: Type.Optional(Type.String({ minLength: 1 })),
  MEILI_API_KEY: Type.Optional(Type.String()),
  MEILI_INDEX: Type.String({ default: 'materials' }),
  WORKERS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 10 })),
  MAX_UPLOAD_BYTES: Type.Integer({ minimum: 1, default: 2 * 1024 ** 3 }),
  QUESTION_IMPORT_MAX_BYTES: Type.Integer({ minimum: 1, default: 50 * 1024 ** 2 }),
  REVIEW_CLAIM_LEASE_MINUTES: Type.Integer({ minimum: 1, default: 120 }),
  SESSION_TTL_HOURS: Type.Integer({ minimum: 1, default: 24 * 14 }),
  SESSION_IDLE_HOURS: Type.Integer({ minimum: 1, default: 24 }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, default: 5 }),
  LOGIN_ADDRESS_MAX_FAILURES: Type.Integer({ minimum: 1, default: 30 }),
  LOGIN_ACCOUNT_MAX_FAILURES: Type.Integer({ minimum: 1, default: 50 }),
  LOGIN_DELAY_SECONDS: Type.Integer({ minimum: 1, default: 30 }),
  LOGIN_MAX_DELAY_MINUTES: Type.Integer({ minimum: 1, default: 15 }),
  TRUST_PROXY: Type.Optional(Type.String()),
  SECRET_KEY: Type.Optional(Type.String({ minLength: 32 })),
  UPLOAD_EXPIRY_HOURS: Type.Integer({ minimum: 24, default: 48 }),
  QC_PROFILE: Type.Optional(Type.String({ minLength: 2 })),
  QC_BLOCKS_SUBMISSION: Type.Boolean({ default: true }),
  JOB_LEASE_SECONDS: Type.Optional(Type.Integer({ minimum: 2 })),
  QUEUE_MAINTENANCE_SECONDS: Type.Integer({ minimum: 1, default: 30 }),
  FFMPEG_PATH: Type.Optional(Type.String({ minLength: 1 })),
  FFPROBE_PATH: Type.Optional(Type.String({ minLength: 1 })),
  FFMPEG_STALL_SECONDS: Type.Integer({ minimum: 5, default: 120 }),
  FFMPEG_MAX_REALTIME_FACTOR: Type.Number({ minimum: 0.1, default: 10 }),
  SOFFICE_PATH: Type.Optional(Type.String({ minLength: 1 })),
  DOCUMENT_TIMEOUT_SECONDS: Type.Integer({ minimum: 5, default: 300 }),
  DOCUMENT_MEMORY_MB: Type.Integer({ minimum: 256, default: 2048 }),
  DOCUMENT_MAX_PAGES: Type.Integer({ minimum: 1, default: 200 }),
  DOCUMENT_WORKERS: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
  DOCUMENT_SANDBOX: Type.Union([Type.Literal('auto'), Type.Literal('required'), Type.Literal('off')], { default: 'required' }),
  PUBLIC_URL: Type.Optional(Type.String({ minLength: 1 })),
  CORS_ORIGINS: Type.Optional(Type.String()),
  GOOGLE_AUTH_URL: Type.String({ minLength: 1, default: 'https://accounts.google.com/o/oauth2/v2/auth' }),
  GOOGLE_TOKEN_URL: Type.String({ minLength: 1, default: 'https://oauth2.googleapis.com/token' }),
  YOUTUBE_API_URL: Type.String({ minLength: 1, default: 'https://www.googleapis.com/youtube/v3' }),
  YOUTUBE_UPLOAD_URL: Type.String({ minLength: 1, default: 'https://www.googleapis.com/upload/youtube/v3' }),
  YOUTUBE_QUOTA: Type.Optional(Type.String({ minLength: 2 })),
  YOUTUBE_CHUNK_BYTES: Type.Integer({ minimum: 262144, multipleOf: 262144, default: 8 * 1024 * 1024 }),
  YOUTUBE_RETRY_BASE_MS: Type.Integer({ minimum: 1, default: 1000 }),
  YOUTUBE_PROCESSING_POLL_MS: Type.Integer({ minimum: 1, default: 30_000 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  SMTP_FROM: Type.Optional(Type.String({ minLength: 3 })),
});

type Env = Static<typeof EnvSchema>;

export interface Config {
  env: string;
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  /** `dataDirSet`: DATA_DIR was chosen, not defaulted (an unreachable default gives way; a chosen one is an error). */
  database: { url: string } | { embedded: { dir: string; port: number; dataDirSet: boolean } };
  storage:
    | { backend: 'file'; root: string }
    | { backend: 's3'; endpoint?: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
  downloadRedirect: boolean;
  search: { backend: 'postgres' } | { backend: 'meilisearch'; host: string; apiKey?: string; index: string };
  workers: boolean;
  adminPassword?: string;
  maxUploadBytes: number;
  /** Question files are parsed in memory: their bound, well under the upload limit. */
  questionImportMaxBytes: number;
  reviewClaimLeaseMinutes: number;
  sessionTtlHours: number;
  /** A session unused this long is refused, whatever its absolute expiry. */
  sessionIdleHours: number;
  login: LoginThrottleConfig;
  /** Proxies (addresses, CIDRs, or proxy-addr's names such as `loopback`) whose X-Forwarded-For is believed; none by default. */
  trustProxy: string[];
  /** Signs short-lived URLs (HLS for unpublished material); from SECRET_KEY or DATA_DIR/secret.key. */
  secretKey?: string;
  media: { ffmpegPath?: string; ffprobePath?: string; stallSeconds: number; maxRealtimeFactor: number };
  /** Document previews: LibreOffice and poppler limits, the sandbox, and conversions per worker process (unset: sized by memory). */
  documents: { sofficePath?: string; timeoutSeconds: number; memoryMb: number; maxPages: number; workers?: number; sandbox: 'auto' | 'required' | 'off' };
  /** Unfinished resumable uploads are kept this long after their last byte. */
  uploadExpiryHours: number;
  /** Fields of the TV-lesson technical profile that QC_PROFILE overrides, and whether a failed check blocks submission. */
  qc: { profileOverrides: Record<string, unknown>; blocksSubmission: boolean };
  queue: { maintenanceIntervalSeconds: number; leaseSeconds?: number };
  /** Where the public reaches this system: links back from YouTube descriptions, the OAuth redirect. */
  publicUrl: string;
  /** Origins (scheme://host[:port]) whose pages may call the API from a browser; none: same origin only. */
  corsOrigins: string[];
  /** The second listener that serves interactive packages, and the origin (another site than the app's) it is reached at. */
  content: { port: number; origin: string };
  youtube: YouTubeConfig;
  /** Outgoing mail of notifications (nodemailer); none: notifications stay in the in-app inbox. */
  mail: { smtpUrl: string; from: string } | null;
}

/** Failed sign-ins allowed per key before each further attempt waits; see src/auth/login-throttle.ts. */
export interface LoginThrottleConfig {
  /** Per (account, client address): the strict limit. */
  maxFailures: number;
  /** Per client address, over accounts not signed in from it lately. */
  addressMaxFailures: number;
  /** Per account, over addresses it has not signed in from lately. */
  accountMaxFailures: number;
  /** The first wait; it doubles with each further failure, up to maxDelaySeconds. */
  delaySeconds: number;
  maxDelaySeconds: number;
}

/**
 * Google's endpoints (configuration, so tests and proxies can point elsewhere) and the quota of a
 * Google Cloud project. Google changes the numbers: budgets and costs are configuration too.
 */
export interface YouTubeConfig {
  authUrl: string;
  tokenUrl: string;
  apiUrl: string;
  uploadUrl: string;
  quota: YouTubeQuota;
  /** Bytes per upload request; YouTube wants multiples of 256 KiB. */
  chunkBytes: number;
  retryBaseMs: number;
  /** Wait between checks of YouTube's processing of an uploaded video. */
  processingPollMs: number;
}

export interface YouTubeQuota {
  /** Units per Pacific-time day for everything that is not in the uploads bucket. */
  dailyUnits: number;
  /** videos.insert calls per day in their own bucket; 0 for projects that pay uploads from dailyUnits. */
  dailyUploads: number;
  costs: { videosInsert: number; videosUpdate: number; videosList: number; thumbnailsSet: number; captionsInsert: number; playlistsInsert: number; playlistsList: number; playlistItemsInsert: number; channelsList: number };
}

/** Google's current published numbers: videos.insert in a bucket of its own, 10 000 units for the rest. */
export const DEFAULT_YOUTUBE_QUOTA: YouTubeQuota = {
  dailyUnits: 10_000,
  dailyUploads: 100,
  costs: { videosInsert: 0, videosUpdate: 50, videosList: 1, thumbnailsSet: 50, captionsInsert: 400, playlistsInsert: 50, playlistsList: 1, playlistItemsInsert: 50, channelsList: 1 },
};

function youtubeQuota(json: string | undefined): YouTubeQuota {
  const override = jsonObject('YOUTUBE_QUOTA', json);
  const costs = { ...DEFAULT_YOUTUBE_QUOTA.costs, ...(override.costs as object | undefined) };
  const quota = { ...DEFAULT_YOUTUBE_QUOTA, ...override, costs } as YouTubeQuota;
  const numbers = [quota.dailyUnits, quota.dailyUploads, ...Object.values(quota.costs)];
  if (!numbers.every((n) => Number.isInteger(n) && n >= 0)) throw new ConfigError('Invalid configuration:\n  YOUTUBE_QUOTA: budgets and costs must be whole numbers ≥ 0');
  return quota;
}

export class ConfigError extends Error {}

/** A comma-separated list of origins, each exactly as a browser sends it in the Origin header. */
/**
 * Packages are served from another site than the app's, so that nothing they run can reach the
 * app's cookies or pages: by default a second port on 127.0.0.1 while the app is on localhost (and
 * the other way round when PUBLIC_URL is on 127.0.0.1). Production sets CONTENT_ORIGIN to a domain of its own.
 */
function contentListener(port: number, contentPort: number | undefined, origin: string | undefined, publicUrl: string): Config['content'] {
  const listenPort = contentPort ?? (port === 0 ? 0 : port + 1);
  const appHost = URL.canParse(publicUrl) ? new URL(publicUrl).hostname : '';
  const value = (origin ?? `http://${appHost === '127.0.0.1' ? 'localhost' : '127.0.0.1'}:${listenPort}`).replace(/\/+$/, '');
  const parsed = URL.canParse(value) ? new URL(value) : null;
  if (!parsed || parsed.origin !== value) throw new ConfigError(`Invalid configuration:\n  CONTENT_ORIGIN: "${value}" is not an origin (scheme://host[:port], no path)`);
  if (appHost === parsed.hostname) {
    throw new ConfigError(`Invalid configuration:\n  CONTENT_ORIGIN: "${value}" must be on another host than PUBLIC_URL (a separate registrable domain in production)`);
  }
  return { port: listenPort, origin: value };
}

function corsOrigins(list: string | undefined): string[] {
  const origins = (list ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : null;
    if (!parsed || parsed.origin !== origin) throw new ConfigError(`Invalid configuration:\n  CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path or trailing slash)`);
  }
  return origins;
}

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A comma-separated list of proxy addresses: IPs, CIDRs, or the names loopback, linklocal, uniquelocal. */
function trustedProxies(list: string | undefined): string[] {
  const entries = (list ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!PROXY_ADDRESS_NAMES.has(entry) && (!family || !validPrefix || rest.length > 0)) {
      throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: "${entry}" is not an IP address, a CIDR range or one of ${[...PROXY_ADDRESS_NAMES].join(', ')}`);
    }
  }
  return entries;
}

const BOOLEAN_KEYS = new Set(['S3_FORCE_PATH_STYLE', 'DOWNLOAD_REDIRECT', 'QC_BLOCKS_SUBMISSION']);

function coerce(source: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const raw = source[key];
    if (raw === undefined || raw === '') continue;
    if (BOOLEAN_KEYS.has(key)) out[key] = ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
    else if (['integer', 'number'].includes((EnvSchema.properties as Record<string, { type?: string }>)[key]?.type ?? '')) out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

function jsonObject(name: string, json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ConfigError(`Invalid configuration:\n  ${name}: must be a JSON object`);
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const values = Value.Default(EnvSchema, coerce(source));
  if (!Value.Check(EnvSchema, values)) {
    const problems = [...Value.Errors(EnvSchema, values)].map((e) => `${e.instancePath.slice(1) || '(env)'}: ${e.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = values as Env;
  const dataDir = path.resolve(env.DATA_DIR);
  if (env.S3_ENDPOINT && !env.S3_BUCKET) throw new ConfigError('Invalid configuration: S3_BUCKET is required when S3_ENDPOINT is set');
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    dataDir,
    database: env.DATABASE_URL
      ? { url: env.DATABASE_URL }
      : { embedded: { dir: path.join(dataDir, 'pg'), port: env.EMBEDDED_PG_PORT, dataDirSet: source.DATA_DIR !== undefined } },
    storage: env.S3_BUCKET
      ? {
          backend: 's3',
          endpoint: env.S3_ENDPOINT,
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
        }
      : { backend: 'file', root: path.join(dataDir, 'objects') },
    downloadRedirect: env.DOWNLOAD_REDIRECT,
    search: env.MEILI_HOST
      ? { backend: 'meilisearch', host: env.MEILI_HOST, apiKey: env.MEILI_API_KEY, index: env.MEILI_INDEX }
      : { backend: 'postgres' },
    workers: env.WORKERS === 'on',
    adminPassword: env.ADMIN_PASSWORD,
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    questionImportMaxBytes: env.QUESTION_IMPORT_MAX_BYTES,
    reviewClaimLeaseMinutes: env.REVIEW_CLAIM_LEASE_MINUTES,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    sessionIdleHours: env.SESSION_IDLE_HOURS,
    login: {
      maxFailures: env.LOGIN_MAX_FAILURES, addressMaxFailures: env.LOGIN_ADDRESS_MAX_FAILURES, accountMaxFailures: env.LOGIN_ACCOUNT_MAX_FAILURES,
      delaySeconds: env.LOGIN_DELAY_SECONDS, maxDelaySeconds: env.LOGIN_MAX_DELAY_MINUTES * 60,
    },
    trustProxy: trustedProxies(env.TRUST_PROXY),
    secretKey: env.SECRET_KEY,
    media: { ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH, stallSeconds: env.FFMPEG_STALL_SECONDS, maxRealtimeFactor: env.FFMPEG_MAX_REALTIME_FACTOR },
    documents: {
      sofficePath: env.SOFFICE_PATH, timeoutSeconds: env.DOCUMENT_TIMEOUT_SECONDS, memoryMb: env.DOCUMENT_MEMORY_MB,
      maxPages: env.DOCUMENT_MAX_PAGES, workers: env.DOCUMENT_WORKERS, sandbox: env.DOCUMENT_SANDBOX,
    },
    uploadExpiryHours: env.UPLOAD_EXPIRY_HOURS,
    qc: { profileOverrides: jsonObject('QC_PROFILE', env.QC_PROFILE), blocksSubmission: env.QC_BLOCKS_SUBMISSION },
    queue: { maintenanceIntervalSeconds: env.QUEUE_MAINTENANCE_SECONDS, leaseSeconds: env.JOB_LEASE_SECONDS },
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    content: contentListener(env.PORT, env.CONTENT_PORT, env.CONTENT_ORIGIN, env.PUBLIC_URL ?? `http://localhost:${env.PORT}`),
    youtube: {
      authUrl: env.GOOGLE_AUTH_URL, tokenUrl: env.GOOGLE_TOKEN_URL, apiUrl: env.YOUTUBE_API_URL.replace(/\/+$/, ''), uploadUrl: env.YOUTUBE_UPLOAD_URL.replace(/\/+$/, ''),
      quota: youtubeQuota(env.YOUTUBE_QUOTA), chunkBytes: env.YOUTUBE_CHUNK_BYTES, retryBaseMs: env.YOUTUBE_RETRY_BASE_MS, processingPollMs: env.YOUTUBE_PROCESSING_POLL_MS,
    },
    mail: env.SMTP_URL
      ? { smtpUrl: env.SMTP_URL, from: env.SMTP_FROM ?? `Kho học liệu số <no-reply@${new URL(env.PUBLIC_URL ?? 'http://localhost').hostname}>` }
      : null,
  };
}
