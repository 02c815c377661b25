import { AppError } from '../../../core/errors.js';
import { stripDiacritics } from '../../../core/text.js';
import type { ImportIssue, ParsedQuestion, ParseResult, QuestionOption, QuestionType } from '../../model.js';
import { parseCognitiveLevel, splitLevelTag } from '../conventions.js';
import { cellToHtml, parseDecimal } from './cell-text.js';
import { FIELD_HEADERS, parseTypeWord, readHeader, TYPE_NAMES, type Field, type HeaderLayout, type TabularType } from './columns.js';

/** One spreadsheet row: its number as Excel shows it, and its cells already cleaned (cleanCell). */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** The header may sit under a title or a few notes, but not further down than this. */
const HEADER_SEARCH_ROWS = 20;
const TYPE_LIST = 'Trắc nghiệm, Nhiều đáp án, Đúng/Sai, Trả lời ngắn, Trả lời số, Tự luận, Ghép đôi';

const isBlank = (row: SheetRow) => row.cells.every((cell) => !cell);

/**
 * Rows of a CSV file or a worksheet → questions, one per non-blank row under the header row. Every
 * problem of a row is reported with the row number; a row with any problem gives no question.
 * Pure. Throws QUESTION_FILE_MALFORMED when no header row is found.
 */
export function rowsToQuestions(rows: SheetRow[], format: 'csv' | 'xlsx'): ParseResult {
  const filled = rows.filter((row) => !isBlank(row));
  const headerAt = filled.slice(0, HEADER_SEARCH_ROWS).findIndex((row) => readHeader(row.cells));
  if (headerAt < 0) {
    throw new AppError('QUESTION_FILE_MALFORMED', { reason: 'không tìm thấy dòng tiêu đề của mẫu câu hỏi (cần các cột "Loại câu hỏi", "Nội dung câu hỏi", "Đáp án"…)' });
  }
  const layout = readHeader(filled[headerAt]!.cells)!;
  const result: ParseResult = { questions: [], errors: [] };
  filled.slice(headerAt + 1).forEach((row, index) => {
    const parsed = parseRow(layout, row, index + 1, format);
    if (parsed.question) result.questions.push(parsed.question);
    result.errors.push(...parsed.issues);
  });
  return result;
}

interface OptionCell {
  letter: string;
  text: string;
}

type Fail = (code: string, message: string) => void;

interface RowAnswer {
  options: OptionCell[];
  answer: string;
  tolerance?: number;
  fail: Fail;
}

