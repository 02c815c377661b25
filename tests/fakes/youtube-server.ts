import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_YOUTUBE_QUOTA, type YouTubeQuota } from '../../src/core/config.js';

/**
 * A local fake of Google's OAuth 2.0 endpoints and of the YouTube Data API v3, faithful to the
 * documented protocol so that the production client runs against it unchanged (its base URLs are
 * configuration):
 *
 * - consent page (redirects at once, with `code` and `state`, or `error=access_denied`) and token
 *   endpoint (authorization_code once per code, refresh_token, invalid_grant, invalid_client);
 * - resumable uploads: sessions, 256 KiB chunk rule, `308` + `Range`, `bytes *\/total` status
 *   queries, `404` for expired sessions;
 * - channels.list, videos.list/update, thumbnails.set, captions.insert (multipart/related),
 *   playlists.list/insert, playlistItems.insert;
 * - Google's error JSON `{error: {code, message, errors: [{domain, reason, message}]}}`, Bearer
 *   tokens that expire, and quota per Google Cloud project (the OAuth client) at configurable costs.
 *
 * Faults are injected from the test, in-process: a connection cut after N bytes of the next chunk
 * (what arrived is kept, as YouTube does), a 5xx on the next request, expired sessions and tokens,
 * revoked refresh tokens, a channel's upload limit, an unaudited project (uploads forced private).
 */

export interface FakeChannel {
  id: string;
  title: string;
}

export interface FakeVideo {
  id: string;
  channelId: string;
  clientId: string;
  bytes: Buffer;
  contentType: string;
  snippet: Record<string, unknown> & { title: string };
  status: Record<string, unknown> & { privacyStatus: string };
  /** The privacy asked for at upload, before an unaudited project forced it private. */
  requestedPrivacy: string;
  processingPolls: number;
  thumbnail: { contentType: string; bytes: Buffer } | null;
  captions: Array<{ id: string; language: string; name: string; content: Buffer; contentType: string }>;
  playlists: string[];
}

export interface FakePlaylist {
  id: string;
  channelId: string;
  snippet: { title: string; description: string; defaultLanguage?: string };
  status: { privacyStatus: string };
  videoIds: string[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The request's Content-Range header (upload PUTs). */
  contentRange?: string;
  /** Body bytes that arrived (before a cut). */
  bytesReceived: number;
  /** The fake destroyed the connection in the middle of the body. */
  cut?: boolean;
}

/** Which requests a fault applies to: chunk PUTs (with bytes), anything under /upload, the metadata API, the token endpoint. */
export type FaultTarget = 'chunk' | 'upload' | 'api' | 'token' | 'any';

type Fault =
  | { target: FaultTarget; type: 'cut'; afterBytes: number }
  | { target: FaultTarget; type: 'error'; status: number; reason: string; domain: string; message: string };

interface UploadSession {
  id: string;
  clientId: string;
  channelId: string;
  total: number;
  contentType: string;
  metadata: { snippet: FakeVideo['snippet']; status: FakeVideo['status'] };
  parts: string[];
  chunks: Buffer[];
  received: number;
  expired: boolean;
  videoId: string | null;
}

interface AccessGrant {
  clientId: string;
  channelId: string;
  expiresAt: number;
}

const QUANTUM = 256 * 1024;
const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;
const QUOTA_MESSAGE = 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';

/** A Google API error: thrown by handlers, answered in Google's JSON shape. */
class GoogleError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly domain = 'global',
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const id = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
const etag = () => id(27);

export class FakeYouTube {
  readonly videos = new Map<string, FakeVideo>();
  readonly playlists = new Map<string, FakePlaylist>();
  readonly requests: LoggedRequest[] = [];
  readonly channels = new Map<string, FakeChannel>();
  /** When true, the project has not passed Google's API audit: every upload ends up private. */
  unverifiedProject = false;

  private readonly clients = new Map<string, string>();
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; channelId: string; scope: string; offline: boolean; used: boolean }>();
  private readonly refreshTokens = new Map<string, { clientId: string; channelId: string; scope: string; revoked: boolean }>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly sessions = new Map<string, UploadSession>();
  private readonly quotaUsed = new Map<string, { units: number; uploads: number }>();
  private readonly uploadLimits = new Map<string, number>();
  private readonly uploadsStarted = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private denyNext = false;
  private consentChannelId: string;
  private baseUrl = '';

  private constructor(
    private readonly server: http.Server,
    private readonly quota: YouTubeQuota,
    private readonly accessTokenSeconds: number,
    channel: FakeChannel,
  ) {
    this.channels.set(channel.id, channel);
    this.consentChannelId = channel.id;
  }

