import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessTokenProvider } from './google-oauth.js';
import type { Video, VideoMetadata } from './youtube-api.js';
import { YouTubeApiError, youTubeErrorFrom } from './youtube-errors.js';

/**
 * YouTube's resumable upload protocol, implemented here because the official client uploads media
 * in one request and cannot resume (googleapis issue #276):
 *
 * 1. POST the metadata to `{upload}/videos?uploadType=resumable` → the session URI in `Location`.
 *    It is handed to `saveSession` and awaited BEFORE any byte is sent, so that a crashed worker
 *    resumes the same session instead of creating a second video.
 * 2. PUT chunks (`Content-Range: bytes a-b/total`, every chunk but the last a multiple of 256 KiB).
 *    `308` + `Range: bytes=0-N` says what YouTube holds; that, not what we sent, is where the next
 *    chunk starts. The last chunk is answered `200`/`201` with the video resource.
 * 3. After a network failure or a 5xx, an empty PUT with `Content-Range: bytes *\/total` asks where
 *    YouTube stands, after an exponential backoff with jitter.
 * 4. `404` on the session: it expired. A new session starts from zero (and costs quota again:
 *    `saveSession` is told it replaces an expired one).
 *
 * Memory stays flat: the source is streamed one chunk at a time and only the last chunk is kept
 * (a chunk YouTube took part of is resent from the part it lacks without reopening the source).
 */

const QUANTUM = 256 * 1024;

export interface ResumableUploadOptions {
  /** Base of the upload API, `config.youtube.uploadUrl`. */
  uploadUrl: string;
  accessToken: AccessTokenProvider;
  video: VideoMetadata;
  size: number;
  /** `video/*` or `application/octet-stream`. */
  contentType: string;
  /** The video bytes from `offset` to the end (an object-storage read, a file stream…). */
  openStream(offset: number): Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;
  /** Bytes per PUT: a multiple of 256 KiB (`config.youtube.chunkBytes`). */
  chunkBytes: number;
  retry: {
    /** First backoff (`config.youtube.retryBaseMs`); doubled after each consecutive failure. */
    baseMs: number;
    maxDelayMs?: number;
    /** Consecutive failures (network, 5xx, expired sessions) tolerated before giving up. */
    maxAttempts?: number;
  };
  /** The session of an earlier attempt, from the database; null to start one. */
  sessionUri: string | null;
  /** Persist a new session URI. Called before its first byte is sent; `replacesExpired` when the previous one expired (a second videos.insert). */
  saveSession(uri: string, info: { replacesExpired: boolean }): Promise<void>;
  /** Bytes YouTube confirmed holding, after each chunk. */
  saveProgress(bytesConfirmed: number): Promise<void>;
  signal?: AbortSignal;
}

export interface ResumableUploadResult {
  video: Video;
  /** New sessions started by this call (0 when an earlier session was resumed to the end). */
  sessionsStarted: number;
}

/**
 * Uploads (or resumes uploading) a video. Throws YouTubeApiError for YouTube's refusals
 * (`quota`, `uploadLimit`, `fatal`…, see its `kind`) and, after `maxAttempts` consecutive
 * failures, the last one (`retryable`): the session stays saved, a later attempt resumes it.
 * Errors of the token provider and of the source stream are rethrown as they are.
 */
