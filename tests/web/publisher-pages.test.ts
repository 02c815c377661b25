import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YouTubeRepository } from '../../src/publishing/youtube/youtube.repository.js';
import type { FakeYouTube } from '../fakes/youtube-server.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, submitAndApprove, type World } from '../helpers/world.js';
import { csrfFrom, csrfOf, HTML, signInAgent, type Agent } from '../helpers/web.js';
import { startFakeGoogle } from '../helpers/youtube.js';

/**
 * The publisher console (/xuat-ban), driven as a browser would: page sessions, forms posted with
 * their CSRF token, Google's consent against the fake of tests/fakes/youtube-server.ts, the export
 * job run by the in-process workers, and the broadcast week with its forms and file imports.
 */
let server: TestServer;
let world: World;
let youtube: FakeYouTube;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const CLIENT_ID = 'hoclieu-web.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-bi-mat-trang-xuat-ban';
const TITLE = 'Tam giác đồng dạng (truyền hình)';
let lessonId: string;
/** Two more published lessons: one whose upload YouTube refuses, one that waits for the quota. */
let refusedId: string;
let waitingId: string;
let draftId: string;
let channelId: string;

/** The week's slots of a channel, from the public API. */
async function slotsOfWeek(channel = 'vtv7') {
  const schedule = await server.http.get(`/api/v1/publishing/broadcast/schedule?channel=${channel}&from=2030-01-07T00:00:00%2B07:00&to=2030-01-14T00:00:00%2B07:00`).expect(200);
  return schedule.body.items as Array<{ id: string; start: string; end: string; material: { id: string } }>;
}

async function importFile(agent: Agent, bytes: Buffer, name: string) {
  const token = await csrfFrom(agent, '/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07');
  return agent.post('/xuat-ban/lich/nhap').set(HTML).field('_csrf', token).field('kenh', 'vtv7').field('tuan', '2030-01-07').attach('file', bytes, name);
}

let publisher: Agent;
let admin: Agent;

beforeAll(async () => {
  const fakeGoogle = await startFakeGoogle(CLIENT_ID, CLIENT_SECRET);
  youtube = fakeGoogle.youtube;
  server = await startTestServer({ env: { ...fakeGoogle.env, QC_BLOCKS_SUBMISSION: 'false' } });
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt', 'publisherBgd', 'publisherB']);
  const clip = await testVideo(4);
  const create = async () => {
    const material = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'tv-lesson', title: TITLE }).expect(201)).body;
    await server.http.post(`/api/v1/materials/${material.id}/files`).set(auth('teacherA1')).attach('file', clip, 'bai-giang.mp4').expect(201);
    return material.id as string;
  };
  [lessonId, draftId, refusedId, waitingId] = [await create(), await create(), await create(), await create()];
  for (const id of [lessonId, refusedId, waitingId]) {
    await eventually(async () => (await server.http.get(`/api/v1/materials/${id}`).set(auth('teacherA1')).expect(200)).body.files[0].processing?.state === 'ready', 120_000);
    await submitAndApprove(server, world, id);
  }
  channelId = (await server.http.post('/api/v1/publishing/youtube/channels').set(auth('admin')).send({ name: 'Kênh Học liệu số', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).expect(201)).body.id;
  await server.http.post('/api/v1/publishing/broadcast/channels').set(auth('publisherBgd')).send({ code: 'vtv7', name: 'VTV7', kind: 'tv' }).expect(201);
  [publisher, admin] = await Promise.all([signInAgent(server, 'publisherBgd'), signInAgent(server, 'admin')]);
}, 300_000);
afterAll(async () => {
  await server?.close();
  await youtube?.stop();
});

