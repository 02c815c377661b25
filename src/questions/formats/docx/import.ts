import { AppError } from '../../../core/errors.js';
import { escapeHtml } from '../../../core/text.js';
import {
  THPT_2025_TRUE_FALSE_SCORING, type CognitiveLevel, type ImportIssue, type Importer, type ParsedQuestion, type Question, type QuestionAsset,
} from '../../model.js';
import { lineAssets, lineHtml, marksBetween, type Emphasis } from './line-html.js';
import {
  defaultPoints, findLabels, isAnswerKeyHeading, isEndMark, isMathSubjectLine, parseAnswerLine, parseDecimal, parseExplanationStart,
  parseKeyLine, parseLetters, parseLevelLine, parseQuestionStart, parseSectionHeading, parseTopicLine, parseTrailingLevel, parseTrueFalse,
  romanNumeral,
  type SectionHeading,
} from './patterns.js';
import { readDocxBlocks, type Block, type Line } from './read-document.js';

// Teachers' Word files in the usual Vietnamese layout: "Câu 1." starts a question, "A." … "D."
// its options or "a)" … "d)" its Part II statements, under "PHẦN I/II/III" headings; the key is
// a marked option letter, a "Đáp án:" line or an answer table. The document is walked once into
// drafts and keys; each draft then becomes a question or an error naming its "Câu".

interface Marking { bold: boolean; underline: boolean; red: boolean; highlight: boolean; starred: boolean }

interface DraftChoice {
  letter: string;
  html: string;
  /** The whole "a) …" as stem HTML, for statements that turn out to belong to the stem. */
  labelledHtml: string;
  marking: Marking;
}

interface Draft {
  item: number;
  number: number;
  paragraph: number;
  section: SectionHeading;
  points?: number;
  level?: CognitiveLevel;
  topic?: string;
  stem: string[];
  choices: DraftChoice[];
  statements: DraftChoice[];
  feedback: string[];
  assets: QuestionAsset[];
  answer?: string;
  /** Where the next plain line goes. */
  target: 'stem' | 'choices' | 'statements' | 'feedback';
}

type KeyTable = Map<string, string>;
type Parsed = ParsedQuestion & { item: number };

const FORMAT = 'docx';
const HEADING_STYLE = /^heading\s*\d+$/i;

export const importDocx: Importer = async ({ bytes }) => {
  const walker = new DocumentWalker();
  walker.walk(await readDocxBlocks(bytes));
  if (!walker.drafts.length) throw new AppError('QUESTION_FILE_MALFORMED', { reason: 'không tìm thấy câu hỏi nào (mỗi câu bắt đầu bằng "Câu 1." hoặc "Câu 1:")' });
  const questions: Parsed[] = [];
  const errors: ImportIssue[] = [];
  for (const draft of walker.drafts) {
    const outcome = finalize(draft, walker.keys, walker.isMath);
    if ('code' in outcome) errors.push(outcome);
    else questions.push(outcome);
  }
  return { questions, errors };
};

class DocumentWalker {
  readonly drafts: Draft[] = [];
  /** "II|3" → the answer of Câu 3 in Part II; "|3" when the table names no part. */
  readonly keys: KeyTable = new Map();
  isMath = false;
  private current?: Draft;
  private section: SectionHeading = { key: '', kind: 'unknown' };
  private topic?: string;
  private inKeySection = false;
  private keySection = '';

  walk(blocks: Block[]): void {
    for (const block of blocks) {
      if (block.kind === 'line') this.line(block.line);
      else this.table(block.rows);
    }
  }

  private line(line: Line): void {
    const text = line.text;
    if (!text.trim()) return;
    const start = parseQuestionStart(text);
    if (start) return this.startQuestion(line, start);
    const heading = parseSectionHeading(text);
    if (heading) {
      this.current = undefined;
      this.section = heading;
      if (this.inKeySection) this.keySection = heading.key;
      return;
    }
    if (isAnswerKeyHeading(text)) {
      this.current = undefined;
      this.inKeySection = true;
      const part = /phần\s+([IVX]+|\d)/iu.exec(text)?.[1]?.toUpperCase();
      this.keySection = part && /^\d$/.test(part) ? romanNumeral(Number(part)) : part ?? '';
      return;
    }
    const pairs = parseKeyLine(text, this.inKeySection);
    if (pairs) {
      this.current = undefined;
      for (const { number, answer } of pairs) this.keys.set(`${this.inKeySection ? this.keySection : ''}|${number}`, answer);
      return;
    }
    if (this.inKeySection) return;
    if (isEndMark(text)) { this.current = undefined; return; }
    const topic = parseTopicLine(text);
    if (topic !== undefined || (line.style && HEADING_STYLE.test(line.style))) {
      this.current = undefined;
      this.topic = topic ?? text.trim();
      return;
    }
    if (!this.current) {
      if (isMathSubjectLine(text)) this.isMath = true;
      return;
    }
    this.questionLine(this.current, line);
  }

