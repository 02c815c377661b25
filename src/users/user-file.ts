import { AppError } from '../core/errors.js';
import { readTabularFile, type TabularReading } from '../core/tabular-file.js';
import { stripDiacritics } from '../core/text.js';

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

const headerKey = (cell: string) => stripDiacritics(cell).toLowerCase().replace(/[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim();
const malformed = (reason: string) => new AppError('USER_FILE_MALFORMED', { reason });

/** The column of each field the header row names. */
function headerColumns(cells: string[]): Partial<Record<UserColumn, number>> {
  const columns: Partial<Record<UserColumn, number>> = {};
  cells.forEach((cell, index) => {
    const column = HEADERS[headerKey(cell)];
    if (column && columns[column] === undefined) columns[column] = index;
  });
  return columns;
}

const missingColumns = (columns: Partial<Record<UserColumn, number>>) => REQUIRED.filter((column) => columns[column] === undefined);

const READING: TabularReading = { malformed, isHeader: (cells) => missingColumns(headerColumns(cells)).length === 0 };

/** A CSV or XLSX account list (told apart by its bytes) → its rows below the header; empty rows at the end are not rows. */
export async function readUserFile(bytes: Buffer): Promise<UserFileRow[]> {
  const records = await readTabularFile(bytes, READING);
  const header = records[0];
  if (!header) throw malformed('tệp rỗng');
  const columns = headerColumns(header.cells);
  const missing = missingColumns(columns);
  if (missing.length) throw malformed(`dòng đầu tiên cần các cột Tên đăng nhập, Họ tên, Mã đơn vị, Vai trò (thiếu ${missing.length} cột)`);
  const body = records.slice(1);
  while (body.length && body.at(-1)!.cells.every((cell) => cell.trim() === '')) body.pop();
  if (body.length === 0) throw malformed('không có tài khoản nào dưới dòng tiêu đề');
  if (body.length > USER_FILE_MAX_ROWS) throw malformed(`tệp có ${body.length} dòng, tối đa ${USER_FILE_MAX_ROWS}`);
  return body.map(({ line, cells }) => {
    const cell = (column: UserColumn) => (columns[column] === undefined ? '' : (cells[columns[column]!] ?? '').trim());
    return { line, username: cell('username'), displayName: cell('displayName'), orgCode: cell('orgCode'), roles: cell('roles'), personalId: cell('personalId'), email: cell('email') };
  });
}