describe('the publisher console: who may', () => {
  it('is for publishers and admins: a visitor is sent to sign in, every other role gets the 403 page, for pages and forms alike', async () => {
    const visitor = await server.http.get('/xuat-ban').set(HTML).expect(303);
    expect(visitor.headers.location).toBe('/dang-nhap?tiep=%2Fxuat-ban');
    for (const name of ['teacherA1', 'reviewerA1']) {
      const agent = await signInAgent(server, name);
      const token = await csrfFrom(agent, '/cua-toi');
      for (const path of ['/xuat-ban', '/xuat-ban/lich', `/xuat-ban/kenh/${channelId}/ket-noi`]) {
        const refused = await agent.get(path).set(HTML).expect(403);
        expect(refused.text).toContain('<h1>Không có quyền truy cập</h1>');
      }
      await agent.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: token, kenh: channelId, 'hoc-lieu': lessonId }).expect(403);
      await agent.post('/xuat-ban/lich/them').set(HTML).type('form').send({ _csrf: token, kenh: 'vtv7', 'hoc-lieu': lessonId, ngay: '2030-01-08', gio: '19:00' }).expect(403);
      expect((await agent.get('/cua-toi').set(HTML).expect(200)).text).not.toContain('href="/xuat-ban"');
    }
    expect(await slotsOfWeek()).toEqual([]);
    const page = await publisher.get('/xuat-ban').set(HTML).expect(200);
    expect(page.text).toContain('<h1>Xuất bản</h1>');
    expect(page.text).toContain('<a href="/xuat-ban">Xuất bản</a>');
    expect(page.headers['cache-control']).toBe('no-store');
    await admin.get('/xuat-ban/lich').set(HTML).expect(200);
    // Forms without their CSRF token are refused before anything happens.
    await publisher.post('/xuat-ban/xuat').set(HTML).type('form').send({ kenh: channelId, 'hoc-lieu': lessonId }).expect(403);
  });
});

describe('YouTube channels in the console', () => {
  it('shows the authorisation state; a channel\'s manager connects it through Google\'s consent and lands back on the console', async () => {
    const before = await publisher.get('/xuat-ban').set(HTML).expect(200);
    expect(before.text).toContain('data-channel-status="needs_authorization">Chưa kết nối với Google');
    // A publisher uses the channel but does not manage it: no connect link, and the action is refused.
    expect(before.text).not.toContain(`/xuat-ban/kenh/${channelId}/ket-noi`);
    expect(before.text).toContain('Nhờ quản trị viên của đơn vị kết nối kênh.');
    await publisher.get(`/xuat-ban/kenh/${channelId}/ket-noi`).set(HTML).expect(403);
    expect(before.text).toMatch(/Đặt lại lúc <time datetime="[^"]+">\d\d:\d\d/);

    const console = await admin.get('/xuat-ban').set(HTML).expect(200);
    expect(console.text).toContain(`href="/xuat-ban/kenh/${channelId}/ket-noi">Kết nối với Google`);
    const start = await admin.get(`/xuat-ban/kenh/${channelId}/ket-noi`).set(HTML).expect(303);
    expect(start.headers.location!.startsWith(youtube.urls.authUrl)).toBe(true);
    const google = await fetch(start.headers.location!, { redirect: 'manual' });
    const callback = new URL(google.headers.get('location')!);
    // The browser arrives at the OAuth callback, which hands the consent on to the console.
    const handed = await admin.get(`${callback.pathname}${callback.search}`).set(HTML).expect(303);
    expect(handed.headers.location).toMatch(/^\/xuat-ban\/ket-noi-google\?code=[^&]+&state=[^&]+$/);
    const done = await admin.get(handed.headers.location!).set(HTML).expect(303);
    expect(done.headers.location).toBe('/xuat-ban?thong-bao=da-ket-noi');
    const after = await admin.get(done.headers.location!).set(HTML).expect(200);
    expect(after.text).toContain('Đã kết nối kênh với Google');
    expect(after.text).toContain('data-channel-status="active">Đã kết nối');
    expect(after.text).toContain('Kênh Học liệu số (thử nghiệm)');
    expect(after.text).not.toContain(CLIENT_SECRET);
    // The same consent a second time (browser history) is refused in the page, with the way to start again.
    const replay = await admin.get(handed.headers.location!).set(HTML).expect(400);
    expect(replay.text).toContain('Phiên uỷ quyền Google không hợp lệ hoặc đã hết hạn');
    // API clients still get the callback's JSON.
    expect((await server.http.get(`${callback.pathname}${callback.search}`).expect(400)).body.error.code).toBe('OAUTH_STATE_INVALID');
  });

  it('shows a channel whose access Google revoked as needing a new consent, and reconnects it', async () => {
    // The user withdrew access at Google: the next token refresh (as an export job makes it) learns so.
    youtube.revokeRefreshTokens();
    const row = (await new YouTubeRepository(server.ctx.db.db).channel(channelId))!;
    await expect(server.ctx.youtubeChannels.tokenProvider(row)(true)).rejects.toMatchObject({ code: 'CHANNEL_NOT_AUTHORIZED' });
    const revoked = await admin.get('/xuat-ban').set(HTML).expect(200);
    expect(revoked.text).toContain('data-channel-status="needs_reauthorization">Google đã thu hồi quyền: cần kết nối lại');
    expect(revoked.text).toContain(`href="/xuat-ban/kenh/${channelId}/ket-noi">Kết nối lại với Google`);
    const start = await admin.get(`/xuat-ban/kenh/${channelId}/ket-noi`).set(HTML).expect(303);
    const callback = new URL((await fetch(start.headers.location!, { redirect: 'manual' })).headers.get('location')!);
    const handed = await admin.get(`${callback.pathname}${callback.search}`).set(HTML).expect(303);
    await admin.get(handed.headers.location!).set(HTML).expect(303);
    expect((await admin.get('/xuat-ban').set(HTML).expect(200)).text).toContain('data-channel-status="active">Đã kết nối');
  });
});

