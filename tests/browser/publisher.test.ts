import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeYouTube } from '../fakes/youtube-server.js';
import { freePort } from '../helpers/free-port.js';
import { expectAccessible, launchChromium, signedInPage } from '../helpers/browser.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, PASSWORD, submitAndApprove, type World } from '../helpers/world.js';
import { startFakeGoogle } from '../helpers/youtube.js';

/**
 * A publisher who also administers the ministry's channels, in Debian's Chromium: connects the
 * YouTube channel through the consent of the fake Google (tests/fakes/youtube-server.ts), exports a
 * published TV lesson and watches the queue until it is on YouTube, then plans the broadcast week on
 * a 360 px wide screen: adds a slot, sees an overlap refused with the clash named, imports a CSV.
 */
let server: TestServer;
let world: World;
let youtube: FakeYouTube;
let browser: Browser;
let base: string;
let lessonId: string;
let channelId: string;
const TITLE = 'Phép nhân đa thức (truyền hình)';
const CLIENT_ID = 'hoclieu-browser.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-bi-mat-trinh-duyet';
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  const fakeGoogle = await startFakeGoogle(CLIENT_ID, CLIENT_SECRET, 200);
  youtube = fakeGoogle.youtube;
  // Google sends the browser back to PUBLIC_URL: the app listens where it says.
  const port = await freePort();
  base = `http://localhost:${port}`;
  let clip: Buffer;
  [server, clip, browser] = await Promise.all([
    startTestServer({ env: { ...fakeGoogle.env, QC_BLOCKS_SUBMISSION: 'false', PUBLIC_URL: base } }),
    testVideo(4, '640x360'),
    launchChromium(),
  ]);
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  await server.http.post('/api/v1/users').set(auth('admin'))
    .send({ username: 'xuatban', password: PASSWORD, displayName: 'Ban Xuất bản', orgCode: 'bgddt', roles: ['publisher', 'org-admin'] }).expect(201);
  lessonId = (await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'tv-lesson', title: TITLE }).expect(201)).body.id;
  await server.http.post(`/api/v1/materials/${lessonId}/files`).set(auth('teacherA1')).attach('file', clip, 'bai-giang.mp4').expect(201);
  await eventually(async () => (await server.http.get(`/api/v1/materials/${lessonId}`).set(auth('teacherA1')).expect(200)).body.files[0].processing?.state === 'ready', 120_000);
  await submitAndApprove(server, world, lessonId);
  channelId = (await server.http.post('/api/v1/publishing/youtube/channels').set(auth('admin')).send({ name: 'Kênh Học liệu số', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }).expect(201)).body.id;
  await server.http.post('/api/v1/publishing/broadcast/channels').set(auth('admin')).send({ code: 'vtv7', name: 'VTV7', kind: 'tv' }).expect(201);
  await server.app.listen({ host: '127.0.0.1', port });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await youtube?.stop();
});

