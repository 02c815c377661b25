import { randomUUID } from 'node:crypto';
import mime from 'mime-types';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../core/db/client.js';
import { AppError } from '../core/errors.js';
import type { Queue } from '../core/queue/queue.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { blobKey } from '../files/blob-key.js';
import type { MaterialRepository, VersionFile } from '../materials/material.repository.js';
import { issueContentToken, verifyContentToken, type ContentGrant } from './content-token.js';
import { ValidatePackageJob } from './jobs/validate-package.job.js';
import { PackageArchive } from './package-archive.js';
import { describePackage } from './package-manifest.js';
import type { PackageRepository, PackageRow } from './package.repository.js';
import { attemptValues, presentAttempt, resumeData, type AttemptCommit } from './scorm-data.js';

/** Material types whose zip uploads are interactive packages, played in the browser. */
export const PACKAGE_MATERIAL_TYPES = new Set(['elearning', 'simulation', 'game', 'interactive-book']);

/** A package file as the API and the player show it. */
export interface PackageView {
  state: PackageRow['state'];
  kind: PackageRow['kind'];
  title: string | null;
  /** Why the package was refused, in Vietnamese. */
  error?: string;
  /** What the player frames, on the content origin; null until the package is ready. */
  playerUrl: string | null;
}

/** A package ready to play, as the content origin needs it. */
export interface PlayablePackage {
  grant: ContentGrant;
  sha256: string;
  row: PackageRow & { state: 'ready'; kind: NonNullable<PackageRow['kind']>; launchPath: string; storagePrefix: string };
}

const READY_CACHE_ENTRIES = 1000;

/**
 * Interactive packages: checked and unpacked to storage by a job (so the content origin streams
 * plain objects with flat memory), played on the content origin under a signed token, and the
 * learners' SCORM attempts kept.
 */
export class PackageService {
  // A ready package never changes (its files are content-addressed): the content origin looks each up once.
  private readonly ready = new Map<string, { sha256: string; row: PlayablePackage['row'] }>();

  constructor(
    private readonly db: Db,
    private readonly storage: ObjectStorage,
    private readonly packages: PackageRepository,
    private readonly materials: MaterialRepository,
    private readonly queue: Queue,
    private readonly settings: { secretKey: string; contentOrigin: string },
  ) {}

  get contentOrigin(): string {
    return this.settings.contentOrigin;
  }

  /** In the upload's own transaction: mark a package's content for checking and enqueue the job. */
  async queueProcessing(tx: Tx, file: { sha256: string; mime: string }, materialType: string): Promise<void> {
    if (file.mime !== 'application/zip' || !PACKAGE_MATERIAL_TYPES.has(materialType)) return;
    if (await this.packages.queue(file.sha256, tx.db)) {
      await this.queue.enqueue(tx, ValidatePackageJob.queue, { sha256: file.sha256 }, { singletonKey: file.sha256 });
    }
  }

  /** Checks the package, unpacks it under a prefix of its own run, and makes it visible in one final transaction. */
  async process(job: { sha256: string }): Promise<void> {
    const current = await this.packages.get(job.sha256);
    if (!current || current.state === 'ready') return;
    await this.packages.start(job.sha256);
    const prefix = `packages/${job.sha256}/${randomUUID()}/`;
    let archive: PackageArchive | null = null;
    try {
      // What a killed run left behind (nothing refers to it: only a ready row names a prefix).
      await this.deletePrefix(`packages/${job.sha256}/`);
      const size = await this.storage.size(blobKey(job.sha256));
      if (size === null) throw new Error(`blob ${job.sha256} is missing`);
      archive = await PackageArchive.open(this.storage, blobKey(job.sha256), size);
      const opened = archive;
      const layout = await describePackage(opened.files, (name) => opened.read(name));
      const files = opened.files.filter((name) => name.startsWith(layout.root));
      for (const name of files) {
        const relative = name.slice(layout.root.length);
        await this.storage.write(prefix + relative, await opened.stream(name), contentTypeOf(relative));
      }
      await this.db.transaction(async (tx) => {
        const locked = await this.packages.get(job.sha256, tx.db, { forUpdate: true });
        if (locked?.state === 'ready') throw new DuplicateRun();
        await this.packages.finish(job.sha256, {
          kind: layout.kind, launchPath: layout.launchPath, storagePrefix: prefix, title: layout.title, entries: files.length, unpackedBytes: opened.unpackedBytes,
        }, tx.db);
      });
    } catch (error) {
      await this.deletePrefix(prefix);
      if (error instanceof DuplicateRun) return;
      await this.packages.fail(job.sha256, error instanceof AppError ? error.describe('vi') : 'Lỗi hệ thống khi kiểm tra gói; quản trị viên xem chi tiết ở danh sách tác vụ nền.');
      if (!(error instanceof AppError)) throw error;
    } finally {
      archive?.close();
    }
  }

