import type { Config } from '../config.js';
import { FileStorage } from './file-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3Storage } from './s3-storage.js';

export type { ObjectStorage, ByteRange } from './object-storage.js';

export function createStorage(config: Config['storage']): ObjectStorage {
  return config.backend === 's3' ? new S3Storage(config) : new FileStorage(config.root);
}
