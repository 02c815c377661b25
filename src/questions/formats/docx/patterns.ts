import type { CognitiveLevel, QuestionType } from '../../model.js';
import { parseCognitiveLevel } from '../conventions.js';

// The textual conventions of Vietnamese teachers' question files, as pure functions of a line's
// plain text. Shared by the importer and the exam exporter, so that what we print reads back.

/** What a section holds: Part I choices, Part II true/false groups, Part III short answers, essays. */
export type SectionKind = 'choice' | 'true-false' | 'short' | 'essay' | 'unknown';

export interface SectionHeading {
  /** "I", "II", "III"… (digits become Roman numerals); '' when the heading has none. */
  key: string;
  kind: SectionKind;
}

const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI'];
const KIND_BY_NUMERAL: Record<string, SectionKind> = { I: 'choice', II: 'true-false', III: 'short' };

export function romanNumeral(position: number): string {
  return ROMAN[position] ?? String(position);
}

/** "PHẦN I. …", "Phần 2:", "I. TRẮC NGHIỆM", "PHẦN TỰ LUẬN" → the section; undefined for other lines. */
export function parseSectionHeading(text: string): SectionHeading | undefined {
  const line = text.trim();
  const part = /^phần\s+([IVX]+|\d)(?![\p{L}\d])/iu.exec(line);
  const titled = /^(?:([IVX]+)\s*[.:\-–]\s*)?(?:phần\s+)?(trắc nghiệm|tự luận)/iu.exec(line);
  if (!part && !(titled && (titled[1] || line === line.toUpperCase()))) return undefined;
  const numeral = (part?.[1] ?? titled?.[1] ?? '').toUpperCase();
  const key = /^\d$/.test(numeral) ? romanNumeral(Number(numeral)) : numeral;
  return { key, kind: sectionKindOf(line, key) };
}

/** The keywords of the official titles first, then the 2025 layout's numbering. */
export function sectionKindOf(title: string, key: string): SectionKind {
  const folded = title.toLowerCase();
  if (folded.includes('tự luận')) return 'essay';
  if (/đúng\s*[-/]?\s*sai/.test(folded)) return 'true-false';
  if (folded.includes('trả lời ngắn')) return 'short';
  if (folded.includes('nhiều phương án') || folded.includes('trắc nghiệm')) return 'choice';
  return KIND_BY_NUMERAL[key] ?? 'unknown';
}

export interface QuestionStart {
  number: number;
  points?: number;
  level?: CognitiveLevel;
  /** Where the stem starts in the line. */
  stemStart: number;
}

/** "Câu 1.", "Câu 1:", "Câu 1 (0,25 điểm):", "Câu 2 [NB].", "Bài 3 (2đ):". */
export function parseQuestionStart(text: string): QuestionStart | undefined {
  const match = /^\s*(?:câu|bài)\s*(\d+)\s*((?:[([][^)\]]*[)\]]\s*)*)(?:[.:：]|$)/iu.exec(text);
  if (!match) return undefined;
  const start: QuestionStart = { number: Number(match[1]), stemStart: match[0].length };
  for (const info of match[2]!.matchAll(/[([]([^)\]]*)[)\]]/g)) {
    // A comma between digits is a decimal comma ("0,25 điểm"), elsewhere it separates pieces.
    for (const piece of info[1]!.split(/;|(?<!\d),|,(?!\d)/)) {
      const points = /^\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)\s*$/iu.exec(piece);
      if (points) start.points = parseDecimal(points[1]!);
      else start.level ??= parseCognitiveLevel(piece);
    }
  }
  // "Câu 1. [NB] …": the level tag may also open the stem.
  const leading = /^\s*\[([^\]]{1,20})\]/u.exec(text.slice(start.stemStart));
  const leadingLevel = leading ? parseCognitiveLevel(leading[1]) : undefined;
  if (leading && leadingLevel) {
    start.level ??= leadingLevel;
    start.stemStart += leading[0].length;
  }
  return start;
}

