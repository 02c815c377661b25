import { decodeEntities } from '../../html.js';
import type { ClozePart, QuestionOption } from '../../model.js';
import { roundFraction } from './grades.js';

/*
 * Moodle's cloze ("multianswer", "embedded answers") gap syntax, as qtype_multianswer reads it:
 *   {weight:TYPE:alternative~alternative…}, alternative = [= | %percent%] answer [#feedback]
 * Regexes below are ports of Moodle's own (question/type/multianswer/questiontype.php), so a text
 * splits into gaps exactly where Moodle splits it.
 */

interface GapType {
  part: ClozePart['type'];
  display?: ClozePart['display'];
  shuffle?: boolean;
  caseSensitive?: boolean;
}

const MC = (display: ClozePart['display'], shuffle: boolean): GapType => ({ part: 'multiple_choice', display, shuffle });
const MR = (display: ClozePart['display'], shuffle: boolean): GapType => ({ part: 'multiple_response', display, shuffle });

const GAP_TYPES: Record<string, GapType> = {
  NUMERICAL: { part: 'numerical' }, NM: { part: 'numerical' },
  SHORTANSWER: { part: 'short_answer', caseSensitive: false }, SA: { part: 'short_answer', caseSensitive: false }, MW: { part: 'short_answer', caseSensitive: false },
  SHORTANSWER_C: { part: 'short_answer', caseSensitive: true }, SAC: { part: 'short_answer', caseSensitive: true }, MWC: { part: 'short_answer', caseSensitive: true },
  MULTICHOICE: MC('dropdown', false), MC: MC('dropdown', false),
  MULTICHOICE_S: MC('dropdown', true), MCS: MC('dropdown', true),
  MULTICHOICE_V: MC('vertical', false), MCV: MC('vertical', false),
  MULTICHOICE_VS: MC('vertical', true), MCVS: MC('vertical', true),
  MULTICHOICE_H: MC('horizontal', false), MCH: MC('horizontal', false),
  MULTICHOICE_HS: MC('horizontal', true), MCHS: MC('horizontal', true),
  MULTIRESPONSE: MR('vertical', false), MR: MR('vertical', false),
  MULTIRESPONSE_S: MR('vertical', true), MRS: MR('vertical', true),
  MULTIRESPONSE_H: MR('horizontal', false), MRH: MR('horizontal', false),
  MULTIRESPONSE_HS: MR('horizontal', true), MRHS: MR('horizontal', true),
};

// Longest names first, so that "MULTICHOICE_VS" is not read as "MULTICHOICE" (then ":" fails).
const TYPE_NAMES = Object.keys(GAP_TYPES).sort((a, b) => b.length - a.length).join('|');
const FRACTION = String.raw`=|%(-?[0-9]+(?:[.,][0-9]*)?)%`;
// An answer ends at "~", "#" or "}" unless escaped by "\" or part of an entity ("&#…;").
const ANSWER = String.raw`.+?(?<!\\|&|&amp;)(?=[~#}]|$)`;
const FEEDBACK = String.raw`.*?(?<!\\)(?=[~}]|$)`;
const ALTERNATIVE_SHAPE = `(?:${FRACTION.replace('(-?', '(?:-?')})?(?:${ANSWER})(?:#(?:${FEEDBACK}))?`;
const GAP = new RegExp(String.raw`\{([0-9]*):(${TYPE_NAMES}):(${ALTERNATIVE_SHAPE}(?:~${ALTERNATIVE_SHAPE})*)\}`, 'gs');
const ALTERNATIVE = new RegExp(`~?(${FRACTION})?(${ANSWER})(#(${FEEDBACK}))?`, 'sy');
const NUMBER = String.raw`-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?`;
const NUMERICAL_ANSWER = new RegExp(`^(${NUMBER})(?::(${NUMBER}))?$`, 's');

export interface ClozeGapProblem {
  /** 1-based gap number. */
  gap: number;
  code: 'MOODLE_CLOZE_TOO_FEW_CHOICES' | 'MOODLE_CLOZE_NO_ANSWER' | 'MOODLE_CLOZE_NO_CORRECT_ANSWER' | 'MOODLE_CLOZE_NOT_A_NUMBER';
  message: string;
}

