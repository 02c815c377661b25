import { requireRole, type Principal } from '../../auth/principal.js';
import type { AuditRepository } from '../../audit/audit.repository.js';
import type { CollectionService } from '../../collections/collection.service.js';
import type { YouTubeConfig } from '../../core/config.js';
import type { Db } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import type { Queue } from '../../core/queue/queue.js';
import { MaterialAccess } from '../../materials/material-access.js';
import type { Material, MaterialRepository, MaterialVersion } from '../../materials/material.repository.js';
import type { ChannelService } from './channel.service.js';
import { YouTubeExportJob } from './jobs/youtube-export.job.js';
import { nextScheduledTime, type ExportState, type PrivacyStatus } from './model.js';
import { expectedStarts, exportCost } from './quota.js';
import type { ChannelRow, ExportRow, YouTubeRepository } from './youtube.repository.js';

const EXPORTABLE_TYPES = new Set(['tv-lesson', 'video']);
/** A filter names at most this many lessons per request: a publisher's batch, not the whole repository. */
const BULK_LIMIT = 500;

export interface ExportRequest {
  materialId: string;
  channelId: string;
  privacy?: PrivacyStatus;
  publishAt?: string;
}

export interface BulkExportRequest {
  channelId: string;
  collectionId?: string;
  filter?: { level?: string; grade?: number; subject?: string; series?: string };
  privacy?: PrivacyStatus;
}

/** How a channel shows a new version of a material it already shows: on the same video, or on a new one replacing it. */
function followVersion(channel: ChannelRow, previous: ExportRow): Pick<ExportRow, 'videoId' | 'steps'> {
  return channel.settings.onNewVersion === 'replace_video'
    ? { videoId: null, steps: { replacesVideoId: previous.videoId! } }
    : { videoId: previous.videoId, steps: { metadataOnly: true } };
}

/** Export requests, the queue as publishers see it, and what publishing a new version or archiving changes on YouTube. */
export class ExportService {
  constructor(
    private readonly db: Db,
    private readonly repository: YouTubeRepository,
    private readonly channels: ChannelService,
    private readonly materials: MaterialRepository,
    private readonly collections: CollectionService,
    private readonly queue: Queue,
    private readonly audit: AuditRepository,
    private readonly config: { youtube: YouTubeConfig },
  ) {}

  /**
   * The published version of a material that can go to YouTube, or NOT_EXPORTABLE saying why:
   * only published TV lessons and videos whose video has finished processing.
   */
  async exportable(materialId: string): Promise<{ material: Material; version: MaterialVersion }> {
    const material = await this.materials.find(materialId);
    if (!material) throw AppError.notFound('material');
    if (!EXPORTABLE_TYPES.has(material.type)) throw new AppError('NOT_EXPORTABLE', { reason: 'chỉ xuất được bài giảng truyền hình (tv-lesson) hoặc video.' });
    if (!MaterialAccess.isPublic(material)) throw new AppError('NOT_EXPORTABLE', { reason: 'học liệu chưa được thẩm định và xuất bản (hoặc đã bị lưu trữ).' });
    const version = (await this.materials.version(material.id, material.publishedVersion!))!;
    const video = (await this.materials.files(version.id)).find((file) => file.mime.startsWith('video/'));
    if (!video) throw new AppError('NOT_EXPORTABLE', { reason: 'phiên bản đã xuất bản không có tệp video.' });
    if (video.processing?.state !== 'ready') {
      const state = video.processing?.state === 'failed' ? 'xử lý video bị lỗi' : `video đang được xử lý (${video.processing?.progress ?? 0}%)`;
      throw new AppError('NOT_EXPORTABLE', { reason: `${state}; chỉ xuất được khi video đã xử lý xong.` });
    }
    return { material, version };
  }

  async request(principal: Principal | null, input: ExportRequest) {
    const channel = await this.channels.usable(principal, input.channelId);
    const actor = requireRole(principal, 'publisher');
    const { material, version } = await this.exportable(input.materialId);
    const { row, created } = await this.queueExport(actor, channel, material, version, input);
    return { created, export: await this.present(row) };
  }

