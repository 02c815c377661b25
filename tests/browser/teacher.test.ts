import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, listen, startCuttingProxy, walkPublicPath } from '../helpers/browser.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, PASSWORD, type World, approveAsReviewer } from '../helpers/world.js';

/**
 * A teacher in Debian's Chromium: signs in, creates a video lesson whose upload loses its connection
 * half-way and resumes from where the server stopped, watches it processed, submits it; after the
 * three review stages approve it (API), the public finds, plays and downloads it.
 */
let server: TestServer;
let world: World;
let browser: Browser;
let proxy: Awaited<ReturnType<typeof startCuttingProxy>>;
let video: Buffer;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const approve = (reviewer: keyof World['tokens'], materialId: string) => approveAsReviewer(server, world, reviewer, materialId);

beforeAll(async () => {
  [server, video, browser] = await Promise.all([startTestServer(), testVideo(4, '640x360'), launchChromium()]);
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  // The browser talks to the app through a proxy that cuts the first upload request half-way.
  proxy = await startCuttingProxy(await listen(server), {
    shouldCut: (method, url) => method === 'PATCH' && url.startsWith('/api/v1/uploads/'),
    cutAfterBytes: Math.floor(video.length / 2),
    // The cut comes once the upload store holds those bytes (asking over tus instead would make the server end the PATCH itself).
    beforeCut: (url, sent) => eventually(async () => (await server.ctx.uploads.store.getUpload(url.split('/').pop()!)).offset >= sent),
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
});

describe('a teacher in a browser', () => {
  it('signs in, uploads a video through a cut connection, sees it processed, submits it; once approved the public plays it', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const base = proxy.url;

    await page.goto(`${base}/dang-nhap`);
    await expectAccessible(page);
    await page.getByLabel('Tên đăng nhập').fill('teacherA1');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/cua-toi`);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Tạo học liệu mới' }).click();
    await page.waitForURL(`${base}/cua-toi/hoc-lieu/moi`);
    await expectAccessible(page);
    await page.getByLabel('Loại học liệu').selectOption('video');
    await page.getByLabel('Tên học liệu').fill(MATERIAL.title);
    await page.getByLabel('Mô tả').fill(MATERIAL.description);
    await page.getByLabel('Cấp học').selectOption('thcs');
    await page.getByLabel('Lớp 8').check();
    await page.getByLabel('Môn học').selectOption('toan');

    // Choosing the file creates the draft and starts the upload while the form is still open.
    await page.getByLabel('Tệp học liệu').setInputFiles({ name: 'tam-giac-dong-dang.mp4', mimeType: 'video/mp4', buffer: video });
    const progress = page.getByRole('progressbar', { name: 'tam-giac-dong-dang.mp4' });
    await expect.poll(() => progress.count()).toBe(1);
    await page.getByText('Đã tải lên xong').waitFor({ timeout: 60_000 });
    expect(await progress.evaluate((bar: HTMLProgressElement) => bar.value)).toBe(100);
    await expectAccessible(page);

    // What the server answered around the cut: the client asked where to go on and went on from there
    // (a PATCH sent again from 0 before asking is refused with 409, and is one more reason to ask).
    const uploads = proxy.requests.filter((r) => r.url.startsWith('/api/v1/uploads/'));
    const cutAt = uploads.findIndex((r) => r.cutAfter !== undefined);
    expect(cutAt).toBeGreaterThanOrEqual(0);
    expect(uploads[cutAt]!.requestHeaders['upload-offset']).toBe('0');
    const head = uploads.slice(cutAt + 1).find((r) => r.method === 'HEAD' && r.status === 200)!;
    const storedOffset = Number(head.responseHeaders!['upload-offset']);
    expect(storedOffset).toBe(uploads[cutAt]!.cutAfter);
    expect(storedOffset).toBeGreaterThan(0);
    const resumed = uploads.slice(uploads.indexOf(head) + 1).filter((r) => r.method === 'PATCH' && r.status! < 300);
    expect(resumed.map((r) => r.requestHeaders['upload-offset'])).toEqual([String(storedOffset)]);
    expect(resumed[0]!.responseHeaders!['upload-offset']).toBe(String(video.length));

    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await page.waitForURL(/\/cua-toi\/hoc-lieu\/[0-9a-f-]+\?da-luu=1$/);
    const materialId = /hoc-lieu\/([0-9a-f-]+)/.exec(page.url())![1]!;
    // The stored file is the one chosen, byte for byte.
    const stored = await server.http.get(`/api/v1/materials/${materialId}`).set(auth('teacherA1')).expect(200);
    expect(stored.body).toMatchObject({ title: MATERIAL.title, type: 'video', grades: [8], status: 'draft' });
    expect(stored.body.files).toHaveLength(1);
    expect(stored.body.files[0]).toMatchObject({ name: 'tam-giac-dong-dang.mp4', size: video.length, sha256: sha256(video) });

    // Processing, shown on the workspace page until it is done.
    expect(await page.locator('[data-processing]').getAttribute('data-processing')).toMatch(/^(queued|running|ready)$/);
    await expectAccessible(page);
    await eventually(async () => {
      await page.reload();
      const state = await page.locator('[data-processing]').getAttribute('data-processing');
      expect(state).not.toBe('failed');
      return state === 'ready';
    }, 120_000);
    expect(await page.locator('[data-processing]').textContent()).toBe('Đã xử lý xong');

    await page.getByRole('button', { name: 'Gửi thẩm định' }).click();
    await page.waitForURL(/thong-bao=da-gui/);
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('in_review');
    await expectAccessible(page);

    for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) await approve(reviewer, materialId);
    await eventually(async () => (await server.http.get('/api/v1/search').expect(200)).body.total === 1);

    // The public, in a context without the teacher's cookie.
    const visitor = await browser.newContext({ locale: 'vi-VN' });
    await walkPublicPath(await visitor.newPage(), base, { query: 'tam giac dong dang', title: MATERIAL.title, original: video });
  }, 180_000);
});