describe('exports from the console', () => {
  it('refuses what cannot go to YouTube in the page, keeping what was typed', async () => {
    const token = await csrfFrom(publisher, '/xuat-ban');
    const draft = await publisher.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: token, kenh: channelId, 'hoc-lieu': draftId }).expect(422);
    expect(draft.text).toContain('Không xuất được lên YouTube: học liệu chưa được thẩm định và xuất bản');
    expect(draft.text).toContain(`value="${draftId}"`);
    const nothing = await publisher.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: token, kenh: channelId, 'hoc-lieu': 'bai hoc nao do' }).expect(422);
    expect(nothing.text).toContain('hãy nhập mã hoặc dán đường dẫn trang của học liệu.');
    // Another province's publisher does not even see the ministry's channel.
    const other = await signInAgent(server, 'publisherB');
    const otherPage = await other.get('/xuat-ban').set(HTML).expect(200);
    expect(otherPage.text).not.toContain('Kênh Học liệu số');
    const refused = await other.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: csrfOf(otherPage.text), kenh: channelId, 'hoc-lieu': lessonId }).expect(404);
    expect(refused.text).toContain('Không tìm thấy');
  });

  it('starts an export from the lesson\'s link and shows it in the queue until it is on YouTube', async () => {
    const token = await csrfFrom(publisher, '/xuat-ban');
    const started = await publisher.post('/xuat-ban/xuat').set(HTML).type('form')
      .send({ _csrf: token, kenh: channelId, 'hoc-lieu': `http://localhost:3000/hoc-lieu/${lessonId}/tam-giac-dong-dang-truyen-hinh`, 'che-do': 'unlisted' }).expect(303);
    expect(started.headers.location).toBe('/xuat-ban?thong-bao=da-xuat#hang-doi');
    const queued = await publisher.get('/xuat-ban?thong-bao=da-xuat').set(HTML).expect(200);
    expect(queued.text).toContain('Đã đưa bài vào hàng đợi xuất bản.');
    expect(queued.text).toMatch(/data-export-state="(queued|uploading|processing|done)"/);
    expect(queued.text).toContain(`>${TITLE}</a>`);
    const done = await eventually(async () => {
      const page = (await publisher.get('/xuat-ban').set(HTML).expect(200)).text;
      expect(page).not.toContain('data-export-state="failed"');
      return page.includes('data-export-state="done"') ? page : null;
    }, 60_000);
    expect(done).toMatch(/href="https:\/\/www\.youtube\.com\/watch\?v=[\w-]+">Xem trên YouTube/);
    expect(done).toContain('Không công khai');
    // Asking again for the same version is the same export, not a second video.
    const again = await publisher.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: token, kenh: channelId, 'hoc-lieu': lessonId }).expect(303);
    expect(again.headers.location).toBe('/xuat-ban?thong-bao=da-co#hang-doi');
  });

  it('exports a whole collection: each lesson once, the ones already there counted apart', async () => {
    const collection = (await server.http.post('/api/v1/collections').set(auth('admin')).send({ title: 'Toán 8 trên truyền hình' }).expect(201)).body;
    await server.http.post(`/api/v1/collections/${collection.id}/items`).set(auth('admin')).send({ materialId: lessonId }).expect(201);
    const page = await publisher.get('/xuat-ban').set(HTML).expect(200);
    expect(page.text).toContain('Toán 8 trên truyền hình (1 học liệu)');
    const bulk = await publisher.post('/xuat-ban/xuat-bo-suu-tap').set(HTML).type('form').send({ _csrf: csrfOf(page.text), kenh: channelId, 'bo-suu-tap': collection.id }).expect(303);
    expect(bulk.headers.location).toBe('/xuat-ban?thong-bao=da-xuat-bo&so=0#hang-doi');
  });

  it('shows a failed export with YouTube\'s reason, and a deferred one with why it waits and when it is expected to start', async () => {
    const rowOf = (page: string, id: string) => {
      const rows = page.split('<tr data-export=').filter((row) => row.includes(`/hoc-lieu/${id}/`));
      return rows.length === 1 ? rows[0]! : null;
    };
    const token = await csrfFrom(publisher, '/xuat-ban');
    youtube.failNext('upload', 400, { reason: 'invalidTitle', domain: 'youtube.video', message: 'The request metadata specifies an invalid video title.' });
    await publisher.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: token, kenh: channelId, 'hoc-lieu': refusedId }).expect(303);
    const failed = await eventually(async () => {
      const row = rowOf((await publisher.get('/xuat-ban').set(HTML).expect(200)).text, refusedId);
      return row?.includes('data-export-state="failed"') ? row : null;
    }, 60_000);
    expect(failed).toContain('<span class="field-error">YouTube từ chối: invalidTitle – The request metadata specifies an invalid video title.</span>');

    youtube.exhaustQuota(CLIENT_ID);
    await publisher.post('/xuat-ban/xuat').set(HTML).type('form').send({ _csrf: token, kenh: channelId, 'hoc-lieu': waitingId }).expect(303);
    const page = await eventually(async () => {
      const text = (await publisher.get('/xuat-ban').set(HTML).expect(200)).text;
      return rowOf(text, waitingId)?.includes('data-export-state="deferred"') ? text : null;
    }, 60_000);
    const deferred = rowOf(page, waitingId)!;
    expect(deferred).toContain('YouTube báo hết hạn mức API của dự án (quotaExceeded)');
    const reset = (await server.http.get('/api/v1/publishing/youtube/channels').set(auth('publisherBgd')).expect(200)).body.items[0].project.nextReset;
    expect(deferred).toContain(`Dự kiến bắt đầu: <time datetime="${new Date(reset).toISOString()}">`);
    expect(page).toMatch(/Google báo hết hạn mức: tạm dừng đến <time/);
    // The page carries the island that keeps the queue up to date while an export waits.
    expect(page).toMatch(/<script type="module" src="\/assets\/export-queue-[\w-]+\.js"/);
  });
});

