import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../../core/errors.js';
import { decodeText } from '../../decode-text.js';
import type { Exporter, Importer, Question } from '../../model.js';
import { readUntrustedZip } from '../safe-zip.js';
import { cleanCell } from './cell-text.js';
import { readHeader } from './columns.js';
import { rowsToQuestions, type SheetRow } from './read-rows.js';
import { questionsToTable, type QuestionTable } from './write-rows.js';

/**
 * CSV and XLSX in the one documented template (docs/questions/tabular.md). Both readers turn the
 * file into SheetRows and share rowsToQuestions; both writers share questionsToTable.
 */

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The separator of the header line. Excel writes ";" where the decimal mark is a comma (Vietnamese
 * regional settings), "," elsewhere, and tabs for "Unicode text".
 */
function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r\n?|\n/).find((line) => line.trim()) ?? '';
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, '');
  const counts = DELIMITERS.map((d) => outsideQuotes.split(d).length - 1);
  const best = Math.max(...counts);
  return best > 0 ? DELIMITERS[counts.indexOf(best)]! : ',';
}

function csvRows(text: string, limit?: number): SheetRow[] {
  const records: string[][] = parse(text, {
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    ...(limit && { to: limit }),
  });
  // A teacher opening the CSV in Excel sees record n on row n.
  return records.map((cells, index) => ({ row: index + 1, cells: cells.map(cleanCell) }));
}

export const importCsv: Importer = ({ bytes }) => {
  const { text } = decodeText(bytes);
  let rows: SheetRow[];
  try {
    rows = csvRows(text);
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new AppError('QUESTION_FILE_MALFORMED', { reason: `tệp CSV không đọc được${line ? ` ở dòng ${line}` : ''}: ${(error as Error).message}` });
  }
  return rowsToQuestions(rows, 'csv');
};

/** A CSV whose first lines hold the template's header row. */
export function looksLikeQuestionCsv(text: string): boolean {
  try {
    return csvRows(text, 20).some((row) => readHeader(row.cells) !== undefined);
  } catch {
    return false;
  }
}

function worksheetRows(sheet: ExcelJS.Worksheet): SheetRow[] {
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cleanCell(cell.value === null || cell.value === undefined ? '' : cell.text);
    });
    rows.push({ row: row.number, cells: Array.from(cells, (cell) => cell ?? '') });
  });
  return rows;
}

export const importXlsx: Importer = async ({ bytes }) => {
  // The zip is vetted first: exceljs would inflate a bomb or follow odd paths without asking.
  await readUntrustedZip(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new AppError('QUESTION_FILE_MALFORMED', { reason: `tệp Excel không đọc được: ${(error as Error).message}` });
  }
  // The questions sheet is the first one with a header row; the template's instructions sheet has none.
  const sheets = workbook.worksheets.map(worksheetRows);
  const withHeader = sheets.find((rows) => rows.slice(0, 20).some((row) => readHeader(row.cells)));
  return rowsToQuestions(withHeader ?? sheets[0] ?? [], 'xlsx');
};

export const exportCsv: Exporter = (questions) => {
  const table = questionsToTable(questions);
  // The BOM makes Excel read the file as UTF-8 rather than the machine's code page.
  const body = Buffer.from(`\ufeff${stringify([table.header, ...table.rows], { record_delimiter: 'windows' })}`, 'utf8');
  return { body, contentType: 'text/csv; charset=utf-8', extension: 'csv', report: table.report };
};

