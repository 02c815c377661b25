import type { ClozePart, Question, QuestionOption } from '../../model.js';

// Core Moodle has no Part II item (four statements judged true/false, stepped scoring). Its
// closest faithful form is a cloze question: the stem, then one line per statement ending in a
// Đúng/Sai dropdown. Each line is a <div> with a class we recognise, so our importer can give the
// question back its statements when the exporter's TRUE_FALSE_GROUP_TAG is present.

const TRUE_TEXT = 'Đúng';
const FALSE_TEXT = 'Sai';
const STATEMENT_CLASS = 'thpt2025-statement';
const STATEMENT = new RegExp(String.raw`\n?<div class="${STATEMENT_CLASS}">([a-z])\) ([\s\S]*?) \{#(\d+)\}</div>`, 'g');

const statementLetter = (option: QuestionOption, index: number) => (/^[a-z]$/.test(option.id) ? option.id : String.fromCharCode(97 + index));

/**
 * The weight of each statement's gap. Moodle takes a cloze question's points from the sum of its
 * gap weights, and its gap syntax has whole weights only (ANSWER_START_REGEX `\{([0-9]*):`), so
 * the item keeps its points when they are a whole multiple of the statement count (4 points,
 * 4 statements → 1 each); otherwise each gap weighs 1 and the exporter reports the difference.
 */
export function statementWeight(points: number, statements: number): number {
  const weight = points / statements;
  return Number.isInteger(weight) && weight >= 1 ? weight : 1;
}

/** A true_false_group question as a cloze stem with `{#n}` markers and its Đúng/Sai gaps, all of one weight. */
export function trueFalseGroupAsCloze(question: Question): { stem: string; parts: ClozePart[] } {
  const weight = statementWeight(question.points, question.options.length);
  const lines = question.options.map((statement, index) =>
    `\n<div class="${STATEMENT_CLASS}">${statementLetter(statement, index)}) ${statement.text} {#${index + 1}}</div>`);
  const parts = question.options.map((statement): ClozePart => {
    const isTrue = statement.fraction === 1;
    const feedback = statement.feedback ? { feedback: statement.feedback } : {};
    return {
      type: 'multiple_choice', weight, display: 'dropdown', shuffle: false,
      options: [{ id: 'A', text: TRUE_TEXT, fraction: isTrue ? 1 : 0, ...feedback }, { id: 'B', text: FALSE_TEXT, fraction: isTrue ? 0 : 1, ...feedback }],
    };
  });
  return { stem: question.stem + lines.join(''), parts };
}

function isTrueFalseGap(part: ClozePart | undefined): part is ClozePart {
  if (!part || part.type !== 'multiple_choice' || part.options.length !== 2) return false;
  const [first, second] = part.options as [QuestionOption, QuestionOption];
  return first.text.normalize('NFC') === TRUE_TEXT && second.text.normalize('NFC') === FALSE_TEXT && first.fraction + second.fraction === 1;
}

/**
 * The reverse of trueFalseGroupAsCloze: the stem and the statements (ids a–d, fraction 1 for a
 * true statement), or undefined when the cloze does not have that exact shape.
 */
export function clozeAsTrueFalseGroup(stem: string, parts: ClozePart[]): { stem: string; options: QuestionOption[] } | undefined {
  const matches = [...stem.matchAll(STATEMENT)];
  const first = matches[0];
  if (!first || matches.length !== parts.length) return undefined;
  const tail = stem.slice(first.index);
  if (matches.map((m) => m[0]).join('') !== tail) return undefined;
  const options: QuestionOption[] = [];
  for (const [index, match] of matches.entries()) {
    const part = parts[Number(match[3]) - 1];
    if (Number(match[3]) !== index + 1 || !isTrueFalseGap(part)) return undefined;
    const right = part.options.find((o) => o.fraction === 1)!;
    const option: QuestionOption = { id: match[1]!, text: match[2]!, fraction: right.text === TRUE_TEXT ? 1 : 0 };
    if (right.feedback) option.feedback = right.feedback;
    options.push(option);
  }
  return { stem: stem.slice(0, first.index), options };
}
