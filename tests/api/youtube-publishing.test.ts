import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { youtubeChannels, youtubeExports, youtubeProjects } from '../../src/core/db/schema.js';
import type { FakeYouTube } from '../fakes/youtube-server.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, type World } from '../helpers/world.js';
import { startFakeGoogle } from '../helpers/youtube.js';

/**
 * The whole YouTube pipeline through the API and the background jobs, against a local fake of
 * Google's token endpoint and the YouTube Data API (tests/fakes/youtube-server.ts).
 */
let server: TestServer;
let world: World;
let youtube: FakeYouTube;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const CLIENT_ID = 'hoclieu-test.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-bi-mat-cua-du-an';
const CHANNELS = '/api/v1/publishing/youtube/channels';
const EXPORTS = '/api/v1/publishing/youtube/exports';
const lessons = {} as Record<'main' | 'quota' | 'revoked' | 'draft' | 'extra', string>;
let clip: Buffer;
let channelId: string;

async function approve(reviewer: keyof World['tokens'], materialId: string) {
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
  const task = list.body.items.find((t: { materialId: string }) => t.materialId === materialId);
  await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth(reviewer)).expect(200);
  await server.http.post(`/api/v1/review/tasks/${task.id}/decision`).set(auth(reviewer)).send({ decision: 'approve' }).expect(200);
}

const CAPTIONS = 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nXin chào các em, hôm nay chúng ta học về tam giác đồng dạng.\n';

async function lesson(title: string, options: { draft?: boolean; captions?: boolean } = {}): Promise<string> {
  const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'tv-lesson', title }).expect(201)).body;
  await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', clip, 'bai-giang.mp4').expect(201);
  if (options.captions) await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', Buffer.from(CAPTIONS), 'phu-de.vtt').expect(201);
  await eventually(async () => {
    const shown = await server.http.get(`/api/v1/materials/${material.id}`).set(auth('teacherA1')).expect(200);
    return shown.body.files[0].processing?.state === 'ready';
  }, 120_000);
  if (options.draft) return material.id;
  await server.http.post(`/api/v1/materials/${material.id}/submit`).set(auth('teacherA1')).expect(200);
  for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approve(reviewer, material.id);
  return material.id;
}

/** The browser's part of the OAuth dance: our authorize URL → Google's consent → our callback. */
async function consent(id: string): Promise<string> {
  const start = await server.http.get(`${CHANNELS}/${id}/authorize`).set(auth('admin')).expect(302);
  const google = await fetch(start.headers.location!, { redirect: 'manual' });
  const callback = new URL(google.headers.get('location')!);
  return `${callback.pathname}${callback.search}`;
}

async function authorize(id: string) {
  return server.http.get(await consent(id));
}

async function exportRow(id: string) {
  const [row] = await server.ctx.db.db.select().from(youtubeExports).where(eq(youtubeExports.id, id));
  return row!;
}

async function finished(id: string, state: 'done' | 'deferred' | 'failed' = 'done') {
  return eventually(async () => {
    const shown = await server.http.get(`${EXPORTS}/${id}`).set(auth('publisherBgd')).expect(200);
    if (state !== 'failed') expect(shown.body.state, shown.body.reason ?? '').not.toBe('failed');
    return shown.body.state === state ? shown.body : null;
  }, 60_000);
}

beforeAll(async () => {
  const fakeGoogle = await startFakeGoogle(CLIENT_ID, CLIENT_SECRET);
  youtube = fakeGoogle.youtube;
  server = await startTestServer({
    env: { ...fakeGoogle.env, QC_BLOCKS_SUBMISSION: 'false', PUBLIC_URL: 'https://hoclieu.example.vn' },
  });
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt', 'publisherBgd', 'publisherB', 'orgAdminA']);
  clip = await testVideo(4);
  lessons.main = await lesson('Tam giác đồng dạng <luyện tập> 📐', { captions: true });
  lessons.quota = await lesson('Phương trình bậc nhất một ẩn');
  lessons.revoked = await lesson('Định lí Pythagore');
  lessons.draft = await lesson('Bản nháp', { draft: true });
  lessons.extra = await lesson('Hằng đẳng thức đáng nhớ');
}, 300_000);
afterAll(async () => {
  await server?.close();
  await youtube?.stop();
});

