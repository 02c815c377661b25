import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimReminderJob } from '../../src/notifications/jobs/claim-reminder.job.js';
import { reasonsFor } from '../../src/review/reasons.js';
import type { FakeYouTube } from '../fakes/youtube-server.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { mailText, startSmtpServer } from '../helpers/smtp.js';
import { approveAsReviewer, createWorld, MATERIAL, PASSWORD, pdfBytes, type World } from '../helpers/world.js';
import { startFakeGoogle } from '../helpers/youtube.js';

let server: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let youtube: FakeYouTube;
const CLIENT_ID = 'hoclieu-thong-bao.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-bi-mat-thong-bao';
let world: World;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const sql = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await server.ctx.db.pool.query(text, values)).rows as T[];
type Item = { id: string; kind: string; title: string; detail: string | null; path: string | null; read: boolean; data: Record<string, string> };
const inbox = async (who: keyof World['tokens']) => (await server.http.get('/api/v1/notifications').set(auth(who)).expect(200)).body as { total: number; unread: number; items: Item[] };

beforeAll(async () => {
  smtp = await startSmtpServer();
  const fakeGoogle = await startFakeGoogle(CLIENT_ID, CLIENT_SECRET);
  youtube = fakeGoogle.youtube;
  server = await startTestServer({
    env: { ...fakeGoogle.env, SMTP_URL: smtp.url, SMTP_FROM: 'Kho học liệu <no-reply@hoclieu.test>', QC_BLOCKS_SUBMISSION: 'false' },
  });
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerA1bis', 'reviewerSgdA', 'reviewerGdpt', 'reviewerSgdB', 'publisherBgd']);
  // The teacher wants changes requested and rejections by e-mail; the reviewer has an address but chose nothing.
  await sql("UPDATE users SET email = 'giao.vien@truong.edu.vn', email_events = '{changes_requested,rejected}' WHERE id = $1", [world.ids.teacherA1]);
  await sql("UPDATE users SET email = 'tham.dinh@truong.edu.vn' WHERE id = $1", [world.ids.reviewerA1]);
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await youtube?.stop();
});

async function submitted(title: string) {
  const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title }).expect(201)).body.id as string;
  await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', pdfBytes(title), 'bai.pdf').expect(201);
  await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
  return id;
}

async function taskOf(reviewer: keyof World['tokens'], materialId: string) {
  const list = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
  return list.body.items.find((t: { materialId: string }) => t.materialId === materialId).id as string;
}

