import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AdoptableObject, ByteRange, ObjectStorage, StoredObject } from './object-storage.js';

/** Objects as files under one root directory; writes land atomically through a rename. */
export class FileStorage implements ObjectStorage {
  readonly backend = 'file' as const;

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`Storage key escapes the root: ${key}`);
    return full;
  }

  async write(key: string, body: Readable): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomUUID()}.partial`;
    try {
      await pipeline(body, createWriteStream(partial));
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    await fs.access(file);
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | null> {
    const stat = await fs.stat(this.pathOf(key)).catch(() => null);
    return stat?.isFile() ? stat.size : null;
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(this.pathOf(from), target);
  }

  async adopt(source: AdoptableObject, key: string): Promise<void> {
    if (!('path' in source)) throw new Error('The file backend adopts files, not bucket objects');
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rm(target, { force: true });
    try {
      await fs.link(source.path, target);
    } catch (error) {
      // Another disk (EXDEV) or one without hard links: a copy, by reflink where the disk has them.
      if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      const partial = `${target}.${randomUUID()}.partial`;
      try {
        await fs.copyFile(source.path, partial, fs.constants.COPYFILE_FICLONE);
        await fs.rename(partial, target);
      } catch (copyError) {
        await fs.rm(partial, { force: true });
        throw copyError;
      }
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    const base = path.resolve(this.root);
    const start = path.join(base, prefix);
    const dir = prefix.endsWith('/') ? start : path.dirname(start);
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      const key = path.relative(base, full).split(path.sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const stat = await fs.stat(full).catch(() => null);
      if (stat) yield { key, lastModified: stat.mtime };
    }
  }

  async presignedDownloadUrl(): Promise<string | null> {
    return null;
  }

  async check(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }
}
