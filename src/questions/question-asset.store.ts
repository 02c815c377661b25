import { buffer } from 'node:stream/consumers';
import { Readable } from 'node:stream';
import type { Database } from '../core/db/client.js';
import { blobs } from '../core/db/schema.js';
import type { ObjectStorage } from '../core/storage/object-storage.js';
import { blobKey } from '../files/blob-key.js';

/**
 * Images of questions live with every other stored content: as content-addressed blobs, so the
 * same picture in a thousand questions (or a re-import) is stored once.
 */
export class QuestionAssetStore {
  constructor(private readonly storage: ObjectStorage) {}

  /**
   * Writes each distinct content unless already stored, a few at a time (a bank of ten thousand
   * questions may name a hundred pictures); the blob rows are inserted by `register` in the
   * caller's transaction.
   */
  async putMany(assets: Array<{ sha256: string; bytes: Buffer }>): Promise<void> {
    const unique = [...new Map(assets.map((a) => [a.sha256, a.bytes])).entries()];
    for (let i = 0; i < unique.length; i += 8) {
      await Promise.all(unique.slice(i, i + 8).map(async ([sha256, bytes]) => {
        const key = blobKey(sha256);
        if ((await this.storage.size(key)) !== bytes.length) await this.storage.write(key, Readable.from([bytes]));
      }));
    }
  }

  async register(entries: Array<{ sha256: string; size: number; mime: string }>, db: Database): Promise<void> {
    const unique = [...new Map(entries.map((e) => [e.sha256, e])).values()];
    for (let i = 0; i < unique.length; i += 1000) {
      await db.insert(blobs).values(unique.slice(i, i + 1000).map((e) => ({ ...e, storageKey: blobKey(e.sha256) }))).onConflictDoNothing();
    }
  }

  async read(sha256: string): Promise<Buffer> {
    return buffer(await this.storage.read(blobKey(sha256)));
  }

  async readMany(sha256s: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(sha256s)];
    const found = new Map<string, Buffer>();
    // A few at a time: an export of a large bank must not open thousands of reads at once.
    for (let i = 0; i < unique.length; i += 16) {
      const batch = unique.slice(i, i + 16);
      const bytes = await Promise.all(batch.map((sha) => this.read(sha)));
      batch.forEach((sha, j) => found.set(sha, bytes[j]!));
    }
    return found;
  }
}
