/**
 * `npm run bench:web`: Lighthouse 12 (pinned: later versions need Node 22), mobile profile (its
 * default: a mid-range phone on a slow 4G link, simulated), on the home, search and material pages
 * of the real app with published content: a few hundred generated materials and one video lesson
 * that went through upload, processing and the three review stages. Each page is measured RUNS
 * times and the run with the median performance score is kept. Writes its section of bench/RESULTS.md,
 * and the README's screenshots (docs/screenshots/*-360.png: home and material page on a 360 px phone).
 * Chromium: Debian's (CHROME_PATH, default /usr/bin/chromium), never a download.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import supertest from 'supertest';
import { buildAssets } from '../scripts/build-assets.js';
import { migrate } from '../src/bootstrap.js';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/core/config.js';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { buildApp } from '../src/http/app.js';
import { materialPath } from '../src/materials/material-url.js';
import { startWorkers } from '../src/workers.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../tests/helpers/browser.js';
import { testVideo } from '../tests/helpers/media.js';
import { eventually, type TestServer } from '../tests/helpers/server.js';
import { createWorld, MATERIAL, type World } from '../tests/helpers/world.js';
import { generatePublishedMaterials } from './generate-materials.js';
import { writeSection } from './results.js';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 3);
const GENERATED = Number(process.env.BENCH_WEB_MATERIALS ?? 300);
const CATEGORIES = ['performance', 'accessibility', 'seo', 'best-practices'] as const;
const TARGETS: Partial<Record<(typeof CATEGORIES)[number], number>> = { performance: 90, accessibility: 95, seo: 95 };

const SCREENSHOTS = new URL('../docs/screenshots/', import.meta.url);

/** The README's pictures: pages on a 360 px wide phone, the smallest width the portal is made for. */
async function screenshots(base: string, pages: Array<[string, string]>): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, locale: 'vi-VN' });
    for (const [name, pagePath] of pages) {
      await page.goto(`${base}${pagePath}`, { waitUntil: 'networkidle' });
      // The top of the page, up to about two phone screens: enough to show it, small enough for the README.
      const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 1500);
      await page.screenshot({ path: new URL(`${name}-360.png`, SCREENSHOTS).pathname, fullPage: true, clip: { x: 0, y: 0, width: 360, height } });
    }
  } finally {
    await browser.close();
  }
}

const lines: string[] = [];
const say = (line = '') => { console.log(line); lines.push(line); };