function parseRow(layout: HeaderLayout, sheetRow: SheetRow, item: number, format: string): { question?: ParsedQuestion & { item: number }; issues: ImportIssue[] } {
  const cell = (field: Field) => {
    const column = layout.fields[field];
    return column === undefined ? '' : sheetRow.cells[column] ?? '';
  };
  const itemId = cell('id') || undefined;
  const issues: ImportIssue[] = [];
  const fail: Fail = (code, message) => issues.push({ item, line: sheetRow.row, ...(itemId && { itemId }), code, message: `Dòng ${sheetRow.row}: ${message}` });

  const stem = cell('stem');
  if (!stem) fail('TABULAR_NO_STEM', 'thiếu nội dung câu hỏi (cột "Nội dung câu hỏi").');
  const options = readOptionCells(layout, sheetRow.cells, fail);
  const type = readType(cell('type'), options, fail);
  const points = readPoints(cell('points'), fail);
  const tolerance = readTolerance(cell('tolerance'), type, fail);
  const levelText = cell('level');
  const levelFromColumn = parseCognitiveLevel(levelText);
  if (levelText && !levelFromColumn) fail('TABULAR_UNKNOWN_LEVEL', `mức độ "${levelText}" không hợp lệ; dùng Nhận biết, Thông hiểu, Vận dụng hoặc Vận dụng cao.`);
  // A level written as a tag ("nhan-biet", how level-less formats carry it) counts when the column is empty.
  const { cognitiveLevel: levelFromTags, tags } = splitLevelTag(cell('tags').split(/[,;]/).map((tag) => tag.trim()).filter(Boolean));
  const shuffle = readFlag(cell('shuffle'), 'shuffle', fail);
  const caseSensitive = readFlag(cell('caseSensitive'), 'caseSensitive', fail);
  const answerOptions = type && ANSWER_READERS[type]({ options, answer: cell('answer'), tolerance, fail });
  if (issues.length > 0 || !type || !answerOptions || points === undefined) return { issues };

  const topic = cell('topic').split('/').map((segment) => segment.trim()).filter(Boolean).join('/');
  const feedback = cell('feedback');
  const question: ParsedQuestion & { item: number } = withoutUndefined({
    item,
    type,
    name: cell('name') || undefined,
    stem: cellToHtml(stem),
    options: answerOptions,
    points,
    generalFeedback: feedback ? cellToHtml(feedback) : undefined,
    shuffle,
    caseSensitive,
    cognitiveLevel: levelFromColumn ?? levelFromTags,
    topic: topic || undefined,
    tags: tags.length > 0 ? tags : undefined,
    source: withoutUndefined({ format, line: sheetRow.row, itemId }),
  });
  return { question, issues };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The filled option cells in letter order; an empty cell before a filled one is a mistake. */
function readOptionCells(layout: HeaderLayout, cells: string[], fail: Fail): OptionCell[] {
  const all = layout.options.map(({ letter, column }) => ({ letter, text: cells[column] ?? '' }));
  const lastFilled = all.findLastIndex((option) => option.text);
  const used = all.slice(0, lastFilled + 1);
  const gap = used.find((option) => !option.text);
  if (gap) fail('TABULAR_OPTION_GAP', `phương án ${gap.letter} để trống nhưng có phương án sau nó.`);
  return used.filter((option) => option.text);
}

function readType(text: string, options: OptionCell[], fail: Fail): TabularType | undefined {
  // A row without a type is the common case of the template: single-answer multiple choice.
  const word = text ? parseTypeWord(text) : 'multiple_choice';
  if (!word) return void fail('TABULAR_UNKNOWN_TYPE', `loại câu hỏi "${text}" không được hỗ trợ; dùng một trong: ${TYPE_LIST}.`);
  if (word === 'cloze') return void fail('TABULAR_UNSUPPORTED_TYPE', 'mẫu bảng tính không chứa được câu điền khuyết nhiều chỗ trống (cloze); hãy dùng Moodle XML hoặc GIFT cho loại này.');
  if (word === 'true_false_auto') return options.length > 0 ? 'true_false_group' : 'true_false';
  return word;
}

function readPoints(text: string, fail: Fail): number | undefined {
  if (!text) return 1;
  const points = parseDecimal(text);
  if (points === undefined || points <= 0) return void fail('TABULAR_BAD_POINTS', `điểm "${text}" không phải là số dương (ví dụ 0,25 hoặc 1).`);
  return points;
}

function readTolerance(text: string, type: QuestionType | undefined, fail: Fail): number | undefined {
  if (!text) return undefined;
  if (type && type !== 'numerical') return void fail('TABULAR_UNEXPECTED_TOLERANCE', `cột "Sai số" chỉ dùng cho câu trả lời số (đang ghi "${text}").`);
  const tolerance = parseDecimal(text);
  if (tolerance === undefined || tolerance < 0) return void fail('TABULAR_BAD_TOLERANCE', `sai số "${text}" không phải là số không âm.`);
  return tolerance;
}

const FLAG_WORDS: Record<string, boolean> = { co: true, c: true, x: true, yes: true, y: true, true: true, 1: true, khong: false, k: false, no: false, n: false, false: false, 0: false };

function readFlag(text: string, field: 'shuffle' | 'caseSensitive', fail: Fail): boolean | undefined {
  if (!text) return undefined;
  const flag = FLAG_WORDS[stripDiacritics(text).toLowerCase()];
  if (flag === undefined) fail('TABULAR_BAD_FLAG', `cột "${FIELD_HEADERS[field].header}" chỉ nhận Có hoặc Không (đang ghi "${text}").`);
  return flag;
}

/** "B", "a", "A, C", "A;C", "AC", "B." → letters; undefined when something else is written. */
function parseLetters(text: string): string[] | undefined {
  const tokens = text.toUpperCase().split(/[\s,;/&+]+/).map((token) => token.replace(/[.)]+$/, '')).filter(Boolean);
  const letters = tokens.length === 1 && /^[A-Z]{2,}$/.test(tokens[0]!) ? [...tokens[0]!] : tokens;
  return letters.every((letter) => /^[A-Z]$/.test(letter)) ? [...new Set(letters)] : undefined;
}

