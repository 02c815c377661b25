import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Db, Tx } from '../core/db/client.js';
import type { Queue } from '../core/queue/queue.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { blobKey } from '../files/blob-key.js';
import { mediaBinaries } from './ffmpeg/binaries.js';
import {
  audioArgs, chooseVariants, downloadMp4Args, downloadVariant, hlsArgs, masterPlaylist, pcmArgs, PEAKS_SAMPLE_RATE, posterFrameArgs,
  type VideoProfile,
} from './ffmpeg/ladder.js';
import { parseProbe, probeArgs, type ProbeResult } from './ffmpeg/probe.js';
import { FfmpegError, runFfmpeg } from './ffmpeg/runner.js';
import { describeMediaFailure, MediaInputError } from './failure-message.js';
import { meetsYouTubeRecommendation, youtubeMezzanineArgs } from './ffmpeg/youtube-mezzanine.js';
import type { ImageOutput, ImageRepository } from './image.repository.js';
import { ProcessFileJob } from './jobs/process-file.job.js';
import type { MediaRepository, NewRendition } from './media.repository.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { QcService } from './qc.service.js';

export type MediaKind = 'video' | 'audio' | 'image';

export function mediaKindOf(mime: string): MediaKind | null {
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('image/')) return 'image';
  return null;
}

const PEAK_BUCKETS = 800;
/** Rendition format of the MP4 made for YouTube when the source does not meet its recommendation. */
const YOUTUBE_FORMAT = 'youtube';

export interface MediaSettings {
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Kill ffmpeg when it reports no progress for this long. */
  stallSeconds: number;
  /** Upper bound of a transcode, as a multiple of the media's duration (plus ten minutes). */
  maxRealtimeFactor: number;
}

/**
 * Turns an uploaded media file into what weak phones and slow links need. Outputs are written
 * under a prefix of their own run and become visible only in one final transaction.
 */
export class MediaService {
  private readonly binaries: { ffmpeg: string; ffprobe: string };

  constructor(
    private readonly db: Db,
    private readonly storage: ObjectStorage,
    private readonly media: MediaRepository,
    private readonly images: ImageRepository,
    private readonly queue: Queue,
    private readonly qc: QcService,
    private readonly settings: MediaSettings,
    private readonly notifications: NotificationService,
  ) {
    this.binaries = mediaBinaries(settings);
  }

  /** In the upload's own transaction: mark the content for processing and enqueue the job. */
  async queueProcessing(tx: Tx, file: { sha256: string; mime: string }, materialType: string): Promise<void> {
    const kind = mediaKindOf(file.mime);
    if (!kind) return;
    if (kind === 'video' && materialType === 'tv-lesson') await this.qc.queueCheck(tx, file.sha256);
    if (await this.media.queue(file.sha256, tx.db)) {
      await this.queue.enqueue(tx, ProcessFileJob.queue, { sha256: file.sha256, mime: file.mime, materialType }, { singletonKey: file.sha256 });
    }
  }

