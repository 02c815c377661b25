import { COGNITIVE_LEVEL_NAMES } from '../conventions.js';
import { isDefaultScoring, type ExportIssue, type ParsedQuestion, type Question, type QuestionOption } from '../../model.js';
import { htmlToCell } from './cell-text.js';
import { FIELD_HEADERS, FIELDS_AFTER_OPTIONS, FIELDS_BEFORE_OPTIONS, MIN_OPTION_COLUMNS, OPTION_HEADER_PREFIX, TYPE_NAMES, type Field, type TabularType } from './columns.js';

export type CellValue = string | number;

/** What CSV and XLSX exports write: the header row, one row per question, and what was lost. */
export interface QuestionTable {
  header: string[];
  rows: CellValue[][];
  report: ExportIssue[];
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const FULL = 0.9999;
const sameNumber = (a: number, b: number) => Math.abs(a - b) < 1e-6;

/** Questions → the template's rows. Pure; anything a cell cannot hold is in the report. */
export function questionsToTable(questions: Question[]): QuestionTable {
  const report: ExportIssue[] = [];
  const optionCounts = questions.filter((q) => OPTION_COLUMN_TYPES.has(q.type)).map((q) => q.options.length);
  const optionColumns = Math.min(LETTERS.length, Math.max(MIN_OPTION_COLUMNS, ...optionCounts));
  const header = [
    ...FIELDS_BEFORE_OPTIONS.map((field) => FIELD_HEADERS[field].header),
    ...[...LETTERS.slice(0, optionColumns)].map((letter) => `${OPTION_HEADER_PREFIX} ${letter}`),
    ...FIELDS_AFTER_OPTIONS.map((field) => FIELD_HEADERS[field].header),
  ];
  const rows = questions.flatMap((question, index) => {
    const row = questionToRow(question, optionColumns, (code, message) => report.push({ item: index + 1, code, message: `Câu ${index + 1}: ${message}` }));
    return row ? [row] : [];
  });
  return { header, rows, report };
}

const OPTION_COLUMN_TYPES = new Set<Question['type']>(['multiple_choice', 'multiple_response', 'true_false_group', 'matching']);

type Lose = (code: string, message: string) => void;

interface RowValues {
  fields: Partial<Record<Field, CellValue>>;
  options: string[];
}

function questionToRow(question: Question, optionColumns: number, lose: Lose): CellValue[] | undefined {
  if (question.type === 'cloze') {
    lose('TABULAR_TYPE_UNSUPPORTED', 'câu điền khuyết nhiều chỗ trống (cloze) không viết được vào bảng tính nên bị bỏ qua; hãy xuất Moodle XML hoặc GIFT.');
    return undefined;
  }
  const text = textWriter(question, lose);
  const values = ANSWER_WRITERS[question.type](question, text, lose);
  if (values.options.length > optionColumns) {
    lose('TABULAR_TOO_MANY_OPTIONS', `bảng tính có tối đa ${LETTERS.length} cột phương án; các phương án sau ${LETTERS[optionColumns - 1]} bị bỏ.`);
  }
  const optionFeedback = question.options.map((option, index) => (option.feedback ? LETTERS[index] : '')).filter(Boolean);
  if (optionFeedback.length > 0) lose('TABULAR_OPTION_FEEDBACK_LOST', `phản hồi riêng của phương án ${optionFeedback.join(', ')} không có cột trong bảng tính nên bị bỏ.`);
  const tags = question.tags ?? [];
  if (tags.some((tag) => /[,;]/.test(tag))) lose('TABULAR_SEPARATOR_IN_TEXT', 'thẻ có dấu phẩy hoặc chấm phẩy sẽ bị tách thành nhiều thẻ khi nhập lại.');

  const fields: Partial<Record<Field, CellValue>> = {
    // A stored question carries its id as idNumber; a question straight from an importer, in its source.
    id: question.idNumber ?? (question as Partial<ParsedQuestion>).source?.itemId ?? '',
    type: TYPE_NAMES[question.type],
    stem: text(question.stem),
    points: question.points,
    level: question.cognitiveLevel ? COGNITIVE_LEVEL_NAMES[question.cognitiveLevel] : '',
    topic: question.topic ?? '',
    tags: tags.join(', '),
    feedback: question.generalFeedback ? text(question.generalFeedback) : '',
    name: question.name ?? '',
    shuffle: flag(question.shuffle),
    caseSensitive: flag(question.caseSensitive),
    ...values.fields,
  };
  text.reportLosses();
  const options = Array.from({ length: optionColumns }, (_, index) => values.options[index] ?? '');
  return [...FIELDS_BEFORE_OPTIONS.map((field) => fields[field] ?? ''), ...options, ...FIELDS_AFTER_OPTIONS.map((field) => fields[field] ?? '')];
}

const flag = (value: boolean | undefined) => (value === undefined ? '' : value ? 'Có' : 'Không');

/** HTML → cell text for one question, remembering images and formatting lost to report them once. */
function textWriter(question: Question, lose: Lose) {
  let hasImages = (question.assets?.length ?? 0) > 0;
  const lostTags = new Set<string>();
  const write = (html: string) => {
    const cell = htmlToCell(html);
    hasImages ||= cell.images > 0;
    cell.lostTags.forEach((tag) => lostTags.add(tag));
    return cell.text;
  };
  write.reportLosses = () => {
    if (hasImages) lose('TABULAR_IMAGE_LOST', 'hình ảnh không đưa được vào bảng tính; chỗ có hình được thay bằng ghi chú "[hình: …]".');
    if (lostTags.size > 0) lose('TABULAR_FORMATTING_LOST', `định dạng ${[...lostTags].map((tag) => `<${tag}>`).join(', ')} không giữ được trong ô bảng tính, chỉ còn chữ${lostTags.has('math') ? ' (công thức MathML mất cấu trúc; bảng tính chỉ giữ được LaTeX)' : ''}.`);
  };
  return write;
}

type TextWriter = ReturnType<typeof textWriter>;
type AnswerWriter = (question: Question, text: TextWriter, lose: Lose) => RowValues;

const lettersOf = (options: QuestionOption[], keep: (option: QuestionOption) => boolean) =>
  options.map((option, index) => (keep(option) ? LETTERS[index] : '')).filter(Boolean).join(',');

function choiceValues(question: Question, text: TextWriter, lose: Lose, multiple: boolean): RowValues {
  const { options } = question;
  const cells = options.map((option) => text(option.text));
  if (multiple) {
    const right = Math.max(1, options.filter((option) => option.fraction > 0).length);
    const asImported = options.every((option) => sameNumber(option.fraction, option.fraction > 0 ? 1 / right : -1 / right));
    if (!asImported) lose('TABULAR_FRACTIONS_CHANGED', `tỉ lệ điểm từng phương án không ghi được; khi nhập lại, mỗi phương án đúng được 1/${right} số điểm và mỗi phương án sai bị trừ 1/${right}.`);
    return { fields: { answer: lettersOf(options, (option) => option.fraction > 0) }, options: cells };
  }
  const best = Math.max(...options.map((option) => option.fraction));
  const key = options.findIndex((option) => option.fraction === best && best > 0);
  const asImported = options.every((option, index) => option.fraction === (index === key && best >= FULL ? 1 : 0));
  if (!asImported) lose('TABULAR_FRACTIONS_CHANGED', `điểm từng phần của phương án không ghi được; chỉ phương án ${key >= 0 ? LETTERS[key] : '(không có)'} được ghi là đáp án đúng.`);
  return { fields: { answer: key >= 0 ? LETTERS[key]! : '' }, options: cells };
}

/** Accepted answers joined by "|": partial credit and wrong-answer feedback rows have no place. */
function alternatives(question: Question, lose: Lose): QuestionOption[] {
  const accepted = question.options.filter((option) => option.fraction > 0);
  if (accepted.some((option) => option.fraction < FULL)) lose('TABULAR_FRACTIONS_CHANGED', 'đáp án được một phần điểm sẽ thành đáp án đúng trọn điểm khi nhập lại.');
  if (accepted.length < question.options.length) lose('TABULAR_ANSWER_DROPPED', 'các đáp án sai (0 điểm hoặc điểm âm) không ghi được vào cột "Đáp án" nên bị bỏ.');
  if (accepted.some((option) => option.text.includes('|'))) lose('TABULAR_SEPARATOR_IN_TEXT', 'đáp án có ký tự "|" sẽ bị tách thành nhiều đáp án khi nhập lại.');
  return accepted;
}

const truth = (fraction: number) => (fraction >= FULL ? 'Đ' : 'S');

const ANSWER_WRITERS: Record<TabularType, AnswerWriter> = {
  multiple_choice: (question, text, lose) => choiceValues(question, text, lose, false),
  multiple_response: (question, text, lose) => choiceValues(question, text, lose, true),
  true_false: (question) => {
    const right = question.options.find((option) => option.id === 'true') ?? question.options[0];
    return { fields: { answer: truth(right?.fraction ?? 0) }, options: [] };
  },
  true_false_group: (question, text, lose) => {
    if (question.options.length !== 4) lose('TABULAR_TF_GROUP_SHAPE', `mẫu bảng tính chỉ nhận câu Đúng/Sai có đúng bốn mệnh đề a)–d) (câu này có ${question.options.length}); dòng này sẽ báo lỗi khi nhập lại.`);
    if (!isDefaultScoring(question.scoring)) lose('TABULAR_SCORING_LOST', `thang điểm riêng (${question.scoring!.join('; ')}) không ghi được; khi nhập lại dùng thang điểm của kỳ thi tốt nghiệp THPT 2025 (0,1; 0,25; 0,5; 1).`);
    return { fields: { answer: question.options.map((option) => truth(option.fraction)).join(',') }, options: question.options.map((option) => text(option.text)) };
  },
  short_answer: (question, _text, lose) => ({ fields: { answer: alternatives(question, lose).map((option) => option.text).join(' | ') }, options: [] }),
  numerical: (question, _text, lose) => {
    const accepted = alternatives(question, lose);
    const tolerances = [...new Set(accepted.map((option) => option.tolerance))];
    if (tolerances.length > 1) lose('TABULAR_TOLERANCE_CHANGED', `mỗi đáp số có sai số riêng (${tolerances.map((t) => t ?? 0).join('; ')}); bảng tính chỉ có một cột "Sai số" nên ghi sai số lớn nhất.`);
    const tolerance = tolerances.length > 1 ? Math.max(...tolerances.map((t) => t ?? 0)) : tolerances[0];
    const numbers = accepted.map((option) => Number(option.text));
    return { fields: { answer: numbers.length === 1 && Number.isFinite(numbers[0]) ? numbers[0]! : accepted.map((option) => option.text).join(' | '), tolerance: tolerance ?? '' }, options: [] };
  },
  essay: () => ({ fields: {}, options: [] }),
  matching: (question, text, lose) => {
    if (question.options.some((option) => /->|→/.test(option.match ?? ''))) lose('TABULAR_SEPARATOR_IN_TEXT', 'vế phải có mũi tên "->" sẽ bị tách sai khi nhập lại.');
    return { fields: {}, options: question.options.map((option) => `${text(option.text)} -> ${option.match ?? ''}`.trim()) };
  },
};
