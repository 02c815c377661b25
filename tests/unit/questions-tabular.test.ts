import { zipOf } from '../helpers/zip.js';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/core/decode-text.js';
import { detectFormat } from '../../src/questions/formats/index.js';
import { buildQuestionTemplateXlsx, exportCsv, exportXlsx, importCsv, importXlsx, looksLikeQuestionCsv } from '../../src/questions/formats/tabular/index.js';
import type { ParseResult, Question } from '../../src/questions/model.js';

const FIXTURES = path.resolve('tests/fixtures/questions/tabular');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const csv = (text: string) => importCsv({ bytes: Buffer.from(text, 'utf8'), fileName: 'bank.csv' }) as ParseResult;
const fromCsvFile = (name: string) => importCsv({ bytes: fixture(name), fileName: name }) as ParseResult;
const fromXlsx = (bytes: Buffer) => importXlsx({ bytes, fileName: 'bank.xlsx' });
const optionRows = (question: Question) => question.options.map((o) => [o.id, o.text, o.fraction]);

/** What a round trip must keep: everything but where the question came from. */
function structure(question: Question) {
  const { type, name, stem, options, points, generalFeedback, shuffle, caseSensitive, cognitiveLevel, topic, tags, scoring } = question;
  return { type, name, stem, options, points, generalFeedback, shuffle, caseSensitive, cognitiveLevel, topic, tags, scoring };
}

