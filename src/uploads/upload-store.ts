import path from 'node:path';
import type { DataStore, Upload } from '@tus/utils';
import type { Config } from '../core/config.js';
import type { AdoptableObject } from '../core/storage/index.js';

/** The tus store of unfinished uploads, on the same backend (disk or bucket) as the objects. */
export interface UploadStore extends DataStore {
  getUpload(id: string): Promise<Upload>;
  remove(id: string): Promise<void>;
  deleteExpired(): Promise<number>;
  /** Where a finished upload's bytes are, for the object storage to adopt them without reading them through. */
  locate(id: string): AdoptableObject;
}

export async function createUploadStore(config: Pick<Config, 'storage' | 'dataDir' | 'uploadExpiryHours'>): Promise<UploadStore> {
  const expirationPeriodInMilliseconds = config.uploadExpiryHours * 3600_000;
  if (config.storage.backend === 'file') {
    const { FileStore } = await import('@tus/file-store');
    const directory = path.join(config.dataDir, 'uploads');
    // @tus/file-store keeps an upload's bytes in a file named by its id, its metadata beside it.
    class FileUploadStore extends FileStore {
      locate(id: string): AdoptableObject {
        const file = path.resolve(directory, id);
        if (path.dirname(file) !== path.resolve(directory)) throw new Error(`Not an upload id: ${id}`);
        return { path: file };
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
