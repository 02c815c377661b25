import { randomUUID } from 'node:crypto';
import { pipeline, Writable, type Readable } from 'node:stream';
import { pipeline as drain } from 'node:stream/promises';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { AdoptableObject, ObjectStorage } from '../core/storage/index.js';
import { HashingCounter, peek } from '../core/streams.js';
import { MaterialAccess } from '../materials/material-access.js';
import type { MaterialRepository } from '../materials/material.repository.js';
import { EDITABLE, presentFile, type MaterialService } from '../materials/material.service.js';
import type { MediaService } from '../media/media.service.js';
import type { DocumentService } from '../documents/document.service.js';
import type { PackageService } from '../packages/package.service.js';
import { isAllowed, sniffType } from './allow-list.js';
import { checkArchive } from './archive-check.js';
import { blobKey } from './blob-key.js';
import { checkFileName, fileNameFor } from './file-name.js';

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
    private readonly packages: PackageService,
    private readonly documents: DocumentService,
    private readonly maxUploadBytes: number,
  ) {}

  /**
   * Streams an upload to storage while hashing it: memory stays flat whatever the size. The bytes
   * go to a temporary key first and become a content-addressed blob only in the transaction that
   * adds the file row, once the version is seen (under a row lock) still to take files: a draft
   * submitted and published while its upload streamed refuses the file, and a client that
   * disconnects leaves neither a row nor an object.
   */
  async add(principal: Principal | null, materialId: string, upload: { filename: string; stream: Readable }) {
    const target = await this.target(principal, materialId, upload.filename);
    const { mime, whole } = await this.sniffed(upload.stream, target.material.type);
    const tempKey = `${TEMP_PREFIX}${randomUUID()}`;
    const counter = this.counter();
    try {
      // pipeline (not pipe) so that a failing source — a client gone, a size limit — fails the write.
      await this.storage.write(tempKey, pipeline(whole, counter, () => undefined), mime);
      await checkArchive(this.storage, tempKey, mime, counter.bytes);
    } catch (error) {
      whole.destroy();
      await this.storage.delete(tempKey).catch(() => undefined);
      throw error;
    }
    return this.place(target, tempKey, { name: fileNameFor(upload.filename, mime), mime, sha256: counter.digest(), size: counter.bytes });
  }

  /**
   * A finished resumable upload, finalised like `add` without writing its bytes a second time:
   * the store links or copies them to the temporary key itself (a hard link on disk, CopyObject
   * on S3). Bytes the upload store hashed as they arrived (`sha256`) are only read at their head,
   * to sniff it; others are read once to sniff and hash them.
   */
  async adopt(principal: Principal | null, materialId: string, upload: { filename: string; source: AdoptableObject; sha256?: string | null }) {
    const target = await this.target(principal, materialId, upload.filename);
    const tempKey = `${TEMP_PREFIX}${randomUUID()}`;
    let stream: Readable | null = null;
    try {
      await this.storage.adopt(upload.source, tempKey);
      const hashedSize = upload.sha256 ? await this.storage.size(tempKey) : null;
      if (hashedSize && hashedSize > this.maxUploadBytes) throw new AppError('FILE_TOO_LARGE', { limit: this.maxUploadBytes });
      stream = await this.storage.read(tempKey, hashedSize ? { start: 0, end: Math.min(hashedSize, SNIFF_BYTES) - 1 } : undefined);
      const { mime, whole } = await this.sniffed(stream, target.material.type);
      const counter = this.counter();
      await drain(whole, counter, new Writable({ write: (_chunk, _encoding, done) => done() }));
      const size = hashedSize || counter.bytes;
      await checkArchive(this.storage, tempKey, mime, size);
      const sha256 = hashedSize ? upload.sha256! : counter.digest();
      return await this.place(target, tempKey, { name: fileNameFor(upload.filename, mime), mime, sha256, size });
    } catch (error) {
      stream?.destroy();
      await this.storage.delete(tempKey).catch(() => undefined);
      throw error;
    }
  }

  /** The working version the caller may add a file to, and the file's name checked. */
  private async target(principal: Principal | null, materialId: string, filename: string) {
    const target = await this.materialService.editable(principal, materialId, 'thêm tệp');
    checkFileName(filename);
    return target;
  }

  /** The type the first bytes show, refused when the material's type does not take it; `whole` replays every byte. */
  private async sniffed(stream: Readable, materialType: string) {
    const { head, whole } = await peek(stream, SNIFF_BYTES);
    if (head.length === 0) throw new AppError('FILE_EMPTY');
    const mime = await sniffType(head);
    if (!isAllowed(materialType, mime)) throw new AppError('UNSUPPORTED_FILE_TYPE', { mime, type: materialType });
    return { mime, whole };
  }

  private counter(): HashingCounter {
    return new HashingCounter(this.maxUploadBytes, () => new AppError('FILE_TOO_LARGE', { limit: this.maxUploadBytes }));
  }

  /**
   * Turns the checked bytes at `tempKey` into the version's file: the content-addressed blob and
   * the row land together, under the material's row lock and the blob's advisory lock; on failure
   * neither the temporary object nor a blob nobody references stays behind.
   */
  private async place(
    { actor, material, version }: Awaited<ReturnType<FileService['target']>>,
    tempKey: string,
    stored: { name: string; mime: string; sha256: string; size: number },
  ) {
    const { name, mime, sha256, size } = stored;
    const materialId = material.id;
    const key = blobKey(sha256);
    let placedNewBlob = false;
    try {
      const file = await this.db.transaction(async (tx) => {
        await this.lockWorkingVersion(tx, materialId, version.version, 'thêm tệp');
        await this.materials.lockBlob(sha256, tx.db);
        const known = await this.materials.blobExists(sha256, tx.db);
        if (known && (await this.storage.size(key)) !== null) {
          await this.storage.delete(tempKey);
        } else {
          // New bytes, or a known row whose object went missing (put back, and kept whatever happens).
          placedNewBlob = !known;
          await this.storage.move(tempKey, key);
        }
        const row = await this.materials.insertFile({ versionId: version.id, sha256, name, size, mime, storageKey: key }, tx.db);
        await this.audit.record({ actorId: actor.id, action: 'file_added', materialId, version: version.version, data: { fileId: row.id, name, sha256, size } }, tx.db);
        await this.media.queueProcessing(tx, { sha256, mime }, material.type);
        await this.packages.queueProcessing(tx, { sha256, mime }, material.type);
        await this.documents.queuePreview(tx, { sha256, mime });
        return row;
      });
      return presentFile(file);
    } catch (error) {
      await this.storage.delete(tempKey).catch(() => undefined);
      if (placedNewBlob) await this.removeUnreferencedBlob(sha256).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Removes bytes this upload moved into place when its row did not commit, unless another
   * upload of the same content has committed a row for them meanwhile (under the blob's lock).
   */
  private async removeUnreferencedBlob(sha256: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.materials.lockBlob(sha256, tx.db);
      if (!(await this.materials.blobExists(sha256, tx.db))) await this.storage.delete(blobKey(sha256));
    });
  }

  /**
   * Locks the material's row for the rest of the transaction and checks that `version` is still
   * its working version and still takes changes: submission, approval and publication take the
   * same lock, so a change either lands before them or is refused.
   */
  private async lockWorkingVersion(tx: Tx, materialId: string, version: number, action: string): Promise<void> {
    const locked = await this.materials.find(materialId, tx.db, { forUpdate: true });
    if (!locked || locked.version !== version || !EDITABLE.includes(locked.status)) {
      throw new AppError('INVALID_STATE', { action, status: locked?.status ?? 'unknown' });
    }
  }

  async remove(principal: Principal | null, materialId: string, fileId: string): Promise<void> {
    const { actor, version } = await this.materialService.editable(principal, materialId, 'xoá tệp');
    await this.db.transaction(async (tx) => {
      await this.lockWorkingVersion(tx, materialId, version.version, 'xoá tệp');
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