export async function uploadResumable(options: ResumableUploadOptions): Promise<ResumableUploadResult> {
  const { size, chunkBytes } = options;
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0 || chunkBytes % QUANTUM !== 0) throw new RangeError(`chunkBytes must be a positive multiple of ${QUANTUM}`);
  if (!Number.isInteger(size) || size <= 0) throw new RangeError('size must be a positive integer');
  const maxAttempts = options.retry.maxAttempts ?? 8;
  const maxDelayMs = options.retry.maxDelayMs ?? 60_000;

  const source = new ChunkSource(options.openStream);
  let session = options.sessionUri;
  // null: unknown, ask YouTube before sending (a session from the database, or after a failure).
  let offset: number | null = session ? null : 0;
  let sessionsStarted = 0;
  let sessionExpired = false;
  let failures = 0;
  // One token refresh per 401: a second 401 in a row means the refreshed token is refused too.
  let refreshNext = false;
  let refreshedSinceSuccess = false;

  const fail = async (error: YouTubeApiError) => {
    failures += 1;
    if (failures >= maxAttempts) throw error;
    const ceiling = Math.min(maxDelayMs, options.retry.baseMs * 2 ** (failures - 1));
    await sleep(ceiling / 2 + Math.random() * (ceiling / 2), undefined, { signal: options.signal });
  };

  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const step: 'start' | 'status' | 'chunk' = !session ? 'start' : offset === null ? 'status' : 'chunk';
      const chunk = step === 'chunk' ? await source.read(offset!, Math.min(offset! + chunkBytes, size)) : null;
      const token = await options.accessToken(refreshNext);
      refreshNext = false;

      let response: Response;
      try {
        if (step === 'start') response = await startSession(options, token);
        else if (step === 'status') response = await put(session!, token, `bytes */${size}`, options.contentType, null, options.signal);
        else response = await put(session!, token, `bytes ${offset}-${offset! + chunk!.length - 1}/${size}`, options.contentType, chunk, options.signal);
      } catch (cause) {
        if (options.signal?.aborted) throw cause;
        // The connection failed or was cut mid-chunk: YouTube may hold part of it. Ask.
        await fail(YouTubeApiError.network(cause));
        if (session) offset = null;
        continue;
      }

      if (response.status === 401) {
        const error = await youTubeErrorFrom(response);
        if (refreshedSinceSuccess) throw error;
        refreshedSinceSuccess = true;
        refreshNext = true;
        if (session) offset = null;
        continue;
      }
      if (response.status >= 500 || response.status === 429) {
        await fail(await youTubeErrorFrom(response));
        if (session) offset = null;
        continue;
      }

      if (step === 'start') {
        if (response.status !== 200 && response.status !== 201) throw await youTubeErrorFrom(response);
        const location = response.headers.get('location');
        await response.arrayBuffer();
        if (!location) throw new YouTubeApiError(response.status, 'noSessionUri', 'upload', 'YouTube started no upload session (no Location header)');
        await options.saveSession(location, { replacesExpired: sessionExpired });
        session = location;
        sessionsStarted += 1;
        sessionExpired = false;
        offset = 0;
        refreshedSinceSuccess = false;
        continue;
      }

      if (response.status === 200 || response.status === 201) {
        await options.saveProgress(size);
        return { video: (await response.json()) as Video, sessionsStarted };
      }
      if (response.status === 308) {
        await response.arrayBuffer();
        const confirmed = confirmedBytes(response.headers.get('range'));
        refreshedSinceSuccess = false;
        if (confirmed >= size) {
          // Everything is there but the session did not finish: ask once more (after a pause).
          await fail(new YouTubeApiError(308, 'incompleteSession', 'upload', 'YouTube holds every byte but did not complete the upload'));
          offset = null;
          continue;
        }
        failures = 0;
        offset = confirmed;
        await options.saveProgress(confirmed);
        continue;
      }
      if (response.status === 404 || response.status === 410) {
        await response.arrayBuffer();
        await fail(new YouTubeApiError(response.status, 'uploadSessionExpired', 'upload', 'The resumable upload session expired'));
        session = null;
        sessionExpired = true;
        continue;
      }
      throw await youTubeErrorFrom(response);
    }
  } finally {
    await source.close();
  }
}

function startSession(options: ResumableUploadOptions, token: string): Promise<Response> {
  return fetch(`${options.uploadUrl}/videos?uploadType=resumable&part=snippet,status`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json; charset=UTF-8',
      'x-upload-content-length': String(options.size),
      'x-upload-content-type': options.contentType,
    },
    body: JSON.stringify(options.video),
    signal: options.signal,
  });
}

function put(session: string, token: string, contentRange: string, contentType: string, chunk: Uint8Array | null, signal: AbortSignal | undefined): Promise<Response> {
  return fetch(session, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-range': contentRange, 'content-type': contentType },
    // Node's fetch takes any Uint8Array; the DOM types (which Preact's JSX types bring in) name only ArrayBuffer-backed ones.
    body: (chunk ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>,
    signal,
  });
}

/** `Range: bytes=0-N` → N + 1 bytes held; no Range header → none yet. */
function confirmedBytes(range: string | null): number {
  const match = range ? /^bytes=0-(\d+)$/.exec(range.trim()) : null;
  return match ? Number(match[1]) + 1 : 0;
}

/**
 * Reads [start, end) ranges of the video in increasing order from one open stream, reopening it
 * only when asked for a range that is neither next nor inside the last chunk read.
 */
class ChunkSource {
  private iterator: AsyncIterator<Uint8Array> | null = null;
  /** Offset of the first byte of `pending`. */
  private position = 0;
  /** Bytes read from the stream but not handed out yet. */
  private pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  private last: { start: number; bytes: Buffer } | null = null;

  constructor(private readonly open: ResumableUploadOptions['openStream']) {}

  async read(start: number, end: number): Promise<Buffer> {
    const last = this.last;
    const lastEnd = last ? last.start + last.bytes.length : -1;
    let prefix: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    if (last && this.iterator && lastEnd === this.position && start >= last.start && start <= lastEnd) {
      if (end <= lastEnd) return last.bytes.subarray(start - last.start, end - last.start);
      prefix = last.bytes.subarray(start - last.start);
    } else if (!this.iterator || start !== this.position) {
      await this.close();
      this.iterator = (await this.open(start))[Symbol.asyncIterator]();
      this.position = start;
    }
    const bytes = Buffer.concat([prefix, await this.take(end - this.position)]);
    this.last = { start, bytes };
    return bytes;
  }

  private async take(count: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < count) {
      if (this.pending.length === 0) {
        const next = await this.iterator!.next();
        if (next.done) throw new Error(`The video source ended at byte ${this.position + have}, before the announced size`);
        this.pending = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        continue;
      }
      const piece = this.pending.subarray(0, count - have);
      this.pending = this.pending.subarray(piece.length);
      parts.push(piece);
      have += piece.length;
    }
    this.position += count;
    return Buffer.concat(parts);
  }

  async close(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = null;
    this.pending = Buffer.alloc(0);
    this.last = null;
    await iterator?.return?.();
  }
}
