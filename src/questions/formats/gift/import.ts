import { decodeText } from '../../../core/decode-text.js';
import type { ClozePart, ImportIssue, Importer, ParsedQuestion, ParseResult, QuestionAsset, QuestionOption, QuestionType } from '../../model.js';
import { splitLevelTag, TRUE_FALSE_GROUP_TAG } from '../conventions.js';
import { topicFromCategoryPath } from '../moodle-categories.js';
import { collectDataImages, pluginfileReferences } from './assets.js';
import { BLANK, COMMENT_MARKER, hideEscapes, protectMath, reveal, splitFormat, toHtml, unescapeMarker, type TextFormat } from './text.js';
import { matchingAsTrueFalseGroup } from './true-false-group.js';

/**
 * Moodle's GIFT format, read the way Moodle's qformat_gift reads it: questions are separated by
 * blank lines, `//` lines are comments (carrying `[id:…]`, `[tag:…]` and our `[points:…]`),
 * `$CATEGORY:` switches the topic, `::name::` names a question and one `{…}` block holds the
 * answers. A block with text after it is Moodle's "missing word" form; a question without a block
 * is a description, which is not a question and is skipped. Images written inline as `data:` URIs
 * (how our exporter carries them) become assets. Pure apart from decoding the bytes.
 */
export const importGift: Importer = ({ bytes }) => parseGift(decodeText(bytes).text);

export function parseGift(text: string): ParseResult {
  const result: ParseResult = { questions: [], errors: [] };
  const warnings: ImportIssue[] = [];
  let topic: string | undefined;
  let item = 0;
  for (const block of splitBlocks(text)) {
    const body = block.lines.join('\n');
    if (!body.trim()) continue;
    const source = hideEscapes(body);
    const start = source.search(/\S/);
    if (source.startsWith('$CATEGORY:', start)) {
      topic = topicFromCategoryPath(reveal(source.slice(start + '$CATEGORY:'.length)));
      continue;
    }
    const markers = readMarkers(block.comments);
    const question = protectMath(source);
    const lineAt = (offset: number) => block.lineNumbers[countNewlines(question, offset)] ?? block.lineNumbers[0]!;
    try {
      const read = parseQuestion(question, markers.trueFalseGroup);
      if (!read) continue;
      item++;
      const parsed = withDataImages(read);
      // The Part II tag is consumed only when it gave the question back its type.
      const tags = markers.trueFalseGroup && parsed.type !== 'true_false_group' ? [...markers.tags, TRUE_FALSE_GROUP_TAG] : markers.tags;
      result.questions.push({
        item, ...parsed, points: markers.points ?? 1,
        ...(markers.cognitiveLevel ? { cognitiveLevel: markers.cognitiveLevel } : {}),
        ...(topic ? { topic } : {}),
        ...(tags.length ? { tags } : {}),
        source: { format: 'gift', line: lineAt(start), ...(markers.id ? { itemId: markers.id } : {}) },
      });
      const missing = pluginfileReferences(parsed);
      if (missing.length) {
        const line = lineAt(start);
        warnings.push({
          item, line, ...(markers.id ? { itemId: markers.id } : {}), code: 'GIFT_PLUGINFILE_MISSING',
          message: `Dòng ${line}: ảnh ${missing.map((name) => `"${name}"`).join(', ')} (@@PLUGINFILE@@) không có trong tệp: Moodle không xuất tệp ảnh ra GIFT nên câu được nhập mà không có ảnh. Muốn giữ ảnh, hãy xuất từ Moodle bằng định dạng Moodle XML.`,
        });
      }
    } catch (error) {
      if (!(error instanceof GiftError)) throw error;
      item++;
      const line = lineAt(error.offset ?? start);
      const issue: ImportIssue = { item, line, code: error.code, message: `Dòng ${line}: ${error.message}` };
      if (markers.id) issue.itemId = markers.id;
      result.errors.push(issue);
    }
  }
  return warnings.length ? { ...result, warnings } : result;
}

/**
 * For format detection: a `$CATEGORY:` line, a `::name::`, or an answer block that opens the way
 * only GIFT's do (`{=`, `{~`, `{#`, `{T}`, `{FALSE}`, `{}`…), outside comments.
 */