describe('CSV import', () => {
  it('reads every type of the Vietnamese UTF-8 (BOM) sample, with LaTeX, multi-line cells and a blank row', () => {
    const { questions, errors } = fromCsvFile('vietnamese.csv');
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.item, q.type, q.source.line, q.source.itemId])).toEqual([
      [1, 'multiple_choice', 2, 'T12-001'],
      // Row 3 is blank: skipped, and the rows keep their Excel numbers.
      [2, 'multiple_response', 4, 'T12-002'],
      [3, 'true_false_group', 5, 'T12-003'],
      [4, 'numerical', 6, 'T12-004'],
      [5, 'short_answer', 7, 'T12-005'],
      [6, 'true_false', 8, 'T12-006'],
      [7, 'essay', 9, 'T12-007'],
      [8, 'matching', 10, 'T12-008'],
    ]);
    const [mc, mr, group, numerical, short, tf, essay, matching] = questions;

    expect(mc).toMatchObject({
      stem: 'Cho hàm số \\(y = x^3 - 3x\\). Hàm số đạt cực đại tại điểm nào?', points: 0.25, cognitiveLevel: 'nhan-biet',
      topic: 'Giải tích/Cực trị', tags: ['THPT 2025', 'Phần I'], source: { format: 'csv' },
      generalFeedback: '\\(y\' = 3x^2 - 3 = 0 \\Leftrightarrow x = \\pm 1\\);<br>\\(y\'\\) đổi dấu từ + sang − tại \\(x = -1\\).',
    });
    expect(optionRows(mc!)).toEqual([['A', '\\(x = -1\\)', 1], ['B', '\\(x = 1\\)', 0], ['C', '\\(x = 0\\)', 0], ['D', '\\(x = 2\\)', 0]]);

    // Cells are plain text: "<" and ">" in a formula are escaped into the HTML stem.
    expect(mr!.stem).toBe('Những khẳng định nào đúng với mọi số thực $a &gt; 0$?');
    expect(mr).toMatchObject({ points: 1, cognitiveLevel: 'thong-hieu', topic: 'Đại số/Mũ và lôgarit' });
    expect(optionRows(mr!)).toEqual([['A', '$\\sqrt{a^2} = a$', 0.5], ['B', '$a^0 = 0$', -0.5], ['C', '$\\log_a 1 = 0$ (với $a \\neq 1$)', 0.5], ['D', '$2^a &lt; 1$', -0.5]]);

    expect(group).toMatchObject({ points: 1, cognitiveLevel: 'thong-hieu', tags: ['Phần II'] });
    expect(group!.scoring).toBeUndefined();
    expect(optionRows(group!)).toEqual([
      ['a', 'Tập xác định của hàm số là \\(\\mathbb{R} \\setminus \\{1\\}\\).', 1],
      ['b', 'Hàm số đồng biến trên từng khoảng xác định.', 0],
      ['c', 'Đồ thị có tiệm cận ngang \\(y = 1\\).', 1],
      ['d', '\\(f(0) = -1\\).', 1],
    ]);

    expect(numerical).toMatchObject({ points: 0.5, cognitiveLevel: 'van-dung', options: [{ id: '1', text: '3', fraction: 1, tolerance: 0.01 }] });
    expect(numerical!.stem).toContain('rộng 1,5 m');
    expect(short!.options.map((o) => [o.text, o.fraction])).toEqual([['ba', 1], ['3', 1], ['3 lần', 1]]);
    expect(short).toMatchObject({ cognitiveLevel: 'nhan-biet', generalFeedback: 'Ba lần: 1258; 1285; 1287–1288.' });
    expect(optionRows(tf!)).toEqual([['true', 'Đúng', 1], ['false', 'Sai', 0]]);
    expect(essay).toMatchObject({
      points: 3, cognitiveLevel: 'van-dung-cao', options: [], tags: ['ngữ văn', 'nghị luận'],
      stem: 'Phân tích hình tượng người lính trong bài thơ &quot;Tây Tiến&quot; của Quang Dũng.',
      generalFeedback: 'Mở bài: giới thiệu tác giả, tác phẩm.<br>Thân bài: vẻ đẹp hào hoa, lãng mạn, bi tráng.<br>Kết bài: khẳng định giá trị.',
    });
    // An empty left side is a distractor on the right.
    expect(matching!.options.map((o) => [o.text, o.match, o.fraction])).toEqual([
      ['Nam Cao', 'Chí Phèo', 1], ['Tô Hoài', 'Vợ chồng A Phủ', 1], ['Kim Lân', 'Vợ nhặt', 1], ['', 'Số đỏ', 0],
    ]);
  });

  it('reads Excel\'s Windows-1258 CSV with ";" separators and decimal commas', () => {
    const bytes = fixture('excel-1258-semicolon.csv');
    expect(decodeText(bytes).encoding).toBe('windows-1258');
    const { questions, errors } = importCsv({ bytes, fileName: 'ly10.csv' }) as ParseResult;
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.type, q.points, q.cognitiveLevel, q.topic])).toEqual([
      ['multiple_choice', 0.25, 'nhan-biet', 'Vật lí/Điện học'],
      ['numerical', 0.5, 'van-dung', 'Vật lí/Động học'],
      ['true_false_group', 1, 'thong-hieu', 'Vật lí/Động học'],
      ['short_answer', 0.25, 'nhan-biet', 'Vật lí/Động lực học'],
    ]);
    // Windows-1258 stores tones as combining marks: what comes out is NFC.
    expect(questions[0]!.stem).toBe('Đơn vị đo cường độ dòng điện là');
    expect(questions[0]!.stem).toBe(questions[0]!.stem.normalize('NFC'));
    expect(optionRows(questions[0]!)).toEqual([['A', 'Vôn', 0], ['B', 'Ampe', 1], ['C', 'Ôm', 0], ['D', 'Oát', 0]]);
    expect(questions[1]!.options).toEqual([{ id: '1', text: '2', fraction: 1, tolerance: 0.05 }]);
    expect(questions[1]!.stem).toContain('g = 10 m/s²');
    expect(questions[2]!.options.map((o) => o.fraction)).toEqual([1, 0, 1, 1]);
    expect(questions[2]!.options[3]!.text).toBe('Đồ thị vận tốc – thời gian là đường thẳng song song trục thời gian.');
    expect(questions[3]!.options.map((o) => o.text)).toEqual(['Niu-tơn', 'Newton']);
  });

  it('reads Excel\'s "Unicode Text" (UTF-16, tabs) with the machine aliases as headers and T/F answers', () => {
    const { questions, errors } = fromCsvFile('unicode-text-utf16.txt');
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.type, q.source.itemId, q.points, q.cognitiveLevel])).toEqual([
      ['multiple_choice', 'H-01', 0.25, 'nhan-biet'],
      ['true_false_group', 'H-02', 1, 'thong-hieu'],
    ]);
    expect(questions[0]).toMatchObject({ stem: 'Nguyên tố nào có kí hiệu hoá học là Fe?', tags: ['lớp 12'], topic: 'Hoá học/Kim loại' });
    expect(optionRows(questions[0]!)[1]).toEqual(['B', 'Sắt', 1]);
    expect(questions[1]!.stem).toBe('Cho phản ứng: Fe + 2HCl → FeCl₂ + H₂.');
    expect(questions[1]!.options.map((o) => [o.id, o.fraction])).toEqual([['a', 1], ['b', 0], ['c', 1], ['d', 0]]);
    expect(questions[1]!.generalFeedback).toBe('Fe nhường electron nên bị oxi hoá; dung dịch FeCl₂ có màu lục nhạt.');
  });

  it('reads NFD text (macOS): headers, type names and levels are recognised, content comes out NFC', () => {
    const bytes = fixture('nfd-macos.csv');
    expect(bytes.toString('utf8')).not.toBe(bytes.toString('utf8').normalize('NFC'));
    const { questions, errors } = importCsv({ bytes, fileName: 'mac.csv' }) as ParseResult;
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.type, q.cognitiveLevel, q.topic])).toEqual([
      ['multiple_choice', 'nhan-biet', 'Ngữ văn/Văn học trung đại'],
      ['short_answer', 'thong-hieu', 'Địa lí/Đô thị Việt Nam'],
    ]);
    expect(questions[0]!.stem).toBe('Tác giả của &quot;Truyện Kiều&quot; là');
    expect(questions[0]!.tags).toEqual(['Truyện thơ Nôm', 'lớp 10']);
    expect(optionRows(questions[0]!)).toEqual([['A', 'Nguyễn Du', 1], ['B', 'Nguyễn Trãi', 0], ['C', 'Hồ Xuân Hương', 0]]);
    expect(questions[1]!.options).toEqual([{ id: '1', text: 'Hải Phòng', fraction: 1 }]);
    const all = JSON.stringify(questions);
    expect(all).toBe(all.normalize('NFC'));
  });

  it('reports each broken row with its Excel row number and id, in Vietnamese, and keeps the good rows', () => {
    const { questions, errors } = fromCsvFile('errors.csv');
    expect(errors.map((e) => [e.item, e.line, e.itemId, e.code])).toEqual([
      [1, 2, 'E1', 'TABULAR_NO_ANSWER'],
      [2, 3, 'E2', 'TABULAR_UNKNOWN_TYPE'],
      [3, 4, 'E3', 'TABULAR_ANSWER_NO_OPTION'],
      [4, 5, 'E4', 'TABULAR_BAD_POINTS'],
      [5, 6, 'E5', 'TABULAR_BAD_ANSWER'],
      [8, 9, 'E8', 'TABULAR_BAD_NUMBER'],
      [9, 10, undefined, 'TABULAR_NO_STEM'],
    ]);
    expect(errors[0]!.message).toBe('Dòng 2: thiếu đáp án (cột "Đáp án").');
    expect(errors[1]!.message).toContain('loại câu hỏi "Câu đố vui" không được hỗ trợ');
    expect(errors[2]!.message).toBe('Dòng 4: đáp án E không có phương án tương ứng (cột "Phương án E" trống).');
    expect(errors[3]!.message).toContain('điểm "một điểm" không phải là số dương');
    expect(errors[4]!.message).toContain('cần bốn giá trị Đ/S');
    expect(errors[5]!.message).toContain('đáp số "hai" không phải là số');
    // A row without a type is single-answer multiple choice; "TH" is a level.
    expect(questions.map((q) => [q.item, q.type, q.source.itemId, q.points, q.cognitiveLevel])).toEqual([
      [6, 'multiple_choice', 'E6', 0.25, 'thong-hieu'],
      [7, 'multiple_choice', 'E7', 0.25, 'van-dung'],
    ]);
  });

  it('reports other row mistakes: option gap, two keys for one answer, options on an essay, unknown level', () => {
    const { questions, errors } = csv([
      'Loại câu hỏi,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Đáp án,Sai số,Mức độ',
      'Trắc nghiệm,Thiếu phương án B,x,,z,A,,',
      'Trắc nghiệm,Hai đáp án,x,y,z,"A,C",,',
      'Tự luận,Có phương án,x,y,,,,',
      'Trắc nghiệm,Mức độ lạ,x,y,,A,,Khó',
      'Trắc nghiệm,Sai số ở câu trắc nghiệm,x,y,,A,"0,1",',
      'Đúng/Sai,Ba mệnh đề,x,y,z,"Đ,S,Đ",,',
    ].join('\n'));
    expect(questions).toEqual([]);
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'TABULAR_OPTION_GAP'],
      [3, 'TABULAR_ANSWER_COUNT'],
      [4, 'TABULAR_UNEXPECTED_OPTIONS'],
      [5, 'TABULAR_UNKNOWN_LEVEL'],
      [6, 'TABULAR_UNEXPECTED_TOLERANCE'],
      [7, 'TABULAR_TF_GROUP_STATEMENTS'],
    ]);
    expect(errors.every((e) => e.message.startsWith(`Dòng ${e.line}: `))).toBe(true);
  });

  it('imports the Part II rows of the lead\'s API test ("Đúng/Sai" with statements A–D)', () => {
    const { questions, errors } = csv(`Mã câu,Loại câu hỏi,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Mức độ,Chủ đề
1,Đúng/Sai,Cho hàm số y = x².,Hàm số đồng biến trên ℝ.,Đồ thị đi qua gốc toạ độ.,y(2) = 4.,Hàm số có giá trị nhỏ nhất bằng 0.,"S,Đ,Đ,Đ",Thông hiểu,Giải tích
2,Đúng/Sai,Cho dãy số uₙ = 2n.,u₁ = 2.,Dãy số giảm.,u₃ = 6.,Dãy số là cấp số cộng.,"Đ,S,Đ,Đ",Vận dụng,Giải tích
`);
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.type, q.points, q.cognitiveLevel, q.topic, q.source.itemId, q.options.map((o) => o.fraction)])).toEqual([
      ['true_false_group', 1, 'thong-hieu', 'Giải tích', '1', [0, 1, 1, 1]],
      ['true_false_group', 1, 'van-dung', 'Giải tích', '2', [1, 0, 1, 1]],
    ]);
  });

  it('finds the header under a title line and picks the separator the header uses', () => {
    const { questions, errors } = csv('Ngân hàng câu hỏi Toán, lớp 12, học kì I\n\nLoại câu hỏi;Nội dung câu hỏi;Phương án A;Phương án B;Đáp án;Điểm\nTN;1 + 1 = ?;2;3;A;0,5\n');
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.type, q.points, q.source.line])).toEqual([['multiple_choice', 0.5, 4]]);
  });

  it('refuses a file without the header row as a whole', () => {
    expect(() => csv('Câu 1. 1 + 1 = ?\nA. 2\nB. 3\n')).toThrow(expect.objectContaining({ code: 'QUESTION_FILE_MALFORMED' }));
  });

  it('recognises its CSVs by their header row, and not GIFT or Aiken', async () => {
    for (const name of ['vietnamese.csv', 'excel-1258-semicolon.csv', 'unicode-text-utf16.txt', 'nfd-macos.csv']) {
      expect(looksLikeQuestionCsv(decodeText(fixture(name)).text), name).toBe(true);
      expect(await detectFormat(fixture(name)), name).toBe('csv');
    }
    expect(await detectFormat(fixture('teacher-bank.xlsx'))).toBe('xlsx');
    expect(looksLikeQuestionCsv('::Q1:: 1 + 1 = {=2 ~3}\n')).toBe(false);
    expect(looksLikeQuestionCsv('Thủ đô của Việt Nam là:\nA. Hà Nội\nB. Huế\nANSWER: A\n')).toBe(false);
  });
});