/** A level tag closing a stem line ("… là [TH]") → the level and where the tag starts. */
export function parseTrailingLevel(text: string): { level: CognitiveLevel; at: number } | undefined {
  const match = /\s*\[([^\]]{1,20})\]\s*$/u.exec(text);
  const level = match ? parseCognitiveLevel(match[1]) : undefined;
  return match && level ? { level, at: match.index } : undefined;
}

export interface Label {
  letter: string;
  /** Where the label starts (its `*` included) and where its text starts. */
  start: number;
  letterAt: number;
  textStart: number;
  starred: boolean;
}

/**
 * The option labels of a line that starts with `first` ("A." / "A)" or, for statements, "a)"),
 * then the following letters in order on the same line ("A. 1   B. 2   C. 3   D. 4"). A later
 * label preceded by a tab or two spaces wins over one after a single space. The space after a
 * label's punctuation may be missing ("A.Hà Nội", "A.1\tB.2") where the label is unambiguous: at
 * the start of the line, or after a tab or two spaces — not in "Vitamin B.12".
 */
export function findLabels(text: string, first: string, punctuation: string): Label[] {
  const labels: Label[] = [];
  const head = new RegExp(`^(\\s*)(\\*\\s*)?(${first})([${punctuation}])(?![.,:;)\\]])`).exec(text);
  if (!head) return labels;
  labels.push({ letter: first, start: head[1]!.length, letterAt: head[1]!.length + (head[2]?.length ?? 0), textStart: head[0].length, starred: !!head[2] });
  for (let code = first.charCodeAt(0) + 1; ; code++) {
    const letter = String.fromCharCode(code);
    const pattern = new RegExp(`(\\s+)(\\*\\s*)?(${letter})([${punctuation}])(?![.,:;)\\]])`, 'g');
    const found = [...text.matchAll(pattern)].filter((m) => m.index >= labels[labels.length - 1]!.textStart
      && (/^(\s|\uFFFC|$)/u.test(text.slice(m.index + m[0].length)) || /\t| {2}/.test(m[1]!)));
    const chosen = found.find((m) => /\t| {2}/.test(m[1]!)) ?? found[0];
    if (!chosen) return labels;
    const start = chosen.index + chosen[1]!.length;
    labels.push({ letter, start, letterAt: start + (chosen[2]?.length ?? 0), textStart: chosen.index + chosen[0].length, starred: !!chosen[2] });
  }
}

/** "Đáp án: B", "Đáp án đúng: A, C", "Đáp số: 2,5", "Chọn B" → the answer text. */
export function parseAnswerLine(text: string): string | undefined {
  const line = text.trim();
  const labelled = /^(?:đáp án(?:\s+đúng)?|đáp số|trả lời|kết quả)\s*[:：]\s*(.+)$/iu.exec(line);
  if (labelled) return labelled[1]!.trim();
  const chosen = /^[cC]họn\s*(?:đáp án|phương án)?\s*:?\s*([A-H](?:\s*(?:[,;]|và)\s*[A-H])*)\s*\.?$/u.exec(line);
  return chosen?.[1];
}

/** "ĐÁP ÁN", "BẢNG ĐÁP ÁN", "Đáp án:" with nothing after it: the answer key section starts. */
export function isAnswerKeyHeading(text: string): boolean {
  return /^(?:bảng\s+)?đáp\s+án(?:\s+(?:phần|đề|mã đề)\b[^:：]*)?\s*[:：]?$/iu.test(text.trim());
}

/** "Lời giải", "Hướng dẫn giải:", "Giải:" → the rest of the line (the explanation's start). */
export function parseExplanationStart(text: string): string | undefined {
  const match = /^\s*(?:lời giải|hướng dẫn giải|hướng dẫn|giải thích|giải)(?:\s+chi tiết)?\s*(?:[:：.]\s*|$)/iu.exec(text);
  return match ? text.slice(match[0].length) : undefined;
}