  private startQuestion(line: Line, start: NonNullable<ReturnType<typeof parseQuestionStart>>): void {
    this.inKeySection = false;
    this.current = {
      item: this.drafts.length + 1, number: start.number, paragraph: line.paragraph, section: this.section,
      points: start.points, level: start.level, topic: this.topic,
      stem: [], choices: [], statements: [], feedback: [], assets: [], target: 'stem',
    };
    this.drafts.push(this.current);
    const rest = line.text.slice(start.stemStart);
    if (rest.trim()) this.questionLine(this.current, line, start.stemStart);
  }

  /** A line inside a question (from `from` on, after "Câu 1." on the question's first line). */
  private questionLine(draft: Draft, line: Line, from = 0): void {
    const text = line.text.slice(from);
    const level = parseLevelLine(text);
    if (level) { draft.level = level; return; }
    const answer = parseAnswerLine(text);
    if (answer !== undefined) { draft.answer = answer; return; }
    const explanation = parseExplanationStart(text);
    if (explanation !== undefined) {
      draft.target = 'feedback';
      if (explanation.trim()) draft.feedback.push(this.html(draft, line, line.text.length - explanation.length, line.text.length, 'rich'));
      return;
    }
    if (draft.target === 'feedback') { draft.feedback.push(this.html(draft, line, from, line.text.length, 'rich')); return; }
    if (this.addLabelled(draft, line, from, 'choices')) return;
    if (!draft.choices.length && this.addLabelled(draft, line, from, 'statements')) return;
    if (draft.target === 'stem') {
      const trailing = parseTrailingLevel(line.text);
      if (trailing && trailing.at >= from) draft.level ??= trailing.level;
      const end = trailing && trailing.at >= from ? trailing.at : line.text.length;
      if (end > from && line.text.slice(from, end).trim()) draft.stem.push(this.html(draft, line, from, end, 'rich'));
      return;
    }
    const html = this.html(draft, line, from, line.text.length, 'plain');
    const last = draft[draft.target].at(-1)!;
    last.html += `<br>${html}`;
    last.labelledHtml += `<br>${html}`;
  }

  /** "A. …  B. …" (choices) or "a) …" (statements) continuing where the question's list is. */
  private addLabelled(draft: Draft, line: Line, from: number, list: 'choices' | 'statements'): boolean {
    const first = String.fromCharCode((list === 'choices' ? 65 : 97) + draft[list].length);
    const punctuation = list === 'choices' || draft.section.kind === 'true-false' ? '.)' : ')';
    const text = line.text.slice(0, from).replace(/[^]/g, ' ') + line.text.slice(from);
    const labels = findLabels(text, first, punctuation);
    labels.forEach((label, index) => {
      const end = labels[index + 1]?.start ?? text.length;
      const marks = marksBetween(line, label.letterAt, label.textStart);
      draft[list].push({
        letter: label.letter,
        html: this.html(draft, line, label.textStart, end, 'plain'),
        labelledHtml: lineHtml(line, label.letterAt, end, 'rich'),
        marking: { bold: marks.bold, underline: marks.underline, red: marks.red, highlight: marks.highlight, starred: label.starred },
      });
    });
    if (labels.length) draft.target = list;
    return labels.length > 0;
  }

  private html(draft: Draft, line: Line, start: number, end: number, emphasis: Emphasis): string {
    for (const asset of lineAssets(line, start, end)) if (!draft.assets.some((a) => a.name === asset.name)) draft.assets.push(asset);
    return lineHtml(line, start, end, emphasis);
  }

  private table(rows: Line[][][]): void {
    const entries = parseKeyTable(rows);
    if (entries) {
      this.current = undefined;
      for (const { number, answer } of entries) this.keys.set(`${this.inKeySection ? this.keySection : ''}|${number}`, answer);
      return;
    }
    const draft = this.current;
    if (!draft) {
      if (rows.flat(2).some((line) => isMathSubjectLine(line.text))) this.isMath = true;
      return;
    }
    const cells = (cell: Line[]) => cell.map((line) => this.html(draft, line, 0, line.text.length, 'rich')).join('<br>');
    const html = `<table>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cells(cell)}</td>`).join('')}</tr>`).join('')}</table>`;
    (draft.target === 'feedback' ? draft.feedback : draft.stem).push(html);
  }
}