  static async start(options: { quota?: YouTubeQuota; channel?: FakeChannel; accessTokenSeconds?: number } = {}): Promise<FakeYouTube> {
    const server = http.createServer();
    const fake = new FakeYouTube(server, options.quota ?? DEFAULT_YOUTUBE_QUOTA, options.accessTokenSeconds ?? 3599, options.channel ?? { id: `UC${id(22)}`, title: 'Kênh Học liệu số (thử nghiệm)' });
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The four base URLs, shaped like `config.youtube` (GOOGLE_AUTH_URL, GOOGLE_TOKEN_URL, YOUTUBE_API_URL, YOUTUBE_UPLOAD_URL). */
  get urls() {
    return {
      authUrl: `${this.baseUrl}/o/oauth2/v2/auth`,
      tokenUrl: `${this.baseUrl}/token`,
      apiUrl: `${this.baseUrl}/youtube/v3`,
      uploadUrl: `${this.baseUrl}/upload/youtube/v3`,
    };
  }

  // ---- Controls -------------------------------------------------------------------------------

  /** An OAuth client (a Google Cloud project) the token endpoint accepts. */
  registerClient(clientId: string, clientSecret: string): void {
    this.clients.set(clientId, clientSecret);
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, channel);
  }

  /** The channel the next consents grant access to (the one the user would pick on Google's page). */
  consentAs(channelId: string): void {
    this.consentChannelId = channelId;
  }

  /** The next consent answers `error=access_denied` (the user clicked "Cancel"). */
  denyNextConsent(): void {
    this.denyNext = true;
  }

