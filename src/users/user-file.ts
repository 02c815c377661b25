import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../core/errors.js';
import { stripDiacritics } from '../core/text.js';
import { decodeText } from '../questions/decode-text.js';
import { readUntrustedZip } from '../questions/formats/safe-zip.js';

/**
 * An account list as provinces keep it: a CSV or XLSX sheet whose first row names the columns
 * (Tên đăng nhập, Họ tên, Mã đơn vị, Vai trò, and optionally Mã định danh, E-mail; the English
 * field names work too). Each row keeps its line as the spreadsheet numbers it. Pure: the
 * service checks what the rows say.
 */

export const USER_FILE_MAX_ROWS = 2000;

export type UserColumn = 'username' | 'displayName' | 'orgCode' | 'roles' | 'personalId' | 'email';

/** One row as written: each cell's text, trimmed. */
export interface UserFileRow {
  line: number;
  username: string;
  displayName: string;
  orgCode: string;
  roles: string;
  personalId: string;
  email: string;
}

const HEADERS: Record<string, UserColumn> = {
  'ten dang nhap': 'username', username: 'username',
  'ho ten': 'displayName', 'ho va ten': 'displayName', 'ten hien thi': 'displayName', displayname: 'displayName', 'display name': 'displayName',
  'ma don vi': 'orgCode', 'don vi': 'orgCode', orgcode: 'orgCode', 'org code': 'orgCode', org: 'orgCode',
  'vai tro': 'roles', roles: 'roles', role: 'roles',
  'ma dinh danh': 'personalId', 'ma dinh danh nganh': 'personalId', personalid: 'personalId', 'personal id': 'personalId',
  email: 'email', 'e mail': 'email', 'dia chi email': 'email', 'dia chi e mail': 'email',
};
const REQUIRED: UserColumn[] = ['username', 'displayName', 'orgCode', 'roles'];
const XLSX_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');

const headerKey = (cell: string) => stripDiacritics(cell).toLowerCase().replace(/[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim();
const malformed = (reason: string) => new AppError('USER_FILE_MALFORMED', { reason });

type Records = Array<{ line: number; cells: string[] }>;

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !(value instanceof Date)) {
    if ('richText' in value) return value.richText.map((run) => run.text).join('');
    if ('hyperlink' in value) return String(value.text ?? value.hyperlink);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

async function xlsxRecords(bytes: Buffer): Promise<Records> {
  // Vetted first: exceljs would inflate a zip bomb whose directory lies about its sizes.
  await readUntrustedZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw malformed(`tệp Excel hỏng (${(error as Error).message})`);
  }
  const records: Records = [];
  workbook.worksheets[0]?.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => { cells[column - 1] = cellText(cell.value); });
    records.push({ line: row.number, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  return records;
}

function csvRecords(bytes: Buffer): Records {
  const { text } = decodeText(bytes);
  // Excel writes ";" under Vietnamese regional settings, "," elsewhere.
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    const records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ line: info.lines, cells: record }));
  } catch (error) {
    throw malformed(`tệp CSV hỏng (${(error as Error).message})`);
  }
}

/** A CSV or XLSX account list (told apart by its bytes) → its rows below the header; empty rows at the end are not rows. */
export async function readUserFile(bytes: Buffer): Promise<UserFileRow[]> {
  const records = bytes.subarray(0, 4).equals(XLSX_MAGIC) ? await xlsxRecords(bytes) : csvRecords(bytes);
  const header = records[0];
  if (!header) throw malformed('tệp rỗng');
  const columns: Partial<Record<UserColumn, number>> = {};
  header.cells.forEach((cell, index) => {
    const column = HEADERS[headerKey(cell)];
    if (column && columns[column] === undefined) columns[column] = index;
  });
  const missing = REQUIRED.filter((column) => columns[column] === undefined);
  if (missing.length) throw malformed(`dòng đầu tiên cần các cột Tên đăng nhập, Họ tên, Mã đơn vị, Vai trò (thiếu ${missing.length} cột)`);
  const body = records.slice(1);
  while (body.length && body.at(-1)!.cells.every((cell) => cell.trim() === '')) body.pop();
  if (body.length === 0) throw malformed('không có tài khoản nào dưới dòng tiêu đề');
  if (body.length > USER_FILE_MAX_ROWS) throw malformed(`tệp có ${body.length} dòng, tối đa ${USER_FILE_MAX_ROWS}`);
  return body.map(({ line, cells }) => {
    const cell = (column: UserColumn) => (columns[column] === undefined ? '' : (cells[columns[column]!] ?? '').normalize('NFC').trim());
    return { line, username: cell('username'), displayName: cell('displayName'), orgCode: cell('orgCode'), roles: cell('roles'), personalId: cell('personalId'), email: cell('email') };
  });
}