describe('XLSX import', () => {
  it('reads a teacher\'s workbook: notes sheet, title rows, rich text, formulas, hyperlinks, booleans', async () => {
    const { questions, errors } = await fromXlsx(fixture('teacher-bank.xlsx'));
    expect(errors).toEqual([]);
    expect(questions.map((q) => [q.item, q.type, q.source.line, q.source.itemId, q.points])).toEqual([
      [1, 'multiple_choice', 4, '101', 0.25],
      [2, 'numerical', 5, '102', 0.5],
      [3, 'true_false_group', 7, '103', 1],
    ]);
    const [mc, numerical, group] = questions;
    expect(mc).toMatchObject({
      stem: 'Đơn phân cấu tạo nên ADN là', shuffle: true, cognitiveLevel: 'nhan-biet', topic: 'Sinh học/Di truyền phân tử',
      generalFeedback: 'Xem SGK Sinh học 12, bài 1', source: { format: 'xlsx' },
    });
    expect(optionRows(mc!)).toEqual([['A', 'axit amin', 0], ['B', 'nuclêôtit', 1], ['C', 'glucôzơ', 0], ['D', 'axit béo', 0]]);
    expect(numerical).toMatchObject({ options: [{ id: '1', text: '150', fraction: 1 }], cognitiveLevel: 'van-dung', generalFeedback: 'Số chu kì xoắn = N/20 = 150.' });
    expect(group!.options.map((o) => [o.id, o.fraction])).toEqual([['a', 1], ['b', 0], ['c', 1], ['d', 0]]);
    expect(group!.options[2]!.text).toBe('Enzim ADN pôlimeraza tổng hợp mạch mới theo chiều 5′ → 3′.');
    expect(group!.cognitiveLevel).toBe('thong-hieu');
  });

  it('refuses a zip bomb before exceljs sees it, and a broken file as malformed', async () => {
    const bomb = await zipOf([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(20 * 1024 * 1024) }]);
    await expect(fromXlsx(bomb)).rejects.toMatchObject({ code: 'QUESTION_FILE_UNSAFE' });
    await expect(fromXlsx(Buffer.from('PK không phải Excel'))).rejects.toMatchObject({ code: 'QUESTION_FILE_MALFORMED' });
  });
});

