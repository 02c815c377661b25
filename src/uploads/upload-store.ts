import path from 'node:path';
import type { Readable } from 'node:stream';
import type { DataStore, Upload } from '@tus/utils';
import type { Config } from '../core/config.js';

/** The tus store of unfinished uploads, on the same backend as the objects. */
export interface UploadStore extends DataStore {
  read(id: string): Readable | Promise<Readable>;
  getUpload(id: string): Promise<Upload>;
  remove(id: string): Promise<void>;
  deleteExpired(): Promise<number>;
}

export async function createUploadStore(config: Pick<Config, 'storage' | 'dataDir' | 'uploadExpiryHours'>): Promise<UploadStore> {
  const expirationPeriodInMilliseconds = config.uploadExpiryHours * 3600_000;
  if (config.storage.backend === 'file') {
    const { FileStore } = await import('@tus/file-store');
    return new FileStore({ directory: path.join(config.dataDir, 'uploads'), expirationPeriodInMilliseconds }) as unknown as UploadStore;
  }
  const { S3Store } = await import('@tus/s3-store');
  const s3 = config.storage;
  return new S3Store({
    partSize: 8 * 1024 * 1024,
    expirationPeriodInMilliseconds,
    s3ClientConfig: {
      bucket: s3.bucket, region: s3.region, endpoint: s3.endpoint, forcePathStyle: s3.forcePathStyle,
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
    },
  }) as unknown as UploadStore;
}
