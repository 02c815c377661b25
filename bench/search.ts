/**
 * `npm run bench:search`: search at national scale. Seeds BENCH_MATERIALS published materials
 * (default 1 000 000; bench/search-corpus.ts) straight into the materials tables, times the full
 * reindex (`npm run reindex`'s path) that fills the search tables, runs a fixed mix of query classes
 * through the HTTP stack (text, text + facets, browse by facets, newest, most downloaded,
 * suggestions), then measures how soon a publication is found: one at a time, and a burst of
 * BENCH_BURST (default 1 000) final approvals. Writes its section of bench/RESULTS.md and prints one
 * JSON line last.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import supertest from 'supertest';
import { migrate } from '../src/bootstrap.js';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/core/config.js';
import { orgUnits } from '../src/core/db/schema.js';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { buildApp } from '../src/http/app.js';
import { reindexAll } from '../src/search/reindex.js';
import { TAXONOMY_SEED } from '../src/taxonomy/taxonomy.service.js';
import { startWorkers } from '../src/workers.js';
import type { TestServer } from '../tests/helpers/server.js';
import { createWorld, type World } from '../tests/helpers/world.js';
import { writeSection } from './results.js';
import { corpus, type CorpusMaterial } from './search-corpus.js';
import { publishThroughReview } from './search-publish.js';

const MATERIALS = Number(process.env.BENCH_MATERIALS ?? 1_000_000);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const REPEATS = Number(process.env.BENCH_SEARCH_REPEATS ?? 20);
const SCHOOLS = 2000;
const SCHOOL_NAMES = ['Nguyễn Trãi', 'Lê Quý Đôn', 'Trần Hưng Đạo', 'Chu Văn An', 'Lê Lợi', 'Quang Trung', 'Nguyễn Du', 'Võ Thị Sáu', 'Kim Đồng', 'Hoàng Hoa Thám'];
const SCHOOL_KINDS = ['Trường Tiểu học', 'Trường THCS', 'Trường THPT', 'Trường Mầm non'];

/** The fixed mix: [class, q, filters]. Queries as teachers type them; filters as the portal's links set them. */
const QUERIES: Array<[string, string, Record<string, string>]> = [
  ['text', 'tam giac dong dang', {}], ['text', 'phương trình bậc hai', {}], ['text', 'tich phan', {}], ['text', 'Truyện Kiều', {}],
  ['text', 'chien thang dien bien phu', {}], ['text', 'KHTN 7', {}], ['text', 'toán 6 phân số', {}], ['text', 'de kiem tra 15 phut toan 9', {}],
  ['text', 'dao dong dieu hoa', {}], ['text', 'cach mang thang tam', {}], ['text', 'lap trinh python', {}], ['text', 'quang hop', {}],
  ['text', 'phuong trnh bac hai', {}], ['text', 'GDCD bạo lực gia đình', {}], ['text', 'bai giang', {}], ['text', 'hoa hoc 10', {}],
  ['text + facets', 'tam giac', { grade: '8' }], ['text + facets', 'on tap', { level: 'thpt', subject: 'vat-li' }],
  ['text + facets', 'video', { subject: 'toan', grade: '9' }], ['text + facets', 'de thi hoc ki', { province: 'sgd-ha-noi' }],
  ['text + facets', 'lao hac', { type: 'lecture' }], ['text + facets', 'ngan hang cau hoi', { level: 'thcs', license: 'CC-BY-4.0' }],
  ['browse', '', {}], ['browse', '', { level: 'thcs' }], ['browse', '', { level: 'thcs', grade: '7' }], ['browse', '', { level: 'thcs', grade: '7', subject: 'toan' }],
  ['browse', '', { type: 'video' }], ['browse', '', { province: 'sgd-hue', subject: 'ngu-van' }], ['browse', '', { series: 'canh-dieu', grade: '3' }],
  ['browse', '', { level: 'thpt', subject: 'lich-su', type: 'tv-lesson', province: 'sgd-lai-chau' }],
  ['newest', '', { sort: 'newest' }], ['newest', '', { sort: 'newest', subject: 'tin-hoc' }], ['newest', 'truyen kieu', { sort: 'newest' }],
  ['most downloaded', '', { sort: 'downloads' }], ['most downloaded', '', { sort: 'downloads', grade: '12' }], ['most downloaded', 'dao ham', { sort: 'downloads' }],
];
const PREFIXES = ['ta', 'tam gi', 'phuong tr', 'truyen ki', 'khoa hoc t', 'de kiem', 'chien th', 'bai gi', 'lich s', 'unit 5', 'dao do', 'ng'];