await buildAssets();
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-web-'));
await fs.chmod(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: 55000 + Math.floor(Math.random() * 5000), persistent: false });
let chrome: chromeLauncher.LaunchedChrome | undefined;
try {
  await migrate(pg.url);
  const ctx = await createContext(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), pg.url);
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  await startWorkers(ctx, { pollingIntervalSeconds: 0.5 });

  // The same small country as the tests; one video lesson goes the whole way a teacher's does.
  const server = { ctx, app, http: supertest(app.server) } as unknown as TestServer;
  const world: World = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);
  const auth = (name: keyof World['tokens']) => ({ authorization: `Bearer ${world.tokens[name]}` });
  const created = await server.http.post('/api/v1/materials').set(auth('teacherA1')).send({ ...MATERIAL, type: 'video' }).expect(201);
  const videoId: string = created.body.id;
  await server.http.post(`/api/v1/materials/${videoId}/files`).set(auth('teacherA1')).attach('file', await testVideo(20), 'tam-giac-dong-dang.mp4').expect(201);
  await eventually(async () => (await server.http.get(`/api/v1/materials/${videoId}`).set(auth('teacherA1'))).body.files[0].processing?.state === 'ready', 300_000);
  await server.http.post(`/api/v1/materials/${videoId}/submit`).set(auth('teacherA1')).expect(200);
  for (const reviewer of ['reviewerA1', 'reviewerSgdA', 'reviewerGdpt'] as const) {
    const tasks = await server.http.get('/api/v1/review/tasks?status=open').set(auth(reviewer)).expect(200);
    const task = tasks.body.items.find((t: { materialId: string }) => t.materialId === videoId);
    await server.http.post(`/api/v1/review/tasks/${task.id}/claim`).set(auth(reviewer)).expect(200);
    await server.http.post(`/api/v1/review/tasks/${task.id}/decision`).set(auth(reviewer)).send({ decision: 'approve' }).expect(200);
  }
  const school = await ctx.orgs.get('thcs-a1');
  await generatePublishedMaterials(ctx, { count: GENERATED, ownerId: world.ids.teacherA1, orgId: school.id });
  await eventually(async () => (await server.http.get('/api/v1/search').expect(200)).body.total === GENERATED + 1, 60_000);

  const pages: Array<[string, string]> = [
    ['home `/`', '/'],
    ['search `/tim-kiem?q=tam+giac+dong+dang`', '/tim-kiem?q=tam+giac+dong+dang'],
    ['video material `/hoc-lieu/:id/:slug`', materialPath(videoId, MATERIAL.title)],
  ];
  chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
  say(`Run at ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Lighthouse 12.8.2 (mobile profile: simulated slow 4G, 4× CPU slowdown), ${((await (await fetch(`http://127.0.0.1:${chrome.port}/json/version`)).json()) as { Browser: string }).Browser}; ${GENERATED + 1} published materials; median of ${RUNS} runs per page (by performance score); load average before: ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}.`);
  say();
  say('| page | performance | accessibility | SEO | best practices | LCP (ms) | TBT (ms) | total bytes | script bytes |');
  say('|---|---|---|---|---|---|---|---|---|');
  const notes: string[] = [];
  const missed: string[] = [];
  for (const [name, pagePath] of pages) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(`${base}${pagePath}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
      if (!result) throw new Error(`Lighthouse gave no result for ${pagePath}`);
      runs.push(result.lhr);
    }
    runs.sort((a, b) => (a.categories.performance!.score ?? 0) - (b.categories.performance!.score ?? 0));
    const lhr = runs[Math.floor(runs.length / 2)]!;
    const score = (category: (typeof CATEGORIES)[number]) => Math.round((lhr.categories[category]!.score ?? 0) * 100);
    const numeric = (audit: string) => lhr.audits[audit]?.numericValue ?? NaN;
    const summary = (lhr.audits['resource-summary']?.details as { items?: Array<{ resourceType: string; transferSize: number }> } | undefined)?.items ?? [];
    const scriptBytes = summary.find((item) => item.resourceType === 'script')?.transferSize ?? 0;
    say(`| ${name} | ${CATEGORIES.map(score).join(' | ')} | ${numeric('largest-contentful-paint').toFixed(0)} | ${numeric('total-blocking-time').toFixed(0)} | ${numeric('total-byte-weight').toLocaleString('en')} | ${scriptBytes.toLocaleString('en')} |`);
    for (const category of CATEGORIES) {
      const target = TARGETS[category];
      if (target !== undefined && score(category) < target) missed.push(`${name}: ${category} ${score(category)} < ${target}`);
      // What keeps a category below 100: the audits that count in it and did not pass.
      const failing = lhr.categories[category]!.auditRefs
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 0.9)
        .map((ref) => lhr.audits[ref.id]!.title);
      if (failing.length) notes.push(`- ${name}, ${category}: ${failing.join('; ')}`);
    }
  }
  say();
  say(`Targets (performance ≥ 90, accessibility ≥ 95, SEO ≥ 95 on each page): ${missed.length ? `**missed**: ${missed.join('; ')}` : '**all met**'}.`);
  if (notes.length) {
    say();
    say('Audits below 0.9 in the median runs:');
    say();
    for (const note of notes) say(note);
  }
  await screenshots(base, [['home', '/'], ['material', materialPath(videoId, MATERIAL.title)]]);
  await app.close();
  await ctx.close();
} finally {
  await chrome?.kill();
  await pg.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
await writeSection('web', [`## Web pages: Lighthouse, mobile (\`npm run bench:web\`)`, '', ...lines]);