  /** Every access token issued so far expires now: the API answers 401 until the client refreshes. */
  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = 0;
  }

  /** The user removed our access in their Google account: refreshes get invalid_grant. */
  revokeRefreshTokens(): void {
    for (const token of this.refreshTokens.values()) token.revoked = true;
    this.accessTokens.clear();
  }

  /** The next chunk PUT has its connection destroyed after `afterBytes` of its body (those bytes are kept). */
  cutNextChunk(afterBytes: number): void {
    this.faults.push({ target: 'chunk', type: 'cut', afterBytes });
  }

  /** The next request matching `target` is answered with this status (its body is read and dropped). */
  failNext(target: FaultTarget, status: number, error?: { reason: string; domain?: string; message?: string }): void {
    const reason = error?.reason ?? (status >= 500 ? 'backendError' : 'badRequest');
    this.faults.push({ target, type: 'error', status, reason, domain: error?.domain ?? 'global', message: error?.message ?? http.STATUS_CODES[status] ?? 'Error' });
  }

  /** Spends the rest of the project's daily units (and uploads), as if other channels had used them. */
  exhaustQuota(clientId: string): void {
    this.quotaUsed.set(clientId, { units: this.quota.dailyUnits, uploads: this.quota.dailyUploads });
  }

  /** A new Pacific-time day: the project's quota is whole again. */
  resetQuota(): void {
    this.quotaUsed.clear();
  }

  /** The channel may start only `count` more uploads in the current 24 hours; then `uploadLimitExceeded`. */
  limitUploads(channelId: string, count: number): void {
    this.uploadLimits.set(channelId, (this.uploadsStarted.get(channelId) ?? 0) + count);
  }

  /** Every open upload session expires (YouTube keeps them about a week). */
  expireUploadSessions(): void {
    for (const session of this.sessions.values()) if (!session.videoId) session.expired = true;
  }

  // ---- Inspection ------------------------------------------------------------------------------

  quotaOf(clientId: string): { units: number; uploads: number } {
    return { ...(this.quotaUsed.get(clientId) ?? { units: 0, uploads: 0 }) };
  }

  /** Upload sessions started (each is a videos.insert call). */
  get sessionsStarted(): number {
    return this.sessions.size;
  }

  sha256(videoId: string): string {
    const video = this.videos.get(videoId);
    if (!video) throw new Error(`no video ${videoId}`);
    return createHash('sha256').update(video.bytes).digest('hex');
  }

  // ---- Dispatch --------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, bytesReceived: 0 };
    if (typeof req.headers['content-range'] === 'string') entry.contentRange = req.headers['content-range'];
    this.requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    try {
      const target = this.targetOf(req.method ?? 'GET', url, req.headers['content-range']);
      const fault = this.takeFault(target);
      if (fault?.type === 'error') {
        entry.bytesReceived = (await readBody(req)).length;
        throw new GoogleError(fault.status, fault.reason, fault.message, fault.domain);
      }
      if (url.pathname === '/o/oauth2/v2/auth' && req.method === 'GET') return this.consent(url, res);
      if (url.pathname === '/token' && req.method === 'POST') return await this.token(req, res, entry);
      if (url.pathname === '/upload/youtube/v3/videos' && req.method === 'POST') return await this.startUpload(req, url, res, entry);
      if (url.pathname === '/upload/youtube/v3/videos' && req.method === 'PUT') return await this.uploadChunk(req, url, res, entry, fault);
      if (url.pathname === '/upload/youtube/v3/thumbnails/set' && req.method === 'POST') return await this.setThumbnail(req, url, res, entry);
      if (url.pathname === '/upload/youtube/v3/captions' && req.method === 'POST') return await this.insertCaption(req, url, res, entry);
      const route = `${req.method} ${url.pathname}`;
      const handler = ({
        'GET /youtube/v3/channels': this.listChannels,
        'GET /youtube/v3/videos': this.listVideos,
        'PUT /youtube/v3/videos': this.updateVideo,
        'GET /youtube/v3/playlists': this.listPlaylists,
        'POST /youtube/v3/playlists': this.insertPlaylist,
        'POST /youtube/v3/playlistItems': this.insertPlaylistItem,
      } as Record<string, ((grant: AccessGrant, url: URL, body: Buffer) => unknown) | undefined>)[route];
      const body = await readBody(req);
      entry.bytesReceived = body.length;
      if (!handler) throw new GoogleError(404, 'notFound', 'Not Found');
      sendJson(res, 200, handler.call(this, this.authorize(req), url, body));
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof GoogleError) return sendGoogleError(res, error);
      sendGoogleError(res, new GoogleError(500, 'backendError', error instanceof Error ? error.message : 'Internal error'));
    }
  }

  private targetOf(method: string, url: URL, contentRange: string | undefined): Exclude<FaultTarget, 'any'> {
    if (url.pathname === '/token') return 'token';
    if (url.pathname.startsWith('/upload/')) return method === 'PUT' && contentRange !== undefined && !contentRange.startsWith('bytes */') ? 'chunk' : 'upload';
    return 'api';
  }

  private takeFault(target: Exclude<FaultTarget, 'any'>): Fault | undefined {
    const index = this.faults.findIndex((f) => f.target === target || f.target === 'any' || (f.target === 'upload' && target === 'chunk'));
    return index < 0 ? undefined : this.faults.splice(index, 1)[0];
  }

  // ---- OAuth -----------------------------------------------------------------------------------

  private consent(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri');
    if (!this.clients.has(clientId)) return sendText(res, 401, 'Error 401: invalid_client\nThe OAuth client was not found.');
    if (!redirectUri) return sendText(res, 400, 'Error 400: invalid_request\nMissing required parameter: redirect_uri');
    if (q.get('response_type') !== 'code') return sendText(res, 400, 'Error 400: invalid_request\nresponse_type must be code');
    const scope = q.get('scope');
    if (!scope) return sendText(res, 400, 'Error 400: invalid_request\nMissing required parameter: scope');
    const target = new URL(redirectUri);
    const state = q.get('state');
    if (this.denyNext) {
      this.denyNext = false;
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = `4/0A${id(60)}`;
      this.codes.set(code, { clientId, redirectUri, channelId: this.consentChannelId, scope, offline: q.get('access_type') === 'offline', used: false });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', scope);
    }
    if (state !== null) target.searchParams.set('state', state);
    res.writeHead(302, { location: target.toString() }).end();
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse, entry: LoggedRequest): Promise<void> {
    const raw = await readBody(req);
    entry.bytesReceived = raw.length;
    const form = new URLSearchParams(raw.toString('utf8'));
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) [clientId = '', clientSecret = ''] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    const oauthError = (status: number, error: string, description: string) => sendJson(res, status, { error, error_description: description });
    if (!this.clients.has(clientId)) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (this.clients.get(clientId) !== clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');

    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const grant = this.codes.get(form.get('code') ?? '');
      if (!grant || grant.used || grant.clientId !== clientId) return oauthError(400, 'invalid_grant', grant ? 'Bad Request' : 'Malformed auth code.');
      if (grant.redirectUri !== form.get('redirect_uri')) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      grant.used = true;
      const body: Record<string, unknown> = { ...this.issueAccessToken(clientId, grant.channelId), scope: grant.scope, token_type: 'Bearer' };
      if (grant.offline) {
        const refreshToken = `1//0${id(100)}`;
        this.refreshTokens.set(refreshToken, { clientId, channelId: grant.channelId, scope: grant.scope, revoked: false });
        body.refresh_token = refreshToken;
      }
      return sendJson(res, 200, body, { 'cache-control': 'no-store' });
    }
    if (grantType === 'refresh_token') {
      const grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      if (grant.clientId !== clientId) return oauthError(401, 'unauthorized_client', 'Unauthorized');
      return sendJson(res, 200, { ...this.issueAccessToken(clientId, grant.channelId), scope: grant.scope, token_type: 'Bearer' }, { 'cache-control': 'no-store' });
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
  }

  private issueAccessToken(clientId: string, channelId: string) {
    const token = `ya29.${id(120)}`;
    this.accessTokens.set(token, { clientId, channelId, expiresAt: Date.now() + this.accessTokenSeconds * 1000 });
    return { access_token: token, expires_in: this.accessTokenSeconds };
  }

  private authorize(req: http.IncomingMessage): AccessGrant {
    const header = req.headers.authorization;
    if (!header) {
      throw new GoogleError(401, 'required', 'Login Required.', 'global', { location: 'Authorization', locationType: 'header' });
    }
    const grant = this.accessTokens.get(/^Bearer (.+)$/i.exec(header)?.[1] ?? '');
    if (!grant || grant.expiresAt <= Date.now()) {
      throw new GoogleError(401, 'authError', 'Invalid Credentials', 'global', { location: 'Authorization', locationType: 'header' });
    }
    return grant;
  }

  private charge(clientId: string, units: number, uploads = 0): void {
    const used = this.quotaUsed.get(clientId) ?? { units: 0, uploads: 0 };
    const uploadsBucket = this.quota.dailyUploads > 0 ? uploads : 0;
    if (used.units + units > this.quota.dailyUnits || (uploadsBucket > 0 && used.uploads + uploadsBucket > this.quota.dailyUploads)) {
      throw new GoogleError(403, 'quotaExceeded', QUOTA_MESSAGE, 'youtube.quota');
    }
    this.quotaUsed.set(clientId, { units: used.units + units, uploads: used.uploads + uploadsBucket });
  }

  // ---- Resumable uploads -----------------------------------------------------------------------

  private async startUpload(req: http.IncomingMessage, url: URL, res: http.ServerResponse, entry: LoggedRequest): Promise<void> {
    const body = await readBody(req);
    entry.bytesReceived = body.length;
    const grant = this.authorize(req);
    if (url.searchParams.get('uploadType') !== 'resumable') throw new GoogleError(400, 'invalidUploadType', 'This fake supports uploadType=resumable only.');
    const parts = requiredParam(url, 'part').split(',');
    const total = Number(req.headers['x-upload-content-length']);
    if (!Number.isSafeInteger(total) || total <= 0) throw new GoogleError(400, 'badRequest', 'X-Upload-Content-Length must be a positive integer.');
    const contentType = String(req.headers['x-upload-content-type'] ?? 'application/octet-stream');
    if (!contentType.startsWith('video/') && contentType !== 'application/octet-stream') {
      throw new GoogleError(400, 'invalidContentType', `Media type '${contentType}' is not supported.`, 'youtube.video');
    }
    const resource = parseJson(body) as { snippet?: Record<string, unknown>; status?: Record<string, unknown> };
    const snippet = validateSnippet(resource.snippet);
    const status = validateStatus(resource.status);
    const limit = this.uploadLimits.get(grant.channelId);
    const started = this.uploadsStarted.get(grant.channelId) ?? 0;
    if (limit !== undefined && started >= limit) {
      throw new GoogleError(400, 'uploadLimitExceeded', 'The user has exceeded the number of videos they may upload.', 'youtube.video');
    }
    this.charge(grant.clientId, this.quota.costs.videosInsert, 1);
    this.uploadsStarted.set(grant.channelId, started + 1);
    const session: UploadSession = {
      id: id(40), clientId: grant.clientId, channelId: grant.channelId, total, contentType, metadata: { snippet, status }, parts,
      chunks: [], received: 0, expired: false, videoId: null,
    };
    this.sessions.set(session.id, session);
    const location = `${this.urls.uploadUrl}/videos?uploadType=resumable&part=${encodeURIComponent(parts.join(','))}&upload_id=${session.id}`;
    res.writeHead(200, { location, 'x-guploader-uploadid': session.id, 'content-length': '0' }).end();
  }

  private async uploadChunk(req: http.IncomingMessage, url: URL, res: http.ServerResponse, entry: LoggedRequest, fault: Fault | undefined): Promise<void> {
    const session = this.sessions.get(url.searchParams.get('upload_id') ?? '');
    const drain = async () => {
      entry.bytesReceived = (await readBody(req)).length;
    };
    if (!session || session.expired) {
      await drain();
      throw new GoogleError(404, 'notFound', 'Not Found');
    }
    // The session URI itself identifies the upload; a token, when sent, must still be valid.
    if (req.headers.authorization) {
      try {
        this.authorize(req);
      } catch (error) {
        await drain();
        throw error;
      }
    }
    const range = parseContentRange(req.headers['content-range'], Number(req.headers['content-length'] ?? 0));
    if (!range || range.total !== session.total) {
      await drain();
      throw new GoogleError(400, 'badContent', `Failed to parse Content-Range header or it does not match the announced ${session.total} bytes.`);
    }
    if (range.query) {
      await drain();
      return this.answerUpload(res, session);
    }
    if (session.videoId) {
      await drain();
      return this.answerUpload(res, session);
    }
    const length = range.end - range.start + 1;
    const final = range.end + 1 === session.total;
    if (!final && length % QUANTUM !== 0) {
      await drain();
      throw new GoogleError(400, 'badContent', `Invalid chunk size: a chunk that is not the last must be a multiple of ${QUANTUM} bytes.`);
    }
    if (range.start > session.received) {
      await drain();
      throw new GoogleError(400, 'badContent', `Content-Range starts at ${range.start} but only ${session.received} bytes were received.`);
    }
    const cutAfter = fault?.type === 'cut' ? fault.afterBytes : Infinity;
    let position = range.start;
    let arrived = 0;
    await new Promise<void>((resolve) => {
      req.on('data', (data: Buffer) => {
        if (arrived >= cutAfter) return;
        const piece = data.subarray(0, Math.min(data.length, cutAfter - arrived));
        arrived += piece.length;
        // Bytes YouTube already holds (a resent overlap) are skipped, not stored twice.
        const fresh = piece.subarray(Math.max(0, session.received - position), Math.max(0, range.end + 1 - position));
        position += piece.length;
        if (fresh.length > 0) {
          session.chunks.push(Buffer.from(fresh));
          session.received += fresh.length;
        }
        if (arrived >= cutAfter) {
          entry.cut = true;
          req.socket.destroy();
          resolve();
        }
      });
      req.on('end', () => resolve());
      req.on('close', () => resolve());
    });
    entry.bytesReceived = arrived;
    if (entry.cut) return;
    if (arrived !== length) throw new GoogleError(400, 'badContent', `The body has ${arrived} bytes but Content-Range announced ${length}.`);
    if (session.received === session.total) this.completeUpload(session);
    this.answerUpload(res, session);
  }

  private completeUpload(session: UploadSession): void {
    const videoId = id(11);
    const requestedPrivacy = session.metadata.status.privacyStatus;
    const status = { ...session.metadata.status };
    if (this.unverifiedProject && requestedPrivacy !== 'private') {
      // What Google does to videos uploaded through an unaudited API project: locked private.
      status.privacyStatus = 'private';
      delete status.publishAt;
    }
    this.videos.set(videoId, {
      id: videoId, channelId: session.channelId, clientId: session.clientId, bytes: Buffer.concat(session.chunks), contentType: session.contentType,
      snippet: { ...session.metadata.snippet, channelId: session.channelId, channelTitle: this.channels.get(session.channelId)?.title ?? '', publishedAt: new Date().toISOString() },
      status: { ...status, uploadStatus: 'uploaded' }, requestedPrivacy, processingPolls: 0, thumbnail: null, captions: [], playlists: [],
    });
    session.chunks = [];
    session.videoId = videoId;
  }

  private answerUpload(res: http.ServerResponse, session: UploadSession): void {
    if (session.videoId) {
      const video = this.videos.get(session.videoId)!;
      return sendJson(res, 201, this.videoResource(video, session.parts));
    }
    const headers: Record<string, string> = { 'content-length': '0' };
    if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
    res.writeHead(308, headers).end();
  }

  private videoResource(video: FakeVideo, parts: string[]) {
    const resource: Record<string, unknown> = { kind: 'youtube#video', etag: etag(), id: video.id };
    if (parts.includes('snippet')) {
      resource.snippet = {
        ...video.snippet,
        thumbnails: thumbnailSet(video),
        liveBroadcastContent: 'none',
        localized: { title: video.snippet.title, description: video.snippet.description ?? '' },
      };
    }
    if (parts.includes('status')) {
      const declared = video.status.selfDeclaredMadeForKids;
      resource.status = { license: 'youtube', embeddable: true, publicStatsViewable: true, ...video.status, madeForKids: declared === true };
    }
    if (parts.includes('processingDetails')) {
      resource.processingDetails = { processingStatus: video.processingPolls === 0 ? 'processing' : 'succeeded' };
    }
    return resource;
  }

  // ---- Metadata API ----------------------------------------------------------------------------

  private listChannels(grant: AccessGrant, url: URL) {
    requiredParam(url, 'part');
    if (url.searchParams.get('mine') !== 'true') throw new GoogleError(400, 'missingRequiredParameter', 'This fake answers channels.list with mine=true only.');
    this.charge(grant.clientId, this.quota.costs.channelsList);
    const channel = this.channels.get(grant.channelId)!;
    return {
      kind: 'youtube#channelListResponse', etag: etag(), pageInfo: { totalResults: 1, resultsPerPage: 5 },
      items: [{ kind: 'youtube#channel', etag: etag(), id: channel.id, snippet: { title: channel.title, description: '', customUrl: `@${channel.id.toLowerCase()}`, publishedAt: '2020-09-01T00:00:00Z', localized: { title: channel.title, description: '' } } }],
    };
  }

  private listVideos(grant: AccessGrant, url: URL) {
    const parts = requiredParam(url, 'part').split(',');
    const ids = requiredParam(url, 'id').split(',');
    this.charge(grant.clientId, this.quota.costs.videosList);
    const items = [];
    for (const videoId of ids) {
      const video = this.videos.get(videoId);
      // Others' private videos are invisible, as on YouTube.
      if (!video || (video.channelId !== grant.channelId && video.status.privacyStatus === 'private')) continue;
      items.push(this.videoResource(video, parts));
      if (parts.includes('processingDetails') || parts.includes('status')) {
        // Processing finishes once it has been seen in progress: one poll says `processing`, the next `succeeded`.
        video.processingPolls += 1;
        video.status.uploadStatus = 'processed';
      }
    }
    return { kind: 'youtube#videoListResponse', etag: etag(), pageInfo: { totalResults: items.length, resultsPerPage: items.length }, items };
  }

  private updateVideo(grant: AccessGrant, url: URL, body: Buffer) {
    const parts = requiredParam(url, 'part').split(',');
    this.charge(grant.clientId, this.quota.costs.videosUpdate);
    const resource = parseJson(body) as { id?: string; snippet?: Record<string, unknown>; status?: Record<string, unknown> };
    const video = this.videos.get(resource.id ?? '');
    if (!video) throw new GoogleError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.', 'youtube.video');
    if (video.channelId !== grant.channelId) throw new GoogleError(403, 'forbidden', 'The video that you are trying to update belongs to another channel.', 'youtube.video');
    if (parts.includes('snippet')) {
      if (!resource.snippet?.categoryId) throw new GoogleError(400, 'invalidCategoryId', 'The snippet.categoryId property is required when updating the snippet.', 'youtube.video');
      const { channelId, channelTitle, publishedAt } = video.snippet;
      video.snippet = { ...validateSnippet(resource.snippet), channelId, channelTitle, publishedAt };
    }
    if (parts.includes('status')) {
      const status = validateStatus(resource.status);
      if (this.unverifiedProject && status.privacyStatus !== 'private') {
        status.privacyStatus = 'private';
        delete status.publishAt;
      }
      video.status = { ...status, uploadStatus: video.status.uploadStatus };
    }
    return this.videoResource(video, parts);
  }

  private async setThumbnail(req: http.IncomingMessage, url: URL, res: http.ServerResponse, entry: LoggedRequest): Promise<void> {
    const body = await readBody(req);
    entry.bytesReceived = body.length;
    const grant = this.authorize(req);
    const video = this.videos.get(requiredParam(url, 'videoId'));
    this.charge(grant.clientId, this.quota.costs.thumbnailsSet);
    if (!video) throw new GoogleError(404, 'videoNotFound', 'The video that you are trying to update cannot be found.', 'youtube.thumbnail');
    if (video.channelId !== grant.channelId) throw new GoogleError(403, 'forbidden', 'The thumbnail cannot be set for the specified video.', 'youtube.thumbnail');
    if (body.length === 0) throw new GoogleError(400, 'mediaBodyRequired', 'The request does not include the image content.', 'youtube.thumbnail');
    if (body.length > THUMBNAIL_MAX_BYTES) throw new GoogleError(413, 'mediaBodyTooLarge', `Media larger than ${THUMBNAIL_MAX_BYTES} bytes.`, 'global');
    const contentType = String(req.headers['content-type'] ?? '');
    const isJpeg = body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff;
    const isPng = body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    if (!['image/jpeg', 'image/png', 'application/octet-stream'].includes(contentType) || !(isJpeg || isPng)) {
      throw new GoogleError(400, 'invalidImage', 'The provided image content is invalid.', 'youtube.thumbnail');
    }
    video.thumbnail = { contentType: isJpeg ? 'image/jpeg' : 'image/png', bytes: body };
    sendJson(res, 200, { kind: 'youtube#thumbnailSetResponse', etag: etag(), items: [thumbnailSet(video)] });
  }

  private async insertCaption(req: http.IncomingMessage, url: URL, res: http.ServerResponse, entry: LoggedRequest): Promise<void> {
    const body = await readBody(req);
    entry.bytesReceived = body.length;
    const grant = this.authorize(req);
    requiredParam(url, 'part');
    const boundary = /boundary="?([^";]+)"?/i.exec(String(req.headers['content-type'] ?? ''))?.[1];
    if (!String(req.headers['content-type']).startsWith('multipart/related') || !boundary) {
      throw new GoogleError(400, 'badContent', 'captions.insert takes a multipart/related body: the caption resource, then the caption file.');
    }
    const [metadataPart, filePart] = parseMultipart(body, boundary);
    if (!metadataPart) throw new GoogleError(400, 'badContent', 'The multipart body has no metadata part.');
    const snippet = (parseJson(metadataPart.body) as { snippet?: { videoId?: string; language?: string; name?: string } }).snippet;
    if (!snippet?.videoId || !snippet.language) throw new GoogleError(400, 'invalidMetadata', 'The request contains invalid metadata values: snippet.videoId and snippet.language are required.', 'youtube.caption');
    this.charge(grant.clientId, this.quota.costs.captionsInsert);
    const video = this.videos.get(snippet.videoId);
    if (!video) throw new GoogleError(404, 'videoNotFound', 'The video identified by the videoId parameter could not be found.', 'youtube.caption');
    if (video.channelId !== grant.channelId) throw new GoogleError(403, 'forbidden', 'The permissions associated with the request are not sufficient to upload the caption track.', 'youtube.caption');
    if (!filePart || filePart.body.length === 0) throw new GoogleError(400, 'contentRequired', 'The request does not contain the caption track contents.', 'youtube.caption');
    const name = snippet.name ?? '';
    if (video.captions.some((c) => c.language === snippet.language && c.name === name)) {
      throw new GoogleError(409, 'captionExists', 'The specified video already has a caption track with the given snippet.language and snippet.name.', 'youtube.caption');
    }
    const caption = { id: `AUieDa${id(40)}`, language: snippet.language, name, content: filePart.body, contentType: filePart.contentType };
    video.captions.push(caption);
    sendJson(res, 200, {
      kind: 'youtube#caption', etag: etag(), id: caption.id,
      snippet: { videoId: video.id, lastUpdated: new Date().toISOString(), trackKind: 'standard', language: caption.language, name, audioTrackType: 'unknown', isCC: false, isLarge: false, isEasyReader: false, isDraft: false, isAutoSynced: false, status: 'serving' },
    });
  }

  private listPlaylists(grant: AccessGrant, url: URL) {
    const parts = requiredParam(url, 'part').split(',');
    if (url.searchParams.get('mine') !== 'true') throw new GoogleError(400, 'missingRequiredParameter', 'This fake answers playlists.list with mine=true only.');
    this.charge(grant.clientId, this.quota.costs.playlistsList);
    const maxResults = Number(url.searchParams.get('maxResults') ?? 5);
    if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 50) throw new GoogleError(400, 'invalidParameter', 'maxResults must be between 0 and 50.');
    const start = Number(Buffer.from(url.searchParams.get('pageToken') ?? '', 'base64url').toString() || 0);
    const mine = [...this.playlists.values()].filter((p) => p.channelId === grant.channelId);
    const page = mine.slice(start, start + maxResults);
    return {
      kind: 'youtube#playlistListResponse', etag: etag(), pageInfo: { totalResults: mine.length, resultsPerPage: maxResults },
      ...(start + maxResults < mine.length ? { nextPageToken: Buffer.from(String(start + maxResults)).toString('base64url') } : {}),
      items: page.map((p) => this.playlistResource(p, parts)),
    };
  }

  private insertPlaylist(grant: AccessGrant, url: URL, body: Buffer) {
    const parts = requiredParam(url, 'part').split(',');
    const resource = parseJson(body) as { snippet?: { title?: string; description?: string; defaultLanguage?: string }; status?: { privacyStatus?: string } };
    const title = resource.snippet?.title ?? '';
    if (!title) throw new GoogleError(400, 'playlistTitleRequired', 'The request must specify a playlist title.', 'youtube.playlist');
    if ([...title].length > 150 || /[<>]/.test(title)) throw new GoogleError(400, 'invalidPlaylistSnippet', 'The request provides an invalid playlist snippet.', 'youtube.playlist');
    this.charge(grant.clientId, this.quota.costs.playlistsInsert);
    const playlist: FakePlaylist = {
      id: `PL${id(32)}`, channelId: grant.channelId,
      snippet: { title, description: resource.snippet?.description ?? '', ...(resource.snippet?.defaultLanguage ? { defaultLanguage: resource.snippet.defaultLanguage } : {}) },
      status: { privacyStatus: resource.status?.privacyStatus ?? 'public' }, videoIds: [],
    };
    this.playlists.set(playlist.id, playlist);
    return this.playlistResource(playlist, parts);
  }

  private playlistResource(playlist: FakePlaylist, parts: string[]) {
    return {
      kind: 'youtube#playlist', etag: etag(), id: playlist.id,
      ...(parts.includes('snippet') ? { snippet: { ...playlist.snippet, channelId: playlist.channelId, publishedAt: '2026-01-01T00:00:00Z' } } : {}),
      ...(parts.includes('status') ? { status: playlist.status } : {}),
    };
  }

  private insertPlaylistItem(grant: AccessGrant, url: URL, body: Buffer) {
    requiredParam(url, 'part');
    const snippet = (parseJson(body) as { snippet?: { playlistId?: string; resourceId?: { kind?: string; videoId?: string } } }).snippet;
    if (!snippet?.playlistId) throw new GoogleError(400, 'playlistIdRequired', 'The request does not specify a playlist ID.', 'youtube.playlistItem');
    this.charge(grant.clientId, this.quota.costs.playlistItemsInsert);
    const playlist = this.playlists.get(snippet.playlistId);
    if (!playlist) throw new GoogleError(404, 'playlistNotFound', 'The playlist identified with the request\'s playlistId parameter cannot be found.', 'youtube.playlistItem');
    if (playlist.channelId !== grant.channelId) throw new GoogleError(403, 'playlistItemsNotAccessible', 'The request is not properly authorized to insert the specified playlist item.', 'youtube.playlistItem');
    const video = this.videos.get(snippet.resourceId?.videoId ?? '');
    if (snippet.resourceId?.kind !== 'youtube#video' || !video) throw new GoogleError(404, 'videoNotFound', 'The video that you are trying to add to the playlist cannot be found.', 'youtube.playlistItem');
    playlist.videoIds.push(video.id);
    video.playlists.push(playlist.id);
    return {
      kind: 'youtube#playlistItem', etag: etag(), id: id(48),
      snippet: { playlistId: playlist.id, position: playlist.videoIds.length - 1, resourceId: { kind: 'youtube#video', videoId: video.id }, title: video.snippet.title, channelId: grant.channelId },
    };
  }
}

