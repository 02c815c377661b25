import { AppError } from '../../core/errors.js';
import { readTabularFile, type TabularReading, type TabularRecord } from '../../core/tabular-file.js';
import { stripDiacritics } from '../../core/text.js';
import { materialIdIn } from '../../materials/material-url.js';
import type { SlotInput } from './slot-planner.js';

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
export function rowsToSlots(records: TabularRecord[]): { rows: SlotFileRow[]; problems: SlotFileProblem[] } {
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

const READING: TabularReading = {
  malformed: (reason) => new AppError('BROADCAST_FILE_MALFORMED', { reason }),
  isHeader: (cells) => readHeader(cells) !== null,
  // An Excel date cell has no zone: its wall-clock is Vietnam time, which slotTime reads.
  dates: 'date-time',
  // A cell linking to a material's page names the material by where it points.
  links: 'target',
};

/** A CSV or XLSX schedule (told apart by its bytes) → its slots and the lines that could not be read. */
export async function readSlotFile(bytes: Buffer): Promise<{ rows: SlotFileRow[]; problems: SlotFileProblem[] }> {
  return rowsToSlots(await readTabularFile(bytes, READING));
}