const TRUTH_WORDS: Record<string, boolean> = { d: true, dung: true, t: true, true: true, s: false, sai: false, f: false, false: false };

/** "Đ,S,Đ,S", "ĐSĐS", "T F T F", "a) Đ; b) S…", "Đúng" → the truth values; undefined when not all are Đ/S. */
function parseTruthValues(text: string): boolean[] | undefined {
  const tokens = stripDiacritics(text.normalize('NFC')).toLowerCase().split(/[\s,;/|]+/)
    .map((token) => token.replace(/^[a-h][).:-]+(?=.)/, '').replace(/[.)]+$/, '')).filter((token) => token && !/^[a-h][).:-]+$/.test(token));
  const words = tokens.length === 1 && /^[dstf]{2,}$/.test(tokens[0]!) ? [...tokens[0]!] : tokens;
  const values = words.map((word) => TRUTH_WORDS[word]);
  return values.length > 0 && values.every((value) => value !== undefined) ? values as boolean[] : undefined;
}

const NO_ANSWER = 'thiếu đáp án (cột "Đáp án").';

function choicesFor(row: RowAnswer, multiple: boolean): QuestionOption[] | undefined {
  const { options, answer, fail } = row;
  if (options.length < 2) return void fail('TABULAR_TOO_FEW_OPTIONS', 'câu trắc nghiệm cần ít nhất hai phương án.');
  if (!answer) return void fail('TABULAR_NO_ANSWER', NO_ANSWER);
  const letters = parseLetters(answer);
  if (!letters) return void fail('TABULAR_BAD_ANSWER', `đáp án "${answer}" không hợp lệ: ghi chữ cái của phương án đúng, ví dụ "B"${multiple ? ' hoặc "A,C"' : ''}.`);
  if (!multiple && letters.length > 1) return void fail('TABULAR_ANSWER_COUNT', `câu trắc nghiệm một đáp án chỉ có một đáp án đúng (đang ghi "${answer}"); nếu có nhiều đáp án đúng, chọn loại "Nhiều đáp án".`);
  const missing = letters.find((letter) => !options.some((option) => option.letter === letter));
  if (missing) return void fail('TABULAR_ANSWER_NO_OPTION', `đáp án ${missing} không có phương án tương ứng (cột "Phương án ${missing}" trống).`);
  // Multiple response: the right choices share the points and each wrong one takes back a share,
  // so ticking everything earns nothing (Moodle's usual negative marking).
  const share = 1 / letters.length;
  return options.map(({ letter, text }) => ({
    id: letter, text: cellToHtml(text), fraction: letters.includes(letter) ? (multiple ? share : 1) : (multiple ? -share : 0),
  }));
}

function noOptions(row: RowAnswer, type: TabularType): boolean {
  if (row.options.length === 0) return true;
  row.fail('TABULAR_UNEXPECTED_OPTIONS', `câu ${TYPE_NAMES[type]} không dùng các cột phương án (đang có phương án ${row.options.map((o) => o.letter).join(', ')}).`);
  return false;
}

const splitAlternatives = (answer: string) => answer.split('|').map((alternative) => alternative.trim()).filter(Boolean);

