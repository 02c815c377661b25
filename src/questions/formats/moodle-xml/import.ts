import { AppError } from '../../../core/errors.js';
import { escapeHtml } from '../../../core/text.js';
import { decodeText } from '../../../core/decode-text.js';
import { ASSET_PREFIX, type Importer, type ParseResult, type ParsedQuestion, type Question, type QuestionAsset, type QuestionOption } from '../../model.js';
import { splitLevelTag, TRUE_FALSE_GROUP_TAG } from '../conventions.js';
import { topicFromCategoryPath } from '../moodle-categories.js';
import { parseUntrustedXml } from '../safe-xml.js';
import { optionId, parseCloze } from './cloze.js';
import { addAsset, type FieldFile, rewritePluginfileReferences } from './files.js';
import { formatPercent, matchMoodleGrade, nearestMoodleGrade } from './grades.js';
import { nameFromStem } from './names.js';
import { clozeAsTrueFalseGroup } from './true-false-group.js';

/*
 * Moodle XML (question/format/xml in Moodle), read the way Moodle's qformat_xml reads it: the same
 * defaults, the same grade list, the same cloze gap syntax, the same checks that make Moodle
 * refuse a question. Category pseudo-questions set the topic of the questions after them;
 * descriptions are skipped (they are not questions). Pure apart from decoding the bytes.
 */

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set(['question', 'answer', 'file', 'tag', 'subquestion', 'hint']);
// Texts are kept as written: Moodle trims them itself, and so do we.
const PARSE_OPTIONS = { isArray: (name: string) => ARRAY_TAGS.has(name) };

const isNode = (value: unknown): value is XmlNode => typeof value === 'object' && value !== null && !Array.isArray(value);
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);
const child = (node: unknown, name: string): unknown => (isNode(node) ? first(node[name]) : undefined);
const children = (node: unknown, name: string): unknown[] => {
  const value = isNode(node) ? node[name] : undefined;
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};
const textValue = (value: unknown): string => (typeof value === 'string' ? value : isNode(value) && typeof value['#text'] === 'string' ? value['#text'] : '');
/** The trimmed text of `<name>…</name>`. */
const valueOf = (node: unknown, name: string): string => textValue(child(node, name)).trim();
/** The trimmed text of an element `<x><text>…</text></x>` (or `<x>…</x>` in old files). */
const elementText = (element: unknown): string =>
  (child(element, 'text') !== undefined ? textValue(child(element, 'text')) : textValue(element)).trim();
const textOf = (node: unknown, name: string): string => elementText(child(node, name));
const attribute = (node: unknown, name: string): string | undefined => {
  const value = isNode(node) ? node[`@_${name}`] : undefined;
  return typeof value === 'string' ? value : undefined;
};
/** Moodle's trans_single: "false", "0" and empty are false, anything else true. */
const flag = (text: string, fallback: boolean) => (text === '' ? fallback : !(text === 'false' || text === '0'));

export function looksLikeMoodleXml(text: string): boolean {
  return /<quiz[\s>]/.test(text.slice(0, 4096));
}

/** Line of each <question> element, in document order (comments and CDATA cannot hide one). */
function questionLines(text: string): number[] {
  const visible = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (hidden) => hidden.replace(/[^\n]/g, ''));
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (const match of visible.matchAll(/<question(?=[\s>/])/g)) {
    for (let i = visible.indexOf('\n', from); i !== -1 && i < match.index; i = visible.indexOf('\n', i + 1)) line++;
    from = match.index;
    lines.push(line);
  }
  return lines;
}

/** A problem that makes Moodle refuse the question; becomes an ImportIssue. */
class ItemProblem {
  constructor(readonly code: string, readonly reason: string) {}
}