describe('notifications', () => {
  it('tells the stage\'s reviewers that a material entered their queue, never its owner nor other orgs', async () => {
    const id = await submitted('Phân số thập phân');
    for (const reviewer of ['reviewerA1', 'reviewerA1bis'] as const) {
      const mine = await inbox(reviewer);
      expect(mine.items.map((n) => [n.kind, n.title])).toContainEqual(['task_queued', '“Phân số thập phân” đang chờ thẩm định tại Trường THCS A1']);
    }
    expect((await inbox('reviewerSgdB')).total).toBe(0);
    expect((await inbox('teacherA1')).items.filter((n) => n.kind === 'task_queued')).toEqual([]);
    // The next stage hears of it when the school approves; the owner hears of the approval.
    await approveAsReviewer(server, world, 'reviewerA1', id);
    expect((await inbox('reviewerSgdA')).items.map((n) => n.kind)).toEqual(['task_queued']);
    expect((await inbox('teacherA1')).items.map((n) => [n.kind, n.title])).toEqual([['approved', '“Phân số thập phân” đã được duyệt tại Trường THCS A1 và chuyển lên cấp tiếp theo']]);
    await approveAsReviewer(server, world, 'reviewerSgdA', id);
    await approveAsReviewer(server, world, 'reviewerGdpt', id);
    const owner = await inbox('teacherA1');
    expect(owner.items[0]).toMatchObject({ kind: 'published', path: `/cua-toi/hoc-lieu/${id}` });
  });

  it('tells the teacher of changes requested with the comment, in the inbox and by e-mail, and lets them mark it read', async () => {
    const id = await submitted('Hình thang cân');
    const task = await taskOf('reviewerA1', id);
    await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth('reviewerA1')).expect(200);
    const comment = 'Bổ sung ví dụ về hình thang cân có góc 60°.';
    await server.http.post(`/api/v1/review/tasks/${task}/decision`).set(auth('reviewerA1')).send({ decision: 'request_changes', comment, reasons: [reasonsFor('request_changes')[0]!.code] }).expect(200);
    const mine = await inbox('teacherA1');
    const notice = mine.items.find((n) => n.kind === 'changes_requested')!;
    expect(notice).toMatchObject({ title: '“Hình thang cân” được yêu cầu chỉnh sửa', detail: `Ý kiến người thẩm định: ${comment}`, read: false });
    const mail = await eventually(async () => smtp.mails.find((m) => mailText(m.raw).includes(comment)));
    expect(mail.to).toEqual(['giao.vien@truong.edu.vn']);
    expect(mail.raw).toMatch(/^From: .*no-reply@hoclieu\.test/m);
    expect(mailText(mail.raw)).toContain(`/cua-toi/hoc-lieu/${id}`);
    // Nothing was mailed for the approvals and the publication the teacher did not choose, nor to the reviewer.
    expect(smtp.mails.every((m) => m.to[0] === 'giao.vien@truong.edu.vn')).toBe(true);
    expect(smtp.mails).toHaveLength(1);

    await server.http.post(`/api/v1/notifications/${notice.id}/read`).set(auth('reviewerA1')).expect(404);
    await server.http.post(`/api/v1/notifications/${notice.id}/read`).set(auth('teacherA1')).expect(200);
    const after = await inbox('teacherA1');
    expect(after.unread).toBe(mine.unread - 1);
    expect((await server.http.get('/api/v1/notifications?unread=true').set(auth('teacherA1')).expect(200)).body.items.some((n: Item) => n.id === notice.id)).toBe(false);
    await server.http.post('/api/v1/notifications/read-all').set(auth('teacherA1')).expect(200);
    expect((await inbox('teacherA1')).unread).toBe(0);
  });

  it('reminds a reviewer once when their claim runs out soon', async () => {
    const id = await submitted('Đường trung bình');
    const task = await taskOf('reviewerA1bis', id);
    await server.http.post(`/api/v1/review/tasks/${task}/claim`).set(auth('reviewerA1bis')).expect(200);
    const job = new ClaimReminderJob(server.ctx);
    await job.handle();
    expect((await inbox('reviewerA1bis')).items.filter((n) => n.kind === 'claim_expiring')).toEqual([]);
    await sql("UPDATE review_tasks SET claim_expires_at = now() + interval '10 minutes' WHERE id = $1", [task]);
    await job.handle();
    await job.handle();
    const reminders = (await inbox('reviewerA1bis')).items.filter((n) => n.kind === 'claim_expiring');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ title: 'Nhiệm vụ thẩm định “Đường trung bình” bạn đã nhận sắp hết hạn', path: `/tham-dinh/${task}` });
  });

  it('tells the uploader when processing of their media failed for good, with the reason', async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'video', title: 'Video hỏng' }).expect(201)).body.id as string;
    await server.http.post(`/api/v1/materials/${material}/files`).set(auth('teacherA1')).attach('file', (await testVideo(2)).subarray(0, 48), 'hong.mp4').expect(201);
    const failed = await eventually(async () => (await inbox('teacherA1')).items.find((n) => n.kind === 'media_failed'), 120_000);
    expect(failed).toMatchObject({ title: 'Không xử lý được tệp “hong.mp4” của “Video hỏng”', path: `/cua-toi/hoc-lieu/${material}` });
    expect(failed.detail).toBeTruthy();
  });

  it('tells the publisher when a YouTube export failed, in the export\'s own transaction', async () => {
    const id = await submitted('Bài học truyền hình đã xuất bản');
    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approveAsReviewer(server, world, reviewer, id);
    const channel = (await server.http.post('/api/v1/publishing/youtube/channels').set(auth('admin'))
      .send({ name: 'Kênh Bộ', clientId: 'client-bgd', clientSecret: 'secret-bgd', orgCode: 'bgddt' }).expect(201)).body.id as string;
    const [row] = await sql<{ id: string }>(`INSERT INTO youtube_exports (material_id, version_id, version, channel_id, requested_by, privacy)
      SELECT material_id, id, version, $2, $3, 'private' FROM material_versions WHERE material_id = $1 RETURNING id`, [id, channel, world.ids.publisherBgd]);
    // The channel is deleted before the export runs: it ends failed, with the reason.
    await sql('UPDATE youtube_channels SET deleted_at = now() WHERE id = $1', [channel]);
    await server.ctx.youtubeRunner.run(row!.id);
    const notice = (await inbox('publisherBgd')).items.find((n) => n.kind === 'youtube_export_failed')!;
    expect(notice.title).toBe('Không xuất bản được “Bài học truyền hình đã xuất bản” lên YouTube');
    expect(notice.detail).toContain('kênh YouTube đã bị xoá');
  });

  it('tells the publisher when a YouTube export is done, with the video', async () => {
    const id = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'tv-lesson', title: 'Bài học trên YouTube' }).expect(201)).body.id as string;
    await server.http.post(`/api/v1/materials/${id}/files`).set(auth('teacherA1')).attach('file', await testVideo(2), 'bai.mp4').expect(201);
    await eventually(async () => (await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.files[0].processing?.state === 'ready', 120_000);
    await server.http.post(`/api/v1/materials/${id}/submit`).set(auth('teacherA1')).expect(200);
    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approveAsReviewer(server, world, reviewer, id);
    const channel = (await server.http.post('/api/v1/publishing/youtube/channels').set(auth('admin'))
      .send({ name: 'Kênh Học liệu số', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).expect(201)).body.id as string;
    const start = await server.http.get(`/api/v1/publishing/youtube/channels/${channel}/authorize`).set(auth('admin')).expect(302);
    const callback = new URL((await fetch(start.headers.location!, { redirect: 'manual' })).headers.get('location')!);
    await server.http.get(`${callback.pathname}${callback.search}`).expect(200);
    await server.http.post('/api/v1/publishing/youtube/exports').set(auth('publisherBgd')).send({ materialId: id, channelId: channel }).expect((r) => expect(r.status).toBeLessThan(300));
    const done = await eventually(async () => (await inbox('publisherBgd')).items.find((n) => n.kind === 'youtube_export_done'), 120_000);
    expect(done.title).toBe('“Bài học trên YouTube” đã lên YouTube (kênh Kênh Học liệu số)');
    expect(done.detail).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=/);
  });

  it('shows the unread count in the page header of a signed-in user', async () => {
    const browser = supertest.agent(server.app.server);
    const login = await browser.get('/dang-nhap').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    await browser.post('/dang-nhap').type('form').send({ _csrf: csrf, username: 'reviewerA1', password: PASSWORD }).expect(303);
    const unread = (await inbox('reviewerA1')).unread;
    expect(unread).toBeGreaterThan(0);
    const page = await browser.get('/cua-toi/thong-bao').expect(200);
    expect(page.text).toContain(`<span class="unread-count">${unread}</span><span class="visually-hidden"> chưa đọc</span>`);
  });
});
