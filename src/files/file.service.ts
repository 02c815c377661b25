import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { eq } from 'drizzle-orm';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../core/db/client.js';
import { blobs, versionFiles } from '../core/db/schema.js';
import { AppError } from '../core/errors.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { HashingCounter, peek } from '../core/streams.js';
import { MaterialAccess } from '../materials/material-access.js';
import type { MaterialRepository } from '../materials/material.repository.js';
import { presentFile, type MaterialService } from '../materials/material.service.js';
import type { MediaService } from '../media/media.service.js';
import { isAllowed, sniffText } from './allow-list.js';
import { blobKey } from './blob-key.js';

// Enough for file-type to see zip-based office formats ([Content_Types].xml comes first).
const SNIFF_BYTES = 64 * 1024;
export const TEMP_PREFIX = 'tmp/';


export class FileService {
  constructor(
    private readonly db: Db,
    private readonly storage: ObjectStorage,
    private readonly materials: MaterialRepository,
    private readonly materialService: MaterialService,
    private readonly access: MaterialAccess,
    private readonly audit: AuditRepository,
    private readonly media: MediaService,
    private readonly maxUploadBytes: number,
  ) {}

  /**
   * Streams an upload to storage while hashing it: memory stays flat whatever the size. The bytes
   * go to a temporary key first and become a content-addressed blob only once complete, so a
   * client that disconnects leaves neither a row nor an object.
   */
  async add(principal: Principal | null, materialId: string, upload: { filename: string; stream: Readable }) {
    const { actor, material, version } = await this.materialService.editable(principal, materialId, 'thêm tệp');
    const { head, whole } = await peek(upload.stream, SNIFF_BYTES);
    if (head.length === 0) throw new AppError('FILE_EMPTY');
    const mime = (await fileTypeFromBuffer(head))?.mime ?? sniffText(head);
    if (!isAllowed(material.type, mime)) throw new AppError('UNSUPPORTED_FILE_TYPE', { mime, type: material.type });

    const tempKey = `${TEMP_PREFIX}${randomUUID()}`;
    const counter = new HashingCounter(this.maxUploadBytes, () => new AppError('FILE_TOO_LARGE', { limit: this.maxUploadBytes }));
    try {
      // pipeline (not pipe) so that a failing source — a client gone, a size limit — fails the write.
      await this.storage.write(tempKey, pipeline(whole, counter, () => undefined), mime);
    } catch (error) {
      whole.destroy();
      await this.storage.delete(tempKey).catch(() => undefined);
      throw error;
    }
    const sha256 = counter.digest();
    const key = blobKey(sha256);
    try {
      const [existing] = await this.db.db.select({ sha256: blobs.sha256 }).from(blobs).where(eq(blobs.sha256, sha256));
      if (existing && (await this.storage.size(key)) !== null) await this.storage.delete(tempKey);
      else await this.storage.move(tempKey, key);
      const file = await this.db.transaction(async (tx) => {
        await tx.db.insert(blobs).values({ sha256, size: counter.bytes, mime, storageKey: key }).onConflictDoNothing();
        const [row] = await tx.db.insert(versionFiles).values({ versionId: version.id, sha256, name: upload.filename, size: counter.bytes, mime }).returning();
        await this.audit.record({ actorId: actor.id, action: 'file_added', materialId, version: version.version, data: { fileId: row!.id, name: upload.filename, sha256, size: counter.bytes } }, tx.db);
        await this.media.queueProcessing(tx, { sha256, mime }, material.type);
        return row!;
      });
      return presentFile(file);
    } catch (error) {
      await this.storage.delete(tempKey).catch(() => undefined);
      throw error;
    }
  }

  async remove(principal: Principal | null, materialId: string, fileId: string): Promise<void> {
    const { actor, version } = await this.materialService.editable(principal, materialId, 'xoá tệp');
    await this.db.transaction(async (tx) => {
      const removed = await this.materials.deleteFile(version.id, fileId, tx.db);
      if (!removed) throw AppError.notFound('file');
      // The blob stays: other versions (and other materials) may share the same bytes.
      await this.audit.record({ actorId: actor.id, action: 'file_removed', materialId, version: version.version, data: { fileId, name: removed.name } }, tx.db);
    });
  }

  /**
   * A file the caller may download: files of the published version for everyone, the rest per
   * material access, or to anyone holding a valid signed link (`signed`) to this file.
   */
  async forDownload(principal: Principal | null, fileId: string, options: { signed?: boolean } = {}) {
    const found = await this.materials.findFile(fileId);
    if (!found) throw AppError.notFound('file');
    const material = (await this.materials.find(found.materialId))!;
    const isPublic = MaterialAccess.isPublic(material) && found.version === material.publishedVersion;
    if (!isPublic && !options.signed && !(await this.access.canSeeVersion(principal, material, found.version))) throw AppError.notFound('file');
    return { file: found.file, storageKey: found.storageKey, materialId: material.id, isPublic };
  }

  async countDownload(materialId: string): Promise<void> {
    await this.materials.countDownload(materialId);
  }

  open(storageKey: string, range?: { start: number; end: number }): Promise<Readable> {
    return this.storage.read(storageKey, range);
  }

  presignedUrl(storageKey: string, options: { contentDisposition: string; contentType: string }): Promise<string | null> {
    return this.storage.presignedDownloadUrl(storageKey, { ...options, expiresInSeconds: 300 });
  }
}
