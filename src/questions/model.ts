/**
 * The structured question every importer produces and every exporter consumes. Formats talk to
 * the rest of the system only through these types: an importer is `(input) => ParseResult`, an
 * exporter is `(questions, meta) => ExportResult`, both pure apart from reading their input.
 *
 * HTML (stem, option text, feedback) is what the format carried; the service sanitises it before
 * storing. Images travel beside the question as bytes and are referenced from the HTML as
 * `@@ASSET@@/<name>` (the name unique within the question): the service stores the bytes in object
 * storage and the question keeps a reference, so nothing base64 lands in the database.
 */

export const QUESTION_TYPES = ['multiple_choice', 'true_false_group', 'multiple_response', 'true_false', 'short_answer', 'numerical', 'matching', 'essay', 'cloze'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const COGNITIVE_LEVELS = ['nhan-biet', 'thong-hieu', 'van-dung', 'van-dung-cao'] as const;
export type CognitiveLevel = (typeof COGNITIVE_LEVELS)[number];

/** The prefix of an image reference inside question HTML: `<img src="@@ASSET@@/hinh1.png">`. */
export const ASSET_PREFIX = '@@ASSET@@/';

/**
 * One choice, accepted answer, statement or pair; what it means depends on the question type:
 * - multiple_choice, multiple_response: a choice; `fraction` is its share of the points (-1…1;
 *   a single-answer question has one option at 1).
 * - true_false: exactly two options, ids `true` and `false`, the right one at fraction 1.
 * - true_false_group (Part II of the 2025 exam): the statements a)–d), ids `a`…`d`;
 *   `fraction` 1 means the statement is true ("Đúng"), 0 false ("Sai").
 * - short_answer: an accepted answer (plain text, `*` a wildcard as in Moodle) with its fraction.
 * - numerical: `text` is the number (a JS number's string form, dot decimal), `tolerance` the
 *   accepted absolute error.
 * - matching: `text` the left side (HTML, empty for a distractor), `match` the right side (plain text).
 * - essay: no options.
 */
export interface QuestionOption {
  id: string;
  text: string;
  fraction: number;
  feedback?: string;
  tolerance?: number;
  match?: string;
}

/** One gap of a cloze question; the stem marks it as `{#1}`, `{#2}`… in order. */
export interface ClozePart {
  type: 'multiple_choice' | 'multiple_response' | 'short_answer' | 'numerical';
  /** Weight of the gap (Moodle's `{2:…}`), 1 by default. */
  weight: number;
  options: QuestionOption[];
  /** How a choice gap is shown in Moodle: dropdown (default), vertical or horizontal radios. */
  display?: 'dropdown' | 'vertical' | 'horizontal';
  shuffle?: boolean;
  caseSensitive?: boolean;
}

/** How much of a question's points each number of statements judged right earns (index = count). */
export type Scoring = number[];
/** The 2025 graduation exam's Part II rule: 1 right → 0.1, 2 → 0.25, 3 → 0.5, 4 → 1 (of a 1-point item). */
export const THPT_2025_TRUE_FALSE_SCORING: Scoring = [0, 0.1, 0.25, 0.5, 1];

/** Whether a Part II item is scored by the exam's own rule (an absent `scoring` means it is). */
export function isDefaultScoring(scoring: Scoring | undefined): boolean {
  return !scoring || (scoring.length === THPT_2025_TRUE_FALSE_SCORING.length && scoring.every((share, i) => Math.abs(share - THPT_2025_TRUE_FALSE_SCORING[i]!) < 1e-6));
}

export interface QuestionAsset {
  /** Unique within the question; what `@@ASSET@@/<name>` refers to. */
  name: string;
  mime?: string;
  bytes: Buffer;
}

export interface Question {
  type: QuestionType;
  /** A short title (Moodle's name, QTI's title); optional. */
  name?: string;
  /** HTML. For cloze, holds the `{#n}` gap markers. */
  stem: string;
  options: QuestionOption[];
  /** Cloze gaps, in order. */
  parts?: ClozePart[];
  /** true_false_group only; THPT_2025_TRUE_FALSE_SCORING when absent. */
  scoring?: Scoring;
  /** Maximum points, a decimal number (0.25, 1, 2.5). */
  points: number;
  generalFeedback?: string;
  /** Choices shown in a shuffled order (Moodle's shuffleanswers); short_answer: case matters. */
  shuffle?: boolean;
  caseSensitive?: boolean;
  cognitiveLevel?: CognitiveLevel;
  /**
   * Category path, segments joined by "/" ("Đại số/Chương 1"); a "/" inside a segment is written
   * "//", as in Moodle's category paths ("Toán 6//7/Chương 1": "Chương 1" inside "Toán 6/7").
   */
  topic?: string;
  /**
   * The question's own code in its bank (Moodle's "ID number", GIFT's `[id:…]`, a spreadsheet's id
   * column), for exporters. Importers report it as `source.itemId`, which is where it is stored.
   */
  idNumber?: string;
  tags?: string[];
  assets?: QuestionAsset[];
}

/** A question as an importer produces it. */
export interface ParsedQuestion extends Question {
  source: { format: string; line?: number; itemId?: string };
}

export interface ImportIssue {
  /** 1-based position of the item in the file (questions and broken items counted alike). */
  item: number;
  line?: number;
  /** Item id in the file (QTI identifier, Moodle idnumber) when there is one. */
  itemId?: string;
  code: string;
  /** Vietnamese, says what is wrong and where. */
  message: string;
}

export interface ParseResult {
  questions: Array<ParsedQuestion & { item: number }>;
  errors: ImportIssue[];
  /** Imported, but not quite as written (a scoring rule read from the correct response…). */
  warnings?: ImportIssue[];
}

export interface ImportInput {
  bytes: Buffer;
  fileName: string;
}

export type Importer = (input: ImportInput) => ParseResult | Promise<ParseResult>;

/** Something the target format could not carry, reported instead of silently dropped. */
export interface ExportIssue {
  /** 1-based position of the question in the export. */
  item: number;
  code: string;
  message: string;
}

export interface ExportMeta {
  title: string;
}

export interface ExportResult {
  body: Buffer;
  contentType: string;
  /** File extension without the dot: xml, gift, zip, csv, xlsx, docx. */
  extension: string;
  report: ExportIssue[];
}

export type Exporter = (questions: Question[], meta: ExportMeta) => ExportResult | Promise<ExportResult>;

/** A printable test drawn from banks: the parts in order, each with its questions. */
export interface ExamPaper {
  title: string;
  /** Header block lines (ministry/department, school, exam name, subject, duration). */
  header: { authority?: string; school?: string; exam?: string; subject?: string; durationMinutes?: number };
  /** "Mã đề": one per variant. */
  variantCode: string;
  sections: Array<{ title: string; instructions?: string; questions: Question[] }>;
}
