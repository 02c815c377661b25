import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { readTabularFile, type TabularReading } from '../../src/core/tabular-file.js';
import { readSlotFile } from '../../src/publishing/broadcast/slot-file.js';
import { readUserFile } from '../../src/users/user-file.js';

const ID = '0b9a3f3e-6d1c-4c59-9a57-7f2b1f0e4c11';
const reading: TabularReading = {
  malformed: (reason) => new AppError('USER_FILE_MALFORMED', { reason }),
  isHeader: (cells) => cells[0] === 'Tên' && cells[1] === 'Ngày',
};

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void, notes = false): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  if (notes) book.addWorksheet('Ghi chú').addRow(['Tệp do Sở GDĐT lập']);
  fill(book.addWorksheet('Dữ liệu'));
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('spreadsheet uploads, read once for every feature', () => {
  it('takes the separator under which the header appears, and numbers records as Excel numbers rows', async () => {
    for (const delimiter of [',', ';', '\t']) {
      const text = `Danh sách, lớp 6A\nTên${delimiter}Ngày\n"Lan${delimiter} Hà"${delimiter}"1\n2"\nMinh${delimiter}3\n`;
      const records = await readTabularFile(Buffer.from(text, 'utf8'), reading);
      expect(records.slice(1, 4), JSON.stringify(delimiter)).toEqual([
        { line: 2, cells: ['Tên', 'Ngày'] },
        { line: 3, cells: [`Lan${delimiter} Hà`, '1\n2'] },
        { line: 4, cells: ['Minh', '3'] },
      ]);
    }
  });

  it('reads Windows-1258 and UTF-16 text as NFC', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Tên\tNgày\nNguyễn\t1\n', 'utf16le')]);
    expect((await readTabularFile(utf16, reading))[1]).toEqual({ line: 2, cells: ['Nguyễn', '1'] });
    // "Tên" in Windows-1258: ê = 0xEA.
    const cp1258 = Buffer.from([0x54, 0xea, 0x6e, 0x3b, 0x4e, 0x67, 0xe0, 0x79, 0x0a, 0x41, 0x3b, 0x31]);
    expect((await readTabularFile(cp1258, reading))[0]!.cells).toEqual(['Tên', 'Ngày']);
  });

  it('finds the sheet with the header and shows date and link cells as each feature asks', async () => {
    const bytes = await workbook((sheet) => {
      sheet.addRow(['Tên', 'Ngày']);
      sheet.addRow([{ text: 'Bài 1', hyperlink: `https://hoclieu.edu.vn/hoc-lieu/${ID}` }, new Date(Date.UTC(2030, 0, 7, 19, 0))]);
      sheet.addRow([]);
      sheet.addRow([{ formula: '0.1+0.2', result: 0.30000000000000004 }, 'x']);
    }, true);
    expect(await readTabularFile(bytes, reading)).toEqual([
      { line: 1, cells: ['Tên', 'Ngày'] },
      { line: 2, cells: ['Bài 1', '2030-01-07'] },
      { line: 3, cells: [] },
      { line: 4, cells: ['0.3', 'x'] },
    ]);
    const asSchedule = await readTabularFile(bytes, { ...reading, dates: 'date-time', links: 'target' });
    expect(asSchedule[1]!.cells).toEqual([`https://hoclieu.edu.vn/hoc-lieu/${ID}`, '2030-01-07 19:00:00']);
  });

  it('refuses what is not a spreadsheet with the feature\'s own error', async () => {
    const broken = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(100)]);
    await expect(readUserFile(broken)).rejects.toThrow(AppError);
    await expect(readUserFile(Buffer.from('a,b\n1,2\n'))).rejects.toMatchObject({ code: 'USER_FILE_MALFORMED' });
    await expect(readSlotFile(Buffer.from('a;b\n1;2\n'))).rejects.toMatchObject({ code: 'BROADCAST_FILE_MALFORMED' });
  });

  it('gives both features their rows: a schedule from a linked XLSX cell, accounts from a tab-separated file', async () => {
    const schedule = await workbook((sheet) => {
      sheet.addRow(['Kênh', 'Học liệu', 'Bắt đầu']);
      sheet.addRow(['VTV7', { text: 'Bài 1', hyperlink: `https://hoclieu.edu.vn/hoc-lieu/${ID}` }, new Date(Date.UTC(2030, 0, 7, 19, 0))]);
    });
    expect(await readSlotFile(schedule)).toEqual({ rows: [{ line: 2, slot: { channelCode: 'vtv7', materialId: ID, start: '2030-01-07T19:00:00+07:00' } }], problems: [] });
    const accounts = Buffer.from('Tên đăng nhập\tHọ tên\tMã đơn vị\tVai trò\nlan.nguyen\tNguyễn Thị Lan\tthcs-a\tteacher\n\n', 'utf8');
    expect(await readUserFile(accounts)).toEqual([{ line: 2, username: 'lan.nguyen', displayName: 'Nguyễn Thị Lan', orgCode: 'thcs-a', roles: 'teacher', personalId: '', email: '' }]);
  });
});