export interface ParsedCloze {
  /** The text with each gap replaced by its `{#n}` marker. */
  stem: string;
  parts: ClozePart[];
  problems: ClozeGapProblem[];
}

// Moodle html_entity_decodes gap answers and feedback ("undo quoting done by the HTML editor").
// Only "\}" and "\#" are unescaped by Moodle; "\~" is accepted too because authors write it.
const unescapeGapText = (text: string) => decodeEntities(text).replace(/\\([}#~])/g, '$1');

/** Option ids as our other formats letter them: A, B, C… (then 27, 28… past Z). */
export const optionId = (index: number) => (index < 26 ? String.fromCharCode(65 + index) : String(index + 1));

/** Text with Moodle gaps → the stem with `{#n}` markers, the gaps as ClozeParts, and what Moodle would refuse. */
export function parseCloze(text: string): ParsedCloze {
  const parts: ClozePart[] = [];
  const problems: ClozeGapProblem[] = [];
  const stem = text.replace(GAP, (_whole, weight: string, typeName: string, alternatives: string) => {
    const part = parseGap(weight, GAP_TYPES[typeName]!, alternatives);
    parts.push(part);
    problems.push(...gapProblems(part, parts.length));
    return `{#${parts.length}}`;
  });
  return { stem, parts, problems };
}

function parseGap(weight: string, type: GapType, alternatives: string): ClozePart {
  const options: QuestionOption[] = [];
  let hasExplicitPercent = false;
  ALTERNATIVE.lastIndex = 0;
  for (let match = ALTERNATIVE.exec(alternatives); match && match[0] !== ''; match = ALTERNATIVE.exec(alternatives)) {
    const [, fractionMark, percent, answer = '', , feedback] = match;
    if (percent !== undefined) hasExplicitPercent = true;
    const fraction = fractionMark === '=' ? 1 : percent !== undefined ? roundFraction(Number(percent.replace(',', '.')) / 100) : 0;
    const option: QuestionOption = { id: optionId(options.length), text: '', fraction };
    const number = type.part === 'numerical' ? NUMERICAL_ANSWER.exec(answer) : null;
    if (number) {
      option.text = String(Number(number[1]!.replace(',', '.')));
      option.tolerance = number[2] ? Math.abs(Number(number[2].replace(',', '.'))) : 0;
    } else {
      option.text = unescapeGapText(answer);
    }
    const feedbackText = feedback === undefined ? '' : unescapeGapText(feedback);
    if (feedbackText) option.feedback = feedbackText;
    options.push(option);
  }
  if (type.part === 'multiple_response') normaliseMultiResponse(options, hasExplicitPercent);
  const part: ClozePart = { type: type.part, weight: weight === '' ? 1 : Number(weight), options };
  if (type.display) part.display = type.display;
  if (type.shuffle !== undefined) part.shuffle = type.shuffle;
  if (type.caseSensitive !== undefined) part.caseSensitive = type.caseSensitive;
  return part;
}

// Moodle scales a multi-response gap so its right answers add up to 100 %; when no percentage is
// written, each wrong answer cancels one right answer.
function normaliseMultiResponse(options: QuestionOption[], hasExplicitPercent: boolean): void {
  const total = options.reduce((sum, o) => sum + (o.fraction > 0 ? o.fraction : 0), 0);
  if (!total) return;
  for (const option of options) {
    if (option.fraction > 0) option.fraction = roundFraction(option.fraction / total);
    else if (!hasExplicitPercent) option.fraction = roundFraction(-1 / total);
  }
}

// The checks of qtype_multianswer_validate_question, which refuses the whole question.
function gapProblems(part: ClozePart, gap: number): ClozeGapProblem[] {
  const problems: ClozeGapProblem[] = [];
  const answered = part.options.filter((o) => o.text.trim() !== '');
  const isChoice = part.type === 'multiple_choice' || part.type === 'multiple_response';
  if (isChoice && answered.length < 2) problems.push({ gap, code: 'MOODLE_CLOZE_TOO_FEW_CHOICES', message: `ô trống số ${gap} cần ít nhất hai lựa chọn` });
  else if (answered.length === 0) problems.push({ gap, code: 'MOODLE_CLOZE_NO_ANSWER', message: `ô trống số ${gap} không có đáp án` });
  for (const option of answered) {
    if (part.type === 'numerical' && option.tolerance === undefined && option.text.trim() !== '*') {
      problems.push({ gap, code: 'MOODLE_CLOZE_NOT_A_NUMBER', message: `ô trống số ${gap}: đáp án "${option.text}" không phải là số` });
    }
  }
  const hasFullMarks = answered.some((o) => o.fraction === 1 || (part.type === 'multiple_response' && o.fraction > 0));
  if (answered.length > 0 && !hasFullMarks) problems.push({ gap, code: 'MOODLE_CLOZE_NO_CORRECT_ANSWER', message: `ô trống số ${gap} không có đáp án đúng (100%)` });
  return problems;
}

const GAP_TYPE_NAMES: Record<string, string> = {
  'multiple_choice/dropdown': 'MULTICHOICE', 'multiple_choice/dropdown/s': 'MULTICHOICE_S',
  'multiple_choice/vertical': 'MULTICHOICE_V', 'multiple_choice/vertical/s': 'MULTICHOICE_VS',
  'multiple_choice/horizontal': 'MULTICHOICE_H', 'multiple_choice/horizontal/s': 'MULTICHOICE_HS',
  'multiple_response/vertical': 'MULTIRESPONSE', 'multiple_response/vertical/s': 'MULTIRESPONSE_S',
  'multiple_response/horizontal': 'MULTIRESPONSE_H', 'multiple_response/horizontal/s': 'MULTIRESPONSE_HS',
};

function gapTypeName(part: ClozePart): string {
  if (part.type === 'numerical') return 'NUMERICAL';
  if (part.type === 'short_answer') return part.caseSensitive ? 'SHORTANSWER_C' : 'SHORTANSWER';
  // A multi-response gap has no dropdown form in Moodle: it is shown as a vertical list.
  const display = part.type === 'multiple_response' && part.display !== 'horizontal' ? 'vertical' : (part.display ?? 'dropdown');
  return GAP_TYPE_NAMES[`${part.type}/${display}${part.shuffle ? '/s' : ''}`]!;
}

const GAP_TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '~': '&#126;', '}': '&#125;', '#': '&#35;' };

// Moodle decodes entities in a gap's answers and feedback, so encoding every special character
// as an entity both protects the gap syntax (~ } #) and gives back exactly our text or HTML.
const encodeGapText = (text: string) => text.replace(/[&<>"~}#]/g, (c) => GAP_TEXT_ESCAPES[c]!);

function alternativePrefix(part: ClozePart, fraction: number): string {
  // Multi-response gaps always carry explicit percentages: with "=" alone, Moodle would turn
  // every 0 % answer into a penalty.
  if (part.type === 'multiple_response') return `%${formatClozePercent(fraction)}%`;
  if (fraction === 1) return '=';
  return fraction === 0 ? '' : `%${formatClozePercent(fraction)}%`;
}

// More decimals than `fraction="…"` uses: Moodle rescales multi-response gaps by their sum, and
// 33.33333 × 3 would come back as 0.3333334.
const formatClozePercent = (fraction: number) => String(Number((fraction * 100).toFixed(9)) + 0);

function alternativeAnswer(part: ClozePart, option: QuestionOption): string {
  if (part.type === 'numerical' && option.text.trim() !== '*') return `${option.text}:${option.tolerance ?? 0}`;
  return encodeGapText(option.text);
}

/** One gap in Moodle's syntax; the weight must already be a whole number. */
export function serialiseGap(part: ClozePart): string {
  const alternatives = part.options.map((option) => {
    const feedback = option.feedback ? `#${encodeGapText(option.feedback)}` : '';
    return `${alternativePrefix(part, option.fraction)}${alternativeAnswer(part, option)}${feedback}`;
  });
  return `{${part.weight}:${gapTypeName(part)}:${alternatives.join('~')}}`;
}

/** A stem with `{#n}` markers → Moodle's cloze text, each marker replaced by its gap. */
export function serialiseCloze(stem: string, parts: ClozePart[]): string {
  return stem.replace(/\{#(\d+)\}/g, (marker, n: string) => {
    const part = parts[Number(n) - 1];
    return part ? serialiseGap(part) : marker;
  });
}
