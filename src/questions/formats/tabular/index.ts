import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../../core/errors.js';
import { csvHasHeader, readCsv, readXlsx, type TabularReading } from '../../../core/tabular-file.js';
import type { Exporter, Importer, Question } from '../../model.js';
import { cleanCell, guardFormula, unguardFormula } from './cell-text.js';
import { readHeader } from './columns.js';
import { rowsToQuestions } from './read-rows.js';
import { questionsToTable, type QuestionTable } from './write-rows.js';

/**
 * CSV and XLSX in the one documented template (docs/questions/csv-xlsx.md). Both readers turn the
 * file into SheetRows and share rowsToQuestions; both writers share questionsToTable.
 */

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const READING: TabularReading = {
  malformed: (reason) => new AppError('QUESTION_FILE_MALFORMED', { reason }),
  isHeader: (cells) => readHeader(cells.map(cleanCell)) !== undefined,
};

export const importCsv: Importer = ({ bytes }) => {
  const rows = readCsv(bytes, READING).map(({ line, cells }) => ({ row: line, cells: cells.map((cell) => unguardFormula(cleanCell(cell))) }));
  return rowsToQuestions(rows, 'csv');
};

/** A CSV (any of the separators) whose first lines hold the template's header row. */
export function looksLikeQuestionCsv(text: string): boolean {
  return csvHasHeader(text, READING.isHeader);
}

export const importXlsx: Importer = async ({ bytes }) => {
  const rows = (await readXlsx(bytes, READING)).map(({ line, cells }) => ({ row: line, cells: cells.map(cleanCell) }));
  return rowsToQuestions(rows, 'xlsx');
};