/**
 * An answer table whose first cell says "Câu": either rows of numbers each followed by a row of
 * answers ("Câu | 1 | 2 …" / "Đáp án | A | C …"), or a "Câu | Đáp án" header over pairs of
 * columns, or Part II's "Câu | a) | b) | c) | d)" with Đ/S in each row.
 */
function parseKeyTable(rows: Line[][][]): Array<{ number: number; answer: string }> | undefined {
  const grid = rows.map((row) => row.map((cell) => cell.map((line) => line.text).join(' ').trim()));
  const header = grid[0] ?? [];
  if (!/^câu$/iu.test(header[0] ?? '')) return undefined;
  const entries: Array<{ number: number; answer: string }> = [];
  const add = (number: string | undefined, answer: string | undefined) => {
    if (number && /^\d+$/.test(number) && answer) entries.push({ number: Number(number), answer });
  };
  const statementColumns = header.flatMap((cell, column) => (/^[a-h]\)?$/.test(cell) ? [column] : []));
  if (statementColumns.length >= 2) {
    for (const row of grid.slice(1)) add(row[0], statementColumns.map((column) => row[column] ?? '').join(' '));
  } else if (/^(đáp án|chọn|trả lời|kết quả)$/iu.test(header[1] ?? '')) {
    for (const row of grid.slice(1)) for (let column = 0; column + 1 < row.length; column += 2) add(row[column], row[column + 1]);
  } else {
    grid.forEach((row, index) => {
      if (/^câu$/iu.test(row[0] ?? '')) row.slice(1).forEach((cell, column) => add(cell, grid[index + 1]?.[column + 1]));
    });
  }
  return entries.length ? entries : undefined;
}

function finalize(draft: Draft, keys: KeyTable, isMath: boolean): Parsed | ImportIssue {
  const tableAnswer = keys.get(`${draft.section.key}|${draft.number}`) ?? keys.get(`|${draft.number}`);
  if (draft.choices.length) return choiceQuestion(draft, tableAnswer);
  if (draft.statements.length) return statementsQuestion(draft, tableAnswer);
  return openQuestion(draft, draft.answer ?? tableAnswer, isMath);
}

function where(draft: Draft): string {
  const part = draft.section.key ? `Phần ${draft.section.key}, ` : '';
  return `Câu ${draft.number} (${part}đoạn ${draft.paragraph})`;
}

function issue(draft: Draft, code: string, message: string): ImportIssue {
  return { item: draft.item, line: draft.paragraph, itemId: itemId(draft), code, message: `${where(draft)}: ${message}` };
}

function itemId(draft: Draft): string {
  return draft.section.key ? `Phần ${draft.section.key} – Câu ${draft.number}` : `Câu ${draft.number}`;
}

/**
 * The key marking of an option: its letter (or its "*") underlined, red, highlighted or starred;
 * bold only when not every label of the question is bold, since many teachers bold all of them.
 */
function isMarked(choice: DraftChoice, all: DraftChoice[]): boolean {
  const { marking } = choice;
  return marking.underline || marking.red || marking.highlight || marking.starred || (marking.bold && !all.every((c) => c.marking.bold));
}

function base(draft: Draft, type: Question['type']): Omit<Parsed, 'options' | 'points'> {
  return {
    item: draft.item, type,
    stem: draft.stem.join('<br>'),
    ...(draft.feedback.length ? { generalFeedback: draft.feedback.join('<br>') } : {}),
    ...(draft.level ? { cognitiveLevel: draft.level } : {}),
    ...(draft.topic ? { topic: draft.topic } : {}),
    ...(draft.assets.length ? { assets: draft.assets } : {}),
    source: { format: FORMAT, line: draft.paragraph, itemId: itemId(draft) },
  };
}