describe('template workbook', () => {
  it('imports back with its examples of every type and no error', async () => {
    const template = await buildQuestionTemplateXlsx();
    const { questions, errors } = await fromXlsx(template);
    expect(errors).toEqual([]);
    expect(questions.map((q) => q.type)).toEqual([
      'multiple_choice', 'multiple_choice', 'multiple_response', 'true_false_group', 'true_false', 'numerical', 'numerical', 'short_answer', 'matching', 'essay',
    ]);
    expect(questions.every((q) => q.cognitiveLevel && q.topic)).toBe(true);
    const group = questions[3]!;
    expect(group.options.map((o) => [o.id, o.fraction])).toEqual([['a', 1], ['b', 0], ['c', 1], ['d', 0]]);
    expect(group.stem).toBe('Cho hàm số y = x² − 2x. Xét tính đúng sai của các mệnh đề sau.');
    expect(questions[1]!.options[1]).toEqual({ id: 'B', text: '\\(y\' = 3x^2 + 2\\)', fraction: 1 });
    expect(questions[6]!.options).toEqual([{ id: '1', text: '-2.5', fraction: 1 }]);
    expect(questions[5]!.options).toEqual([{ id: '1', text: '2.5', fraction: 1, tolerance: 0.01 }]);
    expect(questions[9]!.generalFeedback).toContain('<br>');
  });

  it('has a "Câu hỏi" sheet first and a "Hướng dẫn" sheet explaining every column', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildQuestionTemplateXlsx()) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Câu hỏi', 'Hướng dẫn']);
    const header = (workbook.getWorksheet('Câu hỏi')!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header.slice(0, 4)).toEqual(['Mã câu', 'Loại câu hỏi', 'Nội dung câu hỏi', 'Phương án A']);
    const explained = workbook.getWorksheet('Hướng dẫn')!.getColumn(1).values.map(String);
    for (const column of header.filter((h) => !h.startsWith('Phương án'))) expect(explained, column).toContain(column);
    expect(explained).toContain('Phương án A, B, …');
  });
});

