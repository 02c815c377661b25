import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStorage } from '../../src/core/storage/file-storage.js';
import type { AdoptableObject, ObjectStorage } from '../../src/core/storage/object-storage.js';
import { S3Storage } from '../../src/core/storage/s3-storage.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';

/** One contract, run against every storage backend. */
interface Backend {
  storage: ObjectStorage;
  /** Puts bytes where this backend's resumable uploads keep theirs, and reads them back from there. */
  outside(bytes: Buffer): Promise<{ source: AdoptableObject; read(): Promise<Buffer> }>;
  close(): Promise<void>;
}

function storageContract(name: string, open: () => Promise<Backend>) {
  describe(`storage contract: ${name}`, () => {
    let storage: ObjectStorage;
    let outside: Backend['outside'];
    let close: () => Promise<void>;
    beforeAll(async () => ({ storage, outside, close } = await open()));
    afterAll(async () => close?.());

    it('writes a stream and reads it back whole and by range', async () => {
      const bytes = randomBytes(300_000);
      await storage.write('blobs/ab/file-1', Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), 'application/octet-stream');
      expect(await storage.size('blobs/ab/file-1')).toBe(bytes.length);
      expect((await buffer(await storage.read('blobs/ab/file-1'))).equals(bytes)).toBe(true);
      expect((await buffer(await storage.read('blobs/ab/file-1', { start: 10, end: 19 }))).equals(bytes.subarray(10, 20))).toBe(true);
    });

    it('writes a multi-part-sized body (over 8 MiB) intact', async () => {
      const bytes = randomBytes(9 * 1024 * 1024 + 123);
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
      }
      await storage.write('blobs/big', Readable.from(chunks()));
      expect(await storage.size('blobs/big')).toBe(bytes.length);
      expect((await buffer(await storage.read('blobs/big'))).equals(bytes)).toBe(true);
    });

    it('leaves nothing when the body fails midway', async () => {
      async function* failing() {
        yield randomBytes(1000);
        throw new Error('client went away');
      }
      await expect(storage.write('tmp/broken', Readable.from(failing()))).rejects.toThrow();
      expect(await storage.size('tmp/broken')).toBeNull();
      const left: string[] = [];
      for await (const object of storage.list('tmp/')) left.push(object.key);
      expect(left).toEqual([]);
    });

    it('moves, lists, deletes; a missing object has no size and deleting it is fine', async () => {
      await storage.write('tmp/move-me', Readable.from([Buffer.from('hello')]));
      await storage.move('tmp/move-me', 'blobs/moved');
      expect(await storage.size('tmp/move-me')).toBeNull();
      expect((await buffer(await storage.read('blobs/moved'))).toString()).toBe('hello');
      const keys: string[] = [];
      for await (const object of storage.list('blobs/')) keys.push(object.key);
      expect(keys).toEqual(expect.arrayContaining(['blobs/moved', 'blobs/ab/file-1']));
      expect(keys.every((k) => k.startsWith('blobs/'))).toBe(true);
      await storage.delete('blobs/moved');
      await storage.delete('blobs/moved');
      expect(await storage.size('blobs/moved')).toBeNull();
      await storage.check();
    });

    it('adopts bytes from outside its keys, leaving the source as it was', async () => {
      const bytes = randomBytes(200_000);
      const { source, read } = await outside(bytes);
      await storage.write('tmp/adopted', Readable.from([Buffer.from('older bytes')]));
      await storage.adopt(source, 'tmp/adopted');
      expect((await buffer(await storage.read('tmp/adopted'))).equals(bytes)).toBe(true);
      expect((await read()).equals(bytes)).toBe(true);
      await storage.delete('tmp/adopted');
      expect((await read()).equals(bytes)).toBe(true);
    });
  });
}

storageContract('file', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-files-'));
  const uploads = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-uploads-'));
  return {
    storage: new FileStorage(root),
    async outside(bytes) {
      const file = path.join(uploads, 'upload-1');
      await fs.writeFile(file, bytes);
      return { source: { path: file }, read: () => fs.readFile(file) };
    },
    close: async () => { await fs.rm(root, { recursive: true, force: true }); await fs.rm(uploads, { recursive: true, force: true }); },
  };
});

storageContract('s3 (s3rver through the AWS SDK)', async () => {
  const s3: TestS3 = await startTestS3();
  const storage = new S3Storage(s3.settings);
  return {
    storage,
    async outside(bytes) {
      // @tus/s3-store completes an upload as an object named by its id at the bucket's root.
      await storage.write('upload-1', Readable.from([bytes]));
      return { source: { bucket: s3.settings.bucket, key: 'upload-1' }, read: async () => buffer(await storage.read('upload-1')) };
    },
    close: async () => { storage.destroy(); await s3.close(); },
  };
});

describe('file storage', () => {
  it('refuses keys that escape its root', async () => {
    const storage = new FileStorage(await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-files-')));
    await expect(storage.write('../escape', Readable.from([Buffer.from('x')]))).rejects.toThrow(/escapes/);
    expect(await storage.presignedDownloadUrl()).toBeNull();
  });
});