export function looksLikeGift(text: string): boolean {
  const content = text.split(/\r\n|\r|\n/).filter((line) => !line.trim().startsWith('//')).join('\n');
  if (content.trimStart().startsWith('<')) return false;
  return /^\s*\$CATEGORY:/m.test(content)
    || /^\s*::[^\n]*?::/m.test(content)
    || /\{\s*(?:[=~#]|(?:T|F|TRUE|FALSE)\s*(?:#[^}]*)?\}|\})/.test(content);
}

class GiftError extends Error {
  constructor(readonly code: string, message: string, readonly offset?: number) {
    super(message);
  }
}

interface Block {
  /** The block's lines with comment lines left out, and the file line of each. */
  lines: string[];
  lineNumbers: number[];
  comments: string[];
}

/** Blank lines end a question (as in Moodle, even inside braces); `//` lines are comments. */
function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block = { lines: [], lineNumbers: [], comments: [] };
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed) {
      if (current.lines.length || current.comments.length) blocks.push(current);
      current = { lines: [], lineNumbers: [], comments: [] };
    } else if (trimmed.startsWith('//')) current.comments.push(trimmed);
    else {
      current.lines.push(line);
      current.lineNumbers.push(index + 1);
    }
  });
  if (current.lines.length) blocks.push(current);
  return blocks;
}

const countNewlines = (text: string, end: number) => {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
};

/** The question with its inline `data:` images taken out as assets (how our exporter writes images). */
function withDataImages(question: QuestionBody): QuestionBody & { assets?: QuestionAsset[] } {
  const { take, assets } = collectDataImages();
  const option = (o: QuestionOption): QuestionOption => ({ ...o, text: take(o.text), ...(o.feedback ? { feedback: take(o.feedback) } : {}) });
  const result = {
    ...question,
    stem: take(question.stem),
    options: question.options.map(option),
    ...(question.parts ? { parts: question.parts.map((p) => ({ ...p, options: p.options.map(option) })) } : {}),
    ...(question.generalFeedback ? { generalFeedback: take(question.generalFeedback) } : {}),
  };
  return assets.length ? { ...result, assets } : result;
}

function readMarkers(comments: string[]) {
  let id: string | undefined;
  let points: number | undefined;
  const tags: string[] = [];
  for (const match of comments.join('\n').matchAll(COMMENT_MARKER)) {
    const value = unescapeMarker(match[2]!);
    if (match[1] === 'id') id ??= value;
    else if (match[1] === 'tag') tags.push(value);
    else points = parseDecimal(value) ?? points;
  }
  const trueFalseGroup = tags.includes(TRUE_FALSE_GROUP_TAG);
  const split = splitLevelTag(tags.filter((t) => t !== TRUE_FALSE_GROUP_TAG));
  return { id, points, trueFalseGroup, ...split };
}

type QuestionBody = Pick<ParsedQuestion, 'type' | 'name' | 'stem' | 'options' | 'parts' | 'generalFeedback'>;
type Piece = { text: string; offset: number };

