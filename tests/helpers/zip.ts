import { buffer } from 'node:stream/consumers';
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  data?: Buffer | string;
  /** Unix mode bits (a symlink is 0o120777). */
  mode?: number;
}

const HOSTILE_NAME = /^(\/|[A-Za-z]:|\.\.)|\/\.\.\/|\\/;

/**
 * A zip of the entries, built with yazl. yazl (rightly) will not write a name that climbs out of
 * the archive, so such a name is written disguised, same length, and patched in the bytes
 * afterwards (local header and central directory; the CRC does not cover names): a hostile package.
 */
export async function zipOf(entries: ZipEntry[]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  const disguised = entries.map((e, i) => ({ ...e, safeName: HOSTILE_NAME.test(e.name) ? `h${i}`.padEnd(e.name.length, '_') : e.name }));
  for (const e of disguised) archive.addBuffer(Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data ?? 'x'), e.safeName, e.mode ? { mode: e.mode } : {});
  archive.end();
  let bytes = await buffer(archive.outputStream);
  for (const e of disguised.filter((d) => d.safeName !== d.name)) bytes = Buffer.from(bytes.toString('latin1').replaceAll(e.safeName, e.name), 'latin1');
  return bytes;
}