/** Text fields of one question, with the question's images gathered as it goes. */
function questionFields() {
  const assets: QuestionAsset[] = [];

  function files(field: unknown): Map<string, string> {
    const names = new Map<string, string>();
    for (const file of children(field, 'file')) {
      const name = attribute(file, 'name');
      if (!name || (attribute(file, 'encoding') ?? 'base64') !== 'base64') continue;
      const path = attribute(file, 'path') ?? '/';
      const fieldFile: FieldFile = { path, name, bytes: Buffer.from(textValue(file), 'base64') };
      names.set(`${path.endsWith('/') ? path : `${path}/`}${name}`, addAsset(assets, fieldFile));
    }
    return names;
  }

  /** A field's text as HTML, whatever its format, with its images as @@ASSET@@ references. */
  function html(field: unknown): string {
    const text = elementText(field);
    const format = attribute(field, 'format') ?? 'html';
    return rewritePluginfileReferences(textAsHtml(text, format), files(field));
  }

  /** Moodle 1.9's <image> + <image_base64>: an image appended to the question text. */
  function legacyImage(question: XmlNode): string {
    const name = valueOf(question, 'image').replace(/\//g, '_');
    const data = valueOf(question, 'image_base64');
    if (!name || !data) return '';
    return ` <img src="${ASSET_PREFIX}${addAsset(assets, { path: '/', name, bytes: Buffer.from(data, 'base64') })}" />`;
  }

  return { assets, html, legacyImage };
}

function textAsHtml(text: string, format: string): string {
  if (format === 'html') return text;
  // moodle_auto_format is HTML whose line breaks count; plain, markdown and wiki text are escaped.
  const html = format === 'moodle_auto_format' ? text : escapeHtml(text);
  return html.replace(/\r?\n/g, '<br />\n');
}

function readFraction(answer: unknown, label: string): number {
  const raw = attribute(answer, 'fraction') ?? '0';
  const grade = matchMoodleGrade(Number(raw) / 100);
  if (raw.trim() === '' || grade === undefined) {
    const nearest = Number.isFinite(Number(raw)) ? ` (gần nhất: ${formatPercent(nearestMoodleGrade(Number(raw) / 100))}%)` : '';
    throw new ItemProblem('MOODLE_INVALID_GRADE', `${label}: điểm ${raw}% không thuộc danh sách điểm Moodle cho phép${nearest}`);
  }
  return grade;
}

function withFeedback(option: QuestionOption, feedback: string): QuestionOption {
  return feedback ? { ...option, feedback } : option;
}

type Fields = ReturnType<typeof questionFields>;
type Body = Pick<Question, 'type' | 'options'> & Partial<Pick<Question, 'stem' | 'parts' | 'shuffle' | 'caseSensitive' | 'points'>>;

function readChoices(node: XmlNode, fields: Fields): Body {
  const single = flag(valueOf(node, 'single'), true);
  const options = children(node, 'answer')
    .map((answer, index) => ({ answer, text: fields.html(answer), label: `phương án thứ ${index + 1}` }))
    .filter((a) => a.text !== '')
    .map(({ answer, text, label }, index) => withFeedback({ id: optionId(index), text, fraction: readFraction(answer, label) }, fields.html(child(answer, 'feedback'))));
  if (options.length < 2) throw new ItemProblem('MOODLE_TOO_FEW_OPTIONS', 'câu nhiều lựa chọn cần ít nhất hai phương án');
  const positive = options.reduce((sum, o) => sum + Math.max(o.fraction, 0), 0);
  if (single && !options.some((o) => o.fraction === 1)) throw new ItemProblem('MOODLE_NO_CORRECT_ANSWER', 'không có phương án đúng (100%)');
  if (!single && positive === 0) throw new ItemProblem('MOODLE_NO_CORRECT_ANSWER', 'không có phương án đúng');
  // qtype_multichoice: the right answers of a multiple-response question add up to 100 %.
  if (!single && Math.round(positive * 100) !== 100) throw new ItemProblem('MOODLE_FRACTIONS_NOT_100', `tổng điểm các phương án đúng phải là 100% (đang là ${formatPercent(positive)}%)`);
  return { type: single ? 'multiple_choice' : 'multiple_response', options, shuffle: flag(valueOf(node, 'shuffleanswers'), false) };
}

function readTrueFalse(node: XmlNode, fields: Fields): Body {
  const answers = children(node, 'answer');
  // Old files wrote localised texts; Moodle then assumes the order true, false.
  const isTrue = (answer: unknown, index: number) => { const t = elementText(answer); return t === 'true' || (t !== 'false' && index === 0); };
  const trueAnswer = answers.find(isTrue);
  const falseAnswer = answers.find((a, i) => !isTrue(a, i));
  const isRight = (answer: unknown) => Number(attribute(answer, 'fraction')) === 100;
  const right = isRight(trueAnswer) ? 'true' : isRight(falseAnswer) ? 'false' : undefined;
  if (!right) throw new ItemProblem('MOODLE_NO_CORRECT_ANSWER', 'câu Đúng/Sai không có đáp án đúng (100%)');
  return {
    type: 'true_false',
    options: [
      withFeedback({ id: 'true', text: 'Đúng', fraction: right === 'true' ? 1 : 0 }, fields.html(child(trueAnswer, 'feedback'))),
      withFeedback({ id: 'false', text: 'Sai', fraction: right === 'false' ? 1 : 0 }, fields.html(child(falseAnswer, 'feedback'))),
    ],
  };
}

function requireFullMarks(options: QuestionOption[], what: string): void {
  if (options.length === 0) throw new ItemProblem('MOODLE_NO_ANSWER', `${what} không có đáp án nào`);
  if (!options.some((o) => o.fraction === 1)) throw new ItemProblem('MOODLE_NO_CORRECT_ANSWER', `${what} không có đáp án đúng (100%)`);
}

function readShortAnswer(node: XmlNode, fields: Fields): Body {
  const options = children(node, 'answer')
    .map((answer, index) => ({ answer, text: elementText(answer), label: `đáp án thứ ${index + 1}` }))
    .filter((a) => a.text !== '')
    .map(({ answer, text, label }, index) => withFeedback({ id: optionId(index), text, fraction: readFraction(answer, label) }, fields.html(child(answer, 'feedback'))));
  requireFullMarks(options, 'câu trả lời ngắn');
  return { type: 'short_answer', options, caseSensitive: flag(valueOf(node, 'usecase'), false) };
}

function readNumerical(node: XmlNode, fields: Fields): Body {
  const options = children(node, 'answer')
    .map((answer, index) => ({ answer, text: elementText(answer), label: `đáp án thứ ${index + 1}` }))
    .filter((a) => a.text !== '')
    .map(({ answer, text, label }, index) => {
      const number = Number(text.replace(',', '.'));
      if (text !== '*' && !Number.isFinite(number)) throw new ItemProblem('MOODLE_INVALID_NUMBER', `${label} "${text}" không phải là số`);
      const tolerance = Number(valueOf(answer, 'tolerance').replace(',', '.') || '0');
      const option: QuestionOption = { id: optionId(index), text: text === '*' ? '*' : String(number), fraction: readFraction(answer, label), tolerance: Number.isFinite(tolerance) ? Math.abs(tolerance) : 0 };
      return withFeedback(option, fields.html(child(answer, 'feedback')));
    });
  requireFullMarks(options, 'câu trả lời số');
  return { type: 'numerical', options };
}

function readMatching(node: XmlNode, fields: Fields): Body {
  const options = children(node, 'subquestion')
    .map((subquestion) => ({ text: fields.html(subquestion), match: elementText(child(subquestion, 'answer')) }))
    .filter((pair) => pair.text !== '' || pair.match !== '')
    // A pair with an empty left side is a distractor: an extra choice on the right.
    .map((pair, index): QuestionOption => ({ id: optionId(index), text: pair.text, match: pair.match, fraction: pair.text ? 1 : 0 }));
  if (options.filter((o) => o.text !== '').length < 2) throw new ItemProblem('MOODLE_TOO_FEW_PAIRS', 'câu ghép đôi cần ít nhất hai cặp');
  const unmatched = options.find((o) => o.text !== '' && o.match === '');
  if (unmatched) throw new ItemProblem('MOODLE_NO_MATCH', `cặp thứ ${options.indexOf(unmatched) + 1} không có vế phải`);
  return { type: 'matching', options, shuffle: flag(valueOf(node, 'shuffleanswers'), true) };
}

function readCloze(node: XmlNode, _fields: Fields, text: string): Body {
  const cloze = parseCloze(text);
  if (cloze.parts.length === 0) throw new ItemProblem('MOODLE_CLOZE_NO_GAPS', 'câu Cloze không có ô trống hợp lệ nào ({1:MULTICHOICE:…})');
  const problem = cloze.problems[0];
  if (problem) throw new ItemProblem(problem.code, cloze.problems.map((p) => p.message).join('; '));
  // Moodle's points are the sum of the gap weights; our exporter keeps other points in <defaultgrade>.
  const defaultGrade = valueOf(node, 'defaultgrade');
  const points = defaultGrade ? Number(defaultGrade) : cloze.parts.reduce((sum, p) => sum + p.weight, 0);
  return { type: 'cloze', stem: cloze.stem, parts: cloze.parts, options: [], points };
}

const READERS: Record<string, (node: XmlNode, fields: Fields, stem: string) => Body> = {
  multichoice: readChoices,
  truefalse: readTrueFalse,
  shortanswer: readShortAnswer,
  numerical: readNumerical,
  matching: readMatching,
  match: readMatching,
  essay: () => ({ type: 'essay', options: [] }),
  cloze: readCloze,
  multianswer: readCloze,
};

function readTags(node: XmlNode): string[] {
  return children(child(node, 'tags'), 'tag').map(elementText).filter(Boolean);
}

/** The question, or the reason Moodle would refuse it. */
function readQuestion(node: XmlNode, type: string, topic: string | undefined): Question {
  const reader = READERS[type];
  if (!reader) throw new ItemProblem('MOODLE_UNSUPPORTED_TYPE', `loại câu hỏi Moodle "${type}" chưa được hỗ trợ`);
  const fields = questionFields();
  const text = fields.html(child(node, 'questiontext')) + fields.legacyImage(node);
  if (text.trim() === '') throw new ItemProblem('MOODLE_EMPTY_STEM', 'câu hỏi không có nội dung (<questiontext>)');
  const body = reader(node, fields, text);
  const defaultGrade = Number(valueOf(node, 'defaultgrade') || '1');
  const { cognitiveLevel, tags } = splitLevelTag(readTags(node));
  const question: Question = { type: body.type, stem: body.stem ?? text, options: body.options, points: body.points ?? (Number.isFinite(defaultGrade) ? defaultGrade : 1) };
  if (body.parts) question.parts = body.parts;
  const generalFeedback = fields.html(child(node, 'generalfeedback'));
  if (generalFeedback) question.generalFeedback = generalFeedback;
  if (body.shuffle !== undefined) question.shuffle = body.shuffle;
  if (body.caseSensitive !== undefined) question.caseSensitive = body.caseSensitive;
  if (cognitiveLevel) question.cognitiveLevel = cognitiveLevel;
  if (topic) question.topic = topic;
  if (tags.length) question.tags = tags;
  if (fields.assets.length) question.assets = fields.assets;
  const restored = tags.includes(TRUE_FALSE_GROUP_TAG) ? restoreTrueFalseGroup(question) : question;
  const name = textOf(node, 'name');
  return name && name !== nameFromStem(restored.stem) ? { name, ...restored } : restored;
}

// Our exporter writes a Part II item as a tagged cloze; with its shape intact it becomes one again.
function restoreTrueFalseGroup(question: Question): Question {
  if (question.type !== 'cloze') return question;
  const group = clozeAsTrueFalseGroup(question.stem, question.parts ?? []);
  if (!group) return question;
  const { parts: _parts, tags = [], ...rest } = question;
  const otherTags = tags.filter((t) => t !== TRUE_FALSE_GROUP_TAG);
  const restored: Question = { ...rest, type: 'true_false_group', stem: group.stem, options: group.options };
  if (otherTags.length) restored.tags = otherTags;
  return restored;
}

export const importMoodleXml: Importer = ({ bytes }) => {
  const { text } = decodeText(bytes);
  const tree = parseUntrustedXml(text, PARSE_OPTIONS);
  if (!isNode(tree) || !('quiz' in tree)) throw new AppError('QUESTION_FILE_MALFORMED', { reason: 'không phải tệp Moodle XML (thiếu phần tử gốc <quiz>)' });
  const lines = questionLines(text);
  const result: ParseResult = { questions: [], errors: [] };
  let topic: string | undefined;
  let item = 0;
  children(tree.quiz, 'question').forEach((value, index) => {
    const node = isNode(value) ? value : {};
    const type = attribute(node, 'type') ?? '';
    const line = lines[index];
    if (type === 'category') {
      topic = topicFromCategoryPath(textOf(node, 'category'));
      return;
    }
    if (type === 'description') return;
    item++;
    const itemId = valueOf(node, 'idnumber') || undefined;
    const source: ParsedQuestion['source'] = { format: 'moodle-xml', ...(line ? { line } : {}), ...(itemId ? { itemId } : {}) };
    try {
      result.questions.push({ ...readQuestion(node, type, topic), source, item });
    } catch (error) {
      if (!(error instanceof ItemProblem)) throw error;
      const name = textOf(node, 'name');
      const where = `Câu ${item}${name ? ` "${name}"` : ''}${line ? ` (dòng ${line})` : ''}`;
      result.errors.push({ item, ...(line ? { line } : {}), ...(itemId ? { itemId } : {}), code: error.code, message: `${where}: ${error.reason}.` });
    }
  });
  return result;
};