  async process(job: { sha256: string; mime: string; materialType: string }): Promise<void> {
    const current = await this.media.get(job.sha256);
    if (!current || current.state === 'ready') return;
    await this.media.start(job.sha256);
    const prefix = `renditions/${job.sha256}/${randomUUID()}/`;
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-media-'));
    try {
      await this.removeLeftovers(job.sha256);
      const input = path.join(work, 'source');
      await pipeline(await this.storage.read(blobKey(job.sha256)), createWriteStream(input));
      const kind = mediaKindOf(job.mime)!;
      const result = kind === 'image'
        ? await this.processImage(input, work)
        : await this.processAudiovisual(job.sha256, input, work, job.materialType === 'lecture' ? 'slides' : 'motion');
      const outputs: NewRendition[] = [];
      for (const output of result.outputs) {
        const storageKey = prefix + output.name;
        await this.uploadTree(output.path, storageKey, output.name.endsWith('master.m3u8'));
        outputs.push({ ...output.rendition, storageKey });
      }
      await this.db.transaction(async (tx) => {
        const locked = await this.media.get(job.sha256, tx.db, { forUpdate: true });
        // A duplicate delivery finished first: its renditions stand, ours go.
        if (locked?.state === 'ready') throw new DuplicateRun();
        await this.media.finish(job.sha256, outputs, result, tx.db);
      });
    } catch (error) {
      await this.deletePrefix(prefix);
      if (error instanceof DuplicateRun) return;
      const reason = describeMediaFailure(error);
      // Bad input is final; anything else is retried by the queue, and only its last attempt tells the uploaders.
      const final = error instanceof MediaInputError || current.attempts + 1 > ProcessFileJob.policy.retryLimit;
      await this.db.transaction(async (tx) => {
        await this.media.fail(job.sha256, reason, tx.db);
        if (final) await this.notifications.processingFailed(tx, { sha256: job.sha256, kind: 'media_failed', reason });
      });
      if (!(error instanceof MediaInputError)) throw error;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /**
   * The file YouTube gets for a video: the source when it already meets YouTube's recommended
   * upload encoding, else an MP4 mezzanine made for it once and kept as a rendition.
   */
  async youtubeUpload(sha256: string): Promise<{ key: string; size: number }> {
    const processing = await this.media.get(sha256);
    const probe = processing?.metadata as unknown as ProbeResult | undefined;
    if (!probe?.video) throw new MediaInputError('Video chưa được xử lý nên chưa biết thông số để tải lên YouTube.');
    if (meetsYouTubeRecommendation(probe)) return { key: blobKey(sha256), size: (await this.storage.size(blobKey(sha256)))! };
    const made = (await this.media.renditions(sha256, 'mp4')).find((r) => r.format === YOUTUBE_FORMAT);
    if (made) return { key: made.storageKey, size: made.size };
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-youtube-'));
    const key = `renditions/${sha256}/${randomUUID()}/youtube.mp4`;
    try {
      const input = path.join(work, 'source');
      const output = path.join(work, 'youtube.mp4');
      await pipeline(await this.storage.read(blobKey(sha256)), createWriteStream(input));
      await this.ffmpeg(youtubeMezzanineArgs(input, output, probe), probe.durationSeconds);
      const size = (await fs.stat(output)).size;
      await this.storage.write(key, createReadStream(output), 'video/mp4');
      const rendition = await this.media.addRendition(sha256, { kind: 'mp4', format: YOUTUBE_FORMAT, width: probe.video.width, height: probe.video.height, bitrate: null, size, storageKey: key });
      if (rendition.storageKey !== key) await this.storage.delete(key);
      return { key: rendition.storageKey, size: rendition.size };
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  private async probe(input: string): Promise<ProbeResult> {
    try {
      const { stdout } = await runFfmpeg(this.binaries.ffprobe, probeArgs(input), { timeoutMs: 60_000 });
      return parseProbe(stdout);
    } catch (error) {
      throw new MediaInputError(`Không đọc được tệp media (ffprobe): ${error instanceof FfmpegError ? error.message : (error as Error).message}`);
    }
  }

  private async ffmpeg(args: string[], durationSeconds: number | null, onProgress?: (fraction: number) => void) {
    const timeoutMs = ((durationSeconds ?? 600) * this.settings.maxRealtimeFactor + 600) * 1000;
    try {
      return await runFfmpeg(this.binaries.ffmpeg, args, {
        timeoutMs, stallMs: this.settings.stallSeconds * 1000,
        onProgress: durationSeconds && onProgress ? (seconds) => onProgress(seconds / durationSeconds) : undefined,
      });
    } catch (error) {
      // ffmpeg refusing the input is final; a timeout or a stall may be the machine, so it is retried.
      if (error instanceof FfmpegError && error.kind === 'failed') throw new MediaInputError(describeMediaFailure(error));
      throw error;
    }
  }

  private throttledProgress(sha256: string, from: number, span: number) {
    let last = 0;
    return (fraction: number) => {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      void this.media.progress(sha256, from + Math.min(1, fraction) * span).catch(() => undefined);
    };
  }

  private async processAudiovisual(sha256: string, input: string, work: string, profile: VideoProfile) {
    const probe = await this.probe(input);
    const metadata = { ...probe } as Record<string, unknown>;
    const outputs: Output[] = [];
    if (probe.video) {
      const variants = chooseVariants(probe);
      const hls = path.join(work, 'hls');
      for (const v of variants) await fs.mkdir(path.join(hls, `v${v.index}`), { recursive: true });
      await this.ffmpeg(hlsArgs({ input, outDir: hls, probe, variants, profile }), probe.durationSeconds, this.throttledProgress(sha256, 0, 85));
      await fs.writeFile(path.join(hls, 'master.m3u8'), masterPlaylist(variants, !!probe.audio));
      const top = variants[0]!;
      outputs.push({ name: 'hls/master.m3u8', path: hls, rendition: { kind: 'hls', format: 'm3u8', width: top.width, height: top.height, bitrate: top.maxrateKbps * 1000, size: await treeSize(hls) } });

      const download = downloadVariant(variants) ?? top;
      const mp4 = path.join(work, 'download.mp4');
      await this.ffmpeg(downloadMp4Args(path.join(hls, `v${download.index}`, 'index.m3u8'), mp4), probe.durationSeconds);
      const mp4Size = (await fs.stat(mp4)).size;
      outputs.push({ name: 'download.mp4', path: mp4, rendition: { kind: 'mp4', format: 'mp4', width: download.width, height: download.height, bitrate: probe.durationSeconds ? Math.round((mp4Size * 8) / probe.durationSeconds) : null, size: mp4Size } });

      const frame = path.join(work, 'frame.png');
      await this.ffmpeg(posterFrameArgs(input, probe.durationSeconds, frame), null);
      outputs.push(...(await this.posterOutputs(frame, work)));
      return { outputs, metadata, peaks: null };
    }
    if (probe.audio) {
      const m4a = path.join(work, 'audio.m4a');
      await this.ffmpeg(audioArgs(input, m4a), probe.durationSeconds, this.throttledProgress(sha256, 0, 80));
      const size = (await fs.stat(m4a)).size;
      outputs.push({ name: 'audio.m4a', path: m4a, rendition: { kind: 'audio', format: 'm4a', width: null, height: null, bitrate: 128_000, size } });
      return { outputs, metadata, peaks: await this.peaks(input, probe.durationSeconds) };
    }
    throw new MediaInputError('Tệp không có luồng hình hay tiếng nào đọc được.');
  }

  private async processImage(input: string, work: string) {
    try {
      const metadata = await this.images.metadata(input);
      return { outputs: await this.posterOutputs(input, work), metadata: metadata as Record<string, unknown>, peaks: null };
    } catch (error) {
      throw new MediaInputError(`Không xử lý được ảnh: ${(error as Error).message}`);
    }
  }

  private async posterOutputs(source: string, work: string): Promise<Output[]> {
    const dir = path.join(work, 'posters');
    await fs.mkdir(dir, { recursive: true });
    let images: ImageOutput[];
    try {
      images = await this.images.posters(source, dir);
    } catch (error) {
      throw new MediaInputError(`Không tạo được ảnh đại diện: ${(error as Error).message}`);
    }
    return Promise.all(images.map(async (image, i) => ({
      name: path.basename(image.file), path: image.file,
      rendition: { kind: i < 2 ? 'poster' as const : 'thumbnail' as const, format: image.format, width: image.width, height: image.height, bitrate: null, size: (await fs.stat(image.file)).size },
    })));
  }

  /** Peak amplitude (0–1) of PEAK_BUCKETS slices of the audio, streamed: never the whole PCM in memory. */
  private async peaks(input: string, durationSeconds: number | null): Promise<number[]> {
    const totalSamples = Math.max(1, Math.round((durationSeconds ?? 1) * PEAKS_SAMPLE_RATE));
    const perBucket = Math.max(1, Math.ceil(totalSamples / PEAK_BUCKETS));
    const peaks: number[] = [];
    let current = 0;
    let count = 0;
    let carry: Buffer = Buffer.alloc(0);
    await runFfmpeg(this.binaries.ffmpeg, pcmArgs(input), {
      timeoutMs: 600_000,
      onStdout: (chunk) => {
        const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const usable = data.length - (data.length % 2);
        for (let i = 0; i < usable; i += 2) {
          current = Math.max(current, Math.abs(data.readInt16LE(i)) / 32768);
          if (++count === perBucket) {
            peaks.push(Math.round(current * 1000) / 1000);
            current = 0;
            count = 0;
          }
        }
        carry = data.subarray(usable);
      },
    });
    if (count > 0) peaks.push(Math.round(current * 1000) / 1000);
    return peaks;
  }

  /** Uploads a file, or (for HLS) every file of its directory, keeping relative paths. */
  private async uploadTree(local: string, storageKey: string, isTree: boolean): Promise<void> {
    if (!isTree) return this.storage.write(storageKey, createReadStream(local));
    const base = storageKey.slice(0, storageKey.lastIndexOf('/') + 1);
    const entries = await fs.readdir(local, { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile())) {
      const full = path.join(entry.parentPath, entry.name);
      await this.storage.write(base + path.relative(local, full).split(path.sep).join('/'), createReadStream(full));
    }
  }

  /** Objects of earlier runs that never became visible (a killed worker's outputs). */
  private async removeLeftovers(sha256: string): Promise<void> {
    await this.deletePrefix(`renditions/${sha256}/`);
  }

  private async deletePrefix(prefix: string): Promise<void> {
    for await (const object of this.storage.list(prefix)) await this.storage.delete(object.key);
  }
}

class DuplicateRun extends Error {}

interface Output {
  name: string;
  path: string;
  rendition: Omit<NewRendition, 'storageKey'>;
}

async function treeSize(dir: string): Promise<number> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const entry of entries) if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}