describe('YouTube channels', () => {
  it('are added by administrators, authorised through Google consent, and never show their secrets', async () => {
    await server.http.post(CHANNELS).send({ name: 'x', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).expect(401);
    await server.http.post(CHANNELS).set(auth('publisherBgd')).send({ name: 'x', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).expect(403);
    await server.http.post(CHANNELS).set(auth('orgAdminA')).send({ name: 'x', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, orgCode: 'bgddt' }).expect(403);
    const created = await server.http.post(CHANNELS).set(auth('admin')).send({ name: 'Kênh Học liệu số của Bộ', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).expect(201);
    channelId = created.body.id;
    expect(created.body).toMatchObject({ status: 'needs_authorization', orgCode: 'bgddt', settings: { madeForKidsLevels: ['mam-non', 'tieu-hoc'] } });
    expect(JSON.stringify(created.body)).not.toContain(CLIENT_SECRET);

    // Without consent there is nothing to export to.
    const early = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: lessons.main, channelId }).expect(422);
    expect(early.body.error.code).toBe('CHANNEL_NOT_AUTHORIZED');

    const forged = await server.http.get(`/api/v1/publishing/youtube/oauth/callback?code=x&state=${channelId}.9999999999999.abc.forged`).expect(400);
    expect(forged.body.error.code).toBe('OAUTH_STATE_INVALID');
    const callback = await consent(channelId);
    const done = await server.http.get(callback);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'active', youtubeTitle: 'Kênh Học liệu số (thử nghiệm)' });
    // A state works once: replaying the callback (from a browser history, a log) is refused.
    expect((await server.http.get(callback).expect(400)).body.error.code).toBe('OAUTH_STATE_INVALID');

    const [row] = await server.ctx.db.db.select().from(youtubeChannels).where(eq(youtubeChannels.id, channelId));
    expect(row!.clientSecretEnc).not.toContain(CLIENT_SECRET);
    expect(row!.refreshTokenEnc).toMatch(/^v1\./);
    const listed = await server.http.get(CHANNELS).set(auth('publisherBgd')).expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([channelId]);
    expect(JSON.stringify(listed.body)).not.toMatch(/refresh|secret/i);
    // Another province's publisher does not see the ministry's channel at all.
    expect((await server.http.get(CHANNELS).set(auth('publisherB')).expect(200)).body.items).toEqual([]);
    await server.http.get(`${CHANNELS}/${channelId}`).set(auth('publisherB')).expect(404);
  });
});

