import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';
import { AppError } from './errors.js';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of the uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed over compressed size of the whole archive: beyond it, a bomb. */
  maxRatio: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxEntries: 5000, maxTotalBytes: 256 * 1024 * 1024, maxRatio: 100 };
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const unsafe = (reason: string) => new AppError('QUESTION_FILE_UNSAFE', { reason });

/**
 * Why an entry of an untrusted zip could write outside the folder it is unpacked into (an
 * absolute path, a drive letter, a `..` segment, a symlink), or null when it cannot.
 */
export function unsafeEntry(entry: Pick<yauzl.Entry, 'fileName' | 'externalFileAttributes'>): string | null {
  const name = entry.fileName.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) return `đường dẫn "${name}" trỏ ra ngoài gói`;
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return `"${name}" là liên kết tượng trưng (symlink)`;
  return null;
}

/** An open untrusted zip whose central directory passed every check, with its file entries. */
async function openChecked(bytes: Buffer, limits: Partial<ZipLimits>): Promise<{ zip: yauzl.ZipFile; entries: yauzl.Entry[] }> {
  const { maxEntries, maxTotalBytes, maxRatio } = { ...DEFAULT_LIMITS, ...limits };
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    // decodeStrings validates names (absolute paths, "..") — its errors become ours below.
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true, strictFileNames: false }, (err, file) => (err ? reject(err) : resolve(file))),
  ).catch((err: Error) => { throw new AppError('QUESTION_FILE_MALFORMED', { reason: `không đọc được tệp zip (${err.message})` }); });
  if (zip.entryCount > maxEntries) { zip.close(); throw unsafe(`tệp zip có ${zip.entryCount} mục, vượt giới hạn ${maxEntries}`); }

  const entries: yauzl.Entry[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName.replace(/\\/g, '/');
        const problem = unsafeEntry(entry);
        if (problem) return reject(unsafe(problem));
        total += entry.uncompressedSize;
        if (total > maxTotalBytes || total > Math.max(bytes.length, 1) * maxRatio) return reject(unsafe('dung lượng giải nén vượt xa dung lượng tệp (zip bomb)'));
        if (!name.endsWith('/')) entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) => reject(err.message.includes('path') ? unsafe(err.message) : new AppError('QUESTION_FILE_MALFORMED', { reason: `tệp zip hỏng (${err.message})` })));
      zip.readEntry();
    });
    return { zip, entries };
  } catch (err) {
    zip.close();
    throw err;
  }
}

/**
 * The file names of an untrusted zip, after the directory checks of readUntrustedZip, without
 * inflating anything: enough to tell a QTI package from a .docx or .xlsx, or to vet a file that a
 * library will unpack itself.
 */
export async function listUntrustedZip(bytes: Buffer, limits: Partial<ZipLimits> = {}): Promise<string[]> {
  const { zip, entries } = await openChecked(bytes, limits);
  zip.close();
  return entries.map((entry) => entry.fileName.replace(/\\/g, '/'));
}

/**
 * Reads every file of an untrusted zip (a QTI package, a .docx or .xlsx) into memory after
 * checking the whole central directory first: no absolute paths, no `..` segments, no symlinks,
 * not too many entries, and a total uncompressed size bounded absolutely and relative to the
 * archive's size (zip bombs). yauzl also checks each entry's real size against the declared one.
 * Returns the files by their normalised path ("word/document.xml"); directories are left out.
 */
export async function readUntrustedZip(bytes: Buffer, limits: Partial<ZipLimits> = {}): Promise<Map<string, Buffer>> {
  const { zip, entries } = await openChecked(bytes, limits);
  try {
    const files = new Map<string, Buffer>();
    for (const entry of entries) {
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
      files.set(entry.fileName.replace(/\\/g, '/'), await buffer(stream));
    }
    return files;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('QUESTION_FILE_MALFORMED', { reason: `tệp zip hỏng (${(err as Error).message})` });
  } finally {
    zip.close();
  }
}