/** One of each type the template can carry, as another importer might have produced it. */
const BANK: Array<Question & { source?: { format: string; itemId?: string } }> = [
  {
    type: 'multiple_choice', name: 'Câu 1', stem: 'Giá trị của \\(\\sqrt{16}\\) là', points: 0.25, cognitiveLevel: 'nhan-biet', topic: 'Đại số/Căn bậc hai', tags: ['lớp 9', 'Phần I'],
    shuffle: true, generalFeedback: 'Vì 4² = 16.', source: { format: 'gift', itemId: 'CB-01' },
    options: [{ id: 'A', text: '2', fraction: 0 }, { id: 'B', text: '4', fraction: 1 }, { id: 'C', text: '8', fraction: 0 }, { id: 'D', text: '−4', fraction: 0 }],
  },
  {
    type: 'multiple_response', stem: 'Chọn các tỉnh thuộc Tây Nguyên.', points: 1, cognitiveLevel: 'thong-hieu', topic: 'Địa lí/Vùng kinh tế',
    options: [{ id: 'A', text: 'Đắk Lắk', fraction: 1 / 3 }, { id: 'B', text: 'Gia Lai', fraction: 1 / 3 }, { id: 'C', text: 'Lâm Đồng', fraction: 1 / 3 }, { id: 'D', text: 'Bình Định', fraction: -1 / 3 }],
  },
  {
    type: 'true_false_group', stem: 'Cho cấp số cộng \\((u_n)\\) có \\(u_1 = 2\\), \\(d = 3\\).', points: 1, cognitiveLevel: 'van-dung', topic: 'Đại số/Dãy số',
    generalFeedback: '\\(u_n = 2 + 3(n - 1)\\).',
    options: [{ id: 'a', text: '\\(u_2 = 5\\).', fraction: 1 }, { id: 'b', text: '\\(u_5 = 15\\).', fraction: 0 }, { id: 'c', text: 'Dãy số tăng.', fraction: 1 }, { id: 'd', text: '\\(S_3 = 15\\).', fraction: 1 }],
  },
  { type: 'true_false', stem: 'Hà Nội là thủ đô của Việt Nam.', points: 0.25, options: [{ id: 'true', text: 'Đúng', fraction: 0 }, { id: 'false', text: 'Sai', fraction: 1 }] },
  {
    type: 'short_answer', stem: 'Từ trái nghĩa với &quot;nóng&quot; là gì?', points: 0.25, caseSensitive: false, cognitiveLevel: 'nhan-biet',
    options: [{ id: '1', text: 'lạnh', fraction: 1 }, { id: '2', text: 'rét*', fraction: 1 }],
  },
  { type: 'numerical', stem: 'Nghiệm âm của \\(x^2 = 6,25\\) là', points: 0.5, tags: ['Phần III'], options: [{ id: '1', text: '-2.5', fraction: 1, tolerance: 0.05 }] },
  { type: 'numerical', stem: 'Số nguyên tố chẵn duy nhất là', points: 0.5, options: [{ id: '1', text: '2', fraction: 1 }, { id: '2', text: '2.0001', fraction: 1 }] },
  {
    type: 'matching', stem: 'Nối phép tính với kết quả.', points: 1, topic: 'Số học',
    options: [{ id: 'A', text: '2 + 2', fraction: 1, match: '4' }, { id: 'B', text: '3 × 3', fraction: 1, match: '9' }, { id: 'C', text: '', fraction: 0, match: '7' }],
  },
  { type: 'essay', stem: 'Viết đoạn văn về quê hương em.<br>Độ dài khoảng 200 chữ.', points: 2.5, cognitiveLevel: 'van-dung-cao', options: [], generalFeedback: 'Đủ ý, đúng chính tả.' },
  { type: 'multiple_choice', stem: '=1+1 là công thức Excel?', points: 1, options: [{ id: 'A', text: '-Có', fraction: 1 }, { id: 'B', text: '@Không', fraction: 0 }] },
];

