import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestServer, type TestServer } from './server.js';
import { createWorld, PASSWORD, type USERS, type World } from './world.js';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
/** As root Chromium needs --no-sandbox; the rest keep it from calling home on a closed network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** The test server on a real loopback port, so that a browser reaches it over HTTP; its base URL. */
export async function listen(server: TestServer): Promise<string> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
}

/** The app on a loopback port with Chromium beside it, and the accounts `users` of the small country (world.ts). */
export async function startBrowserWorld(users: readonly (keyof typeof USERS)[], options: { workers?: boolean } = {}): Promise<{ server: TestServer; browser: Browser; world: World; base: string }> {
  const [server, browser] = await Promise.all([startTestServer({ workers: options.workers }), launchChromium()]);
  try {
    const world = await createWorld(server, users);
    return { server, browser, world, base: await listen(server) };
  } catch (error) {
    await browser.close();
    await server.close();
    throw error;
  }
}

/** A new browser window in Vietnamese, signed in on /dang-nhap, on the page it lands on: `next` (asked for with `?tiep=`) or the workspace. */
export async function signedInPage(browser: Browser, base: string, username: string, next?: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'vi-VN' })).newPage();
  await page.goto(next ? `${base}/dang-nhap?tiep=${encodeURIComponent(next)}` : `${base}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${base}${next ?? '/cua-toi'}`);
  return page;
}

/** WCAG 2.1 A and AA: the page must have no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) on ${page.url()}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(grave).toEqual([]);
}

/** One request that went through the proxy, with what the server answered. */
export interface ProxiedRequest {
  method: string;
  url: string;
  requestHeaders: http.IncomingHttpHeaders;
  status?: number;
  responseHeaders?: http.IncomingHttpHeaders;
  /** Body bytes passed on to the server before the proxy cut the connection (cut requests only). */
  cutAfter?: number;
}

/**
 * A transparent HTTP proxy in front of the app that cuts the connection of the first request that
 * `shouldCut` picks once `cutAfterBytes` of its body have gone through: the server receives part of
 * the body and the browser sees its connection drop, as on a mobile link that goes away.
 */
export async function startCuttingProxy(target: string, options: {
  shouldCut: (method: string, url: string) => boolean;
  cutAfterBytes: number;
  /** Resolves when the server has taken in the `sent` bytes of the request to `url`. */
  beforeCut?: (url: string, sent: number) => Promise<unknown>;
}) {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  let cutDone = false;
  const proxy = http.createServer((incoming, outgoing) => {
    const record: ProxiedRequest = { method: incoming.method!, url: incoming.url!, requestHeaders: incoming.headers };
    requests.push(record);
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      record.status = answer.statusCode;
      record.responseHeaders = answer.headers;
      outgoing.writeHead(answer.statusCode!, answer.rawHeaders);
      answer.pipe(outgoing);
    });
    forward.on('error', () => outgoing.destroy());
    const cut = !cutDone && options.shouldCut(incoming.method!, incoming.url!);
    if (!cut) {
      incoming.pipe(forward);
      return;
    }
    cutDone = true;
    let sent = 0;
    incoming.on('data', (chunk: Buffer) => {
      if (record.cutAfter !== undefined) return;
      const room = options.cutAfterBytes - sent;
      if (chunk.length < room) {
        sent += chunk.length;
        forward.write(chunk);
        return;
      }
      record.cutAfter = sent + room;
      incoming.pause();
      // Once the server has what it was sent (`beforeCut` waits for that), drop both sides without an answer.
      forward.write(chunk.subarray(0, room), () => void (options.beforeCut?.(record.url, sent + room) ?? Promise.resolve()).finally(() => {
        forward.destroy();
        incoming.socket.destroy();
      }));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      proxy.closeAllConnections();
      proxy.close(() => resolve());
    }),
  };
}

/**
 * The public's path to a published video, as a visitor walks it: the home page, a search typed
 * without diacritics, the result, its page, the video played until its clock moves, the original
 * file downloaded. Every page on the way is checked for accessibility. Says how the video played.
 */
export async function walkPublicPath(page: Page, base: string, options: { query: string; title: string; original: Buffer }): Promise<{ playedFrom: string }> {
  await page.goto(`${base}/`);
  await expect.poll(() => page.title()).toContain('Kho học liệu');
  await expectAccessible(page);
  await page.getByRole('search').getByLabel('Từ khoá').fill(options.query);
  await page.getByRole('search').getByRole('button', { name: 'Tìm' }).click();
  await page.waitForURL(/\/tim-kiem\?/);
  await expectAccessible(page);
  await page.getByRole('link', { name: options.title }).first().click();
  await page.waitForURL(/\/hoc-lieu\/[0-9a-f-]+\/[a-z0-9-]+$/);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(options.title);
  await expectAccessible(page);

  // Played from the keyboard, as a keyboard user would (a click on the picture does not toggle play in headless Chromium).
  const video = page.locator('video');
  await video.focus();
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 1, undefined, { timeout: 30_000 });
  const playedFrom = await video.evaluate((v: HTMLVideoElement) => v.currentSrc);
  await expectAccessible(page);

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: /\.mp4$/ }).click();
  const download = await downloading;
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).equals(options.original)).toBe(true);
  return { playedFrom };
}