describe('a publisher in a browser', () => {
  it('connects the channel through Google\'s consent, exports a lesson and sees it on YouTube, plans the week: a slot, a refused overlap, a CSV', async () => {
    const page = await signedInPage(browser, base, 'xuatban', '/xuat-ban');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Xuất bản');
    const status = page.locator(`[data-channel="${channelId}"] [data-channel-status]`);
    expect(await status.getAttribute('data-channel-status')).toBe('needs_authorization');
    await expectAccessible(page);

    // Our link → Google's consent → our callback → the console, all in the browser.
    await page.getByRole('link', { name: /^Kết nối với Google\s*: Kênh Học liệu số$/ }).click();
    await page.waitForURL(`${base}/xuat-ban?thong-bao=da-ket-noi`);
    expect(await page.getByRole('status').textContent()).toContain('Đã kết nối kênh với Google');
    expect(await status.getAttribute('data-channel-status')).toBe('active');
    expect(await page.locator(`[data-channel="${channelId}"]`).textContent()).toContain('Kênh Học liệu số (thử nghiệm)');
    expect(await page.locator('[data-quota]').textContent()).toMatch(/Đã dùng \d+ \/ 10\.000 đơn vị/);
    await expectAccessible(page);

    const exportForm = page.locator('form[action="/xuat-ban/xuat"]');
    await exportForm.getByLabel('Kênh YouTube').selectOption(channelId);
    await exportForm.getByLabel('Học liệu (mã hoặc đường dẫn trang học liệu)').fill(`${base}/hoc-lieu/${lessonId}/phep-nhan-da-thuc-truyen-hinh`);
    await exportForm.getByLabel('Chế độ hiển thị trên YouTube').selectOption('unlisted');
    await exportForm.getByRole('button', { name: 'Xuất bản lên YouTube' }).click();
    await page.waitForURL(/thong-bao=da-xuat/);
    const row = page.locator('[data-export]').filter({ hasText: TITLE });
    const seen = [await row.getAttribute('data-export-state')];
    await expectAccessible(page);
    // No reload: the queue island fetches the page again while the export runs.
    await eventually(async () => {
      const state = await row.getAttribute('data-export-state');
      if (seen.at(-1) !== state) seen.push(state);
      expect(state).not.toBe('failed');
      return state === 'done';
    }, 60_000);
    // Every state the queue showed on the way is one an export passes through, in order.
    const order = ['queued', 'uploading', 'processing', 'done'];
    expect(seen.map((s) => order.indexOf(s!))).toEqual([...seen.map((s) => order.indexOf(s!))].sort());
    expect(await page.getByRole('status').filter({ hasText: 'Hàng đợi đã cập nhật lúc' }).count()).toBe(1);
    const watch = row.getByRole('link', { name: /^Xem trên YouTube\s*:/ });
    const videoId = new URL((await watch.getAttribute('href'))!).searchParams.get('v')!;
    expect(youtube.videos.get(videoId)).toMatchObject({ snippet: { title: expect.stringContaining(TITLE) }, status: { privacyStatus: 'unlisted' } });
    await expectAccessible(page);

    // The broadcast week, on a phone.
    await page.setViewportSize({ width: 360, height: 800 });
    await page.getByRole('link', { name: 'Lịch phát sóng theo tuần' }).click();
    await page.waitForURL(`${base}/xuat-ban/lich`);
    await page.goto(`${base}/xuat-ban/lich?kenh=vtv7&tuan=2030-01-07`);
    const grid = page.getByRole('table', { name: /Lịch phát kênh VTV7/ });
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(['Ngày', 'Sáng (0–12 giờ)', 'Chiều (12–18 giờ)', 'Tối (18–24 giờ)']);
    expect(await grid.getByRole('rowheader').count()).toBe(7);
    // Only the grid scrolls sideways (a data table); the page itself fits the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);

    const add = page.locator('form[action="/xuat-ban/lich/them"]');
    const addSlot = async (time: string) => {
      await add.getByLabel('Bài học (mã hoặc đường dẫn trang học liệu)').fill(lessonId);
      await add.getByLabel('Ngày', { exact: true }).fill('2030-01-08');
      await add.getByLabel('Giờ bắt đầu').fill(time);
      await add.getByRole('button', { name: 'Xếp lịch' }).click();
    };
    await addSlot('19:00');
    await page.waitForURL(/thong-bao=da-them/);
    const tuesday = grid.getByRole('row', { name: /Thứ Ba, 8\/1\/2030/ });
    expect(await tuesday.getByRole('cell').nth(2).textContent()).toContain(TITLE);
    await expectAccessible(page);

    await addSlot('19:00');
    expect(await page.getByRole('alert').textContent()).toBe(`Trùng lịch trên kênh vtv7: "${TITLE}" phát từ 19:00 08/01/2030 đến 19:00 08/01/2030 (giờ Việt Nam).`);
    expect(await page.locator('li.clash').textContent()).toContain('Trùng giờ với lịch này');
    await expectAccessible(page);

    const csv = `Kênh,Học liệu,Bắt đầu\nvtv7,${lessonId},2030-01-09 07:00\nvtv7,${lessonId},2030-01-08 19:00\n`;
    const upload = page.getByLabel('Tệp lịch (CSV hoặc Excel .xlsx)');
    await upload.setInputFiles({ name: 'lich.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Nhập lịch' }).click();
    await page.waitForURL(`${base}/xuat-ban/lich/nhap`);
    const report = page.locator('[data-import-report]');
    expect(await report.getByRole('alert').textContent()).toContain('Tệp lich.csv có 1 lỗi nên chưa ghi dòng nào.');
    expect(await report.getByRole('row', { name: /^3 / }).textContent()).toContain(`Trùng lịch trên kênh vtv7: "${TITLE}"`);
    await expectAccessible(page);

    await upload.setInputFiles({ name: 'lich.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.split('\n').slice(0, 2).join('\n')) });
    await page.getByRole('button', { name: 'Nhập lịch' }).click();
    await page.waitForURL(/thong-bao=da-nhap&so=1/);
    expect(await page.getByRole('status').textContent()).toBe('Đã nhập 1 lịch phát.');
    const wednesday = grid.getByRole('row', { name: /Thứ Tư, 9\/1\/2030/ });
    expect(await wednesday.getByRole('cell').nth(0).textContent()).toContain(TITLE);
    await expectAccessible(page);
  }, 180_000);
});