/** "Mức độ: Nhận biết" / "Mức độ: NB". */
export function parseLevelLine(text: string): CognitiveLevel | undefined {
  const match = /^\s*mức\s*độ\s*[:：]\s*(.+?)\s*\.?$/iu.exec(text);
  return match ? parseCognitiveLevel(match[1]) : undefined;
}

/** "Chủ đề: Hàm số" → "Hàm số". */
export function parseTopicLine(text: string): string | undefined {
  const match = /^\s*chủ\s*đề\s*[:：]\s*(.+?)\s*$/iu.exec(text);
  return match?.[1];
}

/** "----- HẾT -----": the end of the questions. */
export function isEndMark(text: string): boolean {
  return /^[\s\-–—_.*]*hết[\s\-–—_.*]*$/iu.test(text);
}

export function isMathSubjectLine(text: string): boolean {
  return /môn(?:\s+thi)?\s*[:：]?\s*toán/iu.test(text);
}

const KEY_TOKEN = /(\d+)\s*[-.:)–]\s*([A-H](?:\s*,\s*[A-H])*|[ĐS]{4}|[-−]?\d+(?:[.,]\d+)?)(?=[\s,;|]|$)/giu;

/**
 * An answer-table line "1-A 2-C 3.B …" (also "1-ĐSSĐ" and, inside the key section, "1-2,5")
 * → number and answer pairs; undefined unless the whole line is made of them. Outside the key
 * section a line needs two pairs of letters, so that a stem is not mistaken for one.
 */
export function parseKeyLine(text: string, inKeySection: boolean): Array<{ number: number; answer: string }> | undefined {
  const pairs = [...text.matchAll(KEY_TOKEN)].map((m) => ({ number: Number(m[1]), answer: m[2]!.toUpperCase() }));
  if (!pairs.length || text.replace(KEY_TOKEN, '').replace(/[\s,;|]/g, '') !== '') return undefined;
  if (!inKeySection && (pairs.length < 2 || pairs.some((pair) => /\d/.test(pair.answer)))) return undefined;
  return pairs;
}

/** "A", "B. Hà Nội", "A, C", "A và C" → the letters; undefined if the text does not start with one. */
export function parseLetters(text: string): string[] | undefined {
  const match = /^([A-H](?:\s*(?:[,;]|và)\s*[A-H])*)(?![\p{L}\d])/u.exec(text.trim());
  return match ? match[1]!.match(/[A-H]/g)! : undefined;
}

/** "a) Đúng b) Sai c) Sai d) Đúng", "Đ S S Đ", "ĐSSĐ", "a-Đ, b-S…" → true/false per statement. */
export function parseTrueFalse(text: string): boolean[] | undefined {
  const withoutLabels = text.replace(/(?<![\p{L}])[a-h]\s*[).:\-–]\s*/gu, ' ');
  const words = withoutLabels.match(/đúng|sai|đ|s/giu);
  if (!words || withoutLabels.replace(/đúng|sai|đ|s/giu, '').replace(/[\s,;.|/]/g, '') !== '') return undefined;
  return words.map((word) => word.toLowerCase().startsWith('đ'));
}

/** "2,5", "-1.5", "−3" → the number; undefined for anything else. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim().replace(/^−/, '-');
  return /^-?\d+(?:[.,]\d+)?$/.test(trimmed) ? Number(trimmed.replace(',', '.')) : undefined;
}

/** 2.5 → "2,5", the Vietnamese way. */
export function formatDecimal(value: number): string {
  return String(value).replace('.', ',');
}

/**
 * Points when the file does not say: the 2025 exam's values (Part I 0.25, Part II 1, Part III
 * 0.5 in mathematics and 0.25 elsewhere), 1 for an essay.
 */
export function defaultPoints(type: QuestionType, isMath: boolean): number {
  if (type === 'true_false_group' || type === 'essay') return 1;
  if (type === 'numerical' || type === 'short_answer') return isMath ? 0.5 : 0.25;
  return 0.25;
}
