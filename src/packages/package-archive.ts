import { pipeline, Transform, type Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';
import { AppError } from '../core/errors.js';
import type { ObjectStorage } from '../core/storage/index.js';
import { StoredObjectReader } from '../files/archive-check.js';
import { unsafeEntry } from '../core/safe-zip.js';

export interface PackageLimits {
  maxEntries: number;
  /** Bytes actually inflated, over every entry read. */
  maxUnpackedBytes: number;
  /** Inflated bytes over the archive's size: beyond it, a zip bomb. */
  maxRatio: number;
}

// An e-lecture with its videos reaches a few hundred megabytes; its text compresses about tenfold.
export const PACKAGE_LIMITS: PackageLimits = { maxEntries: 20_000, maxUnpackedBytes: 4 * 1024 ** 3, maxRatio: 100 };

// Archives inside a package would be expanded by nobody we trust; office files and e-books inside are downloads, served as they are.
const NESTED_ARCHIVE = /\.(zip|h5p|scorm|rar|7z|tar|gz|tgz|bz2|xz|jar|war|cab|iso)$/i;
const ZIP_DOCUMENT = /\.(docx|pptx|xlsx|odt|odp|ods|epub)$/i;
const ARCHIVE_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from([0x1f, 0x8b]), Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1'), Buffer.from('Rar!', 'latin1')];
// Written by macOS's archiver beside every file: never part of the package.
const MAC_METADATA = /(^|\/)__MACOSX\/|(^|\/)\.DS_Store$/;

export const invalid = (reason: string) => new AppError('PACKAGE_INVALID', { reason });

/** A stored zip whose central directory passed every check, read entry by entry straight from storage. */
export class PackageArchive {
  private inflated = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    private readonly limits: PackageLimits,
    private readonly archiveBytes: number,
  ) {}

  /**
   * Opens the package and checks its whole directory before anything is inflated: names that climb
   * out (`../`, absolute, drive letters), symlinks, encrypted entries, unknown compression,
   * duplicates, too many entries, declared sizes beyond the limits, archives inside.
   */
  static async open(storage: ObjectStorage, key: string, size: number, limits: PackageLimits = PACKAGE_LIMITS): Promise<PackageArchive> {
    const reader = new StoredObjectReader(storage, key, size);
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromRandomAccessReader(reader, size, { lazyEntries: true, decodeStrings: true, strictFileNames: false, validateEntrySizes: true, autoClose: false },
        (err, file) => (err ? reject(err) : resolve(file))),
    ).catch((err: Error) => { throw invalid(`không đọc được tệp nén (${err.message})`); });
    if (zip.entryCount > limits.maxEntries) {
      zip.close();
      throw invalid(`gói có ${zip.entryCount} mục, vượt giới hạn ${limits.maxEntries}`);
    }
    const entries = new Map<string, yauzl.Entry>();
    let declared = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: yauzl.Entry) => {
          const name = normalise(entry.fileName);
          const problem = unsafeEntry(entry)
            ?? (entry.isEncrypted() ? `"${name}" được mã hoá (đặt mật khẩu)` : null)
            ?? (entry.compressionMethod !== 0 && entry.compressionMethod !== 8 ? `"${name}" dùng kiểu nén không hỗ trợ (${entry.compressionMethod})` : null)
            ?? (entries.has(name) ? `"${name}" xuất hiện hai lần trong gói` : null)
            ?? (NESTED_ARCHIVE.test(name) ? `"${name}" là một tệp nén nằm trong gói` : null);
          if (problem) return reject(invalid(problem));
          declared += entry.uncompressedSize;
          if (declared > limits.maxUnpackedBytes) return reject(invalid(`dung lượng giải nén vượt giới hạn ${Math.round(limits.maxUnpackedBytes / 1024 ** 2)} MB`));
          if (declared > Math.max(size, 1) * limits.maxRatio) return reject(invalid('dung lượng giải nén vượt xa dung lượng tệp (zip bomb)'));
          if (!name.endsWith('/') && !MAC_METADATA.test(name)) entries.set(name, entry);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', (err: Error) => reject(invalid(/path/.test(err.message) ? `đường dẫn trỏ ra ngoài gói (${err.message})` : `tệp nén hỏng (${err.message})`)));
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw error;
    }
    return new PackageArchive(zip, entries, limits, size);
  }

  /** File names (directories and macOS metadata left out), `/`-separated. */
  get files(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** A small file (a manifest) whole, at most `maxBytes`. */
  async read(name: string, maxBytes = 8 * 1024 * 1024): Promise<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw invalid(`thiếu tệp "${name}"`);
    if (entry.uncompressedSize > maxBytes) throw invalid(`tệp "${name}" quá lớn (${entry.uncompressedSize} byte)`);
    return buffer(await this.stream(name));
  }

  /**
   * The inflated bytes of an entry as a stream. Every byte is counted against the limits as it is
   * inflated, whatever the directory declared, and an entry that turns out to be an archive fails.
   */
  async stream(name: string): Promise<Readable> {
    const entry = this.entries.get(name)!;
    const raw = await new Promise<Readable>((resolve, reject) => this.zip.openReadStream(entry, (err, s) => (err ? reject(invalid(`không giải nén được "${name}" (${err.message})`)) : resolve(s as Readable))));
    let first = true;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        if (first && !ZIP_DOCUMENT.test(name) && ARCHIVE_MAGIC.some((magic) => chunk.subarray(0, magic.length).equals(magic))) return done(invalid(`"${name}" là một tệp nén nằm trong gói`));
        first = false;
        this.inflated += chunk.length;
        if (this.inflated > this.limits.maxUnpackedBytes) return done(invalid(`dung lượng giải nén vượt giới hạn ${Math.round(this.limits.maxUnpackedBytes / 1024 ** 2)} MB`));
        if (this.inflated > Math.max(this.archiveBytes, 1) * this.limits.maxRatio) return done(invalid('dung lượng giải nén vượt xa dung lượng tệp (zip bomb)'));
        done(null, chunk);
      },
    });
    // Before pipeline's own handler, so that a corrupt entry (yauzl checks sizes and CRCs) fails with our reason.
    raw.on('error', (err: Error) => counter.destroy(err instanceof AppError ? err : invalid(`"${name}" hỏng (${err.message})`)));
    return pipeline(raw, counter, () => undefined);
  }

  /** Bytes inflated so far. */
  get unpackedBytes(): number {
    return this.inflated;
  }

  close(): void {
    this.zip.close();
  }
}

function normalise(name: string): string {
  return name.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
