/**
 * Errors of the YouTube Data API, parsed from Google's error JSON
 * `{error: {code, message, errors: [{domain, reason, message}]}}` and classified by what the
 * export job must do about them.
 */

/**
 * - `quota`: the Google Cloud project spent its day: pause the whole project until the reset.
 * - `uploadLimit`: the channel uploaded too much in 24 hours: pause that channel for a day.
 * - `auth`: the access token was refused even after a refresh: the channel needs attention.
 * - `retryable`: 5xx, rate limits and network failures: try again later, resuming the session.
 * - `notFound`: the video, playlist or upload session no longer exists.
 * - `fatal`: any other refusal (bad metadata, forbidden…): show YouTube's reason to the publisher.
 */
export type YouTubeErrorKind = 'quota' | 'uploadLimit' | 'auth' | 'retryable' | 'notFound' | 'fatal';

// Reasons YouTube gives with a 403 that mean "later", not "never".
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError']);
const QUOTA_REASONS = new Set(['quotaExceeded', 'dailyLimitExceeded']);

export function classifyYouTubeError(status: number, reason: string): YouTubeErrorKind {
  if (QUOTA_REASONS.has(reason)) return 'quota';
  if (reason === 'uploadLimitExceeded') return 'uploadLimit';
  if (status === 401) return 'auth';
  if (status === 0 || status >= 500 || status === 429 || RATE_LIMIT_REASONS.has(reason)) return 'retryable';
  if (status === 404) return 'notFound';
  return 'fatal';
}

export class YouTubeApiError extends Error {
  readonly kind: YouTubeErrorKind;
  constructor(
    /** HTTP status; 0 when no answer came back (network failure). */
    readonly status: number,
    /** YouTube's reason (`quotaExceeded`, `invalidTitle`…), or `networkError` when nothing answered. */
    readonly reason: string,
    readonly domain: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'YouTubeApiError';
    this.kind = classifyYouTubeError(status, reason);
  }

  /** No HTTP answer at all: the connection failed or was cut. */
  static network(cause: unknown): YouTubeApiError {
    const detail = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    return new YouTubeApiError(0, 'networkError', 'network', `Network failure talking to YouTube: ${detail}`, { cause });
  }
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; errors?: Array<{ domain?: string; reason?: string; message?: string }> } | string;
}

/** Reads a failed response's body into a YouTubeApiError. Tolerates bodies that are not Google's JSON (proxies, HTML). */
export async function youTubeErrorFrom(response: Response): Promise<YouTubeApiError> {
  const text = await response.text().catch(() => '');
  let body: GoogleErrorBody = {};
  try {
    body = JSON.parse(text) as GoogleErrorBody;
  } catch {
    // Not JSON: keep the status and a short excerpt.
  }
  const error = typeof body.error === 'object' ? body.error : undefined;
  const first = error?.errors?.[0];
  const reason = first?.reason ?? (response.status >= 500 ? 'backendError' : 'unknown');
  const message = first?.message ?? error?.message ?? (text.slice(0, 200) || response.statusText);
  return new YouTubeApiError(response.status, reason, first?.domain ?? 'global', message);
}
