import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ERRORS, type DataStore, type Upload } from '@tus/utils';
import type { Config } from '../core/config.js';
import type { AdoptableObject } from '../core/storage/index.js';
import { ReceivedDigests } from './received-digests.js';

// Lets the socket's chunks queue up and go to the disk in a few large writes rather than one
// round trip through the thread pool per 64 KiB chunk (fs streams default to 16 KiB).
const WRITE_BUFFER_BYTES = 8 * 1024 * 1024;

/** The tus store of unfinished uploads, on the same backend (disk or bucket) as the objects. */
export interface UploadStore extends DataStore {
  getUpload(id: string): Promise<Upload>;
  remove(id: string): Promise<void>;
  deleteExpired(): Promise<number>;
  /** Where a finished upload's bytes are, for the object storage to adopt them without reading them through. */
  locate(id: string): AdoptableObject;
  /** The sha256 of a finished upload of `size` bytes when this process hashed every byte as it arrived. */
  receivedDigest(id: string, size: number): string | null;
}

export async function createUploadStore(config: Pick<Config, 'storage' | 'dataDir' | 'uploadExpiryHours'>): Promise<UploadStore> {
  const expirationPeriodInMilliseconds = config.uploadExpiryHours * 3600_000;
  const digests = new ReceivedDigests();
  if (config.storage.backend === 'file') {
    const { FileStore } = await import('@tus/file-store');
    const directory = path.join(config.dataDir, 'uploads');
    const fileOf = (id: string) => {
      const file = path.resolve(directory, id);
      if (path.dirname(file) !== path.resolve(directory)) throw new Error(`Not an upload id: ${id}`);
      return file;
    };
    // @tus/file-store keeps an upload's bytes in a file named by its id, its metadata beside it.
    class FileUploadStore extends FileStore {
      locate(id: string): AdoptableObject {
        return { path: fileOf(id) };
      }

      /** FileStore's write (the bytes at `offset` of the upload's file), hashed on the way and with a larger buffer. */
      override write(readable: Readable, id: string, offset: number): Promise<number> {
        return digests.through(id, offset, readable, async (stream) => {
          const file = createWriteStream(fileOf(id), { flags: 'r+', start: offset, highWaterMark: WRITE_BUFFER_BYTES });
          try {
            await pipeline(stream, file);
          } catch {
            throw ERRORS.FILE_WRITE_ERROR;
          }
          return offset + file.bytesWritten;
        });
      }

      receivedDigest(id: string, size: number): string | null {
        return digests.take(id, size);
      }

      override remove(id: string): Promise<void> {
        digests.forget(id);
        return super.remove(id);
      }
    }
    return new FileUploadStore({ directory, expirationPeriodInMilliseconds }) as unknown as UploadStore;
  }
  const { S3Store } = await import('@tus/s3-store');
  const s3 = config.storage;
  // @tus/s3-store completes a finished upload as the object named by its id, in the objects' bucket.
  class S3UploadStore extends S3Store {
    locate(id: string): AdoptableObject {
      return { bucket: s3.bucket, key: id };
    }

    override write(readable: Readable, id: string, offset: number): Promise<number> {
      return digests.through(id, offset, readable, (stream) => super.write(stream, id, offset));
    }

    receivedDigest(id: string, size: number): string | null {
      return digests.take(id, size);
    }

    override remove(id: string): Promise<void> {
      digests.forget(id);
      return super.remove(id);
    }
  }
  return new S3UploadStore({
    partSize: 8 * 1024 * 1024,
    expirationPeriodInMilliseconds,
    s3ClientConfig: {
      bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: s3.forcePathStyle,
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
    },
  }) as unknown as UploadStore;
}
