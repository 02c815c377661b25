/**
 * `npm run bench`: measured side by side in one run (the machine is shared and noisy, so ratios
 * matter more than absolute figures). Writes its output to bench/RESULTS.md as well.
 *  1. Upload throughput through the API (HTTP multipart → sniff → sha256 → storage) against
 *     writing the same bytes straight to the same storage.
 *  2. Public reads, requests per second with 20 connections (autocannon in a process of its own):
 *     a bare Fastify route, /api/v1/health, a published material's JSON, its page and a search page.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { materials } from '../src/core/db/schema.js';
import { materialPath } from '../src/materials/material-url.js';
import { createReadStream } from 'node:fs';
import { migrate } from '../src/bootstrap.js';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/core/config.js';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { buildApp } from '../src/http/app.js';
import { OrgRepository } from '../src/orgs/org.repository.js';
import { UserRepository } from '../src/users/user.repository.js';
import { hashPassword } from '../src/users/user.service.js';
import { generatePublishedMaterials } from './generate-materials.js';
import { writeSection } from './results.js';

const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_MB ?? 512) * 1024 * 1024;
const ROUNDS = 3;
const execFileAsync = promisify(execFile);
const MATERIALS = Number(process.env.BENCH_MATERIALS ?? 100_000);
// BENCH_ONLY=upload|reads runs one part (search has its own: npm run bench:search) (while tuning); RESULTS.md holds a full run.
const ONLY = process.env.BENCH_ONLY;
const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 10);
const AUTOCANNON = new URL('../node_modules/autocannon/autocannon.js', import.meta.url).pathname;
const coreLines: string[] = [];
const readLines: string[] = [];
let lines = coreLines;
const say = (line = '') => { console.log(line); lines.push(line); };

/** Requests per second that autocannon (20 connections, its own process) gets from `url`, after a warm-up. */
async function requestsPerSecond(url: string, headers: Record<string, string> = {}): Promise<{ rps: number; non2xx: number; bytes: number }> {
  const run = async (seconds: number) => {
    const args = [AUTOCANNON, '-c', '20', '-d', String(seconds), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
    const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    const result = JSON.parse(stdout) as { requests: { average: number }; throughput: { average: number }; non2xx: number; errors: number };
    if (result.errors > 0) throw new Error(`${url}: ${result.errors} connection errors`);
    return { rps: result.requests.average, non2xx: result.non2xx, bytes: result.throughput.average / result.requests.average };
  };
  await run(2);
  return run(READ_SECONDS);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-'));
await fs.chmod(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: 55000 + Math.floor(Math.random() * 5000), persistent: false });
try {
  await migrate(pg.url);
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const ctx = await createContext(config, pg.url);
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const orgs = new OrgRepository(ctx.db.db);
  const ministry = await orgs.insert({ code: 'bgddt', name: 'Bộ GDĐT', kind: 'ministry' });
  const school = await orgs.insert({ code: 'thcs-bench', name: 'Trường THCS Bench', kind: 'school', parentId: ministry.id });
  const owner = await new UserRepository(ctx.db.db).insert({ username: 'bench', passwordHash: await hashPassword('bench-password-1'), displayName: 'Bench', orgId: school.id, roles: ['contributor'] });
  const { token } = await ctx.auth.login('bench', 'bench-password-1', '127.0.0.1');

  say(`Run at ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, storage=${ctx.storage.backend}, search=${ctx.search.name}.`);
  say();
  if (!ONLY || ONLY === 'upload') {
  say(`## Upload throughput (${UPLOAD_BYTES / 1024 / 1024} MiB per upload, ${ROUNDS} rounds, alternating)`);
  say();
  say('| round | through the API (MiB/s) | straight to storage (MiB/s) | ratio API/direct |');
  say('|---|---|---|---|');
  const ratios: number[] = [];
  // The same file feeds both paths; curl is the client, in its own process, as a teacher's browser would be.
  const source = path.join(dir, 'upload.pdf');
  const handle = await fs.open(source, 'w');
  await handle.write(Buffer.from('%PDF-1.4\n'));
  for (let written = 0; written < UPLOAD_BYTES; written += 1024 * 1024) await handle.write(randomBytes(1024 * 1024));
  await handle.close();
  for (let round = 1; round <= ROUNDS; round++) {
    const material = await ctx.materials.create(await ctx.auth.authenticate(token), {
      title: `Bench ${round}`, type: 'document', level: 'thcs', grades: [8], subject: 'toan', license: 'CC-BY-4.0',
    });
    const started = performance.now();
    const { stdout } = await execFileAsync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `authorization: Bearer ${token}`,
      '-F', `file=@${source};type=application/pdf`, `http://127.0.0.1:${port}/api/v1/materials/${material.id}/files`]);
    if (stdout !== '201') throw new Error(`upload answered ${stdout}`);
    const viaApi = UPLOAD_BYTES / 1024 / 1024 / ((performance.now() - started) / 1000);
    const directStart = performance.now();
    await ctx.storage.write(`bench/direct-${round}`, createReadStream(source));
    const direct = UPLOAD_BYTES / 1024 / 1024 / ((performance.now() - directStart) / 1000);
    await ctx.storage.delete(`bench/direct-${round}`);
    ratios.push(viaApi / direct);
    say(`| ${round} | ${viaApi.toFixed(0)} | ${direct.toFixed(0)} | ${(viaApi / direct).toFixed(2)} |`);
  }
  ratios.sort((a, b) => a - b);
  say();
  say(`Median ratio API/direct: **${percentile(ratios, 50).toFixed(2)}** (curl → HTTP multipart → type sniffing → sha256 → storage, against a plain stream from the same file into the same storage).`);
  say();
  }
  if (!ONLY || ONLY === 'reads') {
    await generatePublishedMaterials(ctx, { count: MATERIALS, ownerId: owner.id, orgId: school.id });
    const [document] = await ctx.db.db.select({ id: materials.id }).from(materials).where(eq(materials.type, 'document')).limit(1);
    const shown = await ctx.materials.published(document!.id);
    const bare = Fastify();
    bare.get('/', async () => ({ ok: true }));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const barePort = (bare.server.address() as AddressInfo).port;
    lines = readLines;
    say(`Run at ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${MATERIALS.toLocaleString('en')} published materials, search=${ctx.search.name}.`);
    say();
    const base = `http://127.0.0.1:${port}`;
    const html = { accept: 'text/html' };
    say(`## Public reads: requests per second with 20 connections (${READ_SECONDS} s each, after a 2 s warm-up)`);
    say();
    say(`Load average before: ${os.loadavg().map((n) => n.toFixed(2)).join(', ')} (2 cores shared with Postgres and the load generator). autocannon runs in a process of its own; the bare route is measured first and last, and the ratios are to their mean.`);
    say();
    const targets: Array<[string, string, Record<string, string>]> = [
      ['`/api/v1/health` (the whole stack, no query)', `${base}/api/v1/health`, {}],
      ['`GET /api/v1/materials/:id`, published, anonymous', `${base}/api/v1/materials/${shown.id}`, {}],
      ['material page `/hoc-lieu/:id/:slug`', `${base}${materialPath(shown.id, shown.title)}`, html],
      ['search page `/tim-kiem?q=tam+giac+dong+dang`', `${base}/tim-kiem?q=tam+giac+dong+dang`, html],
    ];
    const bareBefore = await requestsPerSecond(`http://127.0.0.1:${barePort}/`);
    const measured: Array<[string, { rps: number; non2xx: number; bytes: number }]> = [];
    for (const [name, url, headers] of targets) measured.push([name, await requestsPerSecond(url, headers)]);
    const bareAfter = await requestsPerSecond(`http://127.0.0.1:${barePort}/`);
    await bare.close();
    const bareRps = (bareBefore.rps + bareAfter.rps) / 2;
    say('| route | req/s | ratio to the bare route | bytes per response | non-2xx |');
    say('|---|---|---|---|---|');
    say(`| bare Fastify route (first / last) | ${bareBefore.rps.toFixed(0)} / ${bareAfter.rps.toFixed(0)} | 1 | ${bareBefore.bytes.toFixed(0)} | 0 |`);
    for (const [name, { rps, non2xx, bytes }] of measured) say(`| ${name} | ${rps.toFixed(0)} | ${(rps / bareRps).toFixed(2)} | ${bytes.toFixed(0)} | ${non2xx} |`);
    say();
    say('Anonymous reads of a published material and of a search page are answered from the in-process public cache (src/core/public-cache.ts) after the first: the one repeated URL is the popular-page case a CDN would also absorb. Targets: material JSON ≥ 0.4, page ≥ 0.2, search page ≥ 0.1 of the bare route.');
    say();
  }
  await app.close();
  await ctx.close();
} catch (error) {
  // Printed before Postgres stops: its shutdown would otherwise end the process with a connection error.
  console.error(error);
  throw error;
} finally {
  await pg.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
if (!ONLY) await writeSection('core', coreLines);
if (!ONLY || ONLY === 'reads') await writeSection('reads', readLines);