export const exportCsv: Exporter = (questions) => {
  const table = questionsToTable(questions);
  const rows = table.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? guardFormula(cell) : cell)));
  // Records end in CRLF as Excel writes them; a line break inside a cell is a bare LF, which
  // csv-stringify would not quote by itself since it is not the record delimiter.
  const csv = stringify([table.header, ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  // The BOM makes Excel read the file as UTF-8 rather than the machine's code page.
  const body = Buffer.from(`\ufeff${csv}`, 'utf8');
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
    guide.getColumn(1).width = 24;
    guide.getColumn(2).width = 18;
    guide.getColumn(3).width = 100;
    guide.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const exportXlsx: Exporter = async (questions) => {
  const table = questionsToTable(questions);
  return { body: await tableWorkbook(table), contentType: XLSX_TYPE, extension: 'xlsx', report: table.report };
};

/** Examples of every type the template holds; written through the exporter, so they re-import. */
const TEMPLATE_EXAMPLES: Question[] = [
  {
    type: 'multiple_choice', stem: 'Nghiệm của phương trình 2x − 4 = 0 là', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Đại số/Phương trình bậc nhất', tags: ['Phần I'],
    options: [{ id: 'A', text: 'x = 2', fraction: 1 }, { id: 'B', text: 'x = −2', fraction: 0 }, { id: 'C', text: 'x = 4', fraction: 0 }, { id: 'D', text: 'x = 0', fraction: 0 }],
    generalFeedback: '2x = 4 nên x = 2.',
  },
  {
    type: 'multiple_choice', stem: 'Đạo hàm của hàm số \\(y = x^3 + 2x\\) là', points: 0.25, cognitiveLevel: 'thong-hieu', topic: 'Giải tích/Đạo hàm', tags: ['Phần I'],
    options: [{ id: 'A', text: '\\(y\' = 3x^2\\)', fraction: 0 }, { id: 'B', text: '\\(y\' = 3x^2 + 2\\)', fraction: 1 }, { id: 'C', text: '\\(y\' = x^2 + 2\\)', fraction: 0 }, { id: 'D', text: '\\(y\' = 3x + 2\\)', fraction: 0 }],
    generalFeedback: '\\((x^3)\' = 3x^2\\) và \\((2x)\' = 2\\).',
  },
  {
    type: 'multiple_response', stem: 'Những số nào là số nguyên tố?', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Số học',
    options: [{ id: 'A', text: '2', fraction: 0.5 }, { id: 'B', text: '4', fraction: -0.5 }, { id: 'C', text: '7', fraction: 0.5 }, { id: 'D', text: '9', fraction: -0.5 }],
  },
  {
    type: 'true_false_group', stem: 'Cho hàm số y = x² − 2x. Xét tính đúng sai của các mệnh đề sau.', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Hàm số', tags: ['Phần II'],
    options: [
      { id: 'a', text: 'Đồ thị hàm số đi qua gốc toạ độ.', fraction: 1 },
      { id: 'b', text: 'Hàm số đồng biến trên ℝ.', fraction: 0 },
      { id: 'c', text: 'Giá trị nhỏ nhất của hàm số là −1.', fraction: 1 },
      { id: 'd', text: 'Trục đối xứng của đồ thị là x = 2.', fraction: 0 },
    ],
    generalFeedback: 'y = (x − 1)² − 1 nên giá trị nhỏ nhất là −1, đạt tại x = 1.',
  },
  {
    type: 'true_false', stem: 'Tổng ba góc của một tam giác bằng 180°.', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Hình học',
    options: [{ id: 'true', text: 'Đúng', fraction: 1 }, { id: 'false', text: 'Sai', fraction: 0 }],
  },
  {
    type: 'numerical', stem: 'Tính giá trị của biểu thức 1,5 + 1 (ghi kết quả dạng số thập phân).', points: 0.5, cognitiveLevel: 'van-dung', topic: 'Số học', tags: ['Phần III'],
    options: [{ id: '1', text: '2.5', fraction: 1, tolerance: 0.01 }],
  },
  {
    type: 'numerical', stem: 'Nhiệt độ lúc 6 giờ là 2 °C, đến 22 giờ giảm 4,5 °C. Nhiệt độ lúc 22 giờ là bao nhiêu độ C?', points: 0.5, cognitiveLevel: 'van-dung', topic: 'Số học', tags: ['Phần III'],
    options: [{ id: '1', text: '-2.5', fraction: 1 }],
  },
  {
    type: 'short_answer', stem: 'Thủ đô của Việt Nam là thành phố nào?', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Địa lí',
    options: [{ id: '1', text: 'Hà Nội', fraction: 1 }, { id: '2', text: 'Ha Noi', fraction: 1 }],
  },
  {
    type: 'matching', stem: 'Ghép mỗi tỉnh với vùng của nó.', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Địa lí',
    options: [{ id: 'A', text: 'Lào Cai', fraction: 1, match: 'Trung du và miền núi phía Bắc' }, { id: 'B', text: 'Cần Thơ', fraction: 1, match: 'Đồng bằng sông Cửu Long' }],
  },
  {
    type: 'essay', stem: 'Trình bày ý nghĩa của Chiến thắng Điện Biên Phủ.', points: 2, cognitiveLevel: 'van-dung-cao', topic: 'Lịch sử', options: [],
    generalFeedback: 'Ý nghĩa trong nước: kết thúc cuộc kháng chiến chống thực dân Pháp.<br>Ý nghĩa quốc tế: cổ vũ phong trào giải phóng dân tộc.',
  },
];

const TEMPLATE_INSTRUCTIONS: string[][] = [
  ['Cột', 'Tên máy (alias)', 'Cách ghi'],
  ['Mã câu', 'id', 'Tuỳ chọn. Mã riêng của câu hỏi; lỗi của dòng được báo kèm mã này.'],
  ['Loại câu hỏi', 'type', 'Trắc nghiệm (một đáp án; mặc định khi để trống), Nhiều đáp án, Đúng/Sai (một ý khi không có phương án; bốn ý a)–d) của Phần II khi điền Phương án A–D), Trả lời ngắn, Trả lời số, Tự luận, Ghép đôi. Cũng nhận mã loại: multiple_choice, multiple_response, true_false, true_false_group, short_answer, numerical, essay, matching.'],
  ['Nội dung câu hỏi', 'stem', 'Bắt buộc. Chữ thường (không phải HTML); xuống dòng trong ô bằng Alt+Enter. Công thức ghi bằng LaTeX, ví dụ \\(x^2\\) hoặc $x^2$. Hình ảnh không đưa được vào bảng tính: dùng Moodle XML, QTI hoặc Word.'],
  ['Phương án A, B, …', 'A, B, …', 'Các phương án theo thứ tự, không bỏ trống ở giữa; thêm cột "Phương án G"… nếu cần. Đúng/Sai Phần II: bốn mệnh đề a)–d) ở A–D. Ghép đôi: mỗi ô một cặp "vế trái -> vế phải" (vế trái để trống là phương án nhiễu).'],
  ['Đáp án', 'answer', 'Trắc nghiệm: một chữ cái (B). Nhiều đáp án: các chữ cái cách nhau bởi dấu phẩy (A,C). Đúng/Sai: Đ hoặc S (T/F cũng được); Phần II: bốn giá trị theo a)–d), ví dụ "Đ,S,Đ,S". Trả lời ngắn / Trả lời số: các đáp án chấp nhận, cách nhau bởi "|" (Trả lời ngắn: dấu * thay cho một đoạn chữ bất kỳ). Tự luận, Ghép đôi: để trống.'],
  ['Sai số', 'tolerance', 'Chỉ cho Trả lời số: sai số tuyệt đối chấp nhận được, ví dụ 0,01.'],
  ['Điểm', 'points', 'Số dương, dấu phẩy hoặc dấu chấm thập phân (0,25). Mặc định 1. Phần II chấm theo số ý đúng: 1 ý 10%, 2 ý 25%, 3 ý 50%, 4 ý 100% số điểm.'],
  ['Mức độ', 'level', 'Nhận biết, Thông hiểu, Vận dụng, Vận dụng cao (hoặc NB, TH, VD, VDC).'],
  ['Chủ đề', 'topic', 'Đường dẫn chủ đề, các cấp cách nhau bởi "/", ví dụ "Đại số/Chương 1".'],
  ['Thẻ', 'tags', 'Các thẻ cách nhau bởi dấu phẩy.'],
  ['Lời giải', 'feedback', 'Lời giải hoặc hướng dẫn chấm, hiển thị sau khi làm bài.'],
  ['Tên câu hỏi', 'name', 'Tuỳ chọn. Tên ngắn của câu hỏi (như tên câu hỏi trong Moodle).'],
  ['Trộn phương án', 'shuffle', 'Tuỳ chọn. Có hoặc Không.'],
  ['Phân biệt hoa thường', 'case_sensitive', 'Tuỳ chọn, cho Trả lời ngắn. Có hoặc Không.'],
  ['Tệp CSV', '', 'Cùng các cột như trang "Câu hỏi". Lưu dạng "CSV UTF-8" hoặc CSV thường (Windows-1258), hoặc "Unicode Text"; dấu phân cách "," hoặc ";" hoặc Tab đều được.'],
  ['Không chứa được', '', 'Câu điền khuyết nhiều chỗ trống (cloze), hình ảnh, định dạng chữ (đậm, nghiêng, bảng), công thức MathML, phản hồi riêng cho từng phương án, điểm từng phần tuỳ ý của phương án, thang điểm Phần II khác chuẩn 2025: dùng Moodle XML hoặc QTI cho những câu này.'],
];

/** The downloadable template: the header, examples of every type, and a sheet of instructions. */
export async function buildQuestionTemplateXlsx(): Promise<Buffer> {
  return tableWorkbook(questionsToTable(TEMPLATE_EXAMPLES), TEMPLATE_INSTRUCTIONS);
}