function choiceQuestion(draft: Draft, tableAnswer: string | undefined): Parsed | ImportIssue {
  const { choices } = draft;
  if (draft.statements.length) draft.stem.push(...draft.statements.map((s) => s.labelledHtml));
  if (choices.length < 2) return issue(draft, 'DOCX_TOO_FEW_OPTIONS', 'cần ít nhất hai phương án A, B.');
  const fromLine = draft.answer === undefined ? undefined : parseLetters(draft.answer);
  if (draft.answer !== undefined && !fromLine) return issue(draft, 'DOCX_BAD_ANSWER', `đáp án "${draft.answer}" không phải chữ cái của phương án (A, B, C, D).`);
  const fromTable = tableAnswer === undefined ? undefined : parseLetters(tableAnswer);
  if (fromLine && fromTable && [...fromLine].sort().join() !== [...fromTable].sort().join()) {
    return issue(draft, 'DOCX_KEY_CONFLICT', `dòng "Đáp án: ${draft.answer}" khác bảng đáp án (${tableAnswer}).`);
  }
  const marked = choices.filter((choice) => isMarked(choice, choices)).map((choice) => choice.letter);
  const key = fromLine ?? fromTable ?? (marked.length ? marked : undefined);
  if (!key) return issue(draft, 'DOCX_NO_ANSWER', 'chưa có đáp án (gạch chân, in đậm hoặc tô đỏ chữ cái phương án đúng, đánh dấu *, thêm dòng "Đáp án: B" hoặc bảng đáp án).');
  const unknown = key.find((letter) => !choices.some((choice) => choice.letter === letter));
  if (unknown) return issue(draft, 'DOCX_UNKNOWN_ANSWER', `đáp án ${unknown} không phải một phương án của câu hỏi.`);
  const type = key.length > 1 ? 'multiple_response' : 'multiple_choice';
  return {
    ...base(draft, type),
    points: draft.points ?? defaultPoints(type, false),
    options: choices.map((choice) => ({ id: choice.letter, text: choice.html, fraction: key.includes(choice.letter) ? 1 / key.length : 0 })),
  };
}

function statementsQuestion(draft: Draft, tableAnswer: string | undefined): Parsed | ImportIssue {
  const { statements } = draft;
  const fromLine = draft.answer === undefined ? undefined : parseTrueFalse(draft.answer);
  if (draft.answer !== undefined && !fromLine) return issue(draft, 'DOCX_BAD_ANSWER', `đáp án "${draft.answer}" phải ghi Đúng/Sai cho từng ý, ví dụ "a) Đúng b) Sai c) Sai d) Đúng" hoặc "Đ S S Đ".`);
  const fromTable = tableAnswer === undefined ? undefined : parseTrueFalse(tableAnswer);
  if (fromLine && fromTable && fromLine.join() !== fromTable.join()) return issue(draft, 'DOCX_KEY_CONFLICT', `dòng "Đáp án: ${draft.answer}" khác bảng đáp án (${tableAnswer}).`);
  const marked = statements.some((statement) => isMarked(statement, statements)) ? statements.map((statement) => isMarked(statement, statements)) : undefined;
  const truth = fromLine ?? fromTable ?? marked;
  if (!truth) return issue(draft, 'DOCX_NO_ANSWER', 'chưa có đáp án Đúng/Sai cho các ý (thêm dòng "Đáp án: a) Đúng b) Sai …", bảng đáp án, hoặc gạch chân/tô đỏ chữ cái các ý đúng).');
  if (truth.length !== statements.length) return issue(draft, 'DOCX_BAD_TRUE_FALSE_ANSWER', `có ${statements.length} ý nhưng đáp án cho ${truth.length} ý.`);
  return {
    ...base(draft, 'true_false_group'),
    points: draft.points ?? defaultPoints('true_false_group', false),
    scoring: THPT_2025_TRUE_FALSE_SCORING,
    options: statements.map((statement, index) => ({ id: statement.letter, text: statement.html, fraction: truth[index] ? 1 : 0 })),
  };
}

/** No options: Part III's short answer (a number, or text), or an essay. */
function openQuestion(draft: Draft, answer: string | undefined, isMath: boolean): Parsed | ImportIssue {
  if (draft.section.kind === 'essay' || (answer === undefined && draft.section.kind !== 'short')) {
    if (answer !== undefined) draft.feedback.unshift(`Đáp án: ${escapeHtml(answer)}`);
    return { ...base(draft, 'essay'), points: draft.points ?? defaultPoints('essay', isMath), options: [] };
  }
  if (answer === undefined) return issue(draft, 'DOCX_NO_ANSWER', 'câu trả lời ngắn chưa có đáp án (thêm dòng "Đáp án: 2,5" hoặc bảng đáp án).');
  const number = parseDecimal(answer);
  const type = number === undefined ? 'short_answer' : 'numerical';
  return {
    ...base(draft, type),
    points: draft.points ?? defaultPoints(type, isMath),
    options: [number === undefined ? { id: '1', text: answer, fraction: 1 } : { id: '1', text: String(number), fraction: 1, tolerance: 0 }],
  };
}
