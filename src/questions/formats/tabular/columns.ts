import { stripDiacritics } from '../../../core/text.js';
import type { QuestionType } from '../../model.js';

/**
 * The one column layout shared by the CSV and XLSX templates. Headers are matched loosely (case,
 * diacritics, punctuation and a trailing "(…)" note ignored), so "Loại câu hỏi", "LOAI CAU HOI"
 * and the machine alias "type" all name the same column, and a teacher's "Điểm (0,25)" still works.
 */
export type Field = 'id' | 'type' | 'stem' | 'answer' | 'tolerance' | 'points' | 'level' | 'topic' | 'tags' | 'feedback' | 'name' | 'shuffle' | 'caseSensitive';

/** Column order of exports and of the template; option columns come after the stem. */
export const FIELD_HEADERS: Record<Field, { header: string; alias: string }> = {
  id: { header: 'Mã câu', alias: 'id' },
  type: { header: 'Loại câu hỏi', alias: 'type' },
  stem: { header: 'Nội dung câu hỏi', alias: 'stem' },
  answer: { header: 'Đáp án', alias: 'answer' },
  tolerance: { header: 'Sai số', alias: 'tolerance' },
  points: { header: 'Điểm', alias: 'points' },
  level: { header: 'Mức độ', alias: 'level' },
  topic: { header: 'Chủ đề', alias: 'topic' },
  tags: { header: 'Thẻ', alias: 'tags' },
  feedback: { header: 'Lời giải', alias: 'feedback' },
  name: { header: 'Tên câu hỏi', alias: 'name' },
  shuffle: { header: 'Trộn phương án', alias: 'shuffle' },
  caseSensitive: { header: 'Phân biệt hoa thường', alias: 'case_sensitive' },
};

export const FIELDS_BEFORE_OPTIONS: Field[] = ['id', 'type', 'stem'];
export const FIELDS_AFTER_OPTIONS: Field[] = ['answer', 'tolerance', 'points', 'level', 'topic', 'tags', 'feedback', 'name', 'shuffle', 'caseSensitive'];
export const OPTION_HEADER_PREFIX = 'Phương án';
/** Option columns an export always has, so that every sheet looks like the template. */
export const MIN_OPTION_COLUMNS = 6;

const FIELD_SYNONYMS: Record<string, Field> = {
  'ma cau': 'id', 'ma cau hoi': 'id', 'ma': 'id',
  'loai': 'type', 'dang cau hoi': 'type',
  'noi dung': 'stem', 'cau hoi': 'stem', 'de bai': 'stem', question: 'stem',
  'dap an dung': 'answer', key: 'answer',
  'so diem': 'points', diem: 'points',
  'muc do nhan thuc': 'level', 'cognitive level': 'level',
  'chu de': 'topic', category: 'topic',
  tag: 'tags',
  'huong dan giai': 'feedback', 'giai thich': 'feedback', 'general feedback': 'feedback',
  'ten': 'name',
};

/** Lower-case ASCII words: the form in which headers and type names are compared. */
export function looseKey(text: string): string {
  return stripDiacritics(text.normalize('NFC')).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** A header's key: a trailing note in brackets ("Điểm (0,25)") does not change the column's meaning. */
const headerKey = (text: string) => looseKey(text.replace(/\([^)]*\)\s*$/, ''));

const HEADER_KEYS = new Map<string, Field>([
  ...Object.entries(FIELD_SYNONYMS),
  ...(Object.entries(FIELD_HEADERS) as Array<[Field, { header: string; alias: string }]>).flatMap(([field, { header, alias }]) => [[headerKey(header), field], [headerKey(alias), field]] as Array<[string, Field]>),
]);
const OPTION_KEY = /^(?:phuong an |option |lua chon )?([a-z])$/;

export interface HeaderLayout {
  /** Column index (0-based) of each field present. */
  fields: Partial<Record<Field, number>>;
  /** Option columns in letter order. */
  options: Array<{ letter: string; column: number }>;
}