describe('export', () => {
  it('writes CSV with a UTF-8 BOM, CRLF records, the template header, and nothing to report for what it carries', async () => {
    const result = await exportCsv(BANK, { title: 'Ngân hàng' });
    expect(result).toMatchObject({ contentType: 'text/csv; charset=utf-8', extension: 'csv', report: [] });
    expect([...result.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = result.body.toString('utf8').slice(1);
    const [header, first] = text.split('\r\n');
    expect(header).toBe('Mã câu,Loại câu hỏi,Nội dung câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Phương án E,Phương án F,Đáp án,Sai số,Điểm,Mức độ,Chủ đề,Thẻ,Lời giải,Tên câu hỏi,Trộn phương án,Phân biệt hoa thường');
    expect(first).toBe('CB-01,Trắc nghiệm,Giá trị của \\(\\sqrt{16}\\) là,2,4,8,−4,,,B,,0.25,Nhận biết,Đại số/Căn bậc hai,"lớp 9, Phần I",Vì 4² = 16.,Câu 1,Có,');
    expect(text).toContain('"Viết đoạn văn về quê hương em.\nĐộ dài khoảng 200 chữ."');
    // Cells Excel would run as formulas are written as text; numbers stay numbers.
    expect(text).toContain(",'=1+1 là công thức Excel?,'-Có,'@Không,");
    expect(text).toContain(',-2.5,0.05,0.5,');
  });

  it('writes XLSX with numbers as numbers', async () => {
    const result = await exportXlsx(BANK, { title: 'Ngân hàng' });
    expect(result).toMatchObject({ contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', report: [] });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(result.body as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Câu hỏi')!;
    expect(sheet.getCell('L2').value).toBe(0.25);
    expect(sheet.getCell('C11').value).toBe('=1+1 là công thức Excel?');
  });

  it('reports what a spreadsheet cannot carry instead of dropping it silently', async () => {
    const lossy: Question[] = [
      { type: 'cloze', stem: 'Thủ đô là {#1}.', points: 1, options: [], parts: [{ type: 'short_answer', weight: 1, options: [{ id: '1', text: 'Hà Nội', fraction: 1 }] }] },
      {
        type: 'multiple_choice', stem: '<p>Hình nào là <b>hình vuông</b>? <img src="@@ASSET@@/hinh1.png" alt="hình 1"></p>', points: 1,
        assets: [{ name: 'hinh1.png', mime: 'image/png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }],
        options: [{ id: 'A', text: 'Hình 1', fraction: 1, feedback: 'Đúng rồi.' }, { id: 'B', text: 'Hình 2', fraction: 0.5 }],
      },
      {
        type: 'true_false_group', stem: 'Xét <math><mi>x</mi><mo>=</mo><mn>1</mn></math>.', points: 1, scoring: [0, 0.25, 0.5, 0.75, 1],
        options: [{ id: 'a', text: 'a', fraction: 1 }, { id: 'b', text: 'b', fraction: 0 }, { id: 'c', text: 'c', fraction: 1 }],
      },
      { type: 'short_answer', stem: 'Số 3 viết là', points: 1, options: [{ id: '1', text: 'ba', fraction: 1 }, { id: '2', text: 'bá', fraction: 0.5 }, { id: '3', text: 'bốn', fraction: 0 }] },
      { type: 'numerical', stem: 'π ≈', points: 1, options: [{ id: '1', text: '3.14', fraction: 1, tolerance: 0.01 }, { id: '2', text: '3.1416', fraction: 1, tolerance: 0.0001 }] },
      { type: 'multiple_response', stem: 'Chọn', points: 1, tags: ['a, b'], options: [{ id: 'A', text: 'x', fraction: 1 }, { id: 'B', text: 'y', fraction: 0 }] },
    ];
    const { report, body } = await exportCsv(lossy, { title: 'x' });
    expect(report.map((issue) => [issue.item, issue.code])).toEqual([
      [1, 'TABULAR_TYPE_UNSUPPORTED'],
      [2, 'TABULAR_FRACTIONS_CHANGED'],
      [2, 'TABULAR_OPTION_FEEDBACK_LOST'],
      [2, 'TABULAR_IMAGE_LOST'],
      [2, 'TABULAR_FORMATTING_LOST'],
      [3, 'TABULAR_TF_GROUP_SHAPE'],
      [3, 'TABULAR_SCORING_LOST'],
      [3, 'TABULAR_FORMATTING_LOST'],
      [4, 'TABULAR_FRACTIONS_CHANGED'],
      [4, 'TABULAR_ANSWER_DROPPED'],
      [5, 'TABULAR_TOLERANCE_CHANGED'],
      [6, 'TABULAR_FRACTIONS_CHANGED'],
      [6, 'TABULAR_SEPARATOR_IN_TEXT'],
    ]);
    expect(report.every((issue) => issue.message.startsWith(`Câu ${issue.item}: `))).toBe(true);
    expect(report[3]!.message).toContain('hình ảnh');
    expect(report[7]!.message).toContain('MathML');
    const text = body.toString('utf8');
    // The cloze row is left out; the picture leaves a note where it stood.
    expect(text).not.toContain('Thủ đô là');
    expect(text).toContain('Hình nào là hình vuông? [hình: hình 1]');
  });
});

describe('round trip', () => {
  const cases: Array<[string, (questions: Question[]) => Promise<Buffer>, (bytes: Buffer) => Promise<ParseResult>]> = [
    ['CSV', async (questions) => (await exportCsv(questions, { title: 't' })).body, async (bytes) => importCsv({ bytes, fileName: 'x.csv' })],
    ['XLSX', async (questions) => (await exportXlsx(questions, { title: 't' })).body, async (bytes) => importXlsx({ bytes, fileName: 'x.xlsx' })],
  ];

  it.each(cases)('%s: export → import gives back every type the template carries', async (_name, write, read) => {
    const { questions, errors } = await read(await write(BANK));
    expect(errors).toEqual([]);
    expect(questions.map(structure)).toEqual(BANK.map(structure));
    expect(questions[0]!.source.itemId).toBe('CB-01');
  });

  it.each(cases)('%s: import → export → import of the fixtures is stable', async (_name, write, read) => {
    for (const name of ['vietnamese.csv', 'excel-1258-semicolon.csv', 'unicode-text-utf16.txt', 'nfd-macos.csv']) {
      const first = fromCsvFile(name);
      const second = await read(await write(first.questions));
      expect(second.errors, name).toEqual([]);
      expect(second.questions.map(structure), name).toEqual(first.questions.map(structure));
      expect(second.questions.map((q) => q.source.itemId), name).toEqual(first.questions.map((q) => q.source.itemId));
    }
    const workbook = await fromXlsx(fixture('teacher-bank.xlsx'));
    const again = await read(await write(workbook.questions));
    expect(again.questions.map(structure)).toEqual(workbook.questions.map(structure));
  });
});