// ---- Validation, as YouTube documents it for videos.insert and videos.update ------------------------

function validateSnippet(snippet: Record<string, unknown> | undefined): FakeVideo['snippet'] {
  const title = typeof snippet?.title === 'string' ? snippet.title : '';
  if (!title.trim() || [...title].length > 100 || /[<>]/.test(title)) {
    throw new GoogleError(400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.', 'youtube.video');
  }
  const description = typeof snippet?.description === 'string' ? snippet.description : '';
  if (Buffer.byteLength(description, 'utf8') > 5000 || /[<>]/.test(description)) {
    throw new GoogleError(400, 'invalidDescription', 'The request metadata specifies an invalid video description.', 'youtube.video');
  }
  const tags = Array.isArray(snippet?.tags) ? (snippet.tags as unknown[]).map(String) : [];
  // Commas between tags count, and a tag with a space counts its quotes too.
  const tagsLength = tags.reduce((sum, tag) => sum + [...tag].length + (tag.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1);
  if (tagsLength > 500) throw new GoogleError(400, 'invalidTags', 'The request metadata specifies invalid video keywords.', 'youtube.video');
  if (snippet?.categoryId !== undefined && !/^\d+$/.test(String(snippet.categoryId))) {
    throw new GoogleError(400, 'invalidCategoryId', 'The snippet.categoryId property specifies an invalid category ID.', 'youtube.video');
  }
  return { ...snippet, title, description, tags, categoryId: String(snippet?.categoryId ?? '22') };
}

function validateStatus(status: Record<string, unknown> | undefined): FakeVideo['status'] {
  const privacyStatus = status?.privacyStatus ?? 'public';
  if (typeof privacyStatus !== 'string' || !['private', 'unlisted', 'public'].includes(privacyStatus)) {
    throw new GoogleError(400, 'invalidVideoMetadata', 'The request metadata is invalid: status.privacyStatus.', 'youtube.video');
  }
  if (status?.publishAt !== undefined && (privacyStatus !== 'private' || Number.isNaN(Date.parse(String(status.publishAt))))) {
    throw new GoogleError(400, 'invalidPublishAt', 'The request metadata specifies an invalid scheduled publishing time.', 'youtube.video');
  }
  if (status?.license !== undefined && !['youtube', 'creativeCommon'].includes(String(status.license))) {
    throw new GoogleError(400, 'invalidVideoMetadata', 'The request metadata is invalid: status.license.', 'youtube.video');
  }
  return { ...status, privacyStatus };
}

function thumbnailSet(video: FakeVideo) {
  const base = `https://i.ytimg.com/vi/${video.id}`;
  const sizes = { default: [120, 90], medium: [320, 180], high: [480, 360], ...(video.thumbnail ? { standard: [640, 480], maxres: [1280, 720] } : {}) };
  return Object.fromEntries(Object.entries(sizes).map(([name, [width, height]]) => [name, { url: `${base}/${name}.jpg`, width, height }]));
}

// ---- HTTP helpers ------------------------------------------------------------------------------

function requiredParam(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new GoogleError(400, 'required', `Required parameter: ${name}`, 'global', { location: name, locationType: 'parameter' });
  return value;
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new GoogleError(400, 'parseError', 'Parse Error');
  }
}

/** `bytes a-b/total` or `bytes *\/total`; a missing header means the whole file in one request. */
function parseContentRange(header: string | undefined, contentLength: number): { query: true; total: number } | { query: false; start: number; end: number; total: number } | null {
  if (header === undefined) return contentLength > 0 ? { query: false, start: 0, end: contentLength - 1, total: contentLength } : null;
  const status = /^bytes \*\/(\d+)$/.exec(header.trim());
  if (status) return { query: true, total: Number(status[1]) };
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim());
  if (!range) return null;
  const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
  return start <= end && end < total ? { query: false, start, end, total } : null;
}

function parseMultipart(body: Buffer, boundary: string): Array<{ contentType: string; body: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ contentType: string; body: Buffer }> = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // Between the delimiter's CRLF and the CRLF before the next delimiter: headers, blank line, body.
    const raw = body.subarray(start + 2, next - 2);
    const headerEnd = raw.indexOf('\r\n\r\n');
    const headers = raw.subarray(0, Math.max(0, headerEnd)).toString('utf8');
    parts.push({ contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream', body: headerEnd < 0 ? Buffer.alloc(0) : raw.subarray(headerEnd + 4) });
    at = next;
  }
  return parts;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

function sendGoogleError(res: http.ServerResponse, error: GoogleError): void {
  const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } : {};
  sendJson(res, error.status, {
    error: { code: error.status, message: error.message, errors: [{ message: error.message, domain: error.domain, reason: error.reason, ...error.extra }] },
  }, headers);
}
