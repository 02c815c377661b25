import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { decodeText } from './decode-text.js';
import type { AppError } from './errors.js';
import { readUntrustedZip } from './safe-zip.js';

/**
 * Spreadsheets people upload (account lists, broadcast schedules, question banks): CSV in any
 * encoding decodeText knows, separated by ",", ";" or tabs, or XLSX. Each record keeps its line as
 * the spreadsheet numbers it, so that features can report a row by the number the uploader sees.
 * What the columns mean, and the errors about them, stay in each feature.
 */

/** The upload limit of a spreadsheet: far above the few thousand rows a feature accepts. */
export const TABULAR_FILE_MAX_BYTES = 5 * 1024 * 1024;

export interface TabularRecord {
  line: number;
  cells: string[];
}

export interface TabularReading {
  /** The feature's error for a file that cannot be read at all (its AppError code and wording). */
  malformed: (reason: string) => AppError;
  /** Whether the cells are the feature's header row: the separator and the sheet are the ones where it appears. */
  isHeader: (cells: string[]) => boolean;
  /** An Excel date cell as the date alone, or with its time of day (the wall-clock, which exceljs gives as UTC). */
  dates?: 'date' | 'date-time';
  /** A hyperlink cell as the text it shows, or as where it points (a link to a page the feature reads ids from). */
  links?: 'text' | 'target';
}

// Excel writes ";" where the decimal mark is a comma (Vietnamese regional settings), "," elsewhere,
// and tabs for "Unicode text".
const DELIMITERS = [',', ';', '\t'] as const;
/** Records read to find the header row: a title and a few notes may stand above it. */
const HEADER_SEARCH_RECORDS = 50;
const XLSX_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');

export const isXlsx = (bytes: Buffer): boolean => bytes.subarray(0, 4).equals(XLSX_MAGIC);

function parseCsv(text: string, delimiter: string, limit?: number): string[][] {
  return parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, ...(limit && { to: limit }) });
}

/**
 * The separator under which the header row appears: more reliable than counting separators on the
 * first line, which may be a title with commas in it.
 */
function headerDelimiter(text: string, isHeader: (cells: string[]) => boolean): string | undefined {
  return DELIMITERS.find((delimiter) => {
    try {
      return parseCsv(text, delimiter, HEADER_SEARCH_RECORDS).some(isHeader);
    } catch {
      return false;
    }
  });
}

/** Without a header row, the separator most used on the first line: the feature's complaint about the header then names the right cells. */
function firstLineDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (delimiter: string) => firstLine.split(delimiter).length;
  return DELIMITERS.reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best));
}

/** Whether a CSV's first records hold the header row under one of the separators. */
export function csvHasHeader(text: string, isHeader: (cells: string[]) => boolean): boolean {
  return headerDelimiter(text, isHeader) !== undefined;
}

export function readCsv(bytes: Buffer, reading: TabularReading): TabularRecord[] {
  const { text } = decodeText(bytes);
  try {
    // Someone opening the CSV in Excel sees record n on row n, even when a cell spans several lines.
    return parseCsv(text, headerDelimiter(text, reading.isHeader) ?? firstLineDelimiter(text)).map((cells, index) => ({ line: index + 1, cells }));
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw reading.malformed(`tệp CSV không đọc được${line ? ` ở dòng ${line}` : ''}: ${(error as Error).message}`);
  }
}

/**
 * What a cell shows, from any kind of value exceljs gives: rich text, hyperlinks, formulas (their
 * cached result) and numbers rounded as Excel shows them (a formula's 0.1 + 0.2 is 0.3).
 */
function cellText(value: ExcelJS.CellValue, reading: TabularReading): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return reading.dates === 'date-time' ? value.toISOString().slice(0, 19).replace('T', ' ') : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  // A link without text of its own shows its address, as Excel does.
  if ('hyperlink' in value) return reading.links === 'target' || value.text == null ? value.hyperlink : cellText(value.text as ExcelJS.CellValue, reading);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result as ExcelJS.CellValue, reading);
  if ('error' in value) return value.error;
  return '';
}

function sheetRecords(sheet: ExcelJS.Worksheet, reading: TabularReading): TabularRecord[] {
  const records: TabularRecord[] = [];
  // Empty rows are kept, as a CSV keeps its empty lines: the features skip them in one place.
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => { cells[column - 1] = cellText(cell.value, reading).normalize('NFC'); });
    records.push({ line: row.number, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  return records;
}

/** The records of the first sheet that holds the header row (a template's instructions sheet has none), else of the first sheet. */
export async function readXlsx(bytes: Buffer, reading: TabularReading): Promise<TabularRecord[]> {
  // Vetted first, entries inflated under yauzl's size checks: exceljs would inflate a zip bomb whose
  // directory lies about its sizes, or follow odd paths, without asking.
  await readUntrustedZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw reading.malformed(`tệp Excel không đọc được: ${(error as Error).message}`);
  }
  const sheets = workbook.worksheets.map((sheet) => sheetRecords(sheet, reading));
  return sheets.find((records) => records.slice(0, HEADER_SEARCH_RECORDS).some((record) => reading.isHeader(record.cells))) ?? sheets[0] ?? [];
}

/** A CSV or XLSX file, told apart by its bytes (an XLSX is a zip), → its records. */
export async function readTabularFile(bytes: Buffer, reading: TabularReading): Promise<TabularRecord[]> {
  return isXlsx(bytes) ? readXlsx(bytes, reading) : readCsv(bytes, reading);
}
