import { decodeText, looksBinary } from '../../core/decode-text.js';
import type { Exporter, Importer } from '../model.js';
import { importAiken, looksLikeAiken } from './aiken.js';
import { importDocx } from './docx/import.js';
import { exportGift } from './gift/export.js';
import { importGift, looksLikeGift } from './gift/import.js';
import { exportMoodleXml } from './moodle-xml/export.js';
import { importMoodleXml, looksLikeMoodleXml } from './moodle-xml/import.js';
import { exportQti21, exportQti30, importQti, looksLikeQti } from './qti/index.js';
import { listUntrustedZip } from '../../core/safe-zip.js';
import { exportCsv, exportXlsx, importCsv, importXlsx, looksLikeQuestionCsv } from './tabular/index.js';

/** Every format a bank can be imported from; `auto` finds one of these from the content. */
export const IMPORTERS = {
  gift: importGift, 'moodle-xml': importMoodleXml, qti: importQti, aiken: importAiken, csv: importCsv, xlsx: importXlsx, docx: importDocx,
} satisfies Record<string, Importer>;
export type ImportFormat = keyof typeof IMPORTERS;
export const IMPORT_FORMATS = Object.keys(IMPORTERS) as ImportFormat[];

export const EXPORTERS = {
  'moodle-xml': exportMoodleXml, gift: exportGift, qti21: exportQti21, qti30: exportQti30, csv: exportCsv, xlsx: exportXlsx,
} satisfies Record<string, Exporter>;
export type ExportFormat = keyof typeof EXPORTERS;
export const EXPORT_FORMATS = Object.keys(EXPORTERS) as ExportFormat[];

/**
 * The format of an uploaded file from its content, not its name: a zip by what it holds (a QTI
 * package has imsmanifest.xml, Word and Excel their own parts), text by its first markers.
 */
export async function detectFormat(bytes: Buffer): Promise<ImportFormat | null> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const names = await listUntrustedZip(bytes);
    if (names.some((n) => n === 'imsmanifest.xml' || n.endsWith('/imsmanifest.xml'))) return 'qti';
    if (names.includes('word/document.xml')) return 'docx';
    if (names.includes('xl/workbook.xml')) return 'xlsx';
    return null;
  }
  if (looksBinary(bytes)) return null;
  const { text } = decodeText(bytes);
  const head = text.trimStart();
  if (head.startsWith('<')) {
    if (looksLikeMoodleXml(head)) return 'moodle-xml';
    if (looksLikeQti(head)) return 'qti';
    return null;
  }
  if (looksLikeQuestionCsv(text)) return 'csv';
  if (looksLikeAiken(text)) return 'aiken';
  if (looksLikeGift(text)) return 'gift';
  return null;
}
