import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, signedInPage } from '../helpers/browser.js';
import { freePort } from '../helpers/free-port.js';
import { h5pHelloPackage, scormPackage } from '../helpers/packages.js';
import { eventually, startTestServer, type TestServer } from '../helpers/server.js';
import { createWorld, MATERIAL, submitAndApprove, type World } from '../helpers/world.js';

/**
 * A learner plays a published SCORM 1.2 lesson in the material page, in Chromium: the app on
 * localhost, the package on 127.0.0.1 (another site). The attempt is stored and resumes, and the
 * package, which tries, reads none of the app's cookies or page and cannot call the API as the learner.
 */
let server: TestServer;
let world: World;
let browser: Browser;
let base: string;
let materialId: string;
let fileId: string;
const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  [server, browser] = await Promise.all([startTestServer({ env: { PUBLIC_URL: base } }), launchChromium()]);
  world = await createWorld(server, ['teacherA1', 'teacherB1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: 'Phân số lớp 4', type: 'elearning' }).expect(201);
  materialId = created.body.id;
  const file = await server.http.post(`/api/v1/materials/${materialId}/files`).set(auth('teacherA1')).attach('file', await scormPackage('1.2', base), 'phan-so.zip').expect(201);
  fileId = file.body.id;
  await eventually(async () => (await server.http.get(`/api/v1/files/${fileId}/package`).set(auth('teacherA1')).expect(200)).body.state === 'ready');
  await submitAndApprove(server, world, materialId);
  await server.app.listen({ host: '127.0.0.1', port });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a SCORM lesson in the material page', () => {
  it('is played, its attempt stored and resumed, and it reaches nothing of the app', async () => {
    const page = await signedInPage(browser, base, 'teacherB1');
    const context = page.context();
    // The learner's session cookie is there to be stolen, on the app's site.
    expect((await context.cookies(base)).map((c) => c.name)).toContain('hoclieu_session');

    await page.goto(`${base}/hoc-lieu/${materialId}`);
    const frame = page.locator('iframe[title^="Phân số lớp 4"]');
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms allow-modals');
    expect(await frame.getAttribute('src')).toMatch(new RegExp(`^${server.ctx.config.content.origin}/w/`));
    const sco = page.frameLocator('iframe[title^="Phân số lớp 4"]').frameLocator('#sco');
    await expect.poll(() => sco.locator('#state').textContent(), { timeout: 20_000 }).toBe('Đã hoàn thành lần 1');
    const found = JSON.parse((await sco.locator('#found').textContent())!);
    expect(found).toEqual({ ownCookies: '', topDocument: 'blocked', apiCall: 'blocked', entry: '' });
    await expectAccessible(page);

    const attempt = await eventually(async () => {
      const mine = await server.http.get(`/api/v1/files/${fileId}/attempts/me`).set(auth('teacherB1'));
      return mine.status === 200 && mine.body.successStatus === 'passed' ? mine.body : null;
    });
    expect(attempt).toMatchObject({ scormVersion: '1.2', completionStatus: 'completed', successStatus: 'passed', score: 80, location: 'trang-3' });
    expect(attempt.suspendDataLength).toBeGreaterThan(5000);

    // The next visit starts from the saved data.
    await page.reload();
    await expect.poll(() => sco.locator('#state').textContent(), { timeout: 20_000 }).toBe('Đã hoàn thành lần 2');
    expect(JSON.parse((await sco.locator('#found').textContent())!).entry).toBe('resume');
    await context.close();
  });

  it('the public plays it without an account, and nothing is stored', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    const commits: string[] = [];
    page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/c/')) commits.push(request.url()); });
    await page.goto(`${base}/hoc-lieu/${materialId}`);
    const sco = page.frameLocator('iframe[title^="Phân số lớp 4"]').frameLocator('#sco');
    // A first run: the learner's saved data is theirs alone.
    await expect.poll(() => sco.locator('#state').textContent(), { timeout: 20_000 }).toBe('Đã hoàn thành lần 1');
    await page.close();
    expect(commits).toEqual([]);
    await context.close();
  });
});

describe('an H5P file in the teacher\'s workspace', () => {
  it('is played by h5p-standalone from the content origin', async () => {
    const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, title: 'Lời chào H5P', type: 'game' }).expect(201);
    const file = await server.http.post(`/api/v1/materials/${created.body.id}/files`).set(auth('teacherA1')).attach('file', await h5pHelloPackage('Xin chào các em'), 'loi-chao.h5p').expect(201);
    await eventually(async () => (await server.http.get(`/api/v1/files/${file.body.id}/package`).set(auth('teacherA1')).expect(200)).body.state === 'ready');
    const page = await signedInPage(browser, base, 'teacherA1');
    await page.goto(`${base}/cua-toi/hoc-lieu/${created.body.id}`);
    const player = page.frameLocator('iframe[title^="loi-chao.h5p"]');
    await expect.poll(() => player.locator('#hello').textContent(), { timeout: 20_000 }).toBe('Xin chào các em');
    await expectAccessible(page);
    await page.context().close();
  });
});