  /** A whole collection, or every published lesson matching a filter, to one channel; each lesson is its own export. */
  async requestBulk(principal: Principal | null, input: BulkExportRequest) {
    const channel = await this.channels.usable(principal, input.channelId);
    const actor = requireRole(principal, 'publisher');
    const materialIds = input.collectionId
      ? ((await this.collections.get(input.collectionId)).items as Array<{ id: string }>).map((item) => item.id)
      : await this.materials.publishedOfTypes([...EXPORTABLE_TYPES], input.filter ?? {}, BULK_LIMIT);
    const results = { queued: [] as string[], existing: [] as string[], refused: [] as Array<{ materialId: string; code: string; message: string }> };
    for (const materialId of materialIds) {
      try {
        const { material, version } = await this.exportable(materialId);
        const { row, created } = await this.queueExport(actor, channel, material, version, input);
        (created ? results.queued : results.existing).push(row.id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.refused.push({ materialId, code: error.code, message: error.describe('vi') });
      }
    }
    return results;
  }

  /**
   * One export per (version, channel): the unique index turns concurrent duplicates into the same
   * row and one job. A channel that already shows an older version follows its new-version policy
   * (same video, or a replacement); a failed export asked for again starts over.
   */
  private async queueExport(actor: Principal, channel: ChannelRow, material: Material, version: MaterialVersion, input: { privacy?: PrivacyStatus; publishAt?: string }) {
    if (channel.status !== 'active') throw new AppError('CHANNEL_NOT_AUTHORIZED', { name: channel.name });
    const scheduledByChannel = !input.publishAt && !input.privacy && channel.settings.privacy === 'scheduled';
    const publishAt = input.publishAt ? new Date(input.publishAt) : scheduledByChannel ? nextScheduledTime(channel.settings.scheduleTime, new Date()) : null;
    if (publishAt && !(publishAt.getTime() > Date.now())) throw new AppError('NOT_EXPORTABLE', { reason: 'thời điểm công khai (publishAt) phải ở tương lai.' });
    // YouTube publishes a scheduled video by switching it from private at publishAt.
    const privacy: PrivacyStatus = publishAt ? 'private' : input.privacy ?? (channel.settings.privacy === 'scheduled' ? 'private' : channel.settings.privacy);
    const shown = (await this.repository.exportsOfMaterial(material.id)).filter((e) => e.channelId === channel.id && e.state === 'done' && e.version < version.version).at(-1);
    return this.db.transaction(async (tx) => {
      const result = await this.repository.insertExport({
        materialId: material.id, versionId: version.id, version: version.version, channelId: channel.id, requestedBy: actor.id, privacy, publishAt,
        ...(shown ? followVersion(channel, shown) : {}),
      }, tx.db);
      const again = !result.created && result.row.state === 'failed';
      if (again) {
        await this.repository.updateExport(result.row.id, { state: 'queued', reason: null, attempts: 0, deferredUntil: null, sessionUri: null }, tx.db);
        result.row = { ...result.row, state: 'queued', reason: null };
      }
      if (result.created || again) {
        await this.queue.enqueue(tx, YouTubeExportJob.queue, { exportId: result.row.id });
        await this.audit.record({ actorId: actor.id, action: 'youtube_export_requested', materialId: material.id, version: version.version, data: { channelId: channel.id, exportId: result.row.id } }, tx.db);
      }
      return { row: result.row, created: result.created || again };
    });
  }

  async list(principal: Principal | null, filter: { state?: ExportState }) {
    const channels = await this.channels.usableChannels(principal);
    const rows = await this.repository.exports({ state: filter.state, channelIds: channels.map((c) => c.id) });
    const starts = await this.expectedStartsOf(rows, channels);
    return { items: await Promise.all(rows.map((row) => this.present(row, starts.get(row.id)))) };
  }

  /** Waiting exports, per Google project in queue order, against what is left of the project's quota. */
  private async expectedStartsOf(rows: ExportRow[], channels: ChannelRow[]): Promise<Map<string, Date | null>> {
    const now = new Date();
    const starts = new Map<string, Date | null>();
    const clientOf = new Map(channels.map((c) => [c.id, c.clientId]));
    for (const clientId of new Set(clientOf.values())) {
      const waiting = rows.filter((row) => clientOf.get(row.channelId) === clientId && (row.state === 'queued' || row.state === 'deferred'));
      const usage = await this.repository.project(clientId);
      const costs = waiting.map((row) => exportCost(this.config.youtube.quota, { upload: !row.videoId, thumbnail: true, captions: 0, playlist: 'existing' }));
      expectedStarts(this.config.youtube.quota, usage, costs, now).forEach((start, i) => {
        const row = waiting[i]!;
        const notBefore = row.deferredUntil && start && row.deferredUntil > start ? row.deferredUntil : start;
        starts.set(row.id, notBefore);
      });
    }
    return starts;
  }

  async get(principal: Principal | null, id: string) {
    const row = await this.repository.export(id);
    if (!row) throw AppError.notFound('export');
    const channel = await this.repository.channel(row.channelId);
    if (!channel || !(await this.channels.canUse(principal, channel))) throw AppError.notFound('export');
    return this.present(row);
  }

  /**
   * After a material changes: a newly published version goes to every channel that showed an
   * older one (its metadata updated, or the video replaced, per channel setting); an archived
   * or withdrawn material has its videos made private.
   */
  async onMaterialChanged(materialId: string): Promise<void> {
    const material = await this.materials.find(materialId);
    if (!material) return;
    const exports = await this.repository.exportsOfMaterial(materialId);
    await this.db.transaction(async (tx) => {
      if (!MaterialAccess.isPublic(material)) {
        // Finished videos are made private here; runs in progress check the material before they finish.
        // A scheduled video (publishAt) is private until YouTube publishes it: it must be stopped too.
        for (const row of exports.filter((e) => e.videoId && e.state === 'done' && (e.appliedPrivacy !== 'private' || e.publishAt))) {
          await this.repository.updateExport(row.id, { state: 'queued', steps: { ...row.steps, makePrivate: true } }, tx.db);
          await this.queue.enqueue(tx, YouTubeExportJob.queue, { exportId: row.id });
        }
        return;
      }
      const version = (await this.materials.version(material.id, material.publishedVersion!, tx.db))!;
      const shownChannels = new Set(exports.filter((e) => e.version < version.version && e.state === 'done').map((e) => e.channelId));
      for (const channelId of shownChannels) {
        const channel = await this.repository.channel(channelId, tx.db);
        if (!channel || exports.some((e) => e.channelId === channelId && e.version === version.version)) continue;
        const previous = exports.filter((e) => e.channelId === channelId && e.state === 'done').at(-1)!;
        const { row, created } = await this.repository.insertExport({
          materialId, versionId: version.id, version: version.version, channelId, requestedBy: previous.requestedBy, privacy: previous.privacy,
          ...followVersion(channel, previous),
        }, tx.db);
        if (created) await this.queue.enqueue(tx, YouTubeExportJob.queue, { exportId: row.id });
      }
    });
  }

  async present(row: ExportRow, expectedStart?: Date | null) {
    const percent = row.bytesTotal ? Math.floor((row.bytesSent / row.bytesTotal) * 100) : 0;
    return {
      id: row.id, materialId: row.materialId, version: row.version, channelId: row.channelId, state: row.state,
      ...(row.state === 'uploading' ? { percent } : {}),
      privacy: row.privacy, publishAt: row.publishAt, appliedPrivacy: row.appliedPrivacy,
      videoId: row.videoId, url: row.videoId ? `https://www.youtube.com/watch?v=${row.videoId}` : null,
      reason: row.reason, warnings: row.warnings,
      deferredUntil: row.deferredUntil,
      ...(expectedStart !== undefined ? { expectedStart } : {}),
      createdAt: row.createdAt, updatedAt: row.updatedAt,
    };
  }
}