async function tableWorkbook(table: QuestionTable, instructions?: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hoclieu';
  const sheet = workbook.addWorksheet('Câu hỏi', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.header).font = { bold: true };
  table.rows.forEach((row) => sheet.addRow(row));
  sheet.columns.forEach((column, index) => {
    const header = table.header[index] ?? '';
    column.width = header === 'Nội dung câu hỏi' || header === 'Lời giải' ? 50 : header.startsWith('Phương án') ? 24 : 16;
    column.alignment = { wrapText: true, vertical: 'top' };
  });
  if (instructions) {
    const guide = workbook.addWorksheet('Hướng dẫn');
    instructions.forEach((row) => guide.addRow(row));
    guide.getRow(1).font = { bold: true };
    guide.getColumn(1).width = 28;
    guide.getColumn(2).width = 100;
    guide.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const exportXlsx: Exporter = async (questions) => {
  const table = questionsToTable(questions);
  return { body: await tableWorkbook(table), contentType: XLSX_TYPE, extension: 'xlsx', report: table.report };
};

/** One example of every type the template holds; written through the exporter, so it re-imports. */
const TEMPLATE_EXAMPLES: Question[] = [
  {
    type: 'multiple_choice', stem: 'Nghiệm của phương trình 2x − 4 = 0 là', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Đại số/Phương trình bậc nhất',
    options: [{ id: 'A', text: 'x = 2', fraction: 1 }, { id: 'B', text: 'x = −2', fraction: 0 }, { id: 'C', text: 'x = 4', fraction: 0 }, { id: 'D', text: 'x = 0', fraction: 0 }],
    generalFeedback: '2x = 4 nên x = 2.',
  },
  {
    type: 'multiple_response', stem: 'Những số nào là số nguyên tố?', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Số học',
    options: [{ id: 'A', text: '2', fraction: 0.5 }, { id: 'B', text: '4', fraction: -0.5 }, { id: 'C', text: '7', fraction: 0.5 }, { id: 'D', text: '9', fraction: -0.5 }],
  },
  {
    type: 'true_false_group', stem: 'Cho hàm số y = x² − 2x. Xét tính đúng sai của các mệnh đề sau.', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Hàm số',
    options: [
      { id: 'a', text: 'Đồ thị hàm số đi qua gốc toạ độ.', fraction: 1 },
      { id: 'b', text: 'Hàm số đồng biến trên ℝ.', fraction: 0 },
      { id: 'c', text: 'Giá trị nhỏ nhất của hàm số là −1.', fraction: 1 },
      { id: 'd', text: 'Trục đối xứng của đồ thị là x = 2.', fraction: 0 },
    ],
  },
  {
    type: 'true_false', stem: 'Tổng ba góc của một tam giác bằng 180°.', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Hình học',
    options: [{ id: 'true', text: 'Đúng', fraction: 1 }, { id: 'false', text: 'Sai', fraction: 0 }],
  },
  {
    type: 'numerical', stem: 'Tính giá trị của biểu thức 1,5 + 1 (ghi kết quả dạng số thập phân).', points: 0.5, cognitiveLevel: 'van-dung', topic: 'Số học',
    options: [{ id: '1', text: '2.5', fraction: 1, tolerance: 0.01 }],
  },
  {
    type: 'short_answer', stem: 'Thủ đô của Việt Nam là thành phố nào?', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Địa lí',
    options: [{ id: '1', text: 'Hà Nội', fraction: 1 }, { id: '2', text: 'Ha Noi', fraction: 1 }],
  },
  {
    type: 'matching', stem: 'Ghép mỗi tỉnh với vùng của nó.', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Địa lí',
    options: [{ id: 'A', text: 'Lào Cai', fraction: 1, match: 'Trung du và miền núi phía Bắc' }, { id: 'B', text: 'Cần Thơ', fraction: 1, match: 'Đồng bằng sông Cửu Long' }],
  },
  { type: 'essay', stem: 'Trình bày ý nghĩa của Chiến thắng Điện Biên Phủ.', points: 2, cognitiveLevel: 'van-dung-cao', topic: 'Lịch sử', options: [], generalFeedback: 'Nêu được ý nghĩa trong nước và quốc tế.' },
];

const TEMPLATE_INSTRUCTIONS: string[][] = [
  ['Cột', 'Cách ghi'],
  ['Mã câu', 'Tuỳ chọn. Mã riêng của câu hỏi, dùng để báo lỗi theo mã.'],
  ['Loại câu hỏi', 'Trắc nghiệm (một đáp án, mặc định khi để trống), Nhiều đáp án, Đúng/Sai (một ý khi không có phương án; bốn ý a)–d) của Phần II khi điền Phương án A–D), Trả lời ngắn, Trả lời số, Tự luận, Ghép đôi.'],
  ['Nội dung câu hỏi', 'Bắt buộc. Có thể xuống dòng trong ô (Alt+Enter). Công thức ghi bằng LaTeX, ví dụ \\(x^2\\).'],
  ['Phương án A, B, …', 'Các phương án theo thứ tự, không bỏ trống ở giữa. Đúng/Sai Phần II: bốn mệnh đề a)–d) ở A–D. Ghép đôi: mỗi ô một cặp "vế trái -> vế phải".'],
  ['Đáp án', 'Trắc nghiệm: một chữ cái (B). Nhiều đáp án: các chữ cái cách nhau bởi dấu phẩy (A,C). Đúng/Sai: Đ hoặc S; Phần II: bốn giá trị theo a)–d), ví dụ "Đ,S,Đ,S". Trả lời ngắn / Trả lời số: các đáp án chấp nhận, cách nhau bởi "|". Tự luận, Ghép đôi: để trống.'],
  ['Sai số', 'Trả lời số: sai số tuyệt đối chấp nhận được, ví dụ 0,01.'],
  ['Điểm', 'Số dương, dùng dấu phẩy hoặc dấu chấm thập phân (0,25). Mặc định 1.'],
  ['Mức độ', 'Nhận biết, Thông hiểu, Vận dụng, Vận dụng cao.'],
  ['Chủ đề', 'Đường dẫn chủ đề, các cấp cách nhau bởi "/", ví dụ "Đại số/Chương 1".'],
  ['Thẻ', 'Các thẻ cách nhau bởi dấu phẩy.'],
  ['Lời giải', 'Lời giải hoặc hướng dẫn chấm, hiển thị sau khi làm bài.'],
  ['Tệp CSV', 'Lưu dạng "CSV UTF-8" hoặc CSV thường (Windows-1258) đều được; dấu phân cách "," hoặc ";".'],
];

/** The downloadable template: the header, one example per type, and a sheet of instructions. */
export async function buildQuestionTemplateXlsx(): Promise<Buffer> {
  return tableWorkbook(questionsToTable(TEMPLATE_EXAMPLES), TEMPLATE_INSTRUCTIONS);
}
