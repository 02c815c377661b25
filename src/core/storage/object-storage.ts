import type { Readable } from 'node:stream';

export interface ByteRange {
  start: number;
  /** Inclusive, as in HTTP Range headers. */
  end: number;
}

/**
 * Bytes already within a store's reach that `adopt` takes without streaming them through the
 * process: a file on the objects' disk, or an object in the objects' bucket.
 */
export type AdoptableObject = { path: string } | { bucket: string; key: string };

export interface StoredObject {
  key: string;
  lastModified: Date;
}

/**
 * Where bytes live. The domain only ever talks to this interface; `FileStorage` and `S3Storage`
 * implement it and run one shared contract test suite.
 */
export interface ObjectStorage {
  readonly backend: 'file' | 's3';
  /** Streams `body` to `key`. On failure nothing is left at `key`. */
  write(key: string, body: Readable, contentType?: string): Promise<void>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Size in bytes, or null when there is no such object. */
  size(key: string): Promise<number | null>;
  /** Makes the object at `from` available at `to` (replacing it) and removes `from`. */
  move(from: string, to: string): Promise<void>;
  /**
   * Makes a copy of `source` available at `key` inside the store (a hard link, or a copy when the
   * disk cannot link, on the file backend; CopyObject on S3), leaving `source` as it was.
   */
  adopt(source: AdoptableObject, key: string): Promise<void>;
  /** Removes the object; a missing object is not an error. */
  delete(key: string): Promise<void>;
  list(prefix: string): AsyncIterable<StoredObject>;
  /** A short-lived URL to download directly from the store, when the store can issue one. */
  presignedDownloadUrl(key: string, options: { expiresInSeconds: number; contentDisposition: string; contentType: string }): Promise<string | null>;
  /** Throws when the store cannot be reached (readiness probe). */
  check(): Promise<void>;
}
