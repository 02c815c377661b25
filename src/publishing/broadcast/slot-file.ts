import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../core/errors.js';
import { stripDiacritics } from '../../core/text.js';
import { materialIdIn } from '../../materials/material-url.js';
import { decodeText } from '../../questions/decode-text.js';
import { readUntrustedZip } from '../../questions/formats/safe-zip.js';
import type { SlotInput } from './broadcast.service.js';

/**
 * A broadcast schedule as publishers keep it: a CSV or XLSX sheet with the columns Kênh, Học liệu
 * (its id or a link to its page), Bắt đầu and optionally Kết thúc, times in Vietnam time
 * (`2030-01-07 19:00`, `07/01/2030 19:00`, Excel date cells) or ISO 8601 with an offset. Each row
 * is read on its own and a row that cannot be read is reported by its line, as Excel numbers it.
 * Pure: the service checks the rows that could be read.
 */

export const SLOT_FILE_MAX_ROWS = 2000;

export interface SlotFileRow {
  line: number;
  slot: SlotInput;
}

export interface SlotFileProblem {
  line: number;
  message: string;
}

type Column = 'channelCode' | 'materialId' | 'start' | 'end';
const HEADERS: Record<string, Column> = {
  kenh: 'channelCode', 'ma kenh': 'channelCode', channel: 'channelCode', channelcode: 'channelCode',
  'hoc lieu': 'materialId', 'ma hoc lieu': 'materialId', 'bai hoc': 'materialId', material: 'materialId', materialid: 'materialId',
  'bat dau': 'start', 'gio bat dau': 'start', start: 'start',
  'ket thuc': 'end', 'gio ket thuc': 'end', end: 'end',
};
const XLSX_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');
const VIETNAM_OFFSET = '+07:00';

const headerKey = (cell: string) => stripDiacritics(cell).toLowerCase().replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim();

/** The column of each field, when the row is the header (it names at least the three required ones). */
function readHeader(cells: string[]): Partial<Record<Column, number>> | null {
  const columns: Partial<Record<Column, number>> = {};
  cells.forEach((cell, index) => {
    const column = HEADERS[headerKey(cell)];
    if (column && columns[column] === undefined) columns[column] = index;
  });
  return columns.channelCode !== undefined && columns.materialId !== undefined && columns.start !== undefined ? columns : null;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A time as written in a cell → ISO 8601 with an offset; null when it is not one. */
export function slotTime(text: string): string | null {
  const value = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return Number.isNaN(Date.parse(value)) ? null : value;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  const vietnamese = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  const [year, month, day, hour, minute, second] = iso
    ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]]
    : vietnamese ? [vietnamese[3], vietnamese[2], vietnamese[1], vietnamese[4], vietnamese[5], vietnamese[6]] : [];
  if (!year) return null;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second ?? '0'].map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // 31/02 or 25:00 is a typing mistake, not a date to roll over.
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${VIETNAM_OFFSET}`;
}

/** Rows of cells (with their line numbers) → the slots they describe and the lines that say nothing usable. */
export function rowsToSlots(records: Array<{ line: number; cells: string[] }>): { rows: SlotFileRow[]; problems: SlotFileProblem[] } {
  const filled = records.filter((record) => record.cells.some((cell) => cell.trim()));
  const headerAt = filled.findIndex((record) => readHeader(record.cells));
  if (headerAt < 0) throw new AppError('BROADCAST_FILE_MALFORMED', { reason: 'không tìm thấy dòng tiêu đề với các cột "Kênh", "Học liệu", "Bắt đầu" (và "Kết thúc" nếu cần)' });
  const columns = readHeader(filled[headerAt]!.cells)!;
  const body = filled.slice(headerAt + 1);
  if (body.length === 0) throw new AppError('BROADCAST_FILE_MALFORMED', { reason: 'tệp không có dòng lịch nào dưới dòng tiêu đề' });
  if (body.length > SLOT_FILE_MAX_ROWS) throw new AppError('BROADCAST_FILE_MALFORMED', { reason: `tệp có ${body.length} dòng lịch, tối đa ${SLOT_FILE_MAX_ROWS}` });
  const rows: SlotFileRow[] = [];
  const problems: SlotFileProblem[] = [];
  for (const { line, cells } of body) {
    const cell = (column: Column) => (columns[column] === undefined ? '' : (cells[columns[column]!] ?? '').trim());
    const wrong: string[] = [];
    const channelCode = cell('channelCode').toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(channelCode)) wrong.push(channelCode ? `mã kênh "${channelCode}" không hợp lệ` : 'thiếu mã kênh');
    const materialId = materialIdIn(cell('materialId'));
    if (!materialId) wrong.push(cell('materialId') ? `"${cell('materialId')}" không phải mã hay đường dẫn của học liệu` : 'thiếu học liệu');
    const start = slotTime(cell('start'));
    if (!start) wrong.push(cell('start') ? `giờ bắt đầu "${cell('start')}" không đọc được (ví dụ 2030-01-07 19:00)` : 'thiếu giờ bắt đầu');
    const end = cell('end') ? slotTime(cell('end')) : undefined;
    if (end === null) wrong.push(`giờ kết thúc "${cell('end')}" không đọc được (ví dụ 2030-01-07 19:30)`);
    if (wrong.length > 0) problems.push({ line, message: `${wrong.join('; ')}.` });
    else rows.push({ line, slot: { channelCode, materialId: materialId!, start: start!, ...(end ? { end } : {}) } });
  }
  return { rows, problems };
}

/** An Excel date cell has no zone: its wall-clock, which exceljs gives as UTC, is Vietnam time. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ');
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((run) => run.text).join('');
    if ('hyperlink' in value) return String(value.hyperlink);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

async function xlsxRecords(bytes: Buffer): Promise<Array<{ line: number; cells: string[] }>> {
  // Vetted first: exceljs would inflate a zip bomb whose directory lies about its sizes.
  await readUntrustedZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new AppError('BROADCAST_FILE_MALFORMED', { reason: `tệp Excel hỏng (${(error as Error).message})` });
  }
  const sheet = workbook.worksheets[0];
  const records: Array<{ line: number; cells: string[] }> = [];
  sheet?.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => { cells[column - 1] = cellText(cell.value).normalize('NFC'); });
    records.push({ line: row.number, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  return records;
}

function csvRecords(bytes: Buffer): Array<{ line: number; cells: string[] }> {
  const { text } = decodeText(bytes);
  // Excel writes ";" under Vietnamese regional settings (the decimal mark is a comma), "," elsewhere.
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    const records: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
    return records.map((cells, index) => ({ line: index + 1, cells }));
  } catch (error) {
    throw new AppError('BROADCAST_FILE_MALFORMED', { reason: `tệp CSV hỏng (${(error as Error).message})` });
  }
}

/** A CSV or XLSX schedule (told apart by its bytes) → its slots and the lines that could not be read. */
export async function readSlotFile(bytes: Buffer): Promise<{ rows: SlotFileRow[]; problems: SlotFileProblem[] }> {
  const isXlsx = bytes.subarray(0, 4).equals(XLSX_MAGIC);
  return rowsToSlots(isXlsx ? await xlsxRecords(bytes) : csvRecords(bytes));
}
