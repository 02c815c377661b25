import type { Config } from '../config.js';
import { FileStorage } from './file-storage.js';
import type { ObjectStorage } from './object-storage.js';

export type { AdoptableObject, ObjectStorage, ByteRange } from './object-storage.js';

/** The configured backend; the AWS SDK is loaded only when S3 is in use (it costs ~20 MB). */
export async function createStorage(config: Config['storage']): Promise<ObjectStorage> {
  if (config.backend === 'file') return new FileStorage(config.root);
  const { S3Storage } = await import('./s3-storage.js');
  return new S3Storage(config);
}