/** A Postgres array literal of texts (NULL for null), quoted and escaped. */
const pgArray = (values: Array<string | null>) => `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;
const lines: string[] = [];
const say = (line = '') => { console.log(line); lines.push(line); };

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-search-'));
await fs.chmod(dir, 0o755);
// Tuned as a production server is (docker-compose.yml): a quarter of the memory for Postgres's own cache. With the
// default 128 MB, a million materials' search tables (about 4 GB) are read back from the OS cache on every query.
const sharedBuffers = `${Math.min(8192, Math.floor(os.totalmem() / 4 / 2 ** 20))}MB`;
const pg = await startEmbeddedPostgres({
  dir: path.join(dir, 'pg'), port: 55000 + Math.floor(Math.random() * 5000), persistent: false, settings: { shared_buffers: sharedBuffers },
});
try {
  await migrate(pg.url);
  const ctx = await createContext(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), pg.url);
  const app = await buildApp(ctx);
  await app.ready();
  const server = { ctx, app, http: supertest(app.server) } as unknown as TestServer;
  const world: World = await createWorld(server, ['teacherA1', 'reviewerA1', 'reviewerSgdA', 'reviewerGdpt']);

  // The country: every province of 2025, two thousand schools under them.
  const ministry = await ctx.orgs.get('bgddt');
  const provinces = await ctx.db.db.insert(orgUnits).values(TAXONOMY_SEED.provinces.map((p) => ({ code: p.code, name: p.name, kind: 'province' as const, parentId: ministry.id }))).returning({ id: orgUnits.id });
  const schools = await ctx.db.db.insert(orgUnits).values(Array.from({ length: SCHOOLS }, (_, i) => ({
    code: `truong-${i}`, name: `${SCHOOL_KINDS[i % 4]} ${SCHOOL_NAMES[i % SCHOOL_NAMES.length]} ${Math.floor(i / 40) + 1}`, kind: 'school' as const,
    parentId: provinces[i % provinces.length]!.id,
  }))).returning({ id: orgUnits.id });

  // Straight into the tables with unnest (one statement per 5 000 rows): a million rows in a couple of minutes.
  const seedStarted = performance.now();
  let batch: CorpusMaterial[] = [];
  const flush = async () => {
    const ids = batch.map(() => randomUUID());
    const now = Date.now();
    await ctx.db.transaction(async (tx) => {
      await tx.db.execute(sql`
        INSERT INTO materials (id, owner_id, org_id, type, status, version, published_version, download_count)
        SELECT id, ${world.ids.teacherA1}::uuid, org, type, 'published', 1, 1, downloads
        FROM unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${batch.map((m) => schools[m.school]!.id).join(',')}}`}::uuid[],
          ${pgArray(batch.map((m) => m.type))}::text[], ${`{${batch.map((m) => m.downloads).join(',')}}`}::bigint[]) AS t(id, org, type, downloads)`);
      await tx.db.execute(sql`
        INSERT INTO material_versions (material_id, version, title, description, level, grades, subject, series, license, published_at)
        SELECT id, 1, title, description, level, CASE WHEN grade IS NULL THEN '{}'::int[] ELSE ARRAY[grade] END, subject, series, license, published_at
        FROM unnest(${`{${ids.join(',')}}`}::uuid[], ${pgArray(batch.map((m) => m.title))}::text[], ${pgArray(batch.map((m) => m.description))}::text[],
          ${pgArray(batch.map((m) => m.level))}::text[], ${`{${batch.map((m) => m.grades[0] ?? 'NULL').join(',')}}`}::int[],
          ${pgArray(batch.map((m) => m.subject))}::text[], ${pgArray(batch.map((m) => m.series))}::text[], ${pgArray(batch.map((m) => m.license))}::text[],
          ${`{${batch.map((m, i) => new Date(now - m.daysAgo * 86_400_000 - i * 1000).toISOString()).join(',')}}`}::timestamptz[])
          AS t(id, title, description, level, grade, subject, series, license, published_at)`);
    });
    batch = [];
  };
  for (const material of corpus(MATERIALS, SCHOOLS)) {
    batch.push(material);
    if (batch.length === 5000) await flush();
  }
  if (batch.length) await flush();
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${MATERIALS} materials in ${seedSeconds.toFixed(0)} s`);

  // The full reindex, as `npm run reindex` runs it.
  const reindexStarted = performance.now();
  await reindexAll(ctx.searchDocuments.all(2000), ctx.searchIndex, {
    every: process.env.BENCH_VERBOSE ? 1 : 100_000,
    report: (indexed) => console.log(`indexed ${indexed} in ${((performance.now() - reindexStarted) / 1000).toFixed(0)} s`),
  });
  const reindexSeconds = (performance.now() - reindexStarted) / 1000;
  await ctx.db.db.execute(sql`VACUUM ANALYZE`);
  const sizes = await ctx.db.db.execute<{ cells: number; words: number; suggestions: number; size: string }>(sql`
    SELECT (SELECT count(*) FROM search_facet_cells)::int AS cells, (SELECT count(*) FROM search_words)::int AS words,
      (SELECT count(*) FROM search_suggestions)::int AS suggestions,
      pg_size_pretty(pg_total_relation_size('search_documents') + pg_total_relation_size('search_rows')) AS size`);

  // Queries, round-robin so that noise spreads over all of them; two warm-up rounds first.
  const times = QUERIES.map(() => [] as number[]);
  const totals = QUERIES.map(() => 0);
  const suggestTimes: number[] = [];
  for (let r = 0; r < REPEATS + 2; r++) {
    for (const [i, [, q, filters]] of QUERIES.entries()) {
      const started = performance.now();
      const res = await app.inject({ url: '/api/v1/search', query: { q, ...filters } });
      if (res.statusCode !== 200) throw new Error(`${q} ${JSON.stringify(filters)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      if (r >= 2) times[i]!.push(performance.now() - started);
      totals[i] = res.json().total;
    }
    for (const prefix of PREFIXES) {
      const started = performance.now();
      const res = await app.inject({ url: '/api/v1/search/suggest', query: { q: prefix } });
      if (res.statusCode !== 200) throw new Error(`suggest ${prefix}: ${res.statusCode}`);
      if (r >= 2) suggestTimes.push(performance.now() - started);
    }
  }
  const all = times.flat().sort((a, b) => a - b);
  suggestTimes.sort((a, b) => a - b);
  const perQuery = QUERIES.map(([kind, q, filters], i) => {
    const sorted = times[i]!.sort((a, b) => a - b);
    return { kind, q, filters, total: totals[i]!, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
  });
  const classes = [...new Set(QUERIES.map(([kind]) => kind))].map((kind) => {
    const sorted = QUERIES.flatMap(([k], i) => (k === kind ? times[i]! : [])).sort((a, b) => a - b);
    return { kind, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
  });

  // From the final review decision to the material being found, through the real path (workers on).
  await startWorkers(ctx);
  const lags = await publishThroughReview(server, world, { count: 5, marker: 'zqsolo', oneByOne: true });
  const burst = await publishThroughReview(server, world, { count: BURST, marker: 'zqburst', oneByOne: false });
  const indexLagMs = Math.max(...lags.lagsMs);

  say('## Search at national scale (`npm run bench:search`)');
  say();
  say(`Run at ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, backend ${ctx.search.name}; PostgreSQL shared_buffers ${sharedBuffers}; load average before the queries: ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}.`);
  say();
  say(`${MATERIALS.toLocaleString('en')} published materials (bench/search-corpus.ts: every level, grade and subject, ${SCHOOLS} schools in 34 provinces) seeded in ${seedSeconds.toFixed(0)} s; **full reindex in ${reindexSeconds.toFixed(0)} s** (target < 600 s). Index: ${sizes.rows[0]!.size}, ${sizes.rows[0]!.cells.toLocaleString('en')} facet cells, ${sizes.rows[0]!.words.toLocaleString('en')} known words, ${sizes.rows[0]!.suggestions.toLocaleString('en')} title suggestions.`);
  say();
  say(`${REPEATS} rounds of the fixed mix through the HTTP stack (app.inject: routing, validation, serialisation; facets counted on every request).`);
  say();
  say('| class | query | filters | results | p50 (ms) | p95 (ms) |');
  say('|---|---|---|---|---|---|');
  for (const row of perQuery) say(`| ${row.kind} | ${row.q || '—'} | ${Object.entries(row.filters).map(([k, v]) => `${k}=${v}`).join(' ') || '—'} | ${row.total.toLocaleString('en')} | ${row.p50} | ${row.p95} |`);
  say();
  say('| class | p50 (ms) | p95 (ms) | target p95 |');
  say('|---|---|---|---|');
  for (const row of classes) say(`| ${row.kind} | ${row.p50} | ${row.p95} | ≤ 100 |`);
  say(`| **all queries** | ${round(percentile(all, 50))} | **${round(percentile(all, 95))}** | ≤ 50 |`);
  say(`| suggestions (${PREFIXES.length} prefixes) | ${round(percentile(suggestTimes, 50))} | **${round(percentile(suggestTimes, 95))}** | ≤ 20 |`);
  say();
  say(`Publication to search: one at a time, ${lags.lagsMs.map((n) => n.toFixed(0)).join(', ')} ms from the final approval to the first search that finds it (**max ${indexLagMs.toFixed(0)} ms**, target ≤ 1 000). A burst of ${BURST} final approvals (issued in ${(burst.decisionsMs / 1000).toFixed(1)} s, 8 in flight): all ${BURST} found **${(burst.allFoundAfterFirstMs / 1000).toFixed(1)} s** after the first approval, ${(burst.allFoundAfterLastMs / 1000).toFixed(1)} s after the last (target ≤ 10 s).`);
  await writeSection('search', lines);
  console.log(JSON.stringify({
    materials: MATERIALS,
    queries: perQuery.map(({ q, filters, p50, p95 }) => ({ q, filters, p50, p95 })),
    p50: round(percentile(all, 50)), p95: round(percentile(all, 95)), suggestP95: round(percentile(suggestTimes, 95)), indexLagMs: Math.round(indexLagMs),
    reindexSeconds: Math.round(reindexSeconds), burst: { count: BURST, allFoundAfterFirstMs: Math.round(burst.allFoundAfterFirstMs) },
  }));
  await app.close();
  await ctx.close();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await pg.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