// Trailing `";` after the closing brace appears in Moodle's own fixtures; Moodle tolerates it.
const STRAY_AFTER_BLOCK = /^["';]+$/;
const CLOZE_CAPABLE: ReadonlyArray<QuestionType> = ['multiple_choice', 'multiple_response', 'short_answer', 'numerical'];

/** One question's text (escapes hidden); null for a description. */
function parseQuestion(text: string, trueFalseGroup: boolean): QuestionBody | null {
  let rest = 0;
  let name: string | undefined;
  const start = text.search(/\S/);
  if (text.startsWith('::', start)) {
    const end = text.indexOf('::', start + 2);
    if (end === -1) throw new GiftError('GIFT_SYNTAX', 'tên câu hỏi mở bằng "::" nhưng không có "::" đóng.', start);
    name = reveal(text.slice(start + 2, end)).trim() || undefined;
    rest = end + 2;
  }
  const open = text.indexOf('{', rest);
  const close = text.indexOf('}', rest);
  if (open === -1 && close === -1) return null;
  if (close === -1) throw new GiftError('GIFT_BRACES', 'khối đáp án mở bằng "{" nhưng không đóng bằng "}" (dòng trống kết thúc câu hỏi).', open);
  if (open === -1 || close < open) throw new GiftError('GIFT_BRACES', 'có dấu "}" mà không có "{" mở trước nó (muốn viết chữ "}" hãy dùng "\\}").', close);
  const nested = text.indexOf('{', open + 1);
  if (nested !== -1 && nested < close) throw new GiftError('GIFT_BRACES', 'dấu "{" lồng trong khối đáp án (muốn viết chữ "{" hãy dùng "\\{").', nested);
  const extra = text.slice(close + 1).search(/[{}]/);
  if (extra !== -1) {
    const offset = close + 1 + extra;
    throw text[offset] === '{'
      ? new GiftError('GIFT_MULTIPLE_BLOCKS', 'một câu GIFT chỉ có một khối đáp án {…}; câu nhiều chỗ trống hãy dùng Moodle XML (cloze).', offset)
      : new GiftError('GIFT_BRACES', 'có dấu "}" thừa (muốn viết chữ "}" hãy dùng "\\}").', offset);
  }

  const before = text.slice(rest, open);
  const afterBlock = text.slice(close + 1);
  const after = STRAY_AFTER_BLOCK.test(afterBlock.trim()) ? '' : afterBlock;
  const missingWord = after.trim() !== '';
  const stemSource = splitFormat(`${before}${missingWord ? BLANK : ''}${after}`.trim(), 'moodle');
  if (!stemSource.text.replace(BLANK, '').trim()) throw new GiftError('GIFT_EMPTY_STEM', 'câu hỏi không có nội dung (đề bài trống).', open);

  let answers = text.slice(open + 1, close);
  let answersOffset = open + 1;
  let generalFeedback: string | undefined;
  const feedbackAt = answers.lastIndexOf('####');
  if (feedbackAt !== -1) {
    generalFeedback = formatted(answers.slice(feedbackAt + 4), stemSource.format) || undefined;
    answers = answers.slice(0, feedbackAt);
  }
  const lead = answers.search(/\S|$/);
  answersOffset += lead;
  answers = answers.trim();

  const format = stemSource.format;
  const { type, options } = readAnswers({ text: answers, offset: answersOffset }, format, trueFalseGroup);
  const base = { ...(name ? { name } : {}), ...(generalFeedback ? { generalFeedback } : {}) };
  const stemHtml = toHtml(stemSource.text, format);
  if (missingWord && CLOZE_CAPABLE.includes(type)) {
    const part: ClozePart = { type: type as ClozePart['type'], weight: 1, options };
    return { ...base, type: 'cloze', stem: stemHtml.replace(BLANK, '{#1}'), options: [], parts: [part] };
  }
  return { ...base, type, stem: stemHtml.replace(BLANK, '_____'), options };
}

/** A text with an optional `[format]` marker, as HTML. */
const formatted = (text: string, fallback: TextFormat) => {
  const { format, text: body } = splitFormat(text.trim(), fallback);
  return toHtml(body, format);
};

/** The question type from the answer block, as Moodle decides it, then its options. */
function readAnswers(block: Piece, format: TextFormat, trueFalseGroup: boolean): { type: QuestionType; options: QuestionOption[] } {
  const text = block.text;
  if (text === '') return { type: 'essay', options: [] };
  if (text.startsWith('#')) return { type: 'numerical', options: readNumerical({ text: text.slice(1), offset: block.offset + 1 }, format) };
  if (text.includes('~')) return readChoices(block, format, trueFalseGroup);
  if (text.includes('=') && text.includes('->')) {
    const pairs = readMatching(block, format);
    // Our exporter's Part II item with no true statement (see flattenTrueFalseGroup).
    const statements = trueFalseGroup ? matchingAsTrueFalseGroup(pairs) : undefined;
    return statements ? { type: 'true_false_group', options: statements } : { type: 'matching', options: pairs };
  }
  const verdict = text.split('#')[0]!.trim();
  if (['T', 'TRUE', 'F', 'FALSE'].includes(verdict)) return { type: 'true_false', options: readTrueFalse(text, format) };
  return { type: 'short_answer', options: readShortAnswers(block, format) };
}

/** Splits at each of `separators`; a separator in `kept` stays at the head of its piece. */
function splitPieces(block: Piece, separators: string, kept = ''): Piece[] {
  const pieces: Piece[] = [];
  let from = 0;
  for (let i = 0; i <= block.text.length; i++) {
    const char = block.text[i];
    if (i < block.text.length && !separators.includes(char!)) continue;
    pieces.push({ text: block.text.slice(from, i), offset: block.offset + from });
    from = char !== undefined && kept.includes(char) ? i : i + 1;
  }
  // Text before the first separator is an answer only if there is some (Moodle's array_shift).
  if (pieces[0] && !pieces[0].text.trim()) pieces.shift();
  return pieces.map((p) => ({ text: p.text.trim(), offset: p.offset + p.text.search(/\S|$/) }));
}

const WEIGHT = /^%\s*(-?\d+(?:[.,]\d+)?)\s*%/;

/** A leading `%50%` weight as a fraction, and the rest of the piece. */
function readWeight(piece: Piece, otherwise: number): { fraction: number; rest: string } {
  const weight = WEIGHT.exec(piece.text);
  if (!weight) return { fraction: otherwise, rest: piece.text };
  const fraction = tidy(Number(weight[1]!.replace(',', '.')) / 100);
  if (fraction < -1 || fraction > 1) throw new GiftError('GIFT_BAD_WEIGHT', `trọng số "${weight[0]}" phải nằm trong khoảng -100% đến 100%.`, piece.offset);
  return { fraction, rest: piece.text.slice(weight[0].length).trim() };
}

/** "answer # feedback": the first `#` starts the feedback. */
function splitFeedback(text: string, format: TextFormat): { answer: string; feedback?: string } {
  const at = text.indexOf('#');
  if (at === -1) return { answer: text.trim() };
  const feedback = formatted(text.slice(at + 1), format);
  return { answer: text.slice(0, at).trim(), ...(feedback ? { feedback } : {}) };
}

const optionId = (index: number) => String(index + 1);

function readChoices(block: Piece, format: TextFormat, trueFalseGroup: boolean): { type: QuestionType; options: QuestionOption[] } {
  // "=" marks the one right answer of a single-answer question; without it, Moodle makes a
  // multiple-response question whose weights share the marks.
  const single = block.text.includes('=');
  const pieces = splitPieces(block, '~=', '=');
  if (pieces.length < 2) throw new GiftError('GIFT_TOO_FEW_ANSWERS', 'câu trắc nghiệm cần ít nhất hai phương án.', block.offset);
  const options = pieces.map((piece, index): QuestionOption => {
    const right = piece.text.startsWith('=');
    const { fraction, rest } = right ? { fraction: 1, rest: piece.text.slice(1) } : readWeight(piece, 0);
    const { answer, feedback } = splitFeedback(rest, format);
    return { id: optionId(index), text: formatted(answer, format), fraction, ...(feedback ? { feedback } : {}) };
  });
  if (trueFalseGroup && !single) {
    // Our exporter's flattened Part II item: a chosen statement is a true one.
    return { type: 'true_false_group', options: options.map((o, i) => ({ ...o, id: String.fromCharCode(97 + i), fraction: o.fraction > 0 ? 1 : 0 })) };
  }
  if (!single) {
    const total = options.reduce((sum, o) => sum + Math.max(o.fraction, 0), 0);
    if (Math.round(total * 100) !== 100) {
      throw new GiftError('GIFT_WEIGHTS_SUM', `câu nhiều đáp án đúng: tổng trọng số các phương án đúng là ${Math.round(total * 10000) / 100}%, phải bằng 100%.`, block.offset);
    }
  }
  return { type: single ? 'multiple_choice' : 'multiple_response', options };
}

function readMatching(block: Piece, format: TextFormat): QuestionOption[] {
  const pieces = splitPieces(block, '=');
  if (pieces.length < 2) throw new GiftError('GIFT_TOO_FEW_ANSWERS', 'câu ghép đôi cần ít nhất hai cặp "=… -> …".', block.offset);
  return pieces.map((piece, index) => {
    const arrow = piece.text.indexOf('->');
    if (arrow === -1) throw new GiftError('GIFT_MATCHING_SYNTAX', `cặp ghép "${reveal(piece.text)}" thiếu "->".`, piece.offset);
    const left = formatted(piece.text.slice(0, arrow), format);
    // A pair with an empty left side is a distractor: an extra answer to choose from.
    return { id: optionId(index), text: left, match: reveal(piece.text.slice(arrow + 2)).trim(), fraction: left ? 1 : 0 };
  });
}

/** `{TRUE#wrong#right}`: the first feedback is shown for the wrong verdict, the second for the right one. */
function readTrueFalse(text: string, format: TextFormat): QuestionOption[] {
  const [verdict, wrong, right] = splitLimit(text, '#', 3);
  const isTrue = verdict!.trim().startsWith('T');
  const feedbackFor = (correct: boolean) => {
    const value = (correct ? right : wrong) ?? '';
    return value.trim() ? { feedback: formatted(value, format) } : {};
  };
  return [
    { id: 'true', text: 'Đúng', fraction: isTrue ? 1 : 0, ...feedbackFor(isTrue) },
    { id: 'false', text: 'Sai', fraction: isTrue ? 0 : 1, ...feedbackFor(!isTrue) },
  ];
}

const splitLimit = (text: string, separator: string, limit: number) => {
  const parts = text.split(separator);
  return [...parts.slice(0, limit - 1), ...(parts.length >= limit ? [parts.slice(limit - 1).join(separator)] : [])];
};

function readShortAnswers(block: Piece, format: TextFormat): QuestionOption[] {
  const options = splitPieces(block, '=').map((piece, index) => {
    const { fraction, rest } = readWeight(piece, 1);
    const { answer, feedback } = splitFeedback(rest, format);
    // Accepted answers are plain text compared with what the student types.
    return { id: optionId(index), text: reveal(splitFormat(answer, format).text).trim(), fraction, ...(feedback ? { feedback } : {}) };
  });
  requireFullMarks(options, block.offset);
  return options;
}

function readNumerical(block: Piece, format: TextFormat): QuestionOption[] {
  // "~#feedback" after the answers is the feedback for any other number (Moodle's "*" answer).
  const tilde = block.text.indexOf('~');
  const answers = tilde === -1 ? block : { text: block.text.slice(0, tilde), offset: block.offset };
  const pieces = splitPieces(answers, '=');
  if (!pieces.length) throw new GiftError('GIFT_NO_ANSWER', 'câu trả lời số không có đáp án nào sau "#".', block.offset);
  const options: QuestionOption[] = pieces.map((piece, index) => {
    const { fraction, rest } = readWeight(piece, 1);
    const { answer, feedback } = splitFeedback(rest, format);
    return { id: optionId(index), ...readNumber(reveal(answer), piece.offset), fraction, ...(feedback ? { feedback } : {}) };
  });
  requireFullMarks(options, block.offset);
  if (tilde !== -1) {
    const { feedback } = splitFeedback(block.text.slice(tilde + 1), format);
    options.push({ id: optionId(options.length), text: '*', fraction: 0, ...(feedback ? { feedback } : {}) });
  }
  return options;
}

/** `1822`, `1822:5` (value and tolerance) or `1..5` (a range, kept as its middle ± half). */
function readNumber(text: string, offset: number): { text: string; tolerance: number } {
  const notNumber = (value: string) => new GiftError('GIFT_NOT_A_NUMBER', `"${value}" không phải một số.`, offset);
  const number = (value: string) => {
    const parsed = parseDecimal(value);
    if (parsed === undefined) throw notNumber(value.trim());
    return parsed;
  };
  const range = text.indexOf('..');
  if (range > 0) {
    const low = number(text.slice(0, range));
    const high = number(text.slice(range + 2));
    return { text: String(tidy((low + high) / 2)), tolerance: tidy(Math.abs(high - low) / 2) };
  }
  const colon = text.indexOf(':');
  if (colon > 0) return { text: String(number(text.slice(0, colon))), tolerance: Math.abs(number(text.slice(colon + 1))) };
  return { text: String(number(text)), tolerance: 0 };
}

/** A decimal with a dot or (as Vietnamese teachers write it) a comma; undefined if not a number. */
function parseDecimal(text: string): number | undefined {
  const value = text.trim();
  if (!/^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/.test(value)) return undefined;
  return Number(value.replace(',', '.'));
}

// (3.141 + 3.142) / 2 is 3.1414999999999997 in binary floating point: round the noise away.
const tidy = (value: number) => Number(value.toPrecision(12));

function requireFullMarks(options: QuestionOption[], offset: number) {
  if (!options.some((o) => o.fraction === 1)) throw new GiftError('GIFT_NO_CORRECT_ANSWER', 'không có đáp án nào được 100% điểm.', offset);
}
