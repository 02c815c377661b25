import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_YOUTUBE_QUOTA } from '../../src/core/config.js';
import { GoogleOAuth, GoogleOAuthError, RefreshTokenRevokedError, YOUTUBE_SCOPE, type AccessTokenProvider } from '../../src/publishing/youtube/google-oauth.js';
import { uploadResumable, type ResumableUploadOptions } from '../../src/publishing/youtube/resumable-upload.js';
import { YouTubeApi, type VideoMetadata } from '../../src/publishing/youtube/youtube-api.js';
import { YouTubeApiError } from '../../src/publishing/youtube/youtube-errors.js';
import { FakeYouTube, type LoggedRequest } from '../fakes/youtube-server.js';

/**
 * The production YouTube client (OAuth, resumable upload, metadata calls) against the local fake
 * of Google's protocol, with the faults a real upload meets: connections cut mid-chunk, 5xx,
 * expired sessions and tokens, revoked refresh tokens, quota and upload limits.
 */

const KiB = 1024;
const CHUNK = 256 * KiB;
const CLIENT_ID = '123456789-hoclieu.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-test-secret-never-logged';
const REDIRECT_URI = 'http://localhost:3000/api/v1/publishing/youtube/oauth/callback';

const METADATA: VideoMetadata = {
  snippet: {
    title: 'Toán 6 – Bài 1: Tập hợp', description: 'Bài giảng truyền hình, Kho học liệu số dùng chung.', tags: ['toán 6', 'tập hợp'],
    categoryId: '27', defaultLanguage: 'vi', defaultAudioLanguage: 'vi',
  },
  status: { privacyStatus: 'unlisted', license: 'creativeCommon', embeddable: true, selfDeclaredMadeForKids: true },
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let fake: FakeYouTube;
let oauth: GoogleOAuth;

beforeEach(async () => {
  fake = await FakeYouTube.start();
  fake.registerClient(CLIENT_ID, CLIENT_SECRET);
  oauth = new GoogleOAuth(fake.urls, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
});

afterEach(async () => {
  await fake.stop();
});

/** The consent round trip as a browser makes it: our consent URL, Google's redirect back with the code. */
async function consent(state = 'state-123'): Promise<URL> {
  const response = await fetch(oauth.authorizeUrl(state), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

async function authorizedChannel() {
  const callback = await consent();
  const tokens = await oauth.exchangeCode(callback.searchParams.get('code')!);
  return { refreshToken: tokens.refreshToken, accessToken: oauth.tokenProvider(tokens.refreshToken) };
}

/** A video source that, like an object-storage read, streams from an offset in 64 KiB pieces and counts its opens. */
function videoSource(bytes: Buffer) {
  const opens: number[] = [];
  return {
    opens,
    openStream: (offset: number) => {
      opens.push(offset);
      return Readable.from((function* () {
        for (let at = offset; at < bytes.length; at += 64 * KiB) yield bytes.subarray(at, Math.min(at + 64 * KiB, bytes.length));
      })());
    },
  };
}

function uploadOptions(bytes: Buffer, accessToken: AccessTokenProvider, overrides: Partial<ResumableUploadOptions> = {}) {
  const source = videoSource(bytes);
  const sessions: Array<{ uri: string; replacesExpired: boolean; putsBefore: number }> = [];
  const progress: number[] = [];
  const options: ResumableUploadOptions = {
    uploadUrl: fake.urls.uploadUrl, accessToken, video: METADATA, size: bytes.length, contentType: 'video/mp4',
    openStream: source.openStream, chunkBytes: CHUNK, retry: { baseMs: 2, maxAttempts: 6 }, sessionUri: null,
    saveSession: async (uri, info) => {
      sessions.push({ uri, ...info, putsBefore: fake.requests.filter((r) => r.method === 'PUT').length });
    },
    saveProgress: async (confirmed) => {
      progress.push(confirmed);
    },
    ...overrides,
  };
  return { options, sessions, progress, opens: source.opens };
}

const chunkPuts = (requests: LoggedRequest[]) => requests.filter((r) => r.method === 'PUT' && r.contentRange && !r.contentRange.startsWith('bytes */'));
const rangeStart = (r: LoggedRequest) => Number(/^bytes (\d+)-/.exec(r.contentRange!)![1]);

describe('Google OAuth against the fake token endpoint', () => {
  it('asks for offline access to youtube.force-ssl with a forced consent, and exchanges a code exactly once', async () => {
    const url = new URL(oauth.authorizeUrl('abc'));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', access_type: 'offline', prompt: 'consent', scope: YOUTUBE_SCOPE, state: 'abc',
    });
    const callback = await consent('abc');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('abc');
    const code = callback.searchParams.get('code')!;
    const tokens = await oauth.exchangeCode(code);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.scope).toBe(YOUTUBE_SCOPE);
    expect(await new YouTubeApi(fake.urls, async () => tokens.accessToken).myChannel()).toEqual({ id: [...fake.channels.keys()][0], title: 'Kênh Học liệu số (thử nghiệm)' });

    const reused = await oauth.exchangeCode(code).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(GoogleOAuthError);
    expect(reused).toMatchObject({ error: 'invalid_grant', status: 400 });
    expect(await oauth.accessToken(tokens.refreshToken)).toMatch(/^ya29\./);
  });

  it('brings a refusal on the consent page back as error=access_denied with the same state', async () => {
    fake.denyNextConsent();
    const callback = await consent('xyz');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('xyz');
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('throws a typed error for a revoked refresh token, and keeps the client secret out of every error', async () => {
    const { refreshToken } = await authorizedChannel();
    fake.revokeRefreshTokens();
    const revoked = await oauth.accessToken(refreshToken).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(RefreshTokenRevokedError);
    expect((revoked as Error).message).toContain('Token has been expired or revoked.');
    expect((revoked as Error).message).not.toContain(refreshToken);

    const wrongSecret = new GoogleOAuth(fake.urls, { clientId: CLIENT_ID, clientSecret: 'GOCSPX-wrong-secret', redirectUri: REDIRECT_URI });
    const refused = await wrongSecret.accessToken(refreshToken).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GoogleOAuthError);
    expect(refused).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(JSON.stringify(refused, Object.getOwnPropertyNames(refused))).not.toContain('GOCSPX');
  });
});

describe('resumable upload', () => {
  it('survives three connections cut mid-chunk: one session, one video, the exact bytes, one read of the source', async () => {
    const { accessToken } = await authorizedChannel();
    const bytes = randomBytes(3 * 1024 * KiB + 12_345);
    fake.cutNextChunk(1000);
    const cutAt = new Set([1024 * KiB, 2 * 1024 * KiB]);
    const { options, sessions, opens } = uploadOptions(bytes, accessToken, {
      saveProgress: async (confirmed) => {
        // Cut again once the upload has passed 1 MiB, and again past 2 MiB.
        for (const mark of cutAt) if (confirmed >= mark) { cutAt.delete(mark); fake.cutNextChunk(100_000); }
      },
    });

    const result = await uploadResumable(options);

    expect(fake.videos.size).toBe(1);
    expect(fake.sha256(result.video.id)).toBe(sha256(bytes));
    expect(result.sessionsStarted).toBe(1);
    expect(fake.sessionsStarted).toBe(1);
    expect(sessions).toEqual([expect.objectContaining({ replacesExpired: false, putsBefore: 0 })]);
    expect(result.video).toMatchObject({ snippet: { title: METADATA.snippet.title, categoryId: '27' }, status: { privacyStatus: 'unlisted', license: 'creativeCommon' } });

    const puts = chunkPuts(fake.requests);
    const cuts = puts.filter((r) => r.cut);
    expect(cuts).toHaveLength(3);
    // After each cut the next chunk starts exactly where the received bytes end: never from zero, nothing sent twice.
    for (const cut of cuts) {
      const next = puts[puts.indexOf(cut) + 1]!;
      expect(rangeStart(next)).toBe(rangeStart(cut) + cut.bytesReceived);
    }
    expect(puts.slice(1).every((r) => rangeStart(r) > 0)).toBe(true);
    expect(opens).toEqual([0]);
  });

  it('asks where it stands after a 503 and resumes from the reported offset, never from zero', async () => {
    const { accessToken } = await authorizedChannel();
    const bytes = randomBytes(2 * 1024 * KiB);
    let armed = true;
    const { options, progress } = uploadOptions(bytes, accessToken, {
      saveProgress: async (confirmed) => {
        progress.push(confirmed);
        if (armed && confirmed >= 1024 * KiB) { armed = false; fake.failNext('chunk', 503); }
      },
    });

    const result = await uploadResumable(options);

    expect(fake.sha256(result.video.id)).toBe(sha256(bytes));
    const uploadRequests = fake.requests.filter((r) => r.method === 'PUT');
    const failed = uploadRequests.findIndex((r) => r.status === 503);
    expect(failed).toBeGreaterThan(0);
    expect(uploadRequests[failed + 1]).toMatchObject({ contentRange: `bytes */${bytes.length}`, status: 308 });
    expect(rangeStart(uploadRequests[failed + 2]!)).toBe(rangeStart(uploadRequests[failed]!));
    expect(chunkPuts(fake.requests).map(rangeStart)).toEqual([0, 1, 2, 3, 4, 4, 5, 6, 7].map((n) => n * CHUNK));
    expect(progress).toEqual([1, 2, 3, 4, 4, 5, 6, 7, 8].map((n) => n * CHUNK));
  });

  it('resumes a session saved by a worker that died: asks first, then reads the source from the held offset', async () => {
    const { accessToken } = await authorizedChannel();
    const bytes = randomBytes(2 * 1024 * KiB + 7);
    const controller = new AbortController();
    const first = uploadOptions(bytes, accessToken, {
      signal: controller.signal,
      saveProgress: async (confirmed) => {
        if (confirmed >= 3 * CHUNK) controller.abort();
      },
    });
    await expect(uploadResumable(first.options)).rejects.toThrow();
    expect(fake.videos.size).toBe(0);

    const requestsBefore = fake.requests.length;
    const second = uploadOptions(bytes, accessToken, { sessionUri: first.sessions[0]!.uri });
    const result = await uploadResumable(second.options);

    expect(result.sessionsStarted).toBe(0);
    expect(second.sessions).toEqual([]);
    expect(fake.sessionsStarted).toBe(1);
    expect(fake.sha256(result.video.id)).toBe(sha256(bytes));
    const resumed = fake.requests.slice(requestsBefore);
    expect(resumed[0]).toMatchObject({ method: 'PUT', contentRange: `bytes */${bytes.length}`, status: 308 });
    expect(rangeStart(resumed[1]!)).toBe(3 * CHUNK);
    expect(second.opens).toEqual([3 * CHUNK]);
  });

  it('starts one new session when YouTube has expired the old one (404), telling the caller it costs another insert', async () => {
    const legacyQuota = { ...DEFAULT_YOUTUBE_QUOTA, dailyUploads: 0, costs: { ...DEFAULT_YOUTUBE_QUOTA.costs, videosInsert: 1600 } };
    await fake.stop();
    fake = await FakeYouTube.start({ quota: legacyQuota });
    fake.registerClient(CLIENT_ID, CLIENT_SECRET);
    oauth = new GoogleOAuth(fake.urls, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
    const { accessToken } = await authorizedChannel();
    const bytes = randomBytes(1024 * KiB + 1);
    let armed = true;
    const { options, sessions } = uploadOptions(bytes, accessToken, {
      saveProgress: async (confirmed) => {
        if (armed && confirmed >= 2 * CHUNK) { armed = false; fake.expireUploadSessions(); }
      },
    });

    const result = await uploadResumable(options);

    expect(result.sessionsStarted).toBe(2);
    expect(sessions.map((s) => s.replacesExpired)).toEqual([false, true]);
    expect(fake.sessionsStarted).toBe(2);
    expect(fake.videos.size).toBe(1);
    expect(fake.sha256(result.video.id)).toBe(sha256(bytes));
    expect(fake.quotaOf(CLIENT_ID).units).toBe(2 * 1600);
    expect(fake.requests.filter((r) => r.status === 404)).toHaveLength(1);
  });

  it('refreshes an expired access token once and carries on', async () => {
    const { accessToken } = await authorizedChannel();
    const bytes = randomBytes(1024 * KiB);
    let armed = true;
    const { options } = uploadOptions(bytes, accessToken, {
      saveProgress: async (confirmed) => {
        if (armed && confirmed >= CHUNK) { armed = false; fake.expireAccessTokens(); }
      },
    });
    const tokenRequestsBefore = fake.requests.filter((r) => r.path === '/token').length;

    const result = await uploadResumable(options);

    expect(fake.sha256(result.video.id)).toBe(sha256(bytes));
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(1);
    // The first token of the upload, then exactly one refresh.
    expect(fake.requests.filter((r) => r.path === '/token').length - tokenRequestsBefore).toBe(2);
  });

  it('gives up with an auth error when even the refreshed token is refused', async () => {
    const { accessToken } = await authorizedChannel();
    const staleToken = await accessToken(false);
    fake.expireAccessTokens();
    const error = await uploadResumable(uploadOptions(randomBytes(CHUNK), async () => staleToken).options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YouTubeApiError);
    expect(error).toMatchObject({ status: 401, reason: 'authError', kind: 'auth' });
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(2);
  });

  it('throws the typed error when a revoked refresh token cannot give a token', async () => {
    const { accessToken } = await authorizedChannel();
    fake.revokeRefreshTokens();
    const { options, sessions } = uploadOptions(randomBytes(CHUNK), accessToken);
    await expect(uploadResumable(options)).rejects.toBeInstanceOf(RefreshTokenRevokedError);
    expect(sessions).toEqual([]);
  });

  it('classifies quotaExceeded, uploadLimitExceeded and a refused title, starting no session', async () => {
    const { accessToken } = await authorizedChannel();
    const channelId = [...fake.channels.keys()][0]!;

    fake.exhaustQuota(CLIENT_ID);
    const quota = await uploadResumable(uploadOptions(randomBytes(CHUNK), accessToken).options).catch((e: unknown) => e);
    expect(quota).toMatchObject({ status: 403, reason: 'quotaExceeded', domain: 'youtube.quota', kind: 'quota' });
    fake.resetQuota();

    fake.limitUploads(channelId, 0);
    const limit = await uploadResumable(uploadOptions(randomBytes(CHUNK), accessToken).options).catch((e: unknown) => e);
    expect(limit).toMatchObject({ status: 400, reason: 'uploadLimitExceeded', domain: 'youtube.video', kind: 'uploadLimit' });
    fake.limitUploads(channelId, 10);

    const badTitle = uploadOptions(randomBytes(CHUNK), accessToken, { video: { ...METADATA, snippet: { ...METADATA.snippet, title: 'Bài <1>' } } });
    const refused = await uploadResumable(badTitle.options).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(YouTubeApiError);
    expect(refused).toMatchObject({ status: 400, reason: 'invalidTitle', kind: 'fatal' });
    expect(fake.sessionsStarted).toBe(0);
  });

  it('runs out of quota by Google\'s costs: the upload that does not fit is refused', async () => {
    await fake.stop();
    fake = await FakeYouTube.start({ quota: { ...DEFAULT_YOUTUBE_QUOTA, dailyUploads: 2 } });
    fake.registerClient(CLIENT_ID, CLIENT_SECRET);
    oauth = new GoogleOAuth(fake.urls, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
    const { accessToken } = await authorizedChannel();
    await uploadResumable(uploadOptions(randomBytes(1000), accessToken).options);
    await uploadResumable(uploadOptions(randomBytes(1000), accessToken).options);
    const third = await uploadResumable(uploadOptions(randomBytes(1000), accessToken).options).catch((e: unknown) => e);
    expect(third).toMatchObject({ reason: 'quotaExceeded', kind: 'quota' });
    expect(fake.quotaOf(CLIENT_ID)).toEqual({ units: 0, uploads: 2 });
  });

  it('comes back private from a project that has not passed Google\'s audit', async () => {
    const { accessToken } = await authorizedChannel();
    fake.unverifiedProject = true;
    const result = await uploadResumable(uploadOptions(randomBytes(1000), accessToken).options);
    expect(result.video.status?.privacyStatus).toBe('private');
  });
});

describe('metadata calls', () => {
  async function uploaded() {
    const channel = await authorizedChannel();
    const { video } = await uploadResumable(uploadOptions(randomBytes(CHUNK + 10), channel.accessToken).options);
    return { api: new YouTubeApi(fake.urls, channel.accessToken), videoId: video.id };
  }

  it('polls processing to success and updates snippet and status', async () => {
    const { api, videoId } = await uploaded();
    expect((await api.getVideo(videoId))?.processingDetails?.processingStatus).toBe('processing');
    const done = await api.getVideo(videoId);
    expect(done).toMatchObject({ processingDetails: { processingStatus: 'succeeded' }, status: { uploadStatus: 'processed' } });
    expect(await api.getVideos(['doesNotExist'])).toEqual([]);

    const updated = await api.updateVideo(videoId, { snippet: { ...METADATA.snippet, title: 'Toán 6 – Bài 1 (bản 2)' }, status: { ...METADATA.status, privacyStatus: 'private' } });
    expect(updated).toMatchObject({ snippet: { title: 'Toán 6 – Bài 1 (bản 2)' }, status: { privacyStatus: 'private' } });
    expect(fake.videos.get(videoId)?.status.privacyStatus).toBe('private');

    const tooLong = await api.updateVideo(videoId, { snippet: { ...METADATA.snippet, description: 'ễ'.repeat(2000) }, status: METADATA.status }).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ status: 400, reason: 'invalidDescription', kind: 'fatal' });
  });

  it('refreshes an expired token once for a metadata call', async () => {
    const { api, videoId } = await uploaded();
    fake.expireAccessTokens();
    expect((await api.getVideo(videoId))?.id).toBe(videoId);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('sets a JPEG thumbnail and refuses one over 2 MB', async () => {
    const { api, videoId } = await uploaded();
    const poster = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#1d4ed8' } }).jpeg({ quality: 90 }).toBuffer();
    await api.setThumbnail(videoId, poster, 'image/jpeg');
    expect(fake.videos.get(videoId)?.thumbnail?.bytes.equals(poster)).toBe(true);

    const huge = Buffer.concat([poster, randomBytes(2 * 1024 * KiB)]);
    const refused = await api.setThumbnail(videoId, huge, 'image/jpeg').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(YouTubeApiError);
    expect(refused).toMatchObject({ status: 413, kind: 'fatal' });
  });

  it('uploads a WebVTT caption track once per language and name', async () => {
    const { api, videoId } = await uploaded();
    const vtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nXin chào các em học sinh lớp 6!\n';
    const caption = await api.insertCaption(videoId, { language: 'vi', name: 'Tiếng Việt', content: vtt, contentType: 'text/vtt' });
    expect(caption.snippet).toMatchObject({ videoId, language: 'vi', name: 'Tiếng Việt' });
    expect(fake.videos.get(videoId)?.captions.map((c) => [c.language, c.content.toString('utf8'), c.contentType])).toEqual([['vi', vtt, 'text/vtt']]);

    const again = await api.insertCaption(videoId, { language: 'vi', name: 'Tiếng Việt', content: vtt, contentType: 'text/vtt' }).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 409, reason: 'captionExists', kind: 'fatal' });
    const missing = await api.insertCaption('noSuchVideo', { language: 'vi', name: 'x', content: vtt, contentType: 'text/vtt' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, reason: 'videoNotFound', kind: 'notFound' });
  });

  it('creates playlists, lists them across pages and adds the video', async () => {
    const { api, videoId } = await uploaded();
    const created = [];
    for (let i = 1; i <= 51; i += 1) created.push(await api.insertPlaylist({ title: `Toán – Lớp ${i}`, privacyStatus: 'public', defaultLanguage: 'vi' }));
    const listed = await api.listPlaylists();
    expect(listed.map((p) => p.id)).toEqual(created.map((p) => p.id));
    expect(listed[0]).toMatchObject({ snippet: { title: 'Toán – Lớp 1' }, status: { privacyStatus: 'public' } });
    expect(fake.requests.filter((r) => r.path === '/youtube/v3/playlists' && r.method === 'GET')).toHaveLength(2);

    await api.insertPlaylistItem(created[5]!.id, videoId);
    expect(fake.videos.get(videoId)?.playlists).toEqual([created[5]!.id]);
    expect(fake.playlists.get(created[5]!.id)?.videoIds).toEqual([videoId]);
  });

  it('answers a spent quota with Google\'s error JSON, classified', async () => {
    const { api, videoId } = await uploaded();
    fake.exhaustQuota(CLIENT_ID);
    const error = await api.getVideo(videoId).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, reason: 'quotaExceeded', domain: 'youtube.quota', kind: 'quota' });
  });
});
