import { PassThrough, pipeline, type Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';
import { AppError } from '../core/errors.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { unsafeEntry } from '../core/safe-zip.js';

/** Sniffed types that are zip archives underneath: packages, e-books and office files alike. */
const ZIP_TYPES = new Set([
  'application/zip', 'application/epub+zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.presentation', 'application/vnd.oasis.opendocument.spreadsheet',
]);

const BLOCK = 1024 * 1024;
const CACHED_BLOCKS = 4;

/**
 * Random access to a stored object for yauzl, through ranged reads of 1 MiB blocks (a few kept):
 * the central directory is read sequentially, so a 2 GiB archive costs a few megabytes of memory
 * and, on S3, a request per megabyte of directory rather than one per entry. Entries are read
 * each as one ranged stream (packages are unpacked that way, never held in memory).
 */
export class StoredObjectReader extends yauzl.RandomAccessReader {
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(private readonly storage: ObjectStorage, private readonly key: string, private readonly size: number) {
    super();
  }

  private block(index: number): Promise<Buffer> {
    let block = this.blocks.get(index);
    if (!block) {
      const start = index * BLOCK;
      block = this.storage.read(this.key, { start, end: Math.min(start + BLOCK, this.size) - 1 }).then((stream) => buffer(stream));
      this.blocks.set(index, block);
      if (this.blocks.size > CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    }
    return block;
  }

  override read(target: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    void (async () => {
      let copied = 0;
      while (copied < length) {
        const at = position + copied;
        const block = await this.block(Math.floor(at / BLOCK));
        const from = at % BLOCK;
        const n = Math.min(length - copied, block.length - from);
        if (n <= 0) break;
        block.copy(target, offset + copied, from, from + n);
        copied += n;
      }
      return copied;
    })().then((copied) => callback(null, copied), (error: Error) => callback(error));
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const through = new PassThrough();
    if (end <= start) {
      through.end();
      return through;
    }
    this.storage.read(this.key, { start, end: end - 1 }).then(
      (stream) => pipeline(stream, through, () => undefined),
      (error: Error) => through.destroy(error),
    );
    return through;
  }
}

const unsafe = (reason: string) => new AppError('ARCHIVE_UNSAFE', { reason });

/**
 * Refuses a zip-based upload whose entries would land outside the folder it is unpacked into
 * (`../`, absolute paths, drive letters, symlinks), or whose directory cannot be read. Only the
 * central directory is read, from storage, never the entries themselves.
 */
export async function checkArchive(storage: ObjectStorage, key: string, mime: string, size: number): Promise<void> {
  if (!ZIP_TYPES.has(mime)) return;
  const reader = new StoredObjectReader(storage, key, size);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromRandomAccessReader(reader, size, { lazyEntries: true, decodeStrings: true, strictFileNames: false, autoClose: false }, (err, file) => (err ? reject(err) : resolve(file))),
  ).catch((err: Error) => { throw unsafe(`không đọc được mục lục của tệp nén (${err.message})`); });
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const problem = unsafeEntry(entry);
        if (problem) return reject(unsafe(problem));
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      // yauzl itself refuses absolute and `..` names while decoding them.
      zip.on('error', (err: Error) => reject(unsafe(/path/.test(err.message) ? `đường dẫn trỏ ra ngoài gói (${err.message})` : `tệp nén hỏng (${err.message})`)));
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