describe('YouTube exports', () => {
  it('refuses what cannot go to YouTube, and callers who may not publish', async () => {
    const draft = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: lessons.draft, channelId }).expect(422);
    expect(draft.body.error).toMatchObject({ code: 'NOT_EXPORTABLE' });
    expect(draft.body.error.message).toContain('chưa được thẩm định');
    await server.http.post(EXPORTS).send({ materialId: lessons.main, channelId }).expect(401);
    await server.http.post(EXPORTS).set(auth('publisherB')).send({ materialId: lessons.main, channelId }).expect(404);
    await server.http.post(EXPORTS).set(auth('teacherA1')).send({ materialId: lessons.main, channelId }).expect(404);
  });

  it('uploads exactly one video, resumed after the connection is cut three times, with its metadata, thumbnail and playlist', async () => {
    for (let i = 0; i < 3; i++) youtube.cutNextChunk(100_000);
    // Duplicate requests fired at once: one export, one job, one video.
    const responses = await Promise.all(Array.from({ length: 5 }, () => server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: lessons.main, channelId, privacy: 'public' })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [exportId] = [...ids] as [string];

    const done = await finished(exportId);
    expect(done.url).toBe(`https://www.youtube.com/watch?v=${done.videoId}`);
    expect(youtube.videos.size).toBe(1);
    expect(youtube.sessionsStarted).toBe(1);
    const row = await exportRow(exportId);
    const chunks: Buffer[] = [];
    for await (const chunk of await server.ctx.storage.read(row.mediaKey!)) chunks.push(chunk as Buffer);
    expect(youtube.sha256(done.videoId)).toBe(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
    // Every resumption asked YouTube where it stood and went on from there, never from zero.
    const puts = youtube.requests.filter((r) => r.method === 'PUT' && r.contentRange);
    expect(puts.filter((r) => r.contentRange!.startsWith('bytes */')).length).toBeGreaterThanOrEqual(3);
    expect(puts.filter((r) => r.contentRange!.startsWith('bytes 0-')).length).toBe(1);

    const video = youtube.videos.get(done.videoId)!;
    expect(video.snippet).toMatchObject({ categoryId: '27', defaultLanguage: 'vi', defaultAudioLanguage: 'vi' });
    expect(video.snippet.title).not.toMatch(/[<>]/);
    expect(video.snippet.title).toContain('Tam giác đồng dạng');
    // The description links to the public page in its canonical form (with the title's slug), not to the JSON API.
    expect(String(video.snippet.description)).toContain(`https://hoclieu.example.vn/hoc-lieu/${lessons.main}/tam-giac-dong-dang-luyen-tap`);
    expect(video.status).toMatchObject({ privacyStatus: 'public', selfDeclaredMadeForKids: false, license: 'creativeCommon' });
    expect(video.thumbnail?.contentType).toBe('image/jpeg');
    expect(video.captions.map((c) => [c.language, c.name, c.contentType, c.content.toString()])).toEqual([['vi', 'phu-de', 'text/vtt', CAPTIONS]]);
    expect(video.playlists).toHaveLength(1);
    expect(youtube.playlists.get(video.playlists[0]!)!.snippet.title).toContain('8');
  });

  it('defers an export when the project quota is spent, shows when it will start, and completes after the reset', async () => {
    youtube.exhaustQuota(CLIENT_ID);
    const queued = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: lessons.quota, channelId }).expect(202);
    const deferred = await finished(queued.body.id, 'deferred');
    expect(deferred.reason).toContain('quotaExceeded');
    const reset = new Date(deferred.deferredUntil).getTime();
    expect(reset).toBeGreaterThan(Date.now());
    const [project] = await server.ctx.db.db.select().from(youtubeProjects).where(eq(youtubeProjects.clientId, CLIENT_ID));
    expect(project!.pausedUntil!.getTime()).toBe(reset);
    const queue = await server.http.get(`${EXPORTS}?state=deferred`).set(auth('publisherBgd')).expect(200);
    expect(new Date(queue.body.items[0].expectedStart).getTime()).toBe(reset);
    expect(youtube.videos.size).toBe(1);

    // The Pacific-time midnight passes: Google's counters and our pause end together.
    youtube.resetQuota();
    const past = new Date(Date.now() - 1000);
    await server.ctx.db.db.update(youtubeProjects).set({ pausedUntil: past, day: '2000-01-01' }).where(eq(youtubeProjects.clientId, CLIENT_ID));
    await server.ctx.db.db.update(youtubeExports).set({ deferredUntil: past }).where(eq(youtubeExports.id, queued.body.id));
    await server.ctx.youtubeRunner.requeueDue(new Date());
    const done = await finished(queued.body.id);
    expect(youtube.videos.size).toBe(2);
    expect(youtube.videos.get(done.videoId)).toBeDefined();
  });

  it('keeps the queue when Google revokes the channel, and resumes after re-authorisation', async () => {
    youtube.revokeRefreshTokens();
    const queued = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: lessons.revoked, channelId }).expect(202);
    const waiting = await finished(queued.body.id, 'deferred');
    expect(waiting.reason).toContain('uỷ quyền lại');
    expect((await server.http.get(`${CHANNELS}/${channelId}`).set(auth('publisherBgd')).expect(200)).body.status).toBe('needs_reauthorization');

    expect((await authorize(channelId)).status).toBe(200);
    await server.ctx.youtubeRunner.requeueDue(new Date());
    const done = await finished(queued.body.id);
    expect(youtube.videos.get(done.videoId)).toBeDefined();
    expect(youtube.videos.size).toBe(3);
  });

  it('exports a filtered batch, and tells the publisher when YouTube forces uploads private (unaudited project)', async () => {
    youtube.unverifiedProject = true;
    const bulk = await server.http.post(`${EXPORTS}/bulk`).set(auth('publisherBgd')).send({ channelId, filter: { subject: 'toan', grade: 8 }, privacy: 'public' }).expect(202);
    // The three lessons already on YouTube keep their exports; the draft is not published, so not listed at all.
    expect(bulk.body).toMatchObject({ refused: [] });
    expect(bulk.body.existing).toHaveLength(3);
    expect(bulk.body.queued).toHaveLength(1);
    const done = await finished(bulk.body.queued[0]);
    expect(youtube.videos.get(done.videoId)!.status.privacyStatus).toBe('private');
    expect(done.warnings.join(' ')).toContain('kiểm định API');
    expect((await server.http.get(`${CHANNELS}/${channelId}`).set(auth('publisherBgd')).expect(200)).body.project.unverified).toBe(true);
    youtube.unverifiedProject = false;
  });

  it('shows a newly published version on the same video, with its new metadata', async () => {
    const [first] = await server.ctx.db.db.select().from(youtubeExports).where(eq(youtubeExports.materialId, lessons.quota));
    await server.http.post(`/api/v1/materials/${lessons.quota}/revise`).set(auth('teacherA1')).expect(200);
    await server.http.patch(`/api/v1/materials/${lessons.quota}`).set(auth('teacherA1')).send({ title: 'Phương trình bậc nhất một ẩn (bản cập nhật)' }).expect(200);
    await server.http.post(`/api/v1/materials/${lessons.quota}/submit`).set(auth('teacherA1')).expect(200);
    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approve(reviewer, lessons.quota);
    const second = await eventually(async () => {
      const rows = await server.ctx.db.db.select().from(youtubeExports).where(eq(youtubeExports.materialId, lessons.quota));
      return rows.find((r) => r.version === 2 && r.state === 'done');
    }, 30_000);
    expect(second.videoId).toBe(first!.videoId);
    expect(youtube.videos.get(first!.videoId!)!.snippet.title).toContain('bản cập nhật');
    expect(youtube.videos.size).toBe(4);
  });

  it('fails an upload YouTube refuses with its reason, and starts over when asked again', async () => {
    const refused = await lesson('Hình thang cân');
    youtube.failNext('upload', 400, { reason: 'invalidTitle', domain: 'youtube.video', message: 'The request metadata specifies an invalid video title.' });
    const first = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: refused, channelId }).expect(202);
    const failed = await finished(first.body.id, 'failed');
    expect(failed.reason).toContain('invalidTitle');
    const again = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: refused, channelId }).expect(202);
    expect(again.body.id).toBe(first.body.id);
    const done = await finished(first.body.id);
    expect(youtube.videos.get(done.videoId)).toBeDefined();
    expect(youtube.videos.size).toBe(5);
  });

  it('schedules each video for the publishing time of a scheduled channel', async () => {
    await server.http.patch(`${CHANNELS}/${channelId}`).set(auth('publisherBgd')).send({ settings: { privacy: 'scheduled' } }).expect(403);
    const scheduled = await server.http.patch(`${CHANNELS}/${channelId}`).set(auth('admin')).send({ settings: { privacy: 'scheduled', scheduleTime: '19:00' } }).expect(200);
    expect(scheduled.body.settings).toMatchObject({ privacy: 'scheduled', scheduleTime: '19:00' });
    const evening = await lesson('Đường trung bình của tam giác');
    const queued = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: evening, channelId }).expect(202);
    expect(queued.body.privacy).toBe('private');
    const publishAt = new Date(queued.body.publishAt);
    expect(publishAt.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    expect(new Date(publishAt.getTime() + 7 * 3600_000).toISOString().slice(11, 16)).toBe('19:00');
    const done = await finished(queued.body.id);
    expect(youtube.videos.get(done.videoId)!.status).toMatchObject({ privacyStatus: 'private', publishAt: publishAt.toISOString() });
    await server.http.patch(`${CHANNELS}/${channelId}`).set(auth('admin')).send({ settings: { privacy: 'public' } }).expect(200);
  });

  it('pauses the channel for a day when YouTube says its upload limit is reached', async () => {
    youtube.limitUploads([...youtube.channels.keys()][0]!, 0);
    const another = await lesson('Tứ giác nội tiếp');
    const queued = await server.http.post(EXPORTS).set(auth('publisherBgd')).send({ materialId: another, channelId }).expect(202);
    const waiting = await finished(queued.body.id, 'deferred');
    expect(waiting.reason).toContain('uploadLimitExceeded');
    const paused = (await server.http.get(`${CHANNELS}/${channelId}`).set(auth('publisherBgd')).expect(200)).body.pausedUntil;
    expect(new Date(paused).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(new Date(waiting.deferredUntil).getTime()).toBe(new Date(paused).getTime());
    lessons.draft = another;
  });

  it('makes the video private when its material is archived', async () => {
    const [row] = await server.ctx.db.db.select().from(youtubeExports).where(eq(youtubeExports.materialId, lessons.main));
    await server.http.post(`/api/v1/materials/${lessons.main}/archive`).set(auth('teacherA1')).expect(200);
    await eventually(async () => (await exportRow(row!.id)).appliedPrivacy === 'private', 30_000);
    expect(youtube.videos.get(row!.videoId!)!.status.privacyStatus).toBe('private');
    // The rest of the status survives: YouTube replaces the whole part on update.
    expect(youtube.videos.get(row!.videoId!)!.status).toMatchObject({ license: 'creativeCommon', selfDeclaredMadeForKids: false });
    expect(youtube.videos.size).toBe(6);
  });

  it('ends the waiting exports with a clear reason when their channel is deleted', async () => {
    const [waiting] = await server.ctx.db.db.select().from(youtubeExports).where(eq(youtubeExports.materialId, lessons.draft));
    expect(waiting!.state).toBe('deferred');
    await server.http.delete(`${CHANNELS}/${channelId}`).set(auth('publisherBgd')).expect(403);
    await server.http.delete(`${CHANNELS}/${channelId}`).set(auth('admin')).expect(204);
    expect(await exportRow(waiting!.id)).toMatchObject({ state: 'failed', reason: 'kênh YouTube đã bị xoá trước khi xuất bản xong.' });
    await server.http.get(`${CHANNELS}/${channelId}`).set(auth('admin')).expect(404);
    expect(youtube.videos.size).toBe(6);
  });
});
