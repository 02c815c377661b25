import { buffer } from 'node:stream/consumers';
import type { YouTubeConfig } from '../../core/config.js';
import type { Db } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { Queue } from '../../core/queue/queue.js';
import type { ObjectStorage } from '../../core/storage/object-storage.js';
import { blobKey } from '../../files/blob-key.js';
import { MaterialAccess } from '../../materials/material-access.js';
import type { Material, MaterialRepository, MaterialVersion } from '../../materials/material.repository.js';
import { materialUrl } from '../../materials/material-url.js';
import type { MediaService } from '../../media/media.service.js';
import type { MediaRepository } from '../../media/media.repository.js';
import type { OrgRepository } from '../../orgs/org.repository.js';
import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import type { NotificationService } from '../../notifications/notification.service.js';
import type { ChannelService } from './channel.service.js';
import { MaterialChangedJob } from './jobs/material-changed.job.js';
import { YouTubeExportJob } from './jobs/youtube-export.job.js';
import type { PrivacyStatus } from './model.js';
import { exportCost, nextQuotaReset, quotaDay } from './quota.js';
import { uploadResumable } from './resumable-upload.js';
import { buildVideoMetadata, playlistFor, type VideoMetadataInput } from './video-metadata.js';
import { YouTubeApi, type VideoSnippet } from './youtube-api.js';
import { YouTubeApiError } from './youtube-errors.js';
import type { ChannelRow, ExportRow, YouTubeRepository } from './youtube.repository.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const CAPTION_FILE = /\.(vtt|srt)$/i;
const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;
const PROCESSING_POLLS = 10;
const MAX_ATTEMPTS = 6;

/** The export must wait (quota, paused channel, re-authorisation): not a failure. */
class Deferral extends Error {
  constructor(readonly until: Date | null, readonly reason: string) {
    super(reason);
  }
}

/**
 * Runs one YouTube export, step by step, each step remembered so that a retried or resumed job
 * neither repeats nor re-pays what is done: reserve the whole day's cost, upload (resumable,
 * from the offset YouTube reports), wait for processing, thumbnail, captions, playlist.
 */
export class ExportRunner {
  constructor(
    private readonly db: Db,
    private readonly repository: YouTubeRepository,
    private readonly channels: ChannelService,
    private readonly materials: MaterialRepository,
    private readonly media: MediaService,
    private readonly mediaRepository: MediaRepository,
    private readonly orgs: OrgRepository,
    private readonly taxonomy: TaxonomyService,
    private readonly storage: ObjectStorage,
    private readonly queue: Queue,
    private readonly config: { youtube: YouTubeConfig; publicUrl: string },
    private readonly notifications: NotificationService,
  ) {}

