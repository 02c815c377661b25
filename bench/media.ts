/**
 * `npm run bench:media`: the media pipeline against plain ffmpeg, measured side by side in one run.
 *  - A lecture-like source (1080p25, slides changing every 20 s, a small moving inset) and a
 *    high-motion source: wall time of our whole pipeline (download, probe, one-run ladder,
 *    MP4 remux, poster, upload, final transaction) vs one plain ffmpeg command with the same
 *    ladder (our overhead) vs one ffmpeg run per rung as PeerTube does it; realtime factor;
 *    bytes per minute per rung; peak RSS of this Node process.
 *  - A 1 GiB resumable (tus) upload vs writing the same bytes straight to the same storage.
 * BENCH_LECTURE_MINUTES and BENCH_MOTION_MINUTES shorten the sources while tuning.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { migrate } from '../src/bootstrap.js';
import { createContext } from '../src/context.js';
import { loadConfig } from '../src/core/config.js';
import { startEmbeddedPostgres } from '../src/core/db/embedded.js';
import { blobs, mediaProcessing, materials, materialVersions } from '../src/core/db/schema.js';
import { blobKey } from '../src/files/blob-key.js';
import { buildApp } from '../src/http/app.js';
import { mediaBinaries } from '../src/media/ffmpeg/binaries.js';
import { chooseVariants, hlsArgs, type VideoProfile } from '../src/media/ffmpeg/ladder.js';
import { parseProbe, probeArgs } from '../src/media/ffmpeg/probe.js';
import { runFfmpeg } from '../src/media/ffmpeg/runner.js';
import { OrgRepository } from '../src/orgs/org.repository.js';
import { UserRepository } from '../src/users/user.repository.js';
import { hashPassword } from '../src/users/user.service.js';
import { writeSection } from './results.js';

const LECTURE_MINUTES = Number(process.env.BENCH_LECTURE_MINUTES ?? 10);
const MOTION_MINUTES = Number(process.env.BENCH_MOTION_MINUTES ?? 2);
const TUS_BYTES = Number(process.env.BENCH_TUS_MB ?? 1024) * 1024 * 1024;
const { ffmpeg, ffprobe } = mediaBinaries();
// BENCH_ONLY=pipeline|tus runs one part; each part keeps its own section of RESULTS.md.
const ONLY = process.env.BENCH_ONLY;
const TUS_ROUNDS = 3;
const TUS_CLIENT = new URL('./tus-client.ts', import.meta.url).pathname;
const execFileAsync = promisify(execFile);
const pipelineLines: string[] = [];
const tusLines: string[] = [];
let lines = pipelineLines;
const say = (line = '') => { console.log(line); lines.push(line); };
const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T; peakRss: number }> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
  const started = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - started, result, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-bench-media-'));
await fs.chmod(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: 50000 + Math.floor(Math.random() * 5000), persistent: false });
try {
  await migrate(pg.url);
  const ctx = await createContext(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), pg.url);
  const orgs = new OrgRepository(ctx.db.db);
  const ministry = await orgs.insert({ code: 'bgddt', name: 'Bộ GDĐT', kind: 'ministry' });
  const owner = await new UserRepository(ctx.db.db).insert({ username: 'bench', passwordHash: await hashPassword('bench-password-1'), displayName: 'Bench', orgId: ministry.id, roles: ['contributor'] });

  const runAt = `Run at ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)}`;
  if (ONLY !== 'tus') {
  say(`${runAt}, ffmpeg ${ffmpeg.includes('node_modules') ? '(@ffmpeg-installer)' : ffmpeg}.`);
  say();
  say('## Media pipeline');
  say();
  const sources: Array<{ name: string; profile: VideoProfile; minutes: number; filter: string }> = [
    { name: `lecture, ${LECTURE_MINUTES} min 1080p25 (slides every 20 s + moving inset)`, profile: 'slides', minutes: LECTURE_MINUTES,
      filter: "testsrc2=size=1920x1080:rate=0.05,fps=25[slides];testsrc=size=320x180:rate=25[inset];[slides][inset]overlay=x='mod(t*60,1600)':y=860" },
    { name: `high motion, ${MOTION_MINUTES} min 1080p25`, profile: 'motion', minutes: MOTION_MINUTES,
      filter: 'testsrc2=size=1920x1080:rate=25,noise=alls=12:allf=t' },
  ];
  say('| source | ours: whole pipeline (s) | plain ffmpeg, same ladder (s) | ratio ours/plain | one run per rung (s) | per-rung/ours | realtime factor (ours) | peak RSS of Node (MB) |');
  say('|---|---|---|---|---|---|---|---|');
  const sizes: string[] = [];
  for (const source of sources) {
    const input = path.join(dir, `${source.profile}.mp4`);
    await runFfmpeg(ffmpeg, ['-hide_banner', '-nostdin', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-filter_complex', `${source.filter}[v]`,
      '-map', '[v]', '-map', '0:a', '-t', String(source.minutes * 60), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', input], { timeoutMs: 3600_000 });
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(input)) hash.update(chunk as Buffer);
    const sha256 = hash.digest('hex');
    const size = (await fs.stat(input)).size;
    await ctx.storage.write(blobKey(sha256), createReadStream(input));
    await ctx.db.db.insert(blobs).values({ sha256, size, mime: 'video/mp4', storageKey: blobKey(sha256) });
    await ctx.db.db.insert(mediaProcessing).values({ sha256 });
    const ours = await timed(() => ctx.media.process({ sha256, mime: 'video/mp4', materialType: source.profile === 'slides' ? 'lecture' : 'video' }));
    const state = await ctx.mediaRepository.get(sha256);
    if (state?.state !== 'ready') throw new Error(`pipeline ended ${state?.state}: ${state?.error}`);

    const probe = parseProbe((await runFfmpeg(ffprobe, probeArgs(input), { timeoutMs: 60_000 })).stdout);
    const variants = chooseVariants(probe);
    const plainDir = path.join(dir, `plain-${source.profile}`);
    for (const v of variants) await fs.mkdir(path.join(plainDir, `v${v.index}`), { recursive: true });
    const plain = await timed(() => runFfmpeg(ffmpeg, hlsArgs({ input, outDir: plainDir, probe, variants, profile: source.profile }), { timeoutMs: 3600_000 }));
    const perRung = await timed(async () => {
      for (const v of variants) {
        const out = path.join(dir, `rung-${source.profile}-${v.index}`);
        await fs.mkdir(path.join(out, 'v0'), { recursive: true });
        await runFfmpeg(ffmpeg, hlsArgs({ input, outDir: out, probe, variants: [{ ...v, index: 0 }], profile: source.profile }), { timeoutMs: 3600_000 });
      }
    });
    const duration = source.minutes * 60;
    say(`| ${source.name} | ${seconds(ours.ms)} | ${seconds(plain.ms)} | ${(ours.ms / plain.ms).toFixed(3)} | ${seconds(perRung.ms)} | ${(perRung.ms / ours.ms).toFixed(2)} | ${(duration / (ours.ms / 1000)).toFixed(2)}× | ${(ours.peakRss / 1024 ** 2).toFixed(0)} |`);
    for (const v of variants) {
      const perMinute = (await dirBytes(path.join(plainDir, `v${v.index}`))) / source.minutes;
      sizes.push(`| ${source.profile === 'slides' ? 'lecture (slides profile)' : 'high motion'} | ${v.width}×${v.height} | ${(perMinute / 1024 ** 2).toFixed(2)} | ${((perMinute * 60) / 1024 ** 3).toFixed(2)} |`);
    }
    await fs.rm(input, { force: true });
  }
  say();
  say('Ours includes everything around the encode (reading the blob from storage, ffprobe, the download MP4 remux, the poster frame and its six sizes, storing every output, the final transaction); "plain" is the same ladder command alone. Per-rung decodes the source once per rung.');
  say();
  say('| source | rung | MiB per minute | GiB per hour |');
  say('|---|---|---|---|');
  for (const row of sizes) say(row);
  say();

  }

  if (ONLY !== 'pipeline') {
  lines = tusLines;
  say(`${runAt}, storage=${ctx.storage.backend}.`);
  say();
  say(`## Resumable upload (tus) of ${TUS_BYTES / 1024 ** 3} GiB (${TUS_ROUNDS} rounds, alternating)`);
  say();
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const { token } = await ctx.auth.login('bench', 'bench-password-1', '127.0.0.1');
  const file = path.join(dir, 'upload.pdf');
  const handle = await fs.open(file, 'w');
  await handle.write(Buffer.from('%PDF-1.4\n'));
  for (let written = 0; written < TUS_BYTES; written += 1024 * 1024) await handle.write(randomBytes(1024 * 1024));
  await handle.close();
  const mib = TUS_BYTES / 1024 ** 2;
  say('| round | tus through the API (MiB/s) | peak RSS of the server (MB) | straight to storage (MiB/s) | peak RSS (MB) | ratio tus/direct |');
  say('|---|---|---|---|---|---|');
  const ratios: number[] = [];
  for (let round = 1; round <= TUS_ROUNDS; round++) {
    const [material] = await ctx.db.db.insert(materials).values({ ownerId: owner.id, orgId: ministry.id, type: 'document' }).returning();
    await ctx.db.db.insert(materialVersions).values({ materialId: material!.id, version: 1, title: `Bench ${round}`, level: 'thcs', grades: [8], subject: 'toan', license: 'CC-BY-4.0' });
    const direct = await timed(() => ctx.storage.write('bench/direct', createReadStream(file)));
    await ctx.storage.delete('bench/direct');
    const viaTus = await timed(async () => {
      const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', TUS_CLIENT, `http://127.0.0.1:${port}/api/v1/uploads`, token, material!.id, file]);
      return (JSON.parse(stdout) as { ms: number }).ms;
    });
    // The client's own clock: from its first request to the last answer, without its start-up.
    const tusMs = viaTus.result;
    ratios.push(direct.ms / tusMs);
    say(`| ${round} | ${(mib / (tusMs / 1000)).toFixed(0)} | ${(viaTus.peakRss / 1024 ** 2).toFixed(0)} | ${(mib / (direct.ms / 1000)).toFixed(0)} | ${(direct.peakRss / 1024 ** 2).toFixed(0)} | ${(direct.ms / tusMs).toFixed(2)} |`);
  }
  ratios.sort((a, b) => a - b);
  say();
  say(`Median ratio tus/direct: **${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}**. The tus path is the client's upload into the resumable store (the one write of the bytes), hashed (sha256) as the bytes arrive, then the finalisation: a hard link of the stored upload to a temporary key (CopyObject on S3), a read of its first 64 KiB for sniffing, the move to the content-addressed key and the file row. "Straight to storage" streams the same file into the same storage. The tus client (tus-js-client, 64 MiB requests) runs in a process of its own (bench/tus-client.ts), as a browser would; the RSS is the server's.`);
  await app.close();
  }
  await ctx.close();
} finally {
  await pg.stop();
  await fs.rm(dir, { recursive: true, force: true });
}
if (ONLY !== 'tus') await writeSection('media', pipelineLines);
if (ONLY !== 'pipeline') await writeSection('tus', tusLines);
