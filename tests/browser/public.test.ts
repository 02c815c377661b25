import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, listen, walkPublicPath } from '../helpers/browser.js';
import { testVideo } from '../helpers/media.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, submitAndApprove, type World } from '../helpers/world.js';

/** The public, without an account, in Debian's Chromium: a published video lesson found, played and downloaded. */
let server: TestServer;
let world: World;
let browser: Browser;
let context: BrowserContext;
let base: string;
let video: Buffer;
let materialId: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  [server, video, browser] = await Promise.all([startTestServer(), testVideo(4, '640x360'), launchChromium()]);
  world = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'video' }).expect(201);
  materialId = created.body.id;
  await server.http.post(`/api/v1/materials/${materialId}/files`).set(auth('teacherA1')).attach('file', video, 'tam-giac-dong-dang.mp4').expect(201);
  await eventually(async () => {
    const shown = await server.http.get(`/api/v1/materials/${materialId}`).set(auth('teacherA1')).expect(200);
    expect(shown.body.files[0].processing?.state).not.toBe('failed');
    return shown.body.files[0].processing?.state === 'ready';
  }, 120_000);
  await submitAndApprove(server, world, materialId);
  await eventually(async () => (await server.http.get('/api/v1/search').expect(200)).body.total === 1);
  base = await listen(server);
  context = await browser.newContext({ locale: 'vi-VN' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the public in a browser', () => {
  it('finds the lesson without diacritics, plays the video and downloads the original file', async () => {
    const page = await context.newPage();
    const { playedFrom } = await walkPublicPath(page, base, { query: 'tam giac dong dang', title: MATERIAL.title, original: video });
    // Chromium plays the HLS (natively or through hls.js and Media Source Extensions), not the MP4 fallback.
    expect(playedFrom).toMatch(/^blob:|\/hls\/master\.m3u8$/);
  });

  it('the schedule, the sign-in page and the 404 page are accessible too', async () => {
    const page = await context.newPage();
    for (const path of ['/lich-phat-song', '/dang-nhap', '/khong-co-trang-nay']) {
      await page.goto(`${base}${path}`);
      await expectAccessible(page);
    }
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy();
  });
});