/**
 * The layout a row describes when it is a header row: one naming at least the stem and either the
 * type or the answer column. Any other row (a title above the table, a data row) gives undefined.
 * Unknown columns (a teacher's "Ghi chú") are ignored; of two columns with one meaning the first wins.
 */
export function readHeader(cells: string[]): HeaderLayout | undefined {
  const layout: HeaderLayout = { fields: {}, options: [] };
  cells.forEach((cell, column) => {
    const key = headerKey(cell);
    const field = HEADER_KEYS.get(key);
    if (field) {
      layout.fields[field] ??= column;
      return;
    }
    const letter = OPTION_KEY.exec(key)?.[1]?.toUpperCase();
    if (letter && !layout.options.some((o) => o.letter === letter)) layout.options.push({ letter, column });
  });
  const { stem, type, answer } = layout.fields;
  if (stem === undefined || (type === undefined && answer === undefined)) return undefined;
  layout.options.sort((a, b) => a.letter.localeCompare(b.letter));
  return layout;
}

/** The types a row can hold: a cloze's gaps do not fit in cells. */
export type TabularType = Exclude<QuestionType, 'cloze'>;

/** What the type column can say; "Đúng/Sai" is resolved by whether statements fill the option columns. */
export type TypeWord = QuestionType | 'true_false_auto';

const TYPE_WORDS: Record<string, TypeWord> = {
  'multiple choice': 'multiple_choice', 'trac nghiem': 'multiple_choice', 'trac nghiem 1 dap an': 'multiple_choice', 'trac nghiem mot dap an': 'multiple_choice',
  'mot dap an': 'multiple_choice', 'nhieu lua chon': 'multiple_choice', 'tn': 'multiple_choice', 'mc': 'multiple_choice',
  'multiple response': 'multiple_response', 'nhieu dap an': 'multiple_response', 'trac nghiem nhieu dap an': 'multiple_response', 'chon nhieu': 'multiple_response', 'mr': 'multiple_response',
  'dung sai': 'true_false_auto', 'd s': 'true_false_auto', 'ds': 'true_false_auto',
  'true false': 'true_false', 'tf': 'true_false', 'dung sai 1 y': 'true_false', 'dung sai mot y': 'true_false',
  'true false group': 'true_false_group', 'dung sai nhom': 'true_false_group', 'dung sai 4 y': 'true_false_group', 'dung sai bon y': 'true_false_group', 'dung sai nhieu y': 'true_false_group',
  'short answer': 'short_answer', 'tra loi ngan': 'short_answer', 'tln': 'short_answer', 'sa': 'short_answer',
  numerical: 'numerical', 'tra loi so': 'numerical', 'so': 'numerical', 'dien so': 'numerical', 'tra loi ngan dang so': 'numerical', 'tra loi ngan so': 'numerical',
  essay: 'essay', 'tu luan': 'essay', 'tl': 'essay',
  matching: 'matching', 'ghep doi': 'matching', 'ghep noi': 'matching', 'noi': 'matching',
  cloze: 'cloze', 'dien khuyet': 'cloze',
};

/** "Trắc nghiệm", "multiple_choice", "TN"… → the type word; undefined when unknown. */
export function parseTypeWord(text: string): TypeWord | undefined {
  return TYPE_WORDS[looseKey(text)];
}

/** The Vietnamese name written into the type column on export (re-imports to the same type). */
export const TYPE_NAMES: Record<TabularType, string> = {
  multiple_choice: 'Trắc nghiệm',
  multiple_response: 'Nhiều đáp án',
  true_false: 'Đúng/Sai',
  true_false_group: 'Đúng/Sai',
  short_answer: 'Trả lời ngắn',
  numerical: 'Trả lời số',
  essay: 'Tự luận',
  matching: 'Ghép đôi',
};
