import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../core/db/client.js';
import { mediaQc } from '../core/db/schema.js';
import type { Queue } from '../core/queue/queue.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { blobKey } from '../files/blob-key.js';
import { mediaBinaries } from './ffmpeg/binaries.js';
import { parseProbe, probeArgs, type ProbeResult } from './ffmpeg/probe.js';
import { parseQcLog, qcArgs, type QcMeasurements } from './ffmpeg/qc.js';
import { FfmpegError, runFfmpeg } from './ffmpeg/runner.js';
import { describeMediaFailure, MediaInputError } from './failure-message.js';
import { TvLessonQcJob } from './jobs/tv-lesson-qc.job.js';
import { evaluateQc, type QcProfile, type QcReport } from './qc-profile.js';

export type QcView =
  | { state: 'queued' | 'running' }
  | { state: 'failed'; error: string }
  | { state: 'ready'; report: QcReport };

// Only these lines of ffmpeg's log carry measurements; everything else is dropped as it streams.
const MEASUREMENT_LINE = /Multi frame detection|black_start|freezedetect|silence_(start|end)|Integrated loudness|True peak|^\s+I:|^\s+Peak:/;

/** The TV-lesson technical check: measured once per content by a job, judged on read. */
export class QcService {
  private readonly binaries: { ffmpeg: string; ffprobe: string };

  constructor(
    private readonly db: Db,
    private readonly storage: ObjectStorage,
    private readonly queue: Queue,
    private readonly settings: { profile: QcProfile; blocksSubmission: boolean; stallSeconds: number; ffmpegPath?: string; ffprobePath?: string },
  ) {
    this.binaries = mediaBinaries(settings);
  }

  get blocksSubmission(): boolean {
    return this.settings.blocksSubmission;
  }

  /** In the upload's transaction, for the video of a TV lesson. */
  async queueCheck(tx: Tx, sha256: string): Promise<void> {
    const result = await tx.db.execute(sql`
      INSERT INTO media_qc (sha256) VALUES (${sha256})
      ON CONFLICT (sha256) DO UPDATE SET state = 'queued', error = NULL, updated_at = now() WHERE media_qc.state = 'failed'
      RETURNING sha256`);
    if ((result.rowCount ?? 0) > 0) await this.queue.enqueue(tx, TvLessonQcJob.queue, { sha256 }, { singletonKey: sha256 });
  }

  async measure(sha256: string): Promise<void> {
    const [row] = await this.db.db.select().from(mediaQc).where(eq(mediaQc.sha256, sha256));
    if (!row || row.state === 'ready') return;
    await this.db.db.update(mediaQc).set({ state: 'running', updatedAt: sql`now()` }).where(eq(mediaQc.sha256, sha256));
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-qc-'));
    try {
      const input = path.join(work, 'source');
      await pipeline(await this.storage.read(blobKey(sha256)), createWriteStream(input));
      const { stdout } = await runFfmpeg(this.binaries.ffprobe, probeArgs(input), { timeoutMs: 60_000 });
      const probe = parseProbe(stdout);
      if (!probe.video) throw new MediaInputError('Tệp không có hình: không kiểm tra kỹ thuật được.');
      const lines: string[] = [];
      await runFfmpeg(this.binaries.ffmpeg, qcArgs(input, !!probe.audio), {
        timeoutMs: ((probe.durationSeconds ?? 3600) * 5 + 600) * 1000,
        stallMs: this.settings.stallSeconds * 1000,
        onStderrLine: (line) => { if (MEASUREMENT_LINE.test(line)) lines.push(line); },
      });
      const measurements = parseQcLog(lines, probe.durationSeconds);
      await this.db.db.update(mediaQc).set({ state: 'ready', probe: probe as unknown as Record<string, unknown>, measurements: measurements as unknown as Record<string, unknown>, error: null, updatedAt: sql`now()` })
        .where(eq(mediaQc.sha256, sha256));
    } catch (error) {
      await this.db.db.update(mediaQc).set({ state: 'failed', error: describeMediaFailure(error).slice(0, 4000), updatedAt: sql`now()` }).where(eq(mediaQc.sha256, sha256));
      // Unreadable input is final; a timeout may be the machine and is retried.
      if (!(error instanceof MediaInputError) && !(error instanceof FfmpegError && error.kind === 'failed')) throw error;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  async view(sha256: string): Promise<QcView | null> {
    return (await this.views([sha256])).get(sha256) ?? null;
  }

  /** The check of each content, judged against the current profile. */
  async views(sha256s: string[]): Promise<Map<string, QcView>> {
    if (sha256s.length === 0) return new Map();
    const rows = await this.db.db.select().from(mediaQc).where(inArray(mediaQc.sha256, sha256s));
    return new Map(rows.map((row) => [row.sha256, this.toView(row)]));
  }

  private toView(row: typeof mediaQc.$inferSelect): QcView {
    if (row.state === 'ready') {
      return { state: 'ready', report: evaluateQc(row.probe as unknown as ProbeResult, row.measurements as unknown as QcMeasurements, this.settings.profile) };
    }
    if (row.state === 'failed') return { state: 'failed', error: row.error ?? '' };
    return { state: row.state };
  }
}