  /**
   * A package file's state and, once ready, the address the player frames: the SCORM wrapper or
   * H5P page, or an HTML5 package's own launch file. The caller has checked that `principal` may
   * see the file; a signed-in learner's SCORM commits are stored, the public's are not.
   */
  async view(file: Pick<VersionFile, 'id' | 'sha256'>, principal: Principal | null): Promise<PackageView | null> {
    const row = await this.packages.get(file.sha256);
    if (!row) return null;
    const base = { state: row.state, kind: row.kind, title: row.title, ...(row.error ? { error: row.error } : {}) };
    if (row.state !== 'ready' || !row.kind || !row.launchPath) return { ...base, playerUrl: null };
    const token = issueContentToken(this.settings.secretKey, file.id, principal?.id ?? null);
    const playerUrl = row.kind === 'html5' ? `${this.contentOrigin}/p/${token}/${encodePath(row.launchPath)}` : `${this.contentOrigin}/w/${token}`;
    return { ...base, playerUrl };
  }

  /** The package a content-origin token opens, or null (bad or expired token, no such file, not ready). */
  async playable(token: string): Promise<PlayablePackage | null> {
    const grant = verifyContentToken(this.settings.secretKey, token);
    if (!grant) return null;
    let known = this.ready.get(grant.fileId);
    if (!known) {
      const found = await this.materials.findFile(grant.fileId);
      const row = found ? await this.packages.get(found.file.sha256) : null;
      if (!found || !row || row.state !== 'ready' || !row.kind || !row.launchPath || !row.storagePrefix) return null;
      known = { sha256: found.file.sha256, row: row as PlayablePackage['row'] };
      if (this.ready.size >= READY_CACHE_ENTRIES) this.ready.delete(this.ready.keys().next().value!);
      this.ready.set(grant.fileId, known);
    }
    return { grant, ...known };
  }

  /** The saved data the wrapper loads before the SCO starts (null for the public or a first attempt). */
  async resume(played: PlayablePackage) {
    if (!played.grant.userId) return null;
    return resumeData(await this.packages.attempt(played.grant.userId, played.sha256));
  }

  async commit(played: PlayablePackage, commit: AttemptCommit) {
    if (!played.grant.userId) throw new AppError('ATTEMPT_NOT_STORED');
    if ((played.row.kind === 'scorm12') !== (commit.version === '1.2')) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'version', message: 'Không khớp phiên bản SCORM của gói.' }]);
    return presentAttempt(await this.packages.commit(played.grant.userId, played.sha256, attemptValues(commit)));
  }

  /** The caller's attempt at a package file they may see, or NOT_FOUND when they have none. */
  async myAttempt(file: Pick<VersionFile, 'sha256'>, principal: Principal) {
    const attempt = await this.packages.attempt(principal.id, file.sha256);
    if (!attempt) throw AppError.notFound('attempt');
    return presentAttempt(attempt);
  }

  /** A file of the package, by its path under the package's root. */
  async object(played: PlayablePackage, path: string) {
    const key = played.row.storagePrefix + path;
    const size = await this.storage.size(key);
    return size === null ? null : { storageKey: key, size, mime: contentTypeOf(path), etag: `${played.sha256.slice(0, 32)}-${size}` };
  }

  private async deletePrefix(prefix: string): Promise<void> {
    for await (const object of this.storage.list(prefix)) await this.storage.delete(object.key);
  }
}

class DuplicateRun extends Error {}

/** The type a browser must be told for a package's file; unknown ones are bytes, never sniffed (nosniff). */
export function contentTypeOf(path: string): string {
  const type = mime.lookup(path) || 'application/octet-stream';
  return /^(text\/|application\/(javascript|json|xml))/.test(type) || type.endsWith('+xml') ? `${type}; charset=utf-8` : type;
}

/** A package path as a URL path: each segment percent-encoded, the query a SCORM launch may carry kept. */
export function encodePath(path: string): string {
  const [file, query] = path.split(/\?(.*)/s);
  return file!.split('/').map(encodeURIComponent).join('/') + (query !== undefined ? `?${query}` : '');
}