  /** Deferred exports whose time has come go back to the queue, each once. */
  async requeueDue(now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const row of await this.repository.takeDueDeferred(now, tx.db)) await this.queue.enqueue(tx, YouTubeExportJob.queue, { exportId: row.id });
    });
  }

  /**
   * One runner per export across all workers (an advisory lock): a second job for the same export
   * (a duplicate delivery, an archive arriving mid-upload) finds it taken and leaves; the running
   * one re-reads the material before it finishes.
   */
  async run(exportId: string): Promise<void> {
    await this.db.exclusively(`youtube-export:${exportId}`, () => this.runLocked(exportId));
  }

  private async runLocked(exportId: string): Promise<void> {
    const row = await this.repository.export(exportId);
    if (!row || row.state === 'failed' || (row.state === 'done' && !row.steps.makePrivate)) return;
    const channel = await this.repository.channel(row.channelId);
    if (!channel) return this.fail(row, 'kênh YouTube đã bị xoá trước khi xuất bản xong.');
    try {
      await this.advance(row, channel);
    } catch (error) {
      if (error instanceof Deferral) return this.defer(row, error.until, error.reason);
      if (error instanceof AppError && error.code === 'CHANNEL_NOT_AUTHORIZED') {
        return this.defer(row, null, `kênh "${channel.name}" cần được uỷ quyền lại với Google; lượt xuất bản sẽ tiếp tục sau khi uỷ quyền.`);
      }
      if (error instanceof YouTubeApiError) return this.onYouTubeError(row, channel, error);
      // Our own refusals (a publishAt that passed while the export waited…) end it with their message.
      if (error instanceof AppError) return this.fail(row, error.describe('vi'));
      return this.retryLater(row, error);
    }
  }

  /**
   * A failure we cannot classify (network, storage, ffmpeg, a YouTube 5xx that outlasted the
   * uploader's own retries): the export waits with a growing delay and fails after a few tries,
   * so no export is left in a state that nothing will pick up.
   */
  private async retryLater(row: ExportRow, error: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const reason = `lỗi tạm thời (${error instanceof Error ? error.message : String(error)})`;
    if (attempts >= MAX_ATTEMPTS) return this.fail(row, `${reason}; đã thử ${attempts} lần.`);
    await this.repository.updateExport(row.id, { state: 'deferred', deferredUntil: new Date(Date.now() + 2 ** attempts * 60_000), reason: `${reason}; sẽ thử lại.`, attempts });
  }

  private async advance(row: ExportRow, channel: ChannelRow): Promise<void> {
    // uploadLimitExceeded stops new uploads only: metadata and privacy changes still go through.
    if (!row.videoId && channel.pausedUntil && channel.pausedUntil > new Date()) {
      throw new Deferral(channel.pausedUntil, 'kênh đã chạm giới hạn tải lên của YouTube (uploadLimitExceeded) và tạm dừng 24 giờ.');
    }
    const token = this.channels.tokenProvider(channel);
    await token(false);
    const api = new YouTubeApi(this.config.youtube, token);
    const material = (await this.materials.find(row.materialId))!;
    const stillPublic = MaterialAccess.isPublic(material) && material.publishedVersion === row.version;

    if (row.steps.makePrivate || (!stillPublic && row.videoId && row.state !== 'uploading')) {
      await this.reserve(row, channel, { upload: false, thumbnail: false, captions: 0, playlist: 'none' });
      await this.setPrivacy(api, row.videoId!, 'private');
      await this.repository.updateExport(row.id, { state: 'done', appliedPrivacy: 'private', steps: { ...row.steps, makePrivate: false } });
      return;
    }
    if (!stillPublic && !row.videoId) return this.fail(row, 'học liệu đã bị lưu trữ hoặc gỡ xuất bản trước khi tải lên xong.');

    const version = (await this.materials.version(row.materialId, row.version))!;
    const files = await this.materials.files(version.id);
    const video = files.find((f) => f.mime.startsWith('video/'))!;
    const captions = files.filter((f) => CAPTION_FILE.test(f.name) && !(row.steps.captions ?? []).includes(f.id));
    const input = await this.metadataInput(row, material, version);
    const metadata = buildVideoMetadata(input, channel.settings);
    const playlist = channel.settings.playlist.enabled ? playlistFor(input, channel.settings) : null;
    const playlistId = playlist ? await this.repository.playlist(channel.id, playlist.key) : undefined;
    await this.reserve(row, channel, {
      upload: !row.videoId, thumbnail: !row.steps.thumbnail, captions: captions.length,
      playlist: !playlist || row.steps.playlistItem ? 'none' : playlistId ? 'existing' : 'create',
    });
    if (metadata.warnings.length > 0 && row.warnings.length === 0) await this.repository.updateExport(row.id, { warnings: metadata.warnings });

    let videoId = row.videoId;
    if (!videoId) {
      videoId = await this.upload(row, channel, token, video.sha256, { snippet: metadata.snippet, status: metadata.status });
    } else if (row.steps.metadataOnly && !row.steps.thumbnail) {
      // A new version on a video already shown: new words and picture; its privacy stays as YouTube has it.
      await this.updateSnippet(api, videoId, metadata.snippet);
    }
    await this.waitForProcessing(api, videoId);
    const id = videoId;
    if (!row.steps.thumbnail) {
      await this.step(row, { thumbnail: true }, 'ảnh thu nhỏ', () => this.setThumbnail(api, id, video.sha256));
    }
    for (const caption of captions) {
      await this.step(row, { captions: [...(row.steps.captions ?? []), caption.id] }, `phụ đề "${caption.name}"`, async () => {
        const content = await buffer(await this.storage.read(blobKey(caption.sha256)));
        await api.insertCaption(id, { language: 'vi', name: caption.name.replace(CAPTION_FILE, ''), content, contentType: /\.vtt$/i.test(caption.name) ? 'text/vtt' : 'application/x-subrip' });
      });
    }
    if (playlist && !row.steps.playlistItem) {
      await this.step(row, { playlistItem: true }, 'danh sách phát', async () => {
        await api.insertPlaylistItem(playlistId ?? await this.createPlaylist(api, channel, playlist), id);
      });
    }
    if (row.steps.replacesVideoId) await this.setPrivacy(api, row.steps.replacesVideoId, 'private');
    // The material may have been archived or replaced while this ran: its video must not stay public.
    const now = (await this.materials.find(row.materialId))!;
    const latest = (await this.repository.export(row.id))!;
    const withdrawn = !MaterialAccess.isPublic(now) || latest.steps.makePrivate === true;
    if (withdrawn) await this.setPrivacy(api, id, 'private');
    await this.db.transaction(async (tx) => {
      await this.repository.updateExport(row.id, {
        state: 'done', steps: { ...row.steps, makePrivate: false }, appliedPrivacy: withdrawn ? 'private' : row.privacy, reason: null, deferredUntil: null, attempts: 0,
      }, tx.db);
      await this.notifications.notify(tx, [{
        userId: row.requestedBy, kind: 'youtube_export_done', materialId: row.materialId, data: { title: version.title, channel: channel.name, videoId: id },
      }]);
    });
    // A version published while this ran: the channel follows it now that this one is done.
    if (MaterialAccess.isPublic(now) && now.publishedVersion! > row.version) {
      await this.db.transaction((tx) => this.queue.enqueue(tx, MaterialChangedJob.queue, { materialId: row.materialId }));
    }
  }

  /**
   * A step after the upload (thumbnail, caption, playlist). The video is on YouTube already, so a
   * refusal of one of them (no custom thumbnails on this channel…) becomes a warning, not a failed
   * export; quota, authorisation and transient errors still go up to be deferred or retried.
   */
  private async step(row: ExportRow, done: ExportRow['steps'], what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof YouTubeApiError) || (error.kind !== 'fatal' && error.kind !== 'notFound')) throw error;
      row.warnings = [...row.warnings, `YouTube từ chối ${what}: ${error.reason} – ${error.message}`];
    }
    row.steps = { ...row.steps, ...done };
    await this.repository.updateExport(row.id, { steps: row.steps, warnings: row.warnings });
  }

  /**
   * Reserves the export's whole remaining cost from today's budget once per Pacific day, so that
   * no export starts that the day's quota cannot finish; otherwise it waits for the reset.
   */
  private async reserve(row: ExportRow, channel: ChannelRow, plan: Parameters<typeof exportCost>[1]): Promise<void> {
    const now = new Date();
    if (row.steps.reservedDay === quotaDay(now) || row.state === 'uploading' || row.state === 'processing') return;
    const cost = exportCost(this.config.youtube.quota, plan);
    if (!(await this.repository.reserve(channel.clientId, cost, this.config.youtube.quota, now))) {
      const project = await this.repository.project(channel.clientId);
      const until = project.pausedUntil && project.pausedUntil > now ? project.pausedUntil : nextQuotaReset(now);
      throw new Deferral(until, `hạn mức YouTube API hôm nay của dự án không đủ cho lượt này (cần ${cost.units} đơn vị${cost.uploads ? ' và 1 lượt tải lên' : ''}); sẽ chạy sau khi hạn mức đặt lại.`);
    }
    row.steps = { ...row.steps, reservedDay: quotaDay(now) };
    await this.repository.updateExport(row.id, { steps: row.steps });
  }

  private async upload(row: ExportRow, channel: ChannelRow, token: (force: boolean) => Promise<string>, sha256: string, video: Parameters<YouTubeApi['updateVideo']>[1]): Promise<string> {
    const source = row.mediaKey && row.bytesTotal ? { key: row.mediaKey, size: row.bytesTotal } : await this.media.youtubeUpload(sha256);
    await this.repository.updateExport(row.id, { state: 'uploading', mediaKey: source.key, bytesTotal: source.size });
    row.state = 'uploading';
    let lastSaved = 0;
    const result = await uploadResumable({
      uploadUrl: this.config.youtube.uploadUrl, accessToken: token, video, size: source.size, contentType: 'video/mp4',
      openStream: (offset) => this.storage.read(source.key, { start: offset, end: source.size - 1 }),
      chunkBytes: this.config.youtube.chunkBytes, retry: { baseMs: this.config.youtube.retryBaseMs },
      sessionUri: row.sessionUri,
      saveSession: async (uri, info) => {
        // A new session after an expired one is a second videos.insert: YouTube charges it again.
        if (info.replacesExpired) await this.repository.reserve(channel.clientId, exportCost(this.config.youtube.quota, { upload: true, thumbnail: false, captions: 0, playlist: 'none' }), this.config.youtube.quota, new Date());
        await this.repository.updateExport(row.id, { sessionUri: uri, bytesSent: 0 });
      },
      saveProgress: async (bytes) => {
        if (bytes - lastSaved < this.config.youtube.chunkBytes * 4 && bytes < source.size) return;
        lastSaved = bytes;
        await this.repository.updateExport(row.id, { bytesSent: bytes });
      },
    });
    const uploaded = result.video;
    const warnings = [...row.warnings];
    if (row.privacy !== 'private' && uploaded.status?.privacyStatus === 'private') {
      // YouTube locks uploads of API projects that have not passed Google's audit to private.
      await this.repository.markProjectUnverified(channel.clientId, new Date());
      warnings.push('YouTube đã buộc video ở chế độ riêng tư: dự án Google Cloud của kênh chưa qua kiểm định API (API audit). Hãy đề nghị Google kiểm định để video được công khai.');
    }
    await this.repository.updateExport(row.id, { state: 'processing', videoId: uploaded.id, bytesSent: source.size, sessionUri: null, warnings });
    row.state = 'processing';
    row.warnings = warnings;
    return uploaded.id;
  }

  private async waitForProcessing(api: YouTubeApi, videoId: string): Promise<void> {
    for (let poll = 0; poll < PROCESSING_POLLS; poll++) {
      const status = (await api.getVideo(videoId))?.processingDetails?.processingStatus;
      if (status === 'succeeded' || status === undefined) return;
      if (status === 'failed' || status === 'terminated') throw new YouTubeApiError(422, 'processingFailed', 'youtube.video', 'YouTube không xử lý được video.');
      await new Promise((resolve) => setTimeout(resolve, this.config.youtube.processingPollMs));
    }
    throw new Deferral(new Date(Date.now() + 10 * 60_000), 'YouTube vẫn đang xử lý video; sẽ kiểm tra lại sau.');
  }

  private async setThumbnail(api: YouTubeApi, videoId: string, sha256: string): Promise<void> {
    const poster = (await this.mediaRepository.renditions(sha256, 'poster')).find((r) => r.format === 'jpeg' && r.width === 1280);
    if (poster && poster.size <= MAX_THUMBNAIL_BYTES) await api.setThumbnail(videoId, await buffer(await this.storage.read(poster.storageKey)), 'image/jpeg');
  }

  private async createPlaylist(api: YouTubeApi, channel: ChannelRow, playlist: { key: string; title: string }): Promise<string> {
    // A playlist created by an earlier, interrupted run is found by its title rather than made twice.
    const existing = (await api.listPlaylists()).find((p) => p.snippet?.title === playlist.title);
    const id = existing?.id ?? (await api.insertPlaylist({ title: playlist.title, privacyStatus: 'public', defaultLanguage: 'vi' })).id;
    await this.repository.savePlaylist({ channelId: channel.id, key: playlist.key, playlistId: id, title: playlist.title });
    return id;
  }

  /** YouTube replaces whole parts on update: the part not changed is sent back as YouTube has it. */
  private async setPrivacy(api: YouTubeApi, videoId: string, privacy: PrivacyStatus): Promise<void> {
    const current = await api.getVideo(videoId);
    if (!current?.snippet || !current.status) return;
    await api.updateVideo(videoId, { snippet: current.snippet, status: { ...current.status, privacyStatus: privacy, publishAt: undefined } });
  }

  private async updateSnippet(api: YouTubeApi, videoId: string, snippet: VideoSnippet): Promise<void> {
    const current = await api.getVideo(videoId);
    if (!current?.status) return;
    await api.updateVideo(videoId, { snippet, status: current.status });
  }

  private async metadataInput(row: ExportRow, material: Material, version: MaterialVersion): Promise<VideoMetadataInput> {
    const chain = await this.orgs.ancestors(material.orgId);
    const province = chain.find((o) => o.kind === 'province') ?? chain[0];
    const name = (kind: 'level' | 'subject' | 'series' | 'license', code: string) => this.taxonomy.name(kind, code) ?? code;
    return {
      title: version.title, description: version.description,
      level: { code: version.level, name: name('level', version.level) }, grades: version.grades,
      subject: { code: version.subject, name: name('subject', version.subject) },
      series: version.series ? { code: version.series, name: name('series', version.series) } : null,
      lesson: version.topic, contributor: province?.name ?? null,
      license: { code: version.license, name: name('license', version.license) },
      url: materialUrl(this.config.publicUrl, material.id, version.title),
      // The schedule is checked (in the future) and sent with the upload; after it, YouTube keeps it.
      privacy: row.privacy, publishAt: row.videoId ? null : row.publishAt,
    };
  }

  private async onYouTubeError(row: ExportRow, channel: ChannelRow, error: YouTubeApiError): Promise<void> {
    const now = new Date();
    if (error.kind === 'quota') {
      const reset = nextQuotaReset(now);
      await this.repository.pauseProject(channel.clientId, reset, now);
      return this.defer(row, reset, 'YouTube báo hết hạn mức API của dự án (quotaExceeded); mọi kênh của dự án tạm dừng đến khi hạn mức đặt lại.');
    }
    if (error.kind === 'uploadLimit') {
      const until = new Date(now.getTime() + DAY_MS);
      await this.repository.updateChannel(channel.id, { pausedUntil: until });
      return this.defer(row, until, 'kênh đã chạm giới hạn số video tải lên của YouTube (uploadLimitExceeded); kênh tạm dừng 24 giờ.');
    }
    if (error.kind === 'retryable') return this.retryLater(row, error);
    return this.fail(row, `YouTube từ chối: ${error.reason} – ${error.message}`);
  }

  private async defer(row: ExportRow, until: Date | null, reason: string): Promise<void> {
    await this.repository.updateExport(row.id, { state: 'deferred', deferredUntil: until, reason });
  }

  /** The export ends failed, and whoever asked for it is told why, in the same transaction. */
  private async fail(row: ExportRow, reason: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.repository.updateExport(row.id, { state: 'failed', reason, sessionUri: null }, tx.db);
      const channel = await this.repository.channel(row.channelId);
      const { title } = (await this.materials.version(row.materialId, row.version, tx.db))!;
      await this.notifications.notify(tx, [{ userId: row.requestedBy, kind: 'youtube_export_failed', materialId: row.materialId, data: { title, channel: channel?.name, reason } }]);
    });
  }
}