describe('the broadcast week', () => {
  it('is a table with a header per part of the day and per day', async () => {
    const page = await publisher.get('/xuat-ban/lich?kenh=vtv7&tuan=2030-01-09').set(HTML).expect(200);
    expect(page.text).toMatch(/<caption id="luoi-tuan">Lịch phát kênh VTV7, tuần Thứ Hai, 7\/1\/2030 – Chủ Nhật, 13\/1\/2030/);
    for (const band of ['Sáng (0–12 giờ)', 'Chiều (12–18 giờ)', 'Tối (18–24 giờ)']) expect(page.text).toContain(`<th scope="col">${band}</th>`);
    expect(page.text.match(/<th scope="row">Thứ|<th scope="row">Chủ Nhật/g)).toHaveLength(7);
    expect(page.text).toContain('href="/xuat-ban/lich?kenh=vtv7&amp;tuan=2030-01-14">Tuần sau ›');
  });

  it('adds a slot, refuses an overlap naming the lesson it runs into, moves a slot, and cancels one', async () => {
    const week = '/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07';
    const token = await csrfFrom(publisher, week);
    const added = await publisher.post('/xuat-ban/lich/them').set(HTML).type('form')
      .send({ _csrf: token, kenh: 'vtv7', 'hoc-lieu': lessonId, ngay: '2030-01-08', gio: '19:00' }).expect(303);
    expect(added.headers.location).toBe('/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07&thong-bao=da-them');
    const [first] = await slotsOfWeek();
    expect(first).toMatchObject({ start: '2030-01-08T19:00:00+07:00', end: '2030-01-08T19:00:04+07:00' });
    const shown = await publisher.get(added.headers.location!).set(HTML).expect(200);
    expect(shown.text).toContain('Đã xếp lịch phát.');
    expect(shown.text).toContain(`data-slot="${first!.id}"`);

    const clash = await publisher.post('/xuat-ban/lich/them').set(HTML).type('form')
      .send({ _csrf: token, kenh: 'vtv7', 'hoc-lieu': lessonId, ngay: '2030-01-08', gio: '19:00', 'ket-thuc': '19:30' }).expect(409);
    expect(clash.text).toContain(`Trùng lịch trên kênh vtv7: &quot;${TITLE}&quot; phát từ 19:00 08/01/2030 đến 19:00 08/01/2030 (giờ Việt Nam).`);
    expect(clash.text).toContain(`<li data-slot="${first!.id}" class="clash">`);
    expect(clash.text).toContain('value="19:30"');
    const bad = await publisher.post('/xuat-ban/lich/them').set(HTML).type('form').send({ _csrf: token, kenh: 'vtv7', 'hoc-lieu': lessonId, ngay: '2030-02-31', gio: '19:00' }).expect(400);
    expect(bad.text).toContain('Ngày hoặc giờ không hợp lệ');
    expect(await slotsOfWeek()).toHaveLength(1);

    const moved = await publisher.post(`/xuat-ban/lich/${first!.id}/doi-gio`).set(HTML).type('form')
      .send({ _csrf: token, kenh: 'vtv7', tuan: '2030-01-07', ngay: '2030-01-09', gio: '07:00' }).expect(303);
    expect(moved.headers.location).toBe('/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07&thong-bao=da-doi');
    expect((await slotsOfWeek())[0]).toMatchObject({ id: first!.id, start: '2030-01-09T07:00:00+07:00', end: '2030-01-09T07:00:04+07:00' });

    // A second slot moved onto the first is refused, naming it; it stays where it was.
    await publisher.post('/xuat-ban/lich/them').set(HTML).type('form').send({ _csrf: token, kenh: 'vtv7', 'hoc-lieu': lessonId, ngay: '2030-01-10', gio: '08:00' }).expect(303);
    const second = (await slotsOfWeek()).find((s) => s.id !== first!.id)!;
    const refused = await publisher.post(`/xuat-ban/lich/${second.id}/doi-gio`).set(HTML).type('form')
      .send({ _csrf: token, kenh: 'vtv7', tuan: '2030-01-07', ngay: '2030-01-09', gio: '07:00' }).expect(409);
    expect(refused.text).toContain(`&quot;${TITLE}&quot; phát từ 07:00 09/01/2030`);
    expect(refused.text).toContain(`<li data-slot="${first!.id}" class="clash">`);
    expect((await slotsOfWeek()).find((s) => s.id === second.id)!.start).toBe('2030-01-10T08:00:00+07:00');

    const cancelled = await publisher.post(`/xuat-ban/lich/${second.id}/huy?kenh=vtv7&tuan=2030-01-07`).set(HTML).type('form').send({ _csrf: token }).expect(303);
    expect(cancelled.headers.location).toBe('/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07&thong-bao=da-huy');
    expect((await slotsOfWeek()).map((s) => s.id)).toEqual([first!.id]);
  });

  it('imports a CSV all or nothing: every problem reported by its line, nothing saved; a clean file saves every row', async () => {
    const csv = [
      'Kênh,Học liệu,Bắt đầu,Kết thúc',
      `vtv7,${lessonId},2030-01-11 19:00,`,
      `vtv7,${lessonId},2030-01-09 07:00,`,
      `vtv7,${lessonId},31/02/2030 19:00,`,
      `kenh-la,${lessonId},2030-01-12 19:00,`,
      `vtv7,/hoc-lieu/${draftId}/ban-nhap,2030-01-12 20:00,`,
    ].join('\n');
    const refused = await importFile(publisher, Buffer.from(csv), 'lich-tuan.csv');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Tệp lich-tuan.csv có 4 lỗi nên chưa ghi dòng nào.');
    const rows = [...refused.text.matchAll(/<tr><th scope="row">(\d+)<\/th><td>([^<]+)<\/td><\/tr>/g)].map((m) => [Number(m[1]), m[2]]);
    expect(rows.map(([line]) => line)).toEqual([3, 4, 5, 6]);
    expect(rows[0]![1]).toContain(`Trùng lịch trên kênh vtv7: &quot;${TITLE}&quot; phát từ 07:00 09/01/2030`);
    expect(rows[1]![1]).toContain('giờ bắt đầu &quot;31/02/2030 19:00&quot; không đọc được');
    expect(rows[2]![1]).toContain('Không tìm thấy');
    expect(rows[3]![1]).toContain('Chỉ xếp lịch phát sóng được học liệu đã xuất bản');
    expect(await slotsOfWeek()).toHaveLength(1);

    // Excel under Vietnamese settings: semicolons, day/month/year, a BOM.
    const clean = `\ufeffKênh;Học liệu;Bắt đầu\nvtv7;${lessonId};11/01/2030 19:00\nvtv7;${lessonId};12/01/2030 19:00\n`;
    const saved = await importFile(publisher, Buffer.from(clean), 'lich-tuan.csv');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07&thong-bao=da-nhap&so=2');
    expect((await publisher.get(saved.headers.location!).set(HTML).expect(200)).text).toContain('Đã nhập 2 lịch phát.');
    expect((await slotsOfWeek()).map((s) => s.start)).toEqual(['2030-01-09T07:00:00+07:00', '2030-01-11T19:00:00+07:00', '2030-01-12T19:00:00+07:00']);
  });

  it('imports an XLSX whose times are Excel date cells, and says what a file without the columns lacks', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lịch');
    sheet.addRow(['Kênh', 'Học liệu', 'Bắt đầu']);
    sheet.addRow(['vtv7', lessonId, new Date(Date.UTC(2030, 0, 13, 6, 30))]);
    const saved = await importFile(publisher, Buffer.from(await workbook.xlsx.writeBuffer()), 'lich.xlsx');
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toContain('thong-bao=da-nhap&so=1');
    expect((await slotsOfWeek()).at(-1)!.start).toBe('2030-01-13T06:30:00+07:00');

    const headless = await importFile(publisher, Buffer.from('a,b,c\n1,2,3\n'), 'sai.csv');
    expect(headless.status).toBe(400);
    expect(headless.text).toContain('không tìm thấy dòng tiêu đề với các cột &quot;Kênh&quot;, &quot;Học liệu&quot;, &quot;Bắt đầu&quot;');
  });
});