const ANSWER_READERS: Record<TabularType, (row: RowAnswer) => QuestionOption[] | undefined> = {
  multiple_choice: (row) => choicesFor(row, false),
  multiple_response: (row) => choicesFor(row, true),
  true_false: (row) => {
    if (!noOptions(row, 'true_false')) return undefined;
    if (!row.answer) return void row.fail('TABULAR_NO_ANSWER', NO_ANSWER);
    const values = parseTruthValues(row.answer);
    if (values?.length !== 1) return void row.fail('TABULAR_BAD_ANSWER', `đáp án "${row.answer}" không hợp lệ: ghi Đ (đúng) hoặc S (sai).`);
    return [{ id: 'true', text: 'Đúng', fraction: values[0] ? 1 : 0 }, { id: 'false', text: 'Sai', fraction: values[0] ? 0 : 1 }];
  },
  true_false_group: (row) => {
    const letters = row.options.map((option) => option.letter).join('');
    if (letters !== 'ABCD') return void row.fail('TABULAR_TF_GROUP_STATEMENTS', `câu Đúng/Sai nhiều ý cần đúng bốn mệnh đề ở các cột Phương án A–D (đang có ${row.options.length}).`);
    if (!row.answer) return void row.fail('TABULAR_NO_ANSWER', NO_ANSWER);
    const values = parseTruthValues(row.answer);
    if (values?.length !== 4) return void row.fail('TABULAR_BAD_ANSWER', `cần bốn giá trị Đ/S cho bốn mệnh đề a)–d), ví dụ "Đ,S,Đ,S" (đang ghi "${row.answer}").`);
    return row.options.map(({ letter, text }, index) => ({ id: letter.toLowerCase(), text: cellToHtml(text), fraction: values[index] ? 1 : 0 }));
  },
  short_answer: (row) => {
    if (!noOptions(row, 'short_answer')) return undefined;
    const accepted = splitAlternatives(row.answer);
    if (accepted.length === 0) return void row.fail('TABULAR_NO_ANSWER', NO_ANSWER);
    return accepted.map((text, index) => ({ id: String(index + 1), text, fraction: 1 }));
  },
  numerical: (row) => {
    if (!noOptions(row, 'numerical')) return undefined;
    const accepted = splitAlternatives(row.answer);
    if (accepted.length === 0) return void row.fail('TABULAR_NO_ANSWER', NO_ANSWER);
    const numbers = accepted.map((text) => parseDecimal(text));
    const wrong = accepted.find((_, index) => numbers[index] === undefined);
    if (wrong !== undefined) return void row.fail('TABULAR_BAD_NUMBER', `đáp số "${wrong}" không phải là số (ví dụ 2,5 hoặc -3).`);
    return numbers.map((value, index) => withoutUndefined({ id: String(index + 1), text: String(value), fraction: 1, tolerance: row.tolerance }));
  },
  essay: (row) => {
    if (!noOptions(row, 'essay')) return undefined;
    if (row.answer) return void row.fail('TABULAR_UNEXPECTED_ANSWER', 'câu tự luận không có đáp án để chọn; ghi đáp án mẫu vào cột "Lời giải".');
    return [];
  },
  matching: (row) => {
    if (row.answer) return void row.fail('TABULAR_UNEXPECTED_ANSWER', 'câu ghép đôi ghi từng cặp ở các cột phương án dạng "vế trái -> vế phải"; để trống cột "Đáp án".');
    const pairs = row.options.map(({ letter, text }) => ({ letter, ...splitPair(text) }));
    const broken = pairs.find((pair) => !pair.right);
    if (broken) return void row.fail('TABULAR_BAD_PAIR', `phương án ${broken.letter} của câu ghép đôi cần dạng "vế trái -> vế phải".`);
    if (pairs.filter((pair) => pair.left).length < 2) return void row.fail('TABULAR_TOO_FEW_OPTIONS', 'câu ghép đôi cần ít nhất hai cặp.');
    // An empty left side is a distractor: a right-hand answer that matches nothing.
    return pairs.map(({ letter, left, right }) => ({ id: letter, text: cellToHtml(left), fraction: left ? 1 : 0, match: right }));
  },
};

/** "Hà Nội -> Việt Nam" → its two sides, split at the last arrow ("->" or "→"). */
function splitPair(text: string): { left: string; right: string } {
  const ascii = text.lastIndexOf('->');
  const unicode = text.lastIndexOf('→');
  const at = Math.max(ascii, unicode);
  if (at < 0) return { left: text, right: '' };
  return { left: text.slice(0, at).trim(), right: text.slice(at + (at === ascii ? 2 : 1)).trim() };
}
